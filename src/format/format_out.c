/* tern_out_*: what every format shares, then each format's own part
 * (containers, TLV only, are in tlv_out.c). */
#include "format/format_impl.h"

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

void tern_out_value(tern_out_t *out, const tern_path_t *path, const tern_value_t *value)
{
    if (out->sink.error != 0)
        return;
    if (TERN_IS_TLV(out->format)) {
        tern_tlv_value(out, path, value);
        return;
    }
    /* text and opaque hold one value, the one the request names; opaque
     * only an Opaque one */
    if (out->values++ != 0 || path->len != out->base.len
        || memcmp(path->ids, out->base.ids, path->len * sizeof(path->ids[0])) != 0
        || (out->format == TERN_FORMAT_OPAQUE && value->type != TERN_TYPE_OPAQUE)) {
        out->sink.error = -TERN_COAP_NOT_ACCEPTABLE;
        return;
    }
    tern_text_value(out, value);
}

int tern_out_finish(tern_out_t *out)
{
    if (out->depth != 0 && out->sink.error == 0)
        out->sink.error = TERN_ERR_ARG;
    if (out->sink.error != 0)
        return out->sink.error;
    return (int)tern_sink_stored(&out->sink);
}
