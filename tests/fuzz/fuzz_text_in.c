/*
 * Fuzz target: the plain-text decoder, every type. Properties: a value
 * accepted re-encodes to text that decodes to the same value; integers
 * and objlnks re-encode to the canonical form of the input (the input
 * without leading zeros and "-0"); booleans and base64 (only canonical
 * base64 is accepted) re-encode to exactly the input; floats round-trip
 * bit for bit through tern_float_to_text.
 */
#include <stdlib.h>
#include <string.h>

#include "format/format.h"
#include "format/numtext.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The input with leading zeros of each number removed, "-0" as "0". */
static size_t canonical(const uint8_t *s, size_t len, char *out)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        bool leading = i == 0 || s[i - 1] == '-' || s[i - 1] == ':';
        if (leading) {
            while (i + 1 < len && s[i] == '0' && s[i + 1] >= '0' && s[i + 1] <= '9')
                i++;
        }
        out[n++] = (char)s[i];
    }
    if (n >= 2 && out[0] == '-' && out[1] == '0' && (n == 2 || out[2] == ':'))
        memmove(out, out + 1, --n);
    return n;
}

static size_t encode(const tern_value_t *v, uint8_t *buf, size_t cap)
{
    tern_out_t out;
    tern_path_t base = { { 3, 0, 1 }, 3 };
    tern_out_init(&out, TERN_FORMAT_TEXT, &base, buf, cap, 0);
    tern_out_value(&out, &base, v);
    int n = tern_out_finish(&out);
    if (n < 0)
        abort();
    return (size_t)n;
}

static void check(const uint8_t *data, size_t size, const tern_value_t *v, uint8_t *scratch)
{
    static uint8_t text[70000];
    static char canon[70000];
    size_t n = encode(v, text, sizeof(text));
    tern_in_t in;
    tern_path_t base = { { 3, 0, 1 }, 3 };
    tern_path_t path;
    tern_value_t back;
    tern_in_init(&in, TERN_FORMAT_TEXT, &base, text, n);
    in.scratch = scratch;
    in.scratch_cap = size;
    if (tern_in_next(&in, &path) != 1 || tern_in_value(&in, v->type, &back) != 0)
        abort();
    switch (v->type) {
    case TERN_TYPE_INTEGER:
    case TERN_TYPE_UNSIGNED:
    case TERN_TYPE_OBJLNK:
        if (back.v.u != v->v.u || n != canonical(data, size, canon) || memcmp(text, canon, n))
            abort();
        break;
    case TERN_TYPE_FLOAT:
        if (memcmp(&back.v.f, &v->v.f, sizeof(v->v.f)) != 0)
            abort();
        break;
    case TERN_TYPE_BOOLEAN:
    case TERN_TYPE_OPAQUE:
        if (n != size || memcmp(text, data, size) != 0)
            abort();
        break;
    default:
        break;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t scratch[70000];
    if (size > sizeof(scratch))
        return 0;
    tern_path_t base = { { 3, 0, 1 }, 3 };
    for (int type = TERN_TYPE_NONE; type <= TERN_TYPE_CORELNK; type++) {
        tern_in_t in;
        tern_path_t path;
        tern_value_t v;
        tern_in_init(&in, TERN_FORMAT_TEXT, &base, data, size);
        in.scratch = scratch;
        in.scratch_cap = size;
        if (tern_in_next(&in, &path) != 1)
            abort();
        int rc = tern_in_value(&in, (tern_type_t)type, &v);
        if (rc == -TERN_COAP_BAD_REQUEST)
            continue;
        if (rc != 0)
            abort();
        if (type == TERN_TYPE_NONE)
            abort();
        /* v may point into scratch, which check() reuses: copy the value */
        static uint8_t copy[70000];
        if (type == TERN_TYPE_OPAQUE) {
            memcpy(copy, v.v.bytes.ptr, v.v.bytes.len);
            v.v.bytes.ptr = copy;
        }
        check(data, size, &v, scratch);
        if (tern_in_next(&in, &path) != 0)
            abort();
    }
    return 0;
}
