/* tern_out_*: what every format shares, then each format's own part. */
#include "format/format_impl.h"

#include <string.h>

void tern_out_fail(tern_out_t *out, int err)
{
    if (out->sink.error == 0)
        out->sink.error = err;
}

int tern_out_init(tern_out_t *out, uint16_t format, const tern_path_t *base, uint8_t *buf,
                  size_t cap, size_t skip)
{
    memset(out, 0, sizeof(*out));
    tern_sink_init(&out->sink, buf, cap, skip);
    out->format = format;
    out->base = *base;
    if (format != TERN_FORMAT_TEXT && format != TERN_FORMAT_OPAQUE && !TERN_IS_TLV(format)) {
        tern_out_fail(out, -TERN_COAP_NOT_ACCEPTABLE);
        return -TERN_COAP_NOT_ACCEPTABLE;
    }
    if (base->len > TERN_PATH_RES_INSTANCE) {
        tern_out_fail(out, TERN_ERR_ARG);
        return TERN_ERR_ARG;
    }
    return 0;
}

void tern_out_begin(tern_out_t *out, const tern_path_t *path)
{
    if (out->sink.error != 0)
        return;
    if (out->depth >= TERN_OUT_MAX_DEPTH || path->len < TERN_PATH_INSTANCE
        || path->len > TERN_PATH_RESOURCE) {
        tern_out_fail(out, TERN_ERR_ARG);
        return;
    }
    if (!TERN_IS_TLV(out->format)) {
        /* text and opaque hold one plain value: never an instance or a
         * multiple resource, even an empty one */
        tern_out_fail(out, -TERN_COAP_NOT_ACCEPTABLE);
        return;
    }
    out->open_at[out->depth] = TERN_OUT_NO_CONTAINER;
    tern_tlv_begin(out, path);
    out->depth++;
}

void tern_out_end(tern_out_t *out)
{
    if (out->sink.error != 0)
        return;
    if (out->depth == 0) {
        tern_out_fail(out, TERN_ERR_ARG);
        return;
    }
    out->depth--;
    tern_tlv_end(out);
}

/* Text and opaque hold one value, the one the request names. */
static bool is_the_one(const tern_out_t *out, const tern_path_t *path)
{
    if (out->values != 1 || path->len != out->base.len)
        return false;
    return memcmp(path->ids, out->base.ids, path->len * sizeof(path->ids[0])) == 0;
}

void tern_out_value(tern_out_t *out, const tern_path_t *path, const tern_value_t *value)
{
    if (out->sink.error != 0)
        return;
    if (out->values < UINT8_MAX)
        out->values++;
    if (TERN_IS_TLV(out->format)) {
        tern_tlv_value(out, path, value);
    } else if (!is_the_one(out, path)) {
        tern_out_fail(out, -TERN_COAP_NOT_ACCEPTABLE);
    } else if (out->format == TERN_FORMAT_TEXT) {
        tern_text_value(out, value);
    } else {
        tern_opaque_value(out, value);
    }
}

int tern_out_finish(tern_out_t *out)
{
    if (out->depth != 0)
        tern_out_fail(out, TERN_ERR_ARG);
    if (out->sink.error != 0)
        return out->sink.error;
    return (int)tern_sink_stored(&out->sink);
}
