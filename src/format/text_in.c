/*
 * Plain-text decoder (content format 0): the whole payload is one value,
 * validated strictly against the resource's type. Strings and opaque
 * (base64) are tern_in_value()'s.
 */
#include "format/format_impl.h"
#include "format/numtext.h"

#include <string.h>

int tern_text_get(const char *s, size_t len, tern_type_t type, tern_value_t *value)
{
    switch (type) {
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
    case TERN_TYPE_OBJLNK: {
        /* "OID:IID", each 0..65535 (65535:65535 is the null link) */
        const char *colon = memchr(s, ':', len);
        uint64_t oid;
        uint64_t iid;
        if (colon == NULL || tern_text_to_uint(s, (size_t)(colon - s), &oid) != 0 || oid > 0xffff
            || tern_text_to_uint(colon + 1, len - (size_t)(colon - s) - 1, &iid) != 0
            || iid > 0xffff)
            return -TERN_COAP_BAD_REQUEST;
        value->v.lnk.oid = (uint16_t)oid;
        value->v.lnk.iid = (uint16_t)iid;
        return 0;
    }
    default:
        return -TERN_COAP_BAD_REQUEST;
    }
}
