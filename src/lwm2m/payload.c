/*
 * Response payloads of any size (RFC 7959 Block2). A payload comes from
 * a generator that can produce any window of it, always the same bytes:
 * the data-model encoders and the link-format writers are such. When the
 * whole payload fits it goes out as is; otherwise, or when the request
 * asks for a block, the window of that block is produced, and Block2 and
 * Size2 tell the peer where it is and how much there is.
 */
#include <string.h>

#include "coap/coap_block.h"
#include "core/log.h"
#include "lwm2m/lwm2m.h"

/* Block2 (at most 4 bytes) + Size2 (at most 5) + the payload marker. */
#define OPTION_RESERVE 10

#if TERN_WITH_BLOCK
/* One block of the payload: block->num in block->szx, or in the largest
 * size that fits when that is smaller (not asked, block is 0 in szx 6). */
static int write_block(tern_client_t *c, tern_coap_writer_t *w, tern_coap_block_t *block,
                       tern_payload_gen_t gen, void *arg)
{
    size_t head = w->len;
    size_t room;
    size_t total;
    size_t stored;
    /* the staging area holds at least a 16-byte block (a pending write
     * error shows at payload_begin below) */
    if (w->cap < head + OPTION_RESERVE + 16)
        return -TERN_COAP_INTERNAL_SERVER_ERROR;
    uint8_t szx = tern_coap_block_szx(w->cap - head - OPTION_RESERVE);
    if (block->szx > szx) {
        /* RFC 7959 2.4: answer a smaller block, at the same offset */
        block->num <<= block->szx - szx;
        block->szx = szx;
    }
    size_t size = TERN_COAP_BLOCK_BYTES(block->szx);
    size_t offset = (size_t)block->num * size;
    uint8_t *staging = w->buf + head + OPTION_RESERVE;
    int rc = gen(c, arg, staging, size, offset, &total, &stored);
    if (rc != 0)
        return rc;
    if (offset > 0 && offset >= total)
        return -TERN_COAP_BAD_OPTION; /* a block past the end */
    block->more = offset + stored < total;
    tern_coap_write_block(w, TERN_COAP_OPT_BLOCK2, block);
    tern_coap_write_option_uint(w, TERN_COAP_OPT_SIZE2, (uint32_t)total);
    uint8_t *p = tern_coap_payload_begin(w, &room);
    if (p == NULL || stored > room)
        return -TERN_COAP_INTERNAL_SERVER_ERROR;
    memmove(p, staging, stored);
    tern_coap_payload_commit(w, stored);
    return 0;
}
#endif

int tern_payload_write(tern_client_t *c, tern_coap_writer_t *w, uint16_t format,
                       const tern_coap_msg_t *req, tern_payload_gen_t gen, void *arg)
{
    int asked = 0;
    /* first, as option order wants; on an error w is discarded anyway */
    tern_coap_write_option_uint(w, TERN_COAP_OPT_CONTENT_FORMAT, format);
#if TERN_WITH_BLOCK
    tern_coap_block_t block = { 0, 0, 6 }; /* unasked: the first, as large as fits */
    if (req != NULL && (asked = tern_coap_get_block(req, TERN_COAP_OPT_BLOCK2, &block)) < 0)
        return asked;
#else
    (void)req;
#endif
    if (!asked) {
        size_t room;
        size_t total;
        size_t stored;
        uint8_t *p = tern_coap_payload_begin(w, &room);
        if (p == NULL)
            return -TERN_COAP_INTERNAL_SERVER_ERROR;
        int rc = gen(c, arg, p, room, 0, &total, &stored);
        if (rc != 0)
            return rc;
        if (total <= room) {
            tern_coap_payload_commit(w, stored);
            return 0;
        }
        if (!TERN_WITH_BLOCK) {
            TERN_LOG_E(c->port, "lwm2m: a %u-byte payload does not fit the %u-byte buffer",
                       (unsigned)total, (unsigned)room);
            return -TERN_COAP_INTERNAL_SERVER_ERROR;
        }
    }
#if TERN_WITH_BLOCK
    return write_block(c, w, &block, gen, arg);
#else
    return -TERN_COAP_INTERNAL_SERVER_ERROR;
#endif
}

int tern_respond_payload(tern_request_t *req, int32_t observe_seq, uint16_t format,
                         tern_payload_gen_t gen, void *arg)
{
    tern_client_t *c = req->client;
    tern_coap_writer_t w;
    tern_coap_respond_begin(&c->coap, req->ev, TERN_COAP_CONTENT, &w);
    if (observe_seq >= 0)
        tern_coap_write_option_uint(&w, TERN_COAP_OPT_OBSERVE, (uint32_t)observe_seq);
    int rc = tern_payload_write(c, &w, format, req->msg, gen, arg);
    if (rc == 0 && tern_coap_respond_send(&c->coap, &w) != 0)
        rc = -TERN_COAP_INTERNAL_SERVER_ERROR;
    return rc;
}
