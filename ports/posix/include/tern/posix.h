/*
 * Tern POSIX port: UDP over IPv4 and IPv6, the monotonic clock,
 * getrandom(), logging to stderr and a poll()-based wait for the
 * application's loop.
 *
 *   tern_posix_t px;
 *   tern_port_t port;
 *   tern_posix_init(&px, &port, "bulb");
 *   for (;;) {
 *       tern_time_t next = <step the engine with port.ops->now_ms(&px)>;
 *       tern_posix_wait(&px, next, NULL, 0);
 *   }
 */
#ifndef TERN_POSIX_H
#define TERN_POSIX_H

#include <poll.h>

#include "tern/port.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifndef TERN_POSIX_MAX_CONNS
#define TERN_POSIX_MAX_CONNS 8
#endif

typedef struct tern_posix {
    int fds[TERN_POSIX_MAX_CONNS]; /* -1 when the slot is free */
    tern_log_level_t log_level;    /* lines above this level are dropped */
    const char *log_name;          /* prefix of every log line */
    void (*reboot)(void *user);    /* set by tern_posix_set_reset_hooks() */
    void (*factory_reset)(void *user);
    void *hook_user;
} tern_posix_t;

/*
 * Initialises px and points port at it. log_name (not copied) prefixes
 * log lines. Log level starts at TERN_LOG_INFO, or TERN_LOG_DEBUG when
 * the environment variable TERN_DEBUG is set.
 */
void tern_posix_init(tern_posix_t *px, tern_port_t *port, const char *log_name);

/*
 * Gives the port Device object hooks (port.h reboot / factory_reset):
 * called once the response to the Execute is sent. Without this the
 * port has none and those Executes are answered 4.05.
 */
void tern_posix_set_reset_hooks(tern_posix_t *px, tern_port_t *port, void (*reboot)(void *user),
                                void (*factory_reset)(void *user), void *user);

/* Closes every connection px still has open. */
void tern_posix_deinit(tern_posix_t *px);

/*
 * Waits until a connection of px or one of extra_fds (may be NULL) is
 * readable, or until the monotonic clock reaches deadline (INT64_MAX:
 * no limit). Fills extra_revents[i] for each extra fd when not NULL.
 * Returns 0 on a timeout or readiness, TERN_ERR_IO when poll() failed
 * (EINTR included, so a signal handler's flag is seen promptly).
 */
int tern_posix_wait(tern_posix_t *px, tern_time_t deadline, const int *extra_fds,
                    short *extra_revents, size_t n_extra);

/* Reads the monotonic clock, in milliseconds. */
tern_time_t tern_posix_now(void);

/*
 * Formats a port address as "IP:PORT" or "[IPv6]:PORT" into buf.
 * Returns buf.
 */
const char *tern_posix_addr_str(const tern_addr_t *addr, char *buf, size_t cap);

/* Returns the local UDP port of connection conn, or 0 when unknown. */
uint16_t tern_posix_local_port(const tern_posix_t *px, int conn);

#ifdef __cplusplus
}
#endif

#endif /* TERN_POSIX_H */
