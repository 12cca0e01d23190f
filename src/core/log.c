#include "core/log.h"

#if TERN_WITH_LOG
void tern_log(const tern_port_t *port, tern_log_level_t level, const char *fmt, ...)
{
    if (port == NULL || port->ops->log == NULL)
        return;
    va_list ap;
    va_start(ap, fmt);
    port->ops->log(port->ctx, level, fmt, ap);
    va_end(ap);
}
#else
/* ISO C forbids an empty translation unit. */
typedef int tern_log_disabled_t;
#endif
