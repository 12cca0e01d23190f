/* POSIX port: clock, random source, logging, and the function table. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include <stdbool.h>

#include "posix_internal.h"

tern_time_t tern_posix_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (tern_time_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static tern_time_t posix_now_ms(void *ctx)
{
    (void)ctx;
    return tern_posix_now();
}

int tern_posix_random(void *ctx, uint8_t *buf, size_t len)
{
    (void)ctx;
    while (len > 0) {
        ssize_t n = getrandom(buf, len, 0);
        if (n < 0)
            return TERN_ERR_IO;
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

static void vlog(const tern_posix_t *px, tern_log_level_t level, const char *fmt, va_list ap)
{
    static const char LEVELS[] = "EWID";
    if (level > px->log_level)
        return;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    localtime_r(&ts.tv_sec, &tm);
    char line[512];
    vsnprintf(line, sizeof(line), fmt, ap);
    fprintf(stderr, "%02d:%02d:%02d.%03ld %c [%s] %s\n", tm.tm_hour, tm.tm_min, tm.tm_sec,
            ts.tv_nsec / 1000000, LEVELS[level], px->log_name, line);
}

static void posix_log(void *ctx, tern_log_level_t level, const char *fmt, va_list ap)
{
    vlog(ctx, level, fmt, ap);
}

void tern_posix_log(const tern_posix_t *px, tern_log_level_t level, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vlog(px, level, fmt, ap);
    va_end(ap);
}

static void posix_reboot(void *ctx)
{
    tern_posix_t *px = ctx;
    px->reboot(px->hook_user);
}

static void posix_factory_reset(void *ctx)
{
    tern_posix_t *px = ctx;
    px->factory_reset(px->hook_user);
}

static const tern_port_ops_t POSIX_OPS = {
    .now_ms = posix_now_ms,
    .random = tern_posix_random,
    .log = posix_log,
    .net_open = tern_posix_net_open,
    .net_send = tern_posix_net_send,
    .net_recv = tern_posix_net_recv,
    .net_close = tern_posix_net_close,
    .net_deadline = tern_posix_net_deadline,
};

void tern_posix_set_reset_hooks(tern_posix_t *px, void (*reboot)(void *user),
                                void (*factory_reset)(void *user), void *user)
{
    bool both = reboot != NULL && factory_reset != NULL;
    px->reboot = reboot;
    px->factory_reset = factory_reset;
    px->hook_user = user;
    px->ops.reboot = both ? posix_reboot : NULL;
    px->ops.factory_reset = both ? posix_factory_reset : NULL;
}

void tern_posix_set_state_file(tern_posix_t *px, const char *path)
{
    px->state_file = path;
    px->ops.config_write = path != NULL ? tern_posix_config_write : NULL;
    px->ops.config_read = path != NULL ? tern_posix_config_read : NULL;
}

void tern_posix_init(tern_posix_t *px, tern_port_t *port, const char *log_name)
{
    memset(px, 0, sizeof(*px));
    for (int i = 0; i < TERN_POSIX_MAX_CONNS; i++)
        px->fds[i] = -1;
    px->log_name = log_name != NULL ? log_name : "tern";
    px->log_level = getenv("TERN_DEBUG") != NULL ? TERN_LOG_DEBUG : TERN_LOG_INFO;
    px->state_fd = -1;
    px->fw_fd = -1;
    px->fw_max = TERN_POSIX_FIRMWARE_MAX;
    px->ops = POSIX_OPS;
    port->ops = &px->ops;
    port->ctx = px;
}

void tern_posix_deinit(tern_posix_t *px)
{
    for (int i = 0; i < TERN_POSIX_MAX_CONNS; i++)
        tern_posix_net_close(px, i);
    tern_posix_dtls_deinit(px);
    if (px->fw_fd >= 0)
        close(px->fw_fd); /* a package half written: fw_open starts it again */
    px->fw_fd = -1;
}
