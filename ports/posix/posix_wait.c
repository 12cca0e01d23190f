/* POSIX port: the application loop's wait, built on poll(). */
#include <errno.h>
#include <limits.h>

#include "posix_internal.h"

int tern_posix_wait(tern_posix_t *px, tern_time_t deadline, const int *extra_fds,
                    short *extra_revents, size_t n_extra)
{
    struct pollfd fds[TERN_POSIX_MAX_CONNS + 8];
    size_t n = 0;
    if (n_extra > 8)
        return TERN_ERR_ARG;
    for (size_t i = 0; i < n_extra; i++)
        fds[n++] = (struct pollfd){ .fd = extra_fds[i], .events = POLLIN };
    for (int i = 0; i < TERN_POSIX_MAX_CONNS; i++) {
        if (px->fds[i] >= 0)
            fds[n++] = (struct pollfd){ .fd = px->fds[i], .events = POLLIN };
    }
    int timeout = -1;
    if (deadline != INT64_MAX) {
        tern_time_t left = deadline - tern_posix_now();
        timeout = left <= 0 ? 0 : left > INT_MAX ? INT_MAX : (int)left;
    }
    int rc = poll(fds, (nfds_t)n, timeout);
    for (size_t i = 0; i < n_extra && extra_revents != NULL; i++)
        extra_revents[i] = rc > 0 ? fds[i].revents : 0;
    return rc < 0 ? TERN_ERR_IO : 0;
}
