/* The Cortex-M port: function table, frames from the bridge, printing. */
#include <stdarg.h>
#include <string.h>

#include "clock.h"
#include "cm_internal.h"
#include "cortex_m.h"
#include "fmt.h"
#include "lm3s6965.h"
#include "uart.h"

#define HELLO_INTERVAL_MS 1000
#define PRINT_WAIT_MS 50

static tern_time_t port_now_ms(void *ctx)
{
    (void)ctx;
    return tern_cm_now_ms();
}

static int port_random(void *ctx, uint8_t *buf, size_t len)
{
    tern_cm_port_t *cm = ctx;
    for (size_t i = 0; i < len; i++)
        buf[i] = (uint8_t)(tern_cm_random_next(&cm->rng) >> 24);
    return 0;
}

static void port_log(void *ctx, tern_log_level_t level, const char *fmt, va_list ap)
{
    tern_cm_port_t *cm = ctx;
    if ((unsigned)level > cm->config.log_level)
        return;
    size_t n = tern_cm_vformat(cm->line, sizeof(cm->line), fmt, ap);
    uint8_t head[1] = { (uint8_t)level };
    if (tern_cm_link_send(&cm->link, TERN_LINK_LOG, head, 1, (const uint8_t *)cm->line, n) != 0)
        cm->dropped_lines++;
}

static void port_reboot(void *ctx)
{
    ((tern_cm_port_t *)ctx)->reset = TERN_CM_RESET_REBOOT;
}

static void port_factory_reset(void *ctx)
{
    /* nothing is stored: the factory configuration is the one running */
    ((tern_cm_port_t *)ctx)->reset = TERN_CM_RESET_FACTORY;
}

static const tern_port_ops_t CM_PORT_OPS = {
    .now_ms = port_now_ms,
    .random = port_random,
    .log = port_log,
    .net_open = tern_cm_net_open,
    .net_send = tern_cm_net_send,
    .net_recv = tern_cm_net_recv,
    .net_recv_inplace = tern_cm_net_recv_inplace,
    .net_close = tern_cm_net_close,
    .reboot = port_reboot,
    .factory_reset = port_factory_reset,
};

void tern_cm_port_init(tern_cm_port_t *cm, tern_port_t *port, const char *banner)
{
    memset(cm, 0, sizeof(*cm));
    cm->banner = banner;
    cm->config.lifetime_s = 300;
    cm->config.log_level = TERN_LOG_INFO;
    tern_cm_link_init(&cm->link);
    tern_cm_random_init(&cm->rng);
    uint32_t chip[3] = { SYSCTL_USER0, SYSCTL_USER1, tern_cm_clock_cycles() };
    tern_cm_random_mix(&cm->rng, chip, sizeof(chip));
    port->ops = &CM_PORT_OPS;
    port->ctx = cm;
}

/* Takes one text frame's body into a NUL-terminated string. */
static void copy_text(char *dst, size_t cap, const uint8_t *frame, size_t len)
{
    size_t n = len > 1 ? len - 1 : 0;
    if (n > TERN_CM_LINK_FRAME_SIZE - 1)
        n = TERN_CM_LINK_FRAME_SIZE - 1; /* only that much was kept */
    if (n > cap - 1)
        n = cap - 1;
    memcpy(dst, frame + 1, n);
    dst[n] = '\0';
}

bool tern_cm_port_poll(tern_cm_port_t *cm)
{
    size_t len;
    const uint8_t *f;
    while ((f = tern_cm_link_frame(&cm->link, &len)) != NULL) {
        uint32_t when = tern_cm_clock_cycles();
        tern_cm_random_mix(&cm->rng, &when, sizeof(when)); /* arrival jitter */
        size_t kept = len < TERN_CM_LINK_FRAME_SIZE ? len : TERN_CM_LINK_FRAME_SIZE;
        switch (f[0]) {
        case TERN_LINK_DATA_IN:
            if (tern_cm_net_frame_wanted(cm, f, len))
                return true; /* for net_recv */
            break;
        case TERN_LINK_COMMAND:
            if (cm->command_ready)
                return true; /* behind the one the application has not taken */
            copy_text(cm->command, sizeof(cm->command), f, len);
            cm->command_ready = true;
            break;
        case TERN_LINK_CONFIG:
            tern_cm_config_parse(&cm->config, &cm->rng, f + 1, kept - 1);
            cm->configured = true;
            break;
        case TERN_LINK_ERROR:
            if (kept >= 3 && f[1] < TERN_CM_MAX_CONNS && cm->conns[f[1]].used)
                cm->conns[f[1]].error = f[2] != 0 ? f[2] : 5 /* EIO */;
            break;
        default:
            break; /* unknown: newer bridge */
        }
        tern_cm_link_done(&cm->link);
    }
    if (cm->command_ready)
        return true;
    for (int i = 0; i < TERN_CM_MAX_CONNS; i++) {
        if (cm->conns[i].used && cm->conns[i].error != 0)
            return true;
    }
    return false;
}

/* Sleeps until the next interrupt unless a received byte is waiting. */
static void sleep_once(void)
{
    uint32_t primask = tern_cm_irq_save();
    if (!tern_cm_uart_rx_ready())
        tern_cm_wait_for_interrupt(); /* SysTick wakes it every millisecond */
    tern_cm_irq_restore(primask);
}

void tern_cm_port_wait(tern_cm_port_t *cm, tern_time_t until)
{
    while (!tern_cm_port_poll(cm) && tern_cm_now_ms() < until)
        sleep_once();
}

const tern_cm_config_t *tern_cm_port_wait_config(tern_cm_port_t *cm)
{
    while (!cm->configured) {
        uint8_t version = TERN_LINK_VERSION;
        (void)tern_cm_link_send(&cm->link, TERN_LINK_HELLO, &version, 1,
                                (const uint8_t *)cm->banner, strlen(cm->banner));
        tern_time_t until = tern_cm_now_ms() + HELLO_INTERVAL_MS;
        while (!cm->configured && tern_cm_now_ms() < until) {
            (void)tern_cm_port_poll(cm);
            if (cm->command_ready) {
                /* there is no application yet; and a command left waiting
                 * would hold up the CONFIG behind it */
                tern_cm_port_print(cm, "command '%s' ignored: not configured yet", cm->command);
                tern_cm_port_command_done(cm);
            } else if (!cm->configured) {
                sleep_once();
            }
        }
    }
    return &cm->config;
}

const char *tern_cm_port_command(tern_cm_port_t *cm)
{
    return cm->command_ready ? cm->command : NULL;
}

void tern_cm_port_command_done(tern_cm_port_t *cm)
{
    cm->command_ready = false;
}

static void send_text(tern_cm_port_t *cm, uint8_t type, const char *text, size_t len)
{
    tern_time_t until = tern_cm_now_ms() + PRINT_WAIT_MS;
    while (tern_cm_link_send(&cm->link, type, NULL, 0, (const uint8_t *)text, len)
           == TERN_ERR_WOULD_BLOCK) {
        if (tern_cm_now_ms() >= until) {
            cm->dropped_lines++;
            return;
        }
    }
}

void tern_cm_port_print(tern_cm_port_t *cm, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    size_t n = tern_cm_vformat(cm->line, sizeof(cm->line), fmt, ap);
    va_end(ap);
    send_text(cm, TERN_LINK_PRINT, cm->line, n);
}

static void flush(void)
{
    while (!tern_cm_uart_tx_done())
        ;
}

void tern_cm_port_bye(tern_cm_port_t *cm, const char *text)
{
    send_text(cm, TERN_LINK_BYE, text, strlen(text));
    flush();
}

int tern_cm_port_reset_requested(const tern_cm_port_t *cm)
{
    return cm->reset;
}

void tern_cm_port_restart(tern_cm_port_t *cm)
{
    (void)cm;
    flush();
    SCB_AIRCR = SCB_AIRCR_SYSRESETREQ;
    for (;;)
        ;
}
