/*
 * Plain-text decoder (content format 0): the whole payload is one value,
 * validated strictly against the resource's type.
 */
#include "format/format_impl.h"
#include "format/numtext.h"

#include <string.h>

/* "OID:IID", each 0..65535 (65535:65535 is the null link). */
static int objlnk(const char *s, size_t len, tern_objlnk_t *lnk)
{
    const char *colon = memchr(s, ':', len);
    uint64_t oid;
    uint64_t iid;
    if (colon == NULL)
        return -TERN_COAP_BAD_REQUEST;
    size_t head = (size_t)(colon - s);
    if (tern_text_to_uint(s, head, &oid) != 0 || oid > 0xffff
        || tern_text_to_uint(colon + 1, len - head - 1, &iid) != 0 || iid > 0xffff)
        return -TERN_COAP_BAD_REQUEST;
    lnk->oid = (uint16_t)oid;
    lnk->iid = (uint16_t)iid;
    return 0;
}

static int opaque(const tern_in_t *in, tern_value_t *value)
{
    size_t len = 0;
    int rc = tern_base64_decode((const char *)in->raw, in->raw_len, in->scratch,
                                in->scratch != NULL ? in->scratch_cap : 0, &len);
    value->v.bytes.ptr = in->scratch;
    value->v.bytes.len = len;
    return rc;
}

int tern_text_get(const tern_in_t *in, tern_type_t type, tern_value_t *value)
{
    const char *s = (const char *)in->raw;
    size_t len = in->raw_len;
    value->type = type;
    switch (type) {
    case TERN_TYPE_STRING:
    case TERN_TYPE_CORELNK:
        value->v.bytes.ptr = in->raw;
        value->v.bytes.len = len;
        return tern_utf8_valid(in->raw, len) ? 0 : -TERN_COAP_BAD_REQUEST;
    case TERN_TYPE_INTEGER:
    case TERN_TYPE_TIME:
        return tern_text_to_int(s, len, &value->v.i);
    case TERN_TYPE_UNSIGNED:
        return tern_text_to_uint(s, len, &value->v.u);
    case TERN_TYPE_FLOAT:
        return tern_text_to_float(s, len, &value->v.f);
    case TERN_TYPE_BOOLEAN:
        if (len != 1 || (s[0] != '0' && s[0] != '1'))
            return -TERN_COAP_BAD_REQUEST;
        value->v.b = s[0] == '1';
        return 0;
    case TERN_TYPE_OBJLNK:
        return objlnk(s, len, &value->v.lnk);
    case TERN_TYPE_OPAQUE:
        return opaque(in, value);
    default:
        return -TERN_COAP_BAD_REQUEST;
    }
}
