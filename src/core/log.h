/*
 * Internal logging: formats nothing itself, hands the format string and
 * arguments to the port's log hook. With TERN_WITH_LOG 0 the calls and
 * their strings vanish from the image; arguments must have no side
 * effects, since whether they are evaluated depends on the setting.
 */
#ifndef TERN_CORE_LOG_H
#define TERN_CORE_LOG_H

#include "tern/port.h"

#if defined(__GNUC__) || defined(__clang__)
#define TERN_PRINTF_LIKE(fmt_index, first_arg) __attribute__((format(printf, fmt_index, first_arg)))
#else
#define TERN_PRINTF_LIKE(fmt_index, first_arg)
#endif

#if TERN_WITH_LOG
/* Passes one line to port->ops->log, if the port has one. */
void tern_log(const tern_port_t *port, tern_log_level_t level, const char *fmt, ...)
    TERN_PRINTF_LIKE(3, 4);
#define TERN_LOG(port, level, ...) tern_log((port), (level), __VA_ARGS__)
#else
/* Type-checks the call; it is never made, its strings unreferenced. */
static inline TERN_PRINTF_LIKE(3, 4) void tern_log_off(const tern_port_t *port,
                                                       tern_log_level_t level, const char *fmt, ...)
{
    (void)port;
    (void)level;
    (void)fmt;
}
/* never evaluated: an argument that calls a function (tern_path_text)
 * costs nothing either */
#define TERN_LOG(port, level, ...)                                                                 \
    do {                                                                                           \
        if (0)                                                                                     \
            tern_log_off((port), (level), __VA_ARGS__);                                            \
    } while (0)
#endif

#define TERN_LOG_E(port, ...) TERN_LOG(port, TERN_LOG_ERROR, __VA_ARGS__)
#define TERN_LOG_W(port, ...) TERN_LOG(port, TERN_LOG_WARN, __VA_ARGS__)
#define TERN_LOG_I(port, ...) TERN_LOG(port, TERN_LOG_INFO, __VA_ARGS__)
#define TERN_LOG_D(port, ...) TERN_LOG(port, TERN_LOG_DEBUG, __VA_ARGS__)

#endif /* TERN_CORE_LOG_H */
