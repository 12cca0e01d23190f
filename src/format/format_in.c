/* tern_in_*: entry bookkeeping shared by every format, then each format's
 * own part. */
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
    if (format != TERN_FORMAT_TEXT && format != TERN_FORMAT_OPAQUE && !TERN_IS_TLV(format))
        in->error = -TERN_COAP_UNSUPPORTED_CONTENT_FORMAT;
    else if (base->len > TERN_PATH_RES_INSTANCE)
        in->error = TERN_ERR_ARG;
    return in->error;
}

/* Text and opaque: the payload is the one value of the path requested. */
static int single_next(tern_in_t *in)
{
    if (in->base.len < TERN_PATH_RESOURCE)
        return -TERN_COAP_BAD_REQUEST;
    in->path = in->base;
    in->raw = in->data;
    in->raw_len = in->len;
    in->pos = in->len;
    in->done = true; /* the next call ends the payload */
    return 1;
}

int tern_in_next(tern_in_t *in, tern_path_t *path)
{
    int rc;
    if (in->error != 0)
        return in->error;
    if (in->done) {
        in->path.len = 0;
        return 0;
    }
    rc = TERN_IS_TLV(in->format) ? tern_tlv_next(in) : single_next(in);
    if (rc <= 0) {
        in->path.len = 0;
        in->done = true;
        in->error = rc;
        return rc;
    }
    *path = in->path;
    return 1;
}

int tern_in_value(tern_in_t *in, tern_type_t type, tern_value_t *value)
{
    memset(value, 0, sizeof(*value));
    if (in->error != 0)
        return in->error;
    if (in->path.len < TERN_PATH_RESOURCE || in->multiple)
        return -TERN_COAP_BAD_REQUEST; /* no entry, or one without a value */
    if (TERN_IS_TLV(in->format))
        return tern_tlv_get(in, type, value);
    if (in->format == TERN_FORMAT_TEXT)
        return tern_text_get(in, type, value);
    return tern_opaque_get(in, type, value);
}

bool tern_utf8_valid(const uint8_t *p, size_t len)
{
    size_t i = 0;
    while (i < len) {
        uint8_t c = p[i++];
        size_t more;
        uint8_t lo = 0x80; /* range of the first continuation byte: no */
        uint8_t hi = 0xbf; /* overlong forms, surrogates or > U+10FFFF */
        if (c < 0x80)
            continue;
        if (c >= 0xc2 && c <= 0xdf) {
            more = 1;
        } else if (c >= 0xe0 && c <= 0xef) {
            more = 2;
            lo = c == 0xe0 ? 0xa0 : lo;
            hi = c == 0xed ? 0x9f : hi;
        } else if (c >= 0xf0 && c <= 0xf4) {
            more = 3;
            lo = c == 0xf0 ? 0x90 : lo;
            hi = c == 0xf4 ? 0x8f : hi;
        } else {
            return false;
        }
        if (len - i < more || p[i] < lo || p[i] > hi)
            return false;
        for (size_t k = 1; k < more; k++) {
            if ((p[i + k] & 0xc0) != 0x80)
                return false;
        }
        i += more;
    }
    return true;
}
