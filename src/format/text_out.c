/*
 * Plain-text encoder (content format 0): one value as UTF-8 text, as OMA
 * LwM2M appendix C maps each data type. The opaque format's one value
 * (raw bytes) is written here too.
 */
#include "format/format_impl.h"
#include "format/numtext.h"

/* Room for any number, float or integer, and for "OID:IID". */
#define TEXT_MAX (TERN_FLOAT_TEXT_MAX > TERN_INT_TEXT_MAX ? TERN_FLOAT_TEXT_MAX : TERN_INT_TEXT_MAX)

void tern_text_value(tern_out_t *out, const tern_value_t *value)
{
    char buf[TEXT_MAX];
    size_t n;
    switch (value->type) {
    case TERN_TYPE_INTEGER:
    case TERN_TYPE_TIME:
        n = tern_int_to_text(value->v.i, buf);
        break;
    case TERN_TYPE_UNSIGNED:
        n = tern_uint_to_text(value->v.u, buf);
        break;
    case TERN_TYPE_FLOAT:
        n = tern_float_to_text(value->v.f, buf);
        if (n == 0) {
            out->sink.error = -TERN_COAP_INTERNAL_SERVER_ERROR; /* NaN, infinity */
            return;
        }
        break;
    case TERN_TYPE_BOOLEAN:
        buf[0] = value->v.b ? '1' : '0';
        n = 1;
        break;
    case TERN_TYPE_OBJLNK:
        n = tern_uint_to_text(value->v.lnk.oid, buf);
        buf[n++] = ':';
        n += tern_uint_to_text(value->v.lnk.iid, buf + n);
        break;
    case TERN_TYPE_OPAQUE:
        if (out->format == TERN_FORMAT_TEXT) {
            tern_base64_write(&out->sink, value->v.bytes.ptr, value->v.bytes.len);
            return;
        }
        /* the opaque format's raw bytes */
        /* fall through */
    case TERN_TYPE_STRING:
    case TERN_TYPE_CORELNK:
        tern_sink_write(&out->sink, value->v.bytes.ptr, value->v.bytes.len);
        return;
    default:
        out->sink.error = TERN_ERR_ARG;
        return;
    }
    tern_sink_write(&out->sink, buf, n);
}
