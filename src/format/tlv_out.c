/*
 * LwM2M TLV encoder (OMA-TS-LightweightM2M 1.0, section 6.4.3).
 *
 * Leaves get the shortest length field. Containers get a fixed 16-bit one
 * that is patched when they close: nothing produced is ever moved, so any
 * block of the payload can be produced alone by running the whole
 * encoding through a windowed sink.
 */
#include "format/format_impl.h"

#include <string.h>

/* Bits 7-6 of the type byte. */
enum { TLV_INSTANCE = 0x00, TLV_RES_INSTANCE = 0x40, TLV_MULTIPLE = 0x80, TLV_RESOURCE = 0xc0 };

#define TLV_ID16 0x20   /* bit 5: 16-bit identifier */
#define TLV_LEN_SHIFT 3 /* bits 4-3: bytes of the length field */
#define TLV_CONTAINER_LEN 2

static size_t put_be(uint8_t *p, uint64_t v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)(v >> (8 * (n - 1 - i)));
    return n;
}

/* Writes a type byte, identifier and length; a container (len_bytes 2)
 * gets a placeholder length. */
static void header(tern_out_t *out, uint8_t type, uint16_t id, size_t len, size_t len_bytes)
{
    uint8_t h[6];
    size_t n = 1;
    if (id == TERN_ID_NONE || len > 0xffffff) {
        tern_out_fail(out, id == TERN_ID_NONE ? TERN_ERR_ARG : TERN_ERR_NO_SPACE);
        return;
    }
    h[0] = type;
    if (id > 0xff)
        h[0] |= TLV_ID16;
    n += put_be(h + n, id, id > 0xff ? 2 : 1);
    if (len_bytes == 0 && len < 8) {
        h[0] |= (uint8_t)len;
    } else {
        if (len_bytes == 0)
            len_bytes = len <= 0xff ? 1 : len <= 0xffff ? 2 : 3;
        h[0] |= (uint8_t)(len_bytes << TLV_LEN_SHIFT);
        n += put_be(h + n, len, len_bytes);
    }
    tern_sink_write(&out->sink, h, n);
}

void tern_tlv_begin(tern_out_t *out, const tern_path_t *path)
{
    /* the object instance the request names is the payload itself; a
     * multiple resource always has its container, even when named */
    bool instance = path->len == TERN_PATH_INSTANCE;
    if (out->base.len >= (instance ? TERN_PATH_INSTANCE : TERN_PATH_RES_INSTANCE))
        return;
    header(out, instance ? TLV_INSTANCE : TLV_MULTIPLE, path->ids[path->len - 1], 0,
           TLV_CONTAINER_LEN);
    out->open_at[out->depth] = out->sink.pos;
}

void tern_tlv_end(tern_out_t *out)
{
    size_t start = out->open_at[out->depth];
    if (start == TERN_OUT_NO_CONTAINER)
        return;
    size_t len = out->sink.pos - start;
    if (len > 0xffff) {
        tern_out_fail(out, TERN_ERR_NO_SPACE);
        return;
    }
    uint8_t field[TLV_CONTAINER_LEN];
    put_be(field, len, TLV_CONTAINER_LEN);
    tern_sink_patch(&out->sink, start - TLV_CONTAINER_LEN, field, TLV_CONTAINER_LEN);
}

/* Two's complement in the fewest of 1, 2, 4 or 8 bytes. */
static size_t int_bytes(int64_t v, uint8_t *p)
{
    size_t n = v >= INT8_MIN && v <= INT8_MAX     ? 1
               : v >= INT16_MIN && v <= INT16_MAX ? 2
               : v >= INT32_MIN && v <= INT32_MAX ? 4
                                                  : 8;
    return put_be(p, (uint64_t)v, n);
}

static size_t uint_bytes(uint64_t v, uint8_t *p)
{
    size_t n = v <= UINT8_MAX ? 1 : v <= UINT16_MAX ? 2 : v <= UINT32_MAX ? 4 : 8;
    return put_be(p, v, n);
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

static size_t float_bytes(tern_float_t f, uint8_t *p)
{
    uint64_t d;
    uint32_t s;
    memcpy(&d, &f, sizeof(d));
    if (exact_single(d, &s))
        return put_be(p, s, 4);
    return put_be(p, d, 8);
}
#else
static size_t float_bytes(tern_float_t f, uint8_t *p)
{
    uint32_t s;
    memcpy(&s, &f, sizeof(s));
    return put_be(p, s, 4);
}
#endif

void tern_tlv_value(tern_out_t *out, const tern_path_t *path, const tern_value_t *value)
{
    uint8_t num[8];
    const uint8_t *data = num;
    size_t len;
    if (path->len != TERN_PATH_RESOURCE && path->len != TERN_PATH_RES_INSTANCE) {
        tern_out_fail(out, TERN_ERR_ARG);
        return;
    }
    switch (value->type) {
    case TERN_TYPE_INTEGER:
    case TERN_TYPE_TIME:
        len = int_bytes(value->v.i, num);
        break;
    case TERN_TYPE_UNSIGNED:
        len = uint_bytes(value->v.u, num);
        break;
    case TERN_TYPE_FLOAT:
        len = float_bytes(value->v.f, num);
        break;
    case TERN_TYPE_BOOLEAN:
        num[0] = value->v.b ? 1 : 0;
        len = 1;
        break;
    case TERN_TYPE_OBJLNK:
        put_be(num, value->v.lnk.oid, 2);
        len = 2 + put_be(num + 2, value->v.lnk.iid, 2);
        break;
    case TERN_TYPE_STRING:
    case TERN_TYPE_OPAQUE:
    case TERN_TYPE_CORELNK:
        data = value->v.bytes.ptr;
        len = value->v.bytes.len;
        break;
    default:
        tern_out_fail(out, TERN_ERR_ARG);
        return;
    }
    header(out, path->len == TERN_PATH_RES_INSTANCE ? TLV_RES_INSTANCE : TLV_RESOURCE,
           path->ids[path->len - 1], len, 0);
    tern_sink_write(&out->sink, data, len);
}
