#include "fake_port.h"

#include <stdio.h>
#include <string.h>

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

static int fake_open(void *ctx, const tern_net_params_t *params, tern_addr_t *peer)
{
    fake_port_t *fp = ctx;
    fp->last_open = *params;
    snprintf(fp->last_host, sizeof(fp->last_host), "%s", params->host ? params->host : "");
    fp->last_open.host = fp->last_host;
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

static void fake_close(void *ctx, int conn)
{
    (void)conn;
    ((fake_port_t *)ctx)->closed++;
}

static const tern_port_ops_t FAKE_OPS = {
    .now_ms = fake_now,
    .random = fake_random,
    .log = fake_log,
    .net_open = fake_open,
    .net_send = fake_send,
    .net_recv = fake_recv,
    .net_close = fake_close,
};

void fake_port_init(fake_port_t *fp, tern_port_t *port)
{
    memset(fp, 0, sizeof(*fp));
    fp->now = 1000000;
    port->ops = &FAKE_OPS;
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
