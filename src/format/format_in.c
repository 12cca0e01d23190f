/* tern_in_*: entry bookkeeping (TLV entries are tlv_in.c's), and every
 * format's value decoding in one function: the formats share the type
 * dispatch, strings, opaque and booleans. */
#include "format/format_impl.h"
#include "format/numtext.h"

#include <string.h>

int tern_in_init(tern_in_t *in, uint16_t format, const tern_path_t *base, const uint8_t *data,
                 size_t len)
{
    memset(in, 0, sizeof(*in));
    if (data == NULL) {
        /* an empty payload still yields a valid (empty) string or opaque */
        data = (const uint8_t *)"";
        len = 0;
    }
    in->format = format;
    in->base_len = base->len;
    memcpy(in->path.ids, base->ids, sizeof(base->ids)); /* len 0: no entry yet */
    in->data = in->raw = data;                          /* text, opaque: the one value */
    in->end_at[0] = in->raw_len = len;
    in->error = tern_format_check(format, base, -TERN_COAP_UNSUPPORTED_CONTENT_FORMAT);
    return in->error;
}

int tern_format_check(uint16_t format, const tern_path_t *base, int unknown)
{
    if (format != TERN_FORMAT_TEXT && format != TERN_FORMAT_OPAQUE
        && (!TERN_WITH_TLV || format != TERN_FORMAT_LWM2M_TLV))
        return unknown;
    return base->len > TERN_PATH_RES_INSTANCE ? TERN_ERR_ARG : 0;
}

int tern_in_next(tern_in_t *in, tern_path_t *path)
{
    int rc = in->error;
    if (rc == 0) {
        if (TERN_IS_TLV(in->format)) {
            rc = tern_tlv_next(in); /* 0 again and again at the end */
        } else {
            /* text and opaque: the payload (raw already) is the one value
             * of the path requested, which must be a resource or resource
             * instance; pos counts the calls */
            rc = in->pos++ != 0                       ? 0
                 : in->base_len >= TERN_PATH_RESOURCE ? 1
                                                      : -TERN_COAP_BAD_REQUEST;
            in->path.len = in->base_len;
        }
        if (rc > 0) {
            *path = in->path;
            return 1;
        }
        in->error = rc;
    }
    in->path.len = 0;
    return rc;
}

/* Well-formed UTF-8 (RFC 3629): no overlong forms, no surrogates,
 * nothing beyond U+10FFFF. */
static bool utf8_valid(const uint8_t *p, size_t len)
{
    const uint8_t *end = p + len;
    while (p < end) {
        uint32_t cp = *p++;
        if (cp < 0x80)
            continue;
        /* continuation bytes that follow the lead byte */
        size_t more = 1 + (cp >= 0xe0) + (cp >= 0xf0);
        size_t left = more;
        /* a stray continuation byte, an overlong pair's lead, > U+10FFFF */
        if (cp < 0xc2 || cp > 0xf4 || (size_t)(end - p) < more)
            return false;
        cp &= 0x3fu >> more;
        do {
            if ((*p & 0xc0) != 0x80)
                return false;
            cp = (cp << 6) | (*p++ & 0x3fu);
        } while (--left > 0);
        /* 3 bytes must carry at least 0x800, 4 at least 0x10000 */
        if ((cp >> (5 * more + 1)) == 0 || cp > 0x10ffff || (cp >> 11) == 0x1b)
            return false;
    }
    return true;
}

/* TLV: the value sizes each number type may have, as bit n - 1 for n
 * bytes (1, 2, 4, 8). */
static const uint8_t TLV_SIZES[] = {
    [TERN_TYPE_INTEGER] = 0x8b, [TERN_TYPE_TIME] = 0x8b,   [TERN_TYPE_UNSIGNED] = 0x8b,
    [TERN_TYPE_FLOAT] = 0x88,   [TERN_TYPE_OBJLNK] = 0x08,
};

/* Every format in one place: strings and opaque are the bytes as they
 * are (plain-text opaque in base64), booleans one byte, text numbers are
 * parsed per numtext.h, TLV numbers are big-endian bytes (hi:lo). */
int tern_in_value(tern_in_t *in, tern_type_t type, tern_value_t *value)
{
    const uint8_t *p = in->raw;
    const char *s = (const char *)p;
    size_t n = in->raw_len;
    memset(value, 0, sizeof(*value));
    if (in->error != 0)
        return in->error;
    if (in->path.len < TERN_PATH_RESOURCE || in->multiple)
        return -TERN_COAP_BAD_REQUEST; /* no entry, or one without a value */
    if (in->format == TERN_FORMAT_OPAQUE && type != TERN_TYPE_OPAQUE)
        return -TERN_COAP_UNSUPPORTED_CONTENT_FORMAT; /* opaque carries only opaque */
    value->type = type;
    if (type == TERN_TYPE_OPAQUE && in->format == TERN_FORMAT_TEXT) {
        /* base64, decoded where the engine lets it */
        value->v.bytes.ptr = in->scratch;
        return tern_base64_decode(s, n, in->scratch, in->scratch_cap, &value->v.bytes.len);
    }
    if (type == TERN_TYPE_STRING || type == TERN_TYPE_CORELNK || type == TERN_TYPE_OPAQUE) {
        value->v.bytes.ptr = p;
        value->v.bytes.len = n;
        return type == TERN_TYPE_OPAQUE || utf8_valid(p, n) ? 0 : -TERN_COAP_BAD_REQUEST;
    }
    if (type == TERN_TYPE_BOOLEAN) {
        /* TLV one byte 0 or 1, text "0" or "1" */
        unsigned b = n == 1 ? (unsigned)(p[0] - (TERN_IS_TLV(in->format) ? 0 : '0')) : 2;
        value->v.b = b == 1;
        return b <= 1 ? 0 : -TERN_COAP_BAD_REQUEST;
    }
    /* numbers and links from here on: nothing else has sizes */
    unsigned sizes = (size_t)type < sizeof(TLV_SIZES) ? TLV_SIZES[type] : 0;
    if (sizes == 0)
        return -TERN_COAP_BAD_REQUEST;
    if (!TERN_IS_TLV(in->format)) {
        if (type == TERN_TYPE_FLOAT)
            return tern_text_to_float(s, n, &value->v.f);
        /* integer, time, unsigned: the union holds the same bits for i and u */
        if (type != TERN_TYPE_OBJLNK)
            return tern_text_to_number(s, n, type != TERN_TYPE_UNSIGNED, &value->v.u);
        /* "OID:IID", each 0..65535 (65535:65535 is the null link) */
        const char *colon = memchr(s, ':', n);
        const char *end = s + n;
        uint64_t ids[2];
        if (colon == NULL || tern_text_to_uint(s, (size_t)(colon - s), &ids[0]) != 0
            || tern_text_to_uint(colon + 1, (size_t)(end - colon - 1), &ids[1]) != 0
            || ((ids[0] | ids[1]) >> 16) != 0)
            return -TERN_COAP_BAD_REQUEST;
        value->v.lnk.oid = (uint16_t)ids[0];
        value->v.lnk.iid = (uint16_t)ids[1];
        return 0;
    }
    if (n - 1 > 7 || ((sizes >> (n - 1)) & 1) == 0)
        return -TERN_COAP_BAD_REQUEST;
    /* two's complement: a signed value starts from its sign */
    uint32_t hi = 0;
    uint32_t lo = 0;
    if ((type == TERN_TYPE_INTEGER || type == TERN_TYPE_TIME) && (p[0] & 0x80))
        hi = lo = ~0u;
    for (size_t i = 0; i < n; i++) {
        hi = (hi << 8) | (lo >> 24);
        lo = (lo << 8) | p[i];
    }
    if (type == TERN_TYPE_FLOAT)
        return tern_tlv_float_get(hi, lo, n, &value->v.f);
    if (type == TERN_TYPE_OBJLNK) {
        value->v.lnk.oid = (uint16_t)(lo >> 16);
        value->v.lnk.iid = (uint16_t)lo;
        return 0;
    }
    /* the union holds the same bits for i and u */
    value->v.u = ((uint64_t)hi << 32) | lo;
    return 0;
}
