/* tern_in_*: entry bookkeeping and the value types every format decodes
 * alike (strings, opaque), then each format's own part. */
#include "format/format_impl.h"

#include <string.h>

int tern_in_init(tern_in_t *in, uint16_t format, const tern_path_t *base, const uint8_t *data,
                 size_t len)
{
    memset(in, 0, sizeof(*in));
    in->format = format;
    in->base = *base;
    /* an empty payload still yields a valid (empty) string or opaque */
    in->data = data != NULL ? data : (const uint8_t *)"";
    in->len = data != NULL ? len : 0;
    in->error = tern_format_check(format, base, -TERN_COAP_UNSUPPORTED_CONTENT_FORMAT);
    return in->error;
}

int tern_format_check(uint16_t format, const tern_path_t *base, int unknown)
{
    if (format != TERN_FORMAT_TEXT && format != TERN_FORMAT_OPAQUE && !TERN_IS_TLV(format))
        return unknown;
    return base->len > TERN_PATH_RES_INSTANCE ? TERN_ERR_ARG : 0;
}

int tern_in_next(tern_in_t *in, tern_path_t *path)
{
    if (in->error == 0 && !in->done) {
        int rc;
        if (TERN_IS_TLV(in->format)) {
            rc = tern_tlv_next(in);
        } else {
            /* text and opaque: the payload is the one value of the path
             * requested, which must be a resource or resource instance */
            rc = in->base.len >= TERN_PATH_RESOURCE ? 1 : -TERN_COAP_BAD_REQUEST;
            in->path = in->base;
            in->raw = in->data;
            in->raw_len = in->len;
            in->done = true; /* the next call ends the payload */
        }
        if (rc > 0) {
            *path = in->path;
            return 1;
        }
        in->error = rc; /* 0 at the end: also sticky, with done */
    }
    in->done = true;
    in->path.len = 0;
    return in->error;
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

int tern_in_value(tern_in_t *in, tern_type_t type, tern_value_t *value)
{
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
        return tern_base64_decode((const char *)in->raw, in->raw_len, in->scratch,
                                  in->scratch != NULL ? in->scratch_cap : 0, &value->v.bytes.len);
    }
    if (type == TERN_TYPE_STRING || type == TERN_TYPE_CORELNK || type == TERN_TYPE_OPAQUE) {
        value->v.bytes.ptr = in->raw;
        value->v.bytes.len = in->raw_len;
        return type == TERN_TYPE_OPAQUE || utf8_valid(in->raw, in->raw_len)
                   ? 0
                   : -TERN_COAP_BAD_REQUEST;
    }
    if (TERN_IS_TLV(in->format))
        return tern_tlv_get(in, type, value);
    return tern_text_get((const char *)in->raw, in->raw_len, type, value);
}
