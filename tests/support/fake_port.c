#include "fake_port.h"

#include <stdio.h>
#include <string.h>

#include "core/crc32.h"

static tern_time_t fake_now(void *ctx)
{
    return ((fake_port_t *)ctx)->now;
}

static int fake_random(void *ctx, uint8_t *buf, size_t len)
{
    fake_port_t *fp = ctx;
    if (fp->random_fails)
        return TERN_ERR_IO;
    memset(buf, fp->random_byte, len);
    return 0;
}

static void fake_log(void *ctx, tern_log_level_t level, const char *fmt, va_list ap)
{
    fake_port_t *fp = ctx;
    vsnprintf(fp->last_log, sizeof(fp->last_log), fmt, ap);
    fp->n_logs++;
    if (fp->log_to_stderr)
        fprintf(stderr, "[fake %d] %s\n", (int)level, fp->last_log);
}

/* The engine's credentials live only during net_open: keep a copy. */
static void copy_security(fake_port_t *fp, const tern_net_security_t *sec)
{
    tern_net_security_t *c = &fp->last_security;
    *c = *sec;
    c->identity_len = sec->identity_len < sizeof(fp->last_identity) ? sec->identity_len : 0;
    c->secret_len = sec->secret_len < sizeof(fp->last_secret) ? sec->secret_len : 0;
    c->server_key_len = sec->server_key_len < sizeof(fp->last_server_key) ? sec->server_key_len : 0;
    if (c->identity_len > 0)
        memcpy(fp->last_identity, sec->identity, c->identity_len);
    if (c->secret_len > 0)
        memcpy(fp->last_secret, sec->secret, c->secret_len);
    if (c->server_key_len > 0)
        memcpy(fp->last_server_key, sec->server_key, c->server_key_len);
    c->identity = fp->last_identity;
    c->secret = fp->last_secret;
    c->server_key = fp->last_server_key;
    fp->last_open.security = c;
    fp->secure_opens++;
}

static int fake_open(void *ctx, const tern_net_params_t *params, tern_addr_t *peer)
{
    fake_port_t *fp = ctx;
    fp->last_open = *params;
    snprintf(fp->last_host, sizeof(fp->last_host), "%s", params->host ? params->host : "");
    fp->last_open.host = fp->last_host;
    if (params->security != NULL)
        copy_security(fp, params->security);
    if (fp->open_result < 0)
        return fp->open_result;
    *peer = fake_addr(1);
    return fp->opened++;
}

static int fake_send(void *ctx, int conn, const tern_addr_t *to, const uint8_t *data, size_t len)
{
    fake_port_t *fp = ctx;
    if (fp->send_result < 0)
        return fp->send_result;
    if (fp->n_sent < FAKE_MAX_DGRAMS && len <= FAKE_DGRAM_SIZE) {
        fake_dgram_t *d = &fp->sent[fp->n_sent++];
        d->conn = conn;
        d->addr = to ? *to : fake_addr(0);
        d->len = len;
        memcpy(d->data, data, len);
    }
    return 0;
}

static int fake_recv(void *ctx, int conn, tern_addr_t *from, uint8_t *buf, size_t cap)
{
    fake_port_t *fp = ctx;
    if (conn >= 0 && conn < 32 && (fp->closed_conns >> conn & 1u))
        fp->recv_on_closed++;
    for (size_t i = fp->inbox_pos; i < fp->n_inbox; i++) {
        fake_dgram_t *d = &fp->inbox[i];
        if (d->conn != conn)
            continue;
        /* take it out, keeping the order of the rest */
        fake_dgram_t copy = *d;
        memmove(d, d + 1, (fp->n_inbox - i - 1) * sizeof(*d));
        fp->n_inbox--;
        *from = copy.addr;
        memcpy(buf, copy.data, copy.len < cap ? copy.len : cap);
        return (int)copy.len;
    }
    return TERN_ERR_WOULD_BLOCK;
}

/* Lends a copy of the datagram that is poisoned on the next call, so an
 * engine still reading a lent datagram after that fails its test. */
static int fake_recv_inplace(void *ctx, int conn, tern_addr_t *from, const uint8_t **data,
                             size_t *stored)
{
    fake_port_t *fp = ctx;
    memset(fp->lent, 0xee, sizeof(fp->lent));
    int n = fake_recv(ctx, conn, from, fp->lent, sizeof(fp->lent));
    *data = fp->lent;
    *stored = n > 0 && (size_t)n < sizeof(fp->lent) ? (size_t)n : sizeof(fp->lent);
    fp->lends++;
    return n;
}

static void fake_close(void *ctx, int conn)
{
    fake_port_t *fp = ctx;
    fp->closed++;
    if (conn >= 0 && conn < 32)
        fp->closed_conns |= 1u << conn;
}

static int fake_config_write(void *ctx, size_t offset, const uint8_t *data, size_t len, bool last)
{
    fake_port_t *fp = ctx;
    if (offset != fp->pending_len && offset != 0)
        return TERN_ERR_ARG;
    if (offset == 0)
        fp->pending_len = 0;
    if (fp->pending_len + len > sizeof(fp->pending))
        return TERN_ERR_NO_SPACE;
    memcpy(fp->pending + fp->pending_len, data, len);
    fp->pending_len += len;
    if (last) {
        memcpy(fp->image, fp->pending, fp->pending_len);
        fp->image_len = fp->pending_len;
        fp->saves++;
    }
    return 0;
}

static const uint8_t *fake_config_read(void *ctx, size_t *len)
{
    fake_port_t *fp = ctx;
    *len = fp->image_len;
    return fp->image_len > 0 ? fp->image : NULL;
}

static int fake_fw_open(void *ctx, size_t size)
{
    fake_port_t *fp = ctx;
    size_t cap = fp->fw_capacity != 0 ? fp->fw_capacity : sizeof(fp->fw);
    if (size > cap)
        return TERN_ERR_NO_SPACE;
    fp->fw_len = 0;
    fp->fw_opened = true;
    fp->fw_finished = false;
    return 0;
}

static int fake_fw_write(void *ctx, size_t offset, const uint8_t *data, size_t len)
{
    fake_port_t *fp = ctx;
    size_t cap = fp->fw_capacity != 0 ? fp->fw_capacity : sizeof(fp->fw);
    if (!fp->fw_opened || offset != fp->fw_len)
        return TERN_ERR_ARG;
    if (offset + len > cap)
        return TERN_ERR_NO_SPACE;
    memcpy(fp->fw + offset, data, len);
    fp->fw_len += len;
    return 0;
}

static int fake_fw_finish(void *ctx, char *name, char *version, size_t cap)
{
    fake_port_t *fp = ctx;
    if (fp->fw_len < 5)
        return TERN_ERR_CORRUPT;
    uint32_t want = (uint32_t)fp->fw[fp->fw_len - 4] | (uint32_t)fp->fw[fp->fw_len - 3] << 8
                    | (uint32_t)fp->fw[fp->fw_len - 2] << 16
                    | (uint32_t)fp->fw[fp->fw_len - 1] << 24;
    if (tern_crc32(0, fp->fw, fp->fw_len - 4) != want)
        return TERN_ERR_CORRUPT;
    if (fp->fw[0] == 'X')
        return -TERN_COAP_UNSUPPORTED_CONTENT_FORMAT;
    snprintf(name, cap, "fake");
    snprintf(version, cap, "2.0");
    fp->fw_finished = true;
    return 0;
}

static void fake_fw_abort(void *ctx)
{
    fake_port_t *fp = ctx;
    fp->fw_aborts++;
    fp->fw_opened = false;
}

static int fake_fw_apply(void *ctx)
{
    fake_port_t *fp = ctx;
    fp->fw_applies++;
    return fp->fw_apply_result;
}

static bool fake_fw_applied(void *ctx)
{
    return ((fake_port_t *)ctx)->fw_applied_ok;
}

/* Every hook but net_recv_inplace, which only the lending port has. */
#define FAKE_PORT_HOOKS                                                                            \
    .now_ms = fake_now, .random = fake_random, .log = fake_log, .net_open = fake_open,             \
    .net_send = fake_send, .net_recv = fake_recv, .net_close = fake_close,                         \
    .config_write = fake_config_write, .config_read = fake_config_read, .fw_open = fake_fw_open,   \
    .fw_write = fake_fw_write, .fw_finish = fake_fw_finish, .fw_abort = fake_fw_abort,             \
    .fw_apply = fake_fw_apply, .fw_applied = fake_fw_applied

static const tern_port_ops_t FAKE_OPS = { FAKE_PORT_HOOKS };

/* The same port lending its datagrams (net_recv_inplace). */
static const tern_port_ops_t FAKE_OPS_LENDING = { FAKE_PORT_HOOKS,
                                                  .net_recv_inplace = fake_recv_inplace };

void fake_port_init(fake_port_t *fp, tern_port_t *port)
{
    memset(fp, 0, sizeof(*fp));
    fp->now = 1000000;
    /* a client without a receive buffer needs a port that lends one */
    port->ops = TERN_COAP_RX_BUFFER ? &FAKE_OPS : &FAKE_OPS_LENDING;
    port->ctx = fp;
}

tern_addr_t fake_addr(uint8_t n)
{
    tern_addr_t a;
    memset(&a, 0, sizeof(a));
    a.len = 7;
    a.bytes[0] = 4;
    a.bytes[1] = 0x16;
    a.bytes[2] = 0x33;
    a.bytes[3] = 10;
    a.bytes[6] = n;
    return a;
}

void fake_port_push(fake_port_t *fp, int conn, const tern_addr_t *from, const void *data,
                    size_t len)
{
    if (fp->n_inbox >= FAKE_MAX_DGRAMS || len > FAKE_DGRAM_SIZE)
        return;
    fake_dgram_t *d = &fp->inbox[fp->n_inbox++];
    d->conn = conn;
    d->addr = *from;
    d->len = len;
    memcpy(d->data, data, len);
}

bool fake_port_pop_sent(fake_port_t *fp, fake_dgram_t *out)
{
    if (fp->n_sent == 0)
        return false;
    *out = fp->sent[0];
    memmove(&fp->sent[0], &fp->sent[1], (fp->n_sent - 1) * sizeof(fp->sent[0]));
    fp->n_sent--;
    return true;
}

void fake_port_clear_sent(fake_port_t *fp)
{
    fp->n_sent = 0;
}
