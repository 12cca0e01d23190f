#include <string.h>

#include "stub_port.h"

static tern_time_t stub_now(void *ctx)
{
    return *(volatile tern_time_t *)ctx;
}

static int stub_random(void *ctx, uint8_t *buf, size_t len)
{
    (void)ctx;
    memset(buf, 0x5a, len);
    return 0;
}

static int stub_open(void *ctx, const tern_net_params_t *params, tern_addr_t *peer)
{
    (void)ctx;
    (void)params;
    peer->len = 6;
    return 0;
}

static int stub_send(void *ctx, int conn, const tern_addr_t *to, const uint8_t *data, size_t len)
{
    (void)ctx;
    (void)conn;
    (void)to;
    (void)data;
    (void)len;
    return 0;
}

/* Volatile, so the compiler cannot see that nothing ever arrives. */
static volatile int stub_pending;

static int stub_recv(void *ctx, int conn, tern_addr_t *from, uint8_t *buf, size_t cap)
{
    (void)ctx;
    (void)conn;
    (void)from;
    (void)buf;
    return stub_pending ? (int)cap : TERN_ERR_WOULD_BLOCK;
}

static void stub_close(void *ctx, int conn)
{
    (void)ctx;
    (void)conn;
}

static void stub_reboot(void *ctx)
{
    (void)ctx;
}

const tern_port_ops_t TERN_STUB_PORT_OPS = {
    .now_ms = stub_now,
    .random = stub_random,
    .log = NULL,
    .net_open = stub_open,
    .net_send = stub_send,
    .net_recv = stub_recv,
    .net_close = stub_close,
    .reboot = stub_reboot,
    .factory_reset = stub_reboot,
};
