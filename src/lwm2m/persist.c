/*
 * The configuration image: what bootstrap wrote (Security, Server and
 * Access Control objects) survives a restart through the port's
 * config_write / config_read hooks.
 *
 *   "TRNC" version(1) 0 0 0 | length(4, LE) | records | CRC-32(4, LE)
 *   record: object id(2, LE) length(4, LE) TLV of its instances
 *
 * The records are the objects' own TLV encoding, produced piece by piece
 * through the windowed sink, and restored through the Bootstrap-Write
 * path; the CRC covers everything before it, so a truncated or damaged
 * image is refused as a whole.
 */
#include <string.h>

#include "core/crc32.h"
#include "core/log.h"
#include "lwm2m/lwm2m.h"
#include "objects/fields.h"

#if TERN_WITH_PERSISTENCE

#define HEADER_SIZE 12
#define RECORD_HEADER 6
#define SAVE_WINDOW 64 /* bytes per piece without a receive buffer */
/* the first 8 bytes: magic, version, 3 reserved */
#define MAGIC "TRNC\x01\0\0"

/* Security, Server, Access Control, and the Firmware Update state. */
static const uint16_t PERSISTED[] = { 0, 1, 2, 5 };

static void put_le(uint8_t *p, uint32_t v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t get_le(const uint8_t *p, size_t n)
{
    uint32_t v = 0;
    for (size_t i = n; i > 0; i--)
        v = (v << 8) | p[i - 1];
    return v;
}

/* The TLV of object oid, window [skip, skip + cap) into buf; returns its
 * total length (stored bytes in *stored). */
static size_t encode_object(tern_client_t *c, uint16_t oid, uint8_t *buf, size_t cap, size_t skip,
                            size_t *stored)
{
    tern_out_t out;
    tern_path_t p = { { oid, 0, 0, 0 }, 1 };
    *stored = 0;
    /* an object this build does not have encodes to nothing (4.04) */
    if (tern_out_init(&out, TERN_FORMAT_LWM2M_TLV, &p, buf, cap, skip) != 0
        || tern_content_encode(c, -1, &p, &out) != 0 || tern_out_finish(&out) < 0)
        return 0;
    *stored = tern_sink_stored(&out.sink);
    return out.sink.pos;
}

/* Writes through the port, keeping the offset and the CRC. */
typedef struct writer {
    tern_client_t *c;
    size_t offset;
    uint32_t crc;
    int rc;
} writer_t;

static void emit(writer_t *wr, const uint8_t *data, size_t len, bool last)
{
    if (wr->rc != 0)
        return;
    wr->crc = tern_crc32(wr->crc, data, len);
    wr->rc = wr->c->port->ops->config_write(wr->c->port->ctx, wr->offset, data, len, last);
    wr->offset += len;
}

/* Emits the n low bytes of v, little-endian. */
static void emit_le(writer_t *wr, uint32_t v, size_t n, bool last)
{
    uint8_t bytes[4];
    put_le(bytes, v, n);
    emit(wr, bytes, n, last);
}

int tern_config_save(tern_client_t *c)
{
    if (c->port->ops->config_write == NULL)
        return 0;
#if TERN_COAP_RX_BUFFER
    /* the receive buffer is idle between steps: the pieces go through it */
    uint8_t *buf = c->coap.rx_buf;
    size_t cap = sizeof(c->coap.rx_buf);
#else
    /* without one, through a small window (each piece re-encodes the
     * object up to it: slower, but saving is rare) */
    uint8_t buf[SAVE_WINDOW];
    size_t cap = sizeof(buf);
#endif
    size_t lengths[sizeof(PERSISTED) / sizeof(PERSISTED[0])];
    size_t total = 0;
    size_t stored;
    for (size_t i = 0; i < sizeof(PERSISTED) / sizeof(PERSISTED[0]); i++) {
        lengths[i] = encode_object(c, PERSISTED[i], buf, 0, 0, &stored);
        total += RECORD_HEADER + lengths[i];
    }
    writer_t wr = { c, 0, 0, 0 };
    emit(&wr, (const uint8_t *)MAGIC, 8, false);
    emit_le(&wr, (uint32_t)total, 4, false);
    for (size_t i = 0; i < sizeof(PERSISTED) / sizeof(PERSISTED[0]); i++) {
        emit_le(&wr, PERSISTED[i], 2, false);
        emit_le(&wr, (uint32_t)lengths[i], 4, false);
        for (size_t skip = 0; skip < lengths[i]; skip += cap) {
            (void)encode_object(c, PERSISTED[i], buf, cap, skip, &stored);
            emit(&wr, buf, stored, false);
        }
    }
    emit_le(&wr, wr.crc, 4, true);
    if (wr.rc != 0)
        TERN_LOG_E(c->port, "lwm2m: saving the configuration failed (%d)", wr.rc);
    else
        TERN_LOG_I(c->port, "lwm2m: configuration saved (%u bytes)", (unsigned)wr.offset);
    return wr.rc;
}

/* Whether img is a whole image of this version: magic, length and CRC. */
static bool image_valid(const uint8_t *img, size_t len)
{
    return len >= HEADER_SIZE + 4 && memcmp(img, MAGIC, 5) == 0
           && get_le(img + 8, 4) == len - HEADER_SIZE - 4
           && tern_crc32(0, img, len - 4) == get_le(img + len - 4, 4);
}

/* Removes every instance of objects 0, 1 and 2 (the bootstrap account
 * too, when keep_bootstrap is false). */
static void clear_config(tern_client_t *c, bool keep_bootstrap)
{
    /* the list is sorted by object id: these three come first */
    for (tern_object_t *obj = c->objects; obj != NULL && obj->def->oid <= 2; obj = obj->next)
        tern_delete_instances(c, obj, -1, keep_bootstrap);
}

int tern_config_restore(tern_client_t *c)
{
    size_t len = 0;
    const uint8_t *img =
        c->port->ops->config_read != NULL ? c->port->ops->config_read(c->port->ctx, &len) : NULL;
    if (img == NULL)
        return 0;
    int rc = image_valid(img, len) ? 0 : TERN_ERR_CORRUPT;
    if (rc == 0) {
        const uint8_t *p = img + HEADER_SIZE;
        const uint8_t *end = img + len - 4; /* the records */
        tern_path_t base = { { 0, 0, 0, 0 }, 1 };
        clear_config(c, false);
        c->restoring = 1;
        while (p < end && rc == 0) {
            uint32_t rlen;
            tern_in_t in;
            /* the header read only when it is there, the body within the records */
            if ((size_t)(end - p) < RECORD_HEADER
                || (rlen = get_le(p + 2, 4)) > (size_t)(end - p) - RECORD_HEADER) {
                rc = TERN_ERR_CORRUPT;
                break;
            }
            base.ids[0] = (uint16_t)get_le(p, 2);
            tern_object_t *obj = tern_dm_object(c, base.ids[0]);
            if (obj == NULL)
                ; /* an object this firmware no longer has: skip its record */
            else if (tern_in_init(&in, TERN_FORMAT_LWM2M_TLV, &base, p + RECORD_HEADER, rlen) != 0
                     || tern_dm_write_instances(c, obj, &in) != 0)
                rc = TERN_ERR_CORRUPT;
            p += RECORD_HEADER + rlen;
        }
        c->restoring = 0;
    }
    if (rc != 0) {
        /* never run half-configured: back to what bootstrap can rebuild */
        TERN_LOG_E(c->port,
                   "lwm2m: stored configuration (%u bytes) is corrupt or truncated; "
                   "ignoring it and bootstrapping",
                   (unsigned)len);
        clear_config(c, true);
        return TERN_ERR_CORRUPT;
    }
    c->config_dirty = 0;
    /* the restored servers were created afresh: they register right away */
    TERN_LOG_I(c->port, "lwm2m: configuration restored (%u bytes)", (unsigned)len);
    return 1;
}

#else
typedef int tern_persist_disabled_t;
#endif /* TERN_WITH_PERSISTENCE */
