/* Opaque format (42): the raw bytes of one Opaque value, nothing else. */
#include "format/format_impl.h"

void tern_opaque_value(tern_out_t *out, const tern_value_t *value)
{
    if (value->type != TERN_TYPE_OPAQUE) {
        tern_out_fail(out, -TERN_COAP_NOT_ACCEPTABLE);
        return;
    }
    tern_sink_write(&out->sink, value->v.bytes.ptr, value->v.bytes.len);
}

int tern_opaque_get(const tern_in_t *in, tern_type_t type, tern_value_t *value)
{
    if (type != TERN_TYPE_OPAQUE)
        return -TERN_COAP_UNSUPPORTED_CONTENT_FORMAT;
    value->type = type;
    value->v.bytes.ptr = in->raw;
    value->v.bytes.len = in->raw_len;
    return 0;
}
