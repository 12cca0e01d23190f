/* tern_out_*: every format's value encoding in one function (one type
 * dispatch; TLV headers and containers are tlv_out.c's). */
#include "format/format_impl.h"
#include "format/numtext.h"

#include <string.h>

int tern_out_init(tern_out_t *out, uint16_t format, const tern_path_t *base, uint8_t *buf,
                  size_t cap, size_t skip)
{
    memset(out, 0, sizeof(*out));
    tern_sink_init(&out->sink, buf, cap, skip);
    out->format = format;
    out->base = *base;
    out->sink.error = tern_format_check(format, base, -TERN_COAP_NOT_ACCEPTABLE);
    return out->sink.error;
}

/* Room for any number, float or integer, for "OID:IID" and for the 8
 * bytes of a TLV number. */
#define TEXT_MAX (TERN_FLOAT_TEXT_MAX > TERN_INT_TEXT_MAX ? TERN_FLOAT_TEXT_MAX : TERN_INT_TEXT_MAX)

/* Bytes of an integer: the fewest of 1, 2, 4 or 8 that hold x, where x
 * is an unsigned value or twice a signed one's magnitude-like form. */
static size_t int_width(uint64_t x)
{
    uint32_t lo = (uint32_t)x;
    return (x >> 32) != 0 ? 8 : (lo >> 16) != 0 ? 4 : (lo >> 8) != 0 ? 2 : 1;
}

/*
 * One switch for every format: each type becomes bytes at data, a TLV
 * number the last `len` bytes of x (big-endian), text the characters
 * OMA LwM2M appendix C gives it; strings, and opaque outside text, are
 * their own bytes. A TLV value then gets its header.
 */
void tern_out_value(tern_out_t *out, const tern_path_t *path, const tern_value_t *value)
{
    char buf[TEXT_MAX];
    const void *data = buf;
    size_t len = 4;
    uint64_t x = 0; /* a TLV number's bits */
    bool tlv = TERN_IS_TLV(out->format);
    if (out->sink.error != 0)
        return;
    if (tlv) {
        if (path->len != TERN_PATH_RESOURCE && path->len != TERN_PATH_RES_INSTANCE) {
            out->sink.error = TERN_ERR_ARG;
            return;
        }
    } else if (out->values++ != 0 || path->len != out->base.len
               || memcmp(path->ids, out->base.ids, path->len * sizeof(path->ids[0])) != 0
               || (out->format == TERN_FORMAT_OPAQUE && value->type != TERN_TYPE_OPAQUE)) {
        /* text and opaque hold one value, the one the request names;
         * opaque only an Opaque one */
        out->sink.error = -TERN_COAP_NOT_ACCEPTABLE;
        return;
    }
    switch (value->type) {
    case TERN_TYPE_INTEGER:
    case TERN_TYPE_TIME:
    case TERN_TYPE_UNSIGNED: {
        /* the union holds the same bits for i and u */
        x = value->v.u;
        bool is_signed = value->type != TERN_TYPE_UNSIGNED;
        bool neg = is_signed && value->v.i < 0;
        /* TLV, two's complement: n bytes hold v when ~v (v < 0) or v
         * fits in 8n - 1 bits */
        uint64_t m = neg ? ~x : x;
        len = int_width(is_signed ? m << 1 : m);
        if (!tlv) {
            buf[0] = '-'; /* a digit takes its place when v is not negative */
            len = neg + tern_uint_to_text(neg ? 0 - x : x, buf + neg);
        }
        break;
    }
    case TERN_TYPE_FLOAT:
        if (tlv) {
#if TERN_WITH_DOUBLE
            len = tern_tlv_float(value->v.f, &x);
#else
            uint32_t bits; /* a float is 4 bytes as it is */
            memcpy(&bits, &value->v.f, sizeof(bits));
            x = bits;
#endif
            break;
        }
        len = tern_float_to_text(value->v.f, buf);
        if (len == 0) {
            out->sink.error = -TERN_COAP_INTERNAL_SERVER_ERROR; /* NaN, infinity */
            return;
        }
        break;
    case TERN_TYPE_BOOLEAN:
        x = value->v.b;
        buf[0] = (char)('0' + x);
        len = 1;
        break;
    case TERN_TYPE_OBJLNK:
        x = ((uint32_t)value->v.lnk.oid << 16) | value->v.lnk.iid;
        if (!tlv) {
            char *colon = buf + tern_uint_to_text(value->v.lnk.oid, buf);
            *colon = ':';
            len = (size_t)(colon + 1 - buf) + tern_uint_to_text(value->v.lnk.iid, colon + 1);
        }
        break;
    case TERN_TYPE_OPAQUE:
        if (out->format == TERN_FORMAT_TEXT) {
            tern_base64_write(&out->sink, value->v.bytes.ptr, value->v.bytes.len);
            return;
        }
        /* the opaque format: raw bytes */
        /* fall through */
    case TERN_TYPE_STRING:
    case TERN_TYPE_CORELNK:
        data = value->v.bytes.ptr;
        len = value->v.bytes.len;
        break;
    default:
        out->sink.error = TERN_ERR_ARG;
        return;
    }
    if (tlv) {
        if (data == buf) {
            for (size_t i = len; i-- > 0; x >>= 8)
                buf[i] = (char)x;
        }
        /* a resource instance (len 4) 0x40, a resource (len 3) 0xc0 */
        tern_tlv_header(out, 0x40u | (path->len & 1u) << 7, path, len);
    }
    tern_sink_write(&out->sink, data, len);
}

int tern_out_finish(tern_out_t *out)
{
    if (out->depth != 0 && out->sink.error == 0)
        out->sink.error = TERN_ERR_ARG;
    if (out->sink.error != 0)
        return out->sink.error;
    return (int)tern_sink_stored(&out->sink);
}
