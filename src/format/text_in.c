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
        const char *end = s + len;
        uint16_t ids[2];
        if (colon == NULL)
            return -TERN_COAP_BAD_REQUEST;
        for (int k = 0; k < 2; k++) {
            const char *to = k == 0 ? colon : end;
            uint64_t id;
            if (tern_text_to_uint(s, (size_t)(to - s), &id) != 0 || id > 0xffff)
                return -TERN_COAP_BAD_REQUEST;
            ids[k] = (uint16_t)id;
            s = colon + 1;
        }
        value->v.lnk.oid = ids[0];
        value->v.lnk.iid = ids[1];
        return 0;
    }
    default:
        return -TERN_COAP_BAD_REQUEST;
    }
}
