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

/* Writes a type byte, the identifier of the path's last level and the
 * length; a container gets a 16-bit placeholder length. */
static void header(tern_out_t *out, uint8_t type, const tern_path_t *path, size_t len,
                   bool container)
{
    uint8_t h[6];
    uint8_t *q = h + 1;
    uint16_t id = path->ids[path->len - 1];
    unsigned len_bytes = container ? TLV_CONTAINER_LEN : (len > 7) + (len > 0xff) + (len > 0xffff);
    if (id == TERN_ID_NONE || len > 0xffffff) {
        out->sink.error = id == TERN_ID_NONE ? TERN_ERR_ARG : TERN_ERR_NO_SPACE;
        return;
    }
    if (id > 0xff) {
        type |= TLV_ID16;
        *q++ = (uint8_t)(id >> 8);
    }
    *q++ = (uint8_t)id;
    h[0] = type | (uint8_t)(len_bytes != 0 ? len_bytes << TLV_LEN_SHIFT : len);
    while (len_bytes-- > 0)
        *q++ = (uint8_t)(len >> (8 * len_bytes));
    tern_sink_write(&out->sink, h, (size_t)(q - h));
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
        header(out, (uint8_t)((level - TERN_PATH_INSTANCE) * TLV_MULTIPLE), path, 0, true);
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
    if (len > 0xffff) {
        out->sink.error = TERN_ERR_NO_SPACE;
        return;
    }
    uint8_t field[TLV_CONTAINER_LEN] = { (uint8_t)(len >> 8), (uint8_t)len };
    tern_sink_patch(&out->sink, start - TLV_CONTAINER_LEN, field, TLV_CONTAINER_LEN);
}

#if TERN_WITH_DOUBLE
/* The IEEE single whose value is exactly the double d, if there is one:
 * worked out on the bits, so no rounding mode or FPU is involved. */
static bool exact_single(uint64_t d, uint32_t *out)
{
    uint32_t sign = (uint32_t)(d >> 32) & 0x80000000u;
    int field = (int)(d >> 52) & 0x7ff;
    uint64_t mant = (d & 0xfffffffffffffu) | ((uint64_t)1 << 52);
    int e = field - 1023;
    if (field == 0 && (d << 1) == 0) {
        *out = sign; /* zero */
        return true;
    }
    if (field == 0 || field == 0x7ff || e > 127 || e < -149)
        return false;
    unsigned lost = e >= -126 ? 29 : (unsigned)(29 - 126 - e); /* low bits a single lacks */
    if ((mant & (((uint64_t)1 << lost) - 1)) != 0)
        return false;
    uint32_t m = (uint32_t)(mant >> lost);
    *out = sign | (e >= -126 ? ((uint32_t)(e + 127) << 23) | (m & 0x7fffff) : m);
    return true;
}
#endif

/* Bytes of an integer: the fewest of 1, 2, 4 or 8 that hold x, where x
 * is an unsigned value or twice a signed one's magnitude-like form. */
static size_t int_width(uint64_t x)
{
    uint32_t lo = (uint32_t)x;
    return (x >> 32) != 0 ? 8 : (lo >> 16) != 0 ? 4 : (lo >> 8) != 0 ? 2 : 1;
}

void tern_tlv_value(tern_out_t *out, const tern_path_t *path, const tern_value_t *value)
{
    uint8_t num[8];
    const uint8_t *data = num;
    uint64_t x = value->v.u;
    size_t len = 4;
    if (path->len != TERN_PATH_RESOURCE && path->len != TERN_PATH_RES_INSTANCE) {
        out->sink.error = TERN_ERR_ARG;
        return;
    }
    switch (value->type) {
    case TERN_TYPE_INTEGER:
    case TERN_TYPE_TIME:
        /* two's complement: n bytes hold v when ~v (v < 0) or v fits
         * in 8n - 1 bits */
        len = int_width((value->v.i < 0 ? ~x : x) << 1);
        break;
    case TERN_TYPE_UNSIGNED:
        len = int_width(x);
        break;
    case TERN_TYPE_FLOAT: {
#if TERN_WITH_DOUBLE
        uint32_t s;
        memcpy(&x, &value->v.f, sizeof(x));
        if (exact_single(x, &s))
            x = s;
        else
            len = 8;
#else
        uint32_t s;
        memcpy(&s, &value->v.f, sizeof(s));
        x = s;
#endif
        break;
    }
    case TERN_TYPE_BOOLEAN:
        x = value->v.b ? 1 : 0;
        len = 1;
        break;
    case TERN_TYPE_OBJLNK:
        x = ((uint32_t)value->v.lnk.oid << 16) | value->v.lnk.iid;
        break;
    case TERN_TYPE_STRING:
    case TERN_TYPE_OPAQUE:
    case TERN_TYPE_CORELNK:
        data = value->v.bytes.ptr;
        len = value->v.bytes.len;
        break;
    default:
        out->sink.error = TERN_ERR_ARG;
        return;
    }
    if (data == num) {
        /* numbers big-endian, in the last len bytes of num */
        for (size_t i = 8; i-- > 0; x >>= 8)
            num[i] = (uint8_t)x;
        data = num + 8 - len;
    }
    header(out, path->len == TERN_PATH_RES_INSTANCE ? TLV_RES_INSTANCE : TLV_RESOURCE, path, len,
           false);
    tern_sink_write(&out->sink, data, len);
}
