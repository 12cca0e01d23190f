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

/* Ends the download, if any (a connection is open exactly while it runs). */
void tern_download_cancel(tern_client_t *c)
{
    tern_conn_close(c, &c->download.conn);
    c->download.in_flight = 0;
}

int tern_download_start(tern_client_t *c, const char *uri, size_t uri_len, tern_object_t *obj,
                        tern_download_error_fn on_error)
{
    tern_download_t *d = &c->download;
    tern_download_cancel(c);
    if (uri_len >= 7 && memcmp(uri, "http", 4) == 0)
        return -TERN_COAP_NOT_IMPLEMENTED;
    int rc = tern_conn_open(c, uri, uri_len, NULL, 0, &d->peer, &d->conn);
    if (rc != 0) {
        TERN_LOG_W(c->port, "lwm2m: cannot download %.*s (%d)", (int)uri_len, uri, rc);
        /* a URI we cannot use, or no connection */
        return rc == -TERN_COAP_BAD_REQUEST || rc == -TERN_COAP_NOT_IMPLEMENTED ? rc : TERN_ERR_IO;
    }
    d->offset = 0;
    d->szx = TERN_BLOCK_SZX;
    d->uri = uri;
    d->uri_len = uri_len;
    d->obj = obj;
    d->on_error = on_error;
    TERN_LOG_I(c->port, "lwm2m: downloading %.*s", (int)uri_len, uri);
    return 0;
}

/* Writes [p, end) as `opt` options, one per piece between the `sep`s
 * (RFC 7252 6.4: the path's segments, the query's parameters). */
static void write_pieces(tern_coap_writer_t *w, uint16_t opt, const char *p, const char *end,
                         char sep)
{
    for (const char *q = p; p < end; q++) {
        if (q == end || *q == sep) {
            tern_coap_write_option(w, opt, p, (size_t)(q - p));
            p = q + 1;
        }
    }
}

void tern_download_step(tern_client_t *c, tern_time_t now)
{
    tern_download_t *d = &c->download;
    tern_uri_t u;
    if (d->conn < 0 || d->in_flight || tern_uri_parse(d->uri, d->uri_len, &u) != 0)
        return;
    tern_coap_writer_t w;
    tern_coap_txn_t *t =
        tern_coap_request_new(&c->coap, d->conn, &d->peer, TERN_COAP_CON, TERN_COAP_GET, &w);
    if (t == NULL)
        return; /* a slot frees up later */
    t->tag = TERN_TAG(TERN_TAG_DOWNLOAD, 0);
    /* the path after its leading '/' */
    write_pieces(&w, TERN_COAP_OPT_URI_PATH, u.path.ptr + (u.path.len > 0), u.path.ptr + u.path.len,
                 '/');
    if (u.query.len > 0) /* (no query: its pointer is NULL) */
        write_pieces(&w, TERN_COAP_OPT_URI_QUERY, u.query.ptr, u.query.ptr + u.query.len, '&');
    /* every block but the last is whole, so offset is a multiple of the size */
    tern_coap_block_t block = { (uint32_t)(d->offset >> (d->szx + 4)), 0, d->szx };
    tern_coap_write_block(&w, TERN_COAP_OPT_BLOCK2, &block);
    if (tern_coap_txn_send(&c->coap, t, &w, now) == 0)
        d->in_flight = 1;
}

void tern_download_fail(tern_client_t *c, int error)
{
    tern_download_t *d = &c->download;
    tern_object_t *obj = d->obj;
    tern_download_error_fn on_error = d->on_error;
    TERN_LOG_W(c->port, "lwm2m: download stopped after %lu bytes (%d)", (unsigned long)d->offset,
               error);
    tern_download_cancel(c);
    on_error(c, obj, error);
}

static void on_block(tern_client_t *c, const tern_coap_msg_t *m)
{
    tern_download_t *d = &c->download;
    /* a response without Block2 is the whole resource: block 0, the last */
    tern_coap_block_t block = { 0, 0, d->szx };
    int has = tern_coap_get_block(m, TERN_COAP_OPT_BLOCK2, &block);
    if (m->code != TERN_COAP_CONTENT) {
        tern_download_fail(c, -(int)m->code);
        return;
    }
    size_t offset = (size_t)block.num << (block.szx + 4);
    if (has < 0 || offset != d->offset || block.szx > d->szx
        || (block.more && m->payload_len != TERN_COAP_BLOCK_BYTES(block.szx))) {
        tern_download_fail(c, -TERN_COAP_BAD_OPTION); /* not the block we asked for */
        return;
    }
    uint32_t total = 0;
    (void)tern_coap_get_uint(m, TERN_COAP_OPT_SIZE2, &total);
    tern_object_t *obj = d->obj;
    d->offset += m->payload_len;
    d->szx = block.szx;
    /* a receiver that refuses a piece has handled the failure itself */
    if (obj->def->ops->write_block(c, obj, NULL, offset, m->payload, m->payload_len, !block.more,
                                   total)
            != 0
        || !block.more)
        tern_download_cancel(c);
}

void tern_download_event(tern_client_t *c, const tern_coap_event_t *ev)
{
    tern_download_t *d = &c->download;
    if (d->conn < 0)
        return;
    d->in_flight = 0;
    if (ev->kind == TERN_COAP_EV_RESPONSE)
        on_block(c, &ev->msg);
    else
        tern_download_fail(c, ev->kind == TERN_COAP_EV_RESET ? TERN_ERR_RESET : TERN_ERR_TIMEOUT);
}

#else
typedef int tern_download_disabled_t;
#endif /* TERN_WITH_BLOCK */
