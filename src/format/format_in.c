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
        size_t more = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : 1;
        uint32_t cp = c & (0x3fu >> more);
        if (c < 0x80)
            continue;
        if (c < 0xc2 || c > 0xf4 || len - i < more)
            return false; /* a continuation byte, an overlong pair's lead, > U+10FFFF */
        for (size_t end = i + more; i < end; i++) {
            if ((p[i] & 0xc0) != 0x80)
                return false;
            cp = (cp << 6) | (p[i] & 0x3fu);
        }
        /* overlong forms, surrogates and what lies beyond U+10FFFF */
        if (cp < (more == 2   ? 0x800u
                  : more == 3 ? 0x10000u
                              : 0)
            || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return false;
    }
    return true;
}
