/*
 * Receiving a block-wise Write (RFC 7959 2.5), e.g. a firmware package
 * pushed to /5/0/0. Each block is handed to the object's write_block at
 * its offset; nothing is buffered. One transfer at a time:
 *
 *   block 0                -> (re)starts the transfer
 *   the next block in order -> appended; 2.31 Continue, or 2.04 on the last
 *   anything else           -> 4.08 Request Entity Incomplete
 *   a block larger than ours -> only our block size is taken and 2.31
 *                              names our size: the peer continues from
 *                              there in smaller blocks (2.3)
 *   no block for EXCHANGE_LIFETIME -> abandoned
 */
#include <string.h>

#include "coap/coap_block.h"
#include "core/log.h"
#include "lwm2m/lwm2m.h"

#if TERN_WITH_BLOCK

/* Block-wise writes go to resources only (path length 3): their ids are compared. */
static bool same_transfer(const tern_block1_t *t, const tern_request_t *req)
{
    return t->active && t->conn == req->ev->conn
           && memcmp(&t->peer, &req->ev->peer, 1u + t->peer.len) == 0 /* len, then bytes */
           && memcmp(t->path.ids, req->path.ids, 3 * sizeof(t->path.ids[0])) == 0;
}

static void abandon(tern_client_t *c)
{
    tern_block1_t *t = &c->block1;
    tern_object_t *obj = tern_dm_object(c, t->path.ids[0]);
    t->active = 0;
    if (obj != NULL) /* it had write_block when the transfer started */
        (void)obj->def->ops->write_block(c, obj, &t->path, t->offset, NULL, 0, false, 0);
}

int tern_block1_write(tern_request_t *req, const void *opt)
{
    const tern_coap_block_t *block = opt;
    tern_client_t *c = req->client;
    tern_block1_t *t = &c->block1;
    tern_object_t *obj = req->obj;
    const tern_res_def_t *res = req->res;
    int rc = req->resolved;
    if (rc != 0)
        return rc;
    if (res->type != TERN_TYPE_OPAQUE || !(res->flags & TERN_RES_W)
        || obj->def->ops->write_block == NULL)
        return -TERN_COAP_REQUEST_ENTITY_TOO_LARGE; /* 2.5: no block-wise here */

    /* the largest block we take, given what the response needs */
    uint8_t szx = block->szx < TERN_BLOCK_SZX ? block->szx : TERN_BLOCK_SZX;
    size_t offset = (size_t)block->num << (block->szx + 4); /* < 2^30 */
    if (block->num == 0) {
        if (t->active)
            abandon(c);
        /* offset and last are set once the block is taken */
        t->active = 1;
        t->conn = req->ev->conn;
        t->peer = req->ev->peer;
        t->path = req->path;
    } else if (!same_transfer(t, req) || offset != t->offset) {
        TERN_LOG_W(c->port, "lwm2m: block %lu arrived out of order, refused",
                   (unsigned long)block->num);
        return -TERN_COAP_REQUEST_ENTITY_INCOMPLETE;
    }
    size_t len = req->msg->payload_len;
    size_t size = TERN_COAP_BLOCK_BYTES(szx);
    if (len > size) {
        len = size; /* the rest comes again in blocks of our size */
    } else if (block->more && len < size) {
        abandon(c); /* 2.2: only the last block may be short */
        return -TERN_COAP_BAD_REQUEST;
    }
    bool last = !block->more && len == req->msg->payload_len;
    uint32_t total = 0;
    (void)tern_coap_get_uint(req->msg, TERN_COAP_OPT_SIZE1, &total);
    rc =
        obj->def->ops->write_block(c, obj, &req->path, offset, req->msg->payload, len, last, total);
    if (rc != 0) {
        t->active = 0;
        return rc;
    }
    t->offset = offset + len;
    t->last = (uint32_t)c->now;
    t->active = !last;

    tern_coap_block_t reply = { (uint32_t)(offset >> (szx + 4)), !last, szx };
    tern_coap_writer_t w;
    tern_coap_respond_begin(&c->coap, req->ev, last ? TERN_COAP_CHANGED : TERN_COAP_CONTINUE, &w);
    tern_coap_write_block(&w, TERN_COAP_OPT_BLOCK1, &reply);
    (void)tern_coap_respond_send(&c->coap, &w);
    return 0;
}

void tern_block1_stalled(tern_client_t *c)
{
    TERN_LOG_W(c->port, "lwm2m: block-wise write stalled at %lu bytes, abandoned",
               (unsigned long)c->block1.offset);
    abandon(c);
}

#else
typedef int tern_block1_disabled_t;
#endif /* TERN_WITH_BLOCK */
