/*
 * LwM2M TLV encoder (OMA-TS-LightweightM2M 1.0, section 6.4.3).
 *
 * Leaves get the shortest length field. Containers get a fixed 16-bit one
 * that is patched when they close: nothing produced is ever moved, so any
 * block of the payload can be produced alone by running the whole
 * encoding through a windowed sink. Containers exist only in TLV, so
 * tern_out_begin() and tern_out_end() are here.
 */
#include "format/format_impl.h"

#include <string.h>

/* Bits 7-6 of the type byte. */
enum { TLV_INSTANCE = 0x00, TLV_RES_INSTANCE = 0x40, TLV_MULTIPLE = 0x80, TLV_RESOURCE = 0xc0 };

#define TLV_ID16 0x20   /* bit 5: 16-bit identifier */
#define TLV_LEN_SHIFT 3 /* bits 4-3: bytes of the length field */
#define TLV_CONTAINER_LEN 2
/* a length that gets a TLV_CONTAINER_LEN-byte field */
#define CONTAINER_PLACEHOLDER 0x100

/* Writes a type byte (kind bits given), the identifier of the path's
 * last level and the shortest length field for len. */
void tern_tlv_header(tern_out_t *out, unsigned type, const tern_path_t *path, size_t len)
{
    uint8_t h[6];
    size_t n = 1;
    uint16_t id = path->ids[path->len - 1];
    unsigned len_bytes = (len > 7) + (len > 0xff) + (len > 0xffff);
    if (id == TERN_ID_NONE || len > 0xffffff) {
        out->sink.error = id == TERN_ID_NONE ? TERN_ERR_ARG : TERN_ERR_NO_SPACE;
        return;
    }
    unsigned id_bytes = 1 + (id > 0xff);
    h[0] = (uint8_t)(type | (id_bytes - 1) * TLV_ID16
                     | (len_bytes != 0 ? len_bytes << TLV_LEN_SHIFT : len));
    /* the identifier and the length field, big-endian, in one run */
    for (unsigned k = id_bytes + len_bytes; k > 0; k--) {
        bool in_id = k > len_bytes;
        h[n++] = (uint8_t)((in_id ? id : len) >> (8 * (k - 1 - (in_id ? len_bytes : 0))));
    }
    tern_sink_write(&out->sink, h, n);
}

void tern_out_begin(tern_out_t *out, const tern_path_t *path)
{
    size_t at = TERN_OUT_NO_CONTAINER;
    unsigned level = path->len; /* 2: object instance, 3: multiple resource */
    if (out->sink.error != 0)
        return;
    if (out->depth >= TERN_OUT_MAX_DEPTH || level - TERN_PATH_INSTANCE > 1u) {
        out->sink.error = TERN_ERR_ARG;
        return;
    }
    if (!TERN_IS_TLV(out->format)) {
        /* text and opaque hold one plain value: never an instance or a
         * multiple resource, even an empty one */
        out->sink.error = -TERN_COAP_NOT_ACCEPTABLE;
        return;
    }
    /* the object instance the request names is the payload itself (base
     * of 2 or more); a multiple resource always has its container, even
     * when named (a base of 4 never opens one) */
    if (out->base.len < 2 * (level - 1)) {
        /* a placeholder that takes the 16-bit length field */
        tern_tlv_header(out, (level - TERN_PATH_INSTANCE) * TLV_MULTIPLE, path,
                        CONTAINER_PLACEHOLDER);
        at = out->sink.pos;
    }
    out->open_at[out->depth++] = at;
}

void tern_out_end(tern_out_t *out)
{
    if (out->sink.error != 0)
        return;
    if (out->depth == 0) {
        out->sink.error = TERN_ERR_ARG;
        return;
    }
    size_t start = out->open_at[--out->depth];
    if (start == TERN_OUT_NO_CONTAINER)
        return;
    size_t len = out->sink.pos - start;
    if ((len >> 16) != 0) {
        out->sink.error = TERN_ERR_NO_SPACE;
        return;
    }
    uint8_t field[TLV_CONTAINER_LEN] = { (uint8_t)(len >> 8), (uint8_t)len };
    tern_sink_patch(&out->sink, start - TLV_CONTAINER_LEN, field, TLV_CONTAINER_LEN);
}

#if TERN_WITH_DOUBLE
/* A TLV float: the IEEE single whose value is exactly v if there is one
 * (worked out on the bits, so no rounding mode or FPU is involved), else
 * the double. Stores the bits in *bits and returns the width. */
size_t tern_tlv_float(tern_float_t v, uint64_t *bits)
{
    uint64_t d;
    memcpy(&d, &v, sizeof(d));
    uint32_t sign = (uint32_t)(d >> 32) & 0x80000000u;
    int field = (int)(d >> 52) & 0x7ff;
    uint64_t mant = (d & 0xfffffffffffffu) | ((uint64_t)1 << 52);
    int e = field - 1023;
    *bits = sign; /* zero */
    if (field == 0 && (d << 1) == 0)
        return 4;
    *bits = d;
    if (field == 0 || field == 0x7ff || e > 127 || e < -149)
        return 8;
    unsigned lost = e >= -126 ? 29 : (unsigned)(29 - 126 - e); /* low bits a single lacks */
    if ((mant & (((uint64_t)1 << lost) - 1)) != 0)
        return 8;
    uint32_t m = (uint32_t)(mant >> lost);
    *bits = sign | (e >= -126 ? ((uint32_t)(e + 127) << 23) | (m & 0x7fffff) : m);
    return 4;
}
#endif
