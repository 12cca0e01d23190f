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

/* The frame buffer a network driver has, lent to the client. */
static uint8_t stub_frame[TERN_COAP_BUFFER_SIZE];

static int stub_recv_inplace(void *ctx, int conn, tern_addr_t *from, const uint8_t **data,
                             size_t *stored)
{
    (void)ctx;
    (void)conn;
    (void)from;
    *data = stub_frame;
    *stored = sizeof(stub_frame);
    return stub_pending ? (int)sizeof(stub_frame) : TERN_ERR_WOULD_BLOCK;
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

#if TERN_WITH_PERSISTENCE
/* A flash page for the stored configuration. */
static uint8_t stub_config[256];
static size_t stub_config_len;

static int stub_config_write(void *ctx, size_t offset, const uint8_t *data, size_t len, bool last)
{
    (void)ctx;
    if (offset + len > sizeof(stub_config))
        return TERN_ERR_NO_SPACE;
    memcpy(stub_config + offset, data, len);
    if (last)
        stub_config_len = offset + len;
    return 0;
}

static const uint8_t *stub_config_read(void *ctx, size_t *len)
{
    (void)ctx;
    *len = stub_config_len;
    return stub_config_len > 0 ? stub_config : NULL;
}
#endif

#if TERN_WITH_BLOCK
/* A firmware slot: the image is counted, not kept. */
static volatile size_t stub_fw_bytes;

static int stub_fw_open(void *ctx, size_t size)
{
    (void)ctx;
    (void)size;
    stub_fw_bytes = 0;
    return 0;
}

static int stub_fw_write(void *ctx, size_t offset, const uint8_t *data, size_t len)
{
    (void)ctx;
    (void)data;
    stub_fw_bytes = offset + len;
    return 0;
}

static int stub_fw_finish(void *ctx, char *name, char *version, size_t cap)
{
    (void)ctx;
    if (cap > 0)
        name[0] = version[0] = '\0';
    return stub_fw_bytes > 0 ? 0 : TERN_ERR_CORRUPT;
}

static void stub_fw_abort(void *ctx)
{
    (void)ctx;
    stub_fw_bytes = 0;
}

static int stub_fw_apply(void *ctx)
{
    (void)ctx;
    return TERN_ERR_IO;
}

static bool stub_fw_applied(void *ctx)
{
    (void)ctx;
    return false;
}
#endif

const tern_port_ops_t TERN_STUB_PORT_OPS = {
    .now_ms = stub_now,
    .random = stub_random,
    .log = NULL,
    .net_open = stub_open,
    .net_send = stub_send,
    .net_recv = stub_recv,
    .net_recv_inplace = stub_recv_inplace,
    .net_close = stub_close,
    .reboot = stub_reboot,
    .factory_reset = stub_reboot,
#if TERN_WITH_PERSISTENCE
    .config_write = stub_config_write,
    .config_read = stub_config_read,
#endif
#if TERN_WITH_BLOCK
    .fw_open = stub_fw_open,
    .fw_write = stub_fw_write,
    .fw_finish = stub_fw_finish,
    .fw_abort = stub_fw_abort,
    .fw_apply = stub_fw_apply,
    .fw_applied = stub_fw_applied,
#endif
};
