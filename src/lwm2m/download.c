/*
 * Fetching a URI block by block (RFC 7959 Block2 as a client): a
 * firmware pull. One GET per block, each confirmable and retransmitted
 * by the message layer; the pieces go to the caller in order, so nothing
 * is buffered. The server may answer with smaller blocks than asked
 * (2.4): the download then continues in its size.
 */
#include <string.h>

#include "coap/coap_block.h"
#include "core/log.h"
#include "core/uri.h"
#include "lwm2m/lwm2m.h"

#if TERN_WITH_BLOCK

static void close_download(tern_client_t *c)
{
    tern_download_t *d = &c->download;
    for (size_t i = 0; i < TERN_COAP_MAX_PENDING; i++) {
        tern_coap_txn_t *t = &c->coap.txns[i];
        if (t->state != TERN_COAP_TXN_FREE && TERN_TAG_KIND(t->tag) == TERN_TAG_DOWNLOAD)
            tern_coap_txn_cancel(&c->coap, t);
    }
    if (d->conn >= 0)
        c->port->ops->net_close(c->port->ctx, d->conn);
    d->conn = -1;
    d->active = 0;
    d->in_flight = 0;
}

/* The credentials for a coaps:// download: those of the first server
 * account that uses DTLS (the device has no others). */
static const tern_security_inst_t *download_credentials(tern_client_t *c)
{
    for (int i = 0; i < TERN_MAX_SECURITY; i++) {
        if (c->security[i].used && c->security[i].mode != TERN_SEC_NOSEC)
            return &c->security[i];
    }
    return NULL;
}

int tern_download_start(tern_client_t *c, const char *uri, size_t uri_len,
                        tern_download_data_fn on_data, tern_download_error_fn on_error, void *arg)
{
    tern_download_t *d = &c->download;
    tern_uri_t u;
    if (d->active)
        close_download(c);
    d->conn = -1;
    if (uri_len >= 7 && memcmp(uri, "http", 4) == 0)
        return -TERN_COAP_NOT_IMPLEMENTED;
    if (tern_uri_parse(uri, uri_len, &u) != 0)
        return -TERN_COAP_BAD_REQUEST;
    const tern_security_inst_t *sec = u.secure ? download_credentials(c) : NULL;
    if (u.secure && sec == NULL)
        return -TERN_COAP_NOT_IMPLEMENTED; /* coaps with no credentials to use */
    tern_net_security_t creds;
    if (sec != NULL) {
        tern_net_security_t cr = { sec->mode,          IDENTITY(sec),   sec->identity_len,
                                   SECRET(sec),        sec->secret_len, SERVER_KEY(sec),
                                   sec->server_key_len };
        creds = cr;
    }
    char host[TERN_MAX_URI];
    if (u.host.len >= sizeof(host))
        return -TERN_COAP_BAD_REQUEST;
    memcpy(host, u.host.ptr, u.host.len);
    host[u.host.len] = '\0';
    tern_net_params_t params = { host, u.port, 0, sec != NULL ? &creds : NULL };
    int conn = c->port->ops->net_open(c->port->ctx, &params, &d->peer);
    if (conn < 0) {
        TERN_LOG_W(c->port, "lwm2m: cannot reach %s for the download (%d)", host, conn);
        return TERN_ERR_IO;
    }
    d->active = 1;
    d->in_flight = 0;
    d->conn = (int16_t)conn;
    d->num = 0;
    d->offset = 0;
    d->szx = tern_coap_block_szx(TERN_COAP_BLOCK_SIZE);
    d->uri = uri;
    d->uri_len = uri_len;
    d->on_data = on_data;
    d->on_error = on_error;
    d->arg = arg;
    TERN_LOG_I(c->port, "lwm2m: downloading %.*s", (int)uri_len, uri);
    return 0;
}

void tern_download_cancel(tern_client_t *c)
{
    if (c->download.active)
        close_download(c);
}

/* Writes the URI's path and query as options, in order. */
static void write_uri_options(tern_coap_writer_t *w, const tern_uri_t *u)
{
    tern_span_t path = u->path;
    tern_span_t seg;
    while (tern_uri_next_segment(&path, &seg))
        tern_coap_write_option(w, TERN_COAP_OPT_URI_PATH, seg.ptr, seg.len);
    const char *q = u->query.ptr;
    const char *end = q + u->query.len;
    while (q < end) {
        const char *amp = memchr(q, '&', (size_t)(end - q));
        if (amp == NULL)
            amp = end;
        tern_coap_write_option(w, TERN_COAP_OPT_URI_QUERY, q, (size_t)(amp - q));
        q = amp + 1;
    }
}

void tern_download_step(tern_client_t *c, tern_time_t now)
{
    tern_download_t *d = &c->download;
    tern_uri_t u;
    if (!d->active || d->in_flight || tern_uri_parse(d->uri, d->uri_len, &u) != 0)
        return;
    tern_coap_writer_t w;
    tern_coap_txn_t *t =
        tern_coap_request_new(&c->coap, d->conn, &d->peer, TERN_COAP_CON, TERN_COAP_GET, &w);
    if (t == NULL)
        return; /* a slot frees up later */
    t->tag = TERN_TAG(TERN_TAG_DOWNLOAD, 0);
    write_uri_options(&w, &u);
    tern_coap_block_t block = { d->num, 0, d->szx };
    tern_coap_write_block(&w, TERN_COAP_OPT_BLOCK2, &block);
    if (tern_coap_txn_send(&c->coap, t, &w, now) == 0)
        d->in_flight = 1;
}

tern_time_t tern_download_next_time(const tern_client_t *c)
{
    return c->download.active && !c->download.in_flight ? c->now : INT64_MAX;
}

static void fail(tern_client_t *c, int error)
{
    tern_download_t d = c->download;
    close_download(c);
    TERN_LOG_W(c->port, "lwm2m: download stopped after %lu bytes (%d)", (unsigned long)d.offset,
               error);
    d.on_error(c, d.arg, error);
}

void tern_download_lost(tern_client_t *c, int error)
{
    if (c->download.active)
        fail(c, error);
}

static void on_block(tern_client_t *c, const tern_coap_msg_t *m)
{
    tern_download_t *d = &c->download;
    tern_coap_block_t block = { 0, 0, d->szx };
    int has = tern_coap_get_block(m, TERN_COAP_OPT_BLOCK2, &block);
    if (m->code != TERN_COAP_CONTENT) {
        fail(c, -(int)m->code);
        return;
    }
    size_t offset = has == 1 ? (size_t)block.num * TERN_COAP_BLOCK_BYTES(block.szx) : 0;
    if (has < 0 || offset != d->offset || (has == 1 && block.szx > d->szx)
        || (has == 1 && block.more && m->payload_len != TERN_COAP_BLOCK_BYTES(block.szx))) {
        fail(c, -TERN_COAP_BAD_OPTION); /* not the block we asked for */
        return;
    }
    uint32_t total = 0;
    (void)tern_coap_get_uint(m, TERN_COAP_OPT_SIZE2, &total);
    bool last = has != 1 || !block.more;
    tern_download_data_fn on_data = d->on_data;
    void *arg = d->arg;
    d->offset += m->payload_len;
    d->szx = block.szx;
    d->num = (uint32_t)(d->offset / TERN_COAP_BLOCK_BYTES(block.szx));
    if (last)
        close_download(c);
    /* a receiver that refuses a piece has handled the failure itself */
    if (on_data(c, arg, offset, m->payload, m->payload_len, last, total) != 0 && d->active)
        close_download(c);
}

void tern_download_event(tern_client_t *c, const tern_coap_event_t *ev)
{
    tern_download_t *d = &c->download;
    if (!d->active)
        return;
    d->in_flight = 0;
    if (ev->kind == TERN_COAP_EV_RESPONSE)
        on_block(c, &ev->msg);
    else
        fail(c, ev->kind == TERN_COAP_EV_RESET ? TERN_ERR_RESET : TERN_ERR_TIMEOUT);
}

#else
typedef int tern_download_disabled_t;
#endif /* TERN_WITH_BLOCK */
