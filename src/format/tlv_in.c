/*
 * LwM2M TLV decoder (OMA-TS-LightweightM2M 1.0, section 6.4.3), a pull
 * parser over untrusted bytes: every header and value must fit inside its
 * container, containers hold only what they may hold, and identifiers
 * must agree with the path the request named (see tern_in_next()).
 */
#include "format/format_impl.h"

#include "core/fixed.h"

#include <string.h>

/* Bits 7-6 of the type byte. */
enum { KIND_INSTANCE = 0, KIND_RES_INSTANCE = 1, KIND_MULTIPLE = 2, KIND_RESOURCE = 3 };
#define KIND_TOP 0xff /* "parent" of a top-level TLV */

/* in->seen: kinds of top-level TLVs met so far */
#define SEEN_INSTANCE 1
#define SEEN_RESOURCE 2

typedef struct tlv {
    uint8_t kind;
    uint16_t id;
    size_t len;
} tlv_t;

static uint64_t get_be(const uint8_t *p, size_t n)
{
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++)
        v = (v << 8) | p[i];
    return v;
}

/* Reads the header at in->pos; the value must end by `limit`. */
static bool read_header(tern_in_t *in, size_t limit, tlv_t *t)
{
    const uint8_t *p = in->data + in->pos;
    size_t room = limit - in->pos;
    size_t id_len = (p[0] & 0x20) ? 2 : 1;
    size_t len_len = (p[0] >> 3) & 3;
    size_t head = 1 + id_len + len_len;
    if (room < head || (len_len != 0 && (p[0] & 7) != 0))
        return false;
    t->kind = p[0] >> 6;
    t->id = (uint16_t)get_be(p + 1, id_len);
    t->len = len_len != 0 ? (size_t)get_be(p + 1 + id_len, len_len) : (size_t)(p[0] & 7);
    if (t->id == TERN_ID_NONE || t->len > room - head)
        return false;
    in->pos += head;
    return true;
}

static void push(tern_in_t *in, const tlv_t *t)
{
    in->end_at[in->depth] = in->pos + t->len;
    in->ids[in->depth] = t->id;
    in->kinds[in->depth] = t->kind;
    in->depth++;
}

/* A top-level TLV: base /O may hold instances or resources but not both,
 * base /O/I resources or one wrapping instance, deeper bases one TLV. */
static bool top_level_ok(tern_in_t *in, bool instance)
{
    uint8_t mine = instance ? SEEN_INSTANCE : SEEN_RESOURCE;
    bool alone =
        in->base.len >= TERN_PATH_RESOURCE || (in->base.len == TERN_PATH_INSTANCE && instance);
    bool ok = alone ? in->seen == 0 : (in->seen & ~mine) == 0;
    in->seen |= mine;
    return ok;
}

/*
 * Checks where TLV t may stand and works out its path into in->path.
 * Returns 1 when the entry is to be yielded, 0 for the wrapper of the
 * request's own instance, -TERN_COAP_BAD_REQUEST when it is misplaced.
 */
static int place(tern_in_t *in, const tlv_t *t)
{
    const tern_path_t *base = &in->base;
    uint8_t parent = in->depth > 0 ? in->kinds[in->depth - 1] : KIND_TOP;
    tern_path_t p = *base;
    switch (t->kind) {
    case KIND_INSTANCE:
        if (parent != KIND_TOP || base->len < TERN_PATH_OBJECT || base->len > TERN_PATH_INSTANCE
            || !top_level_ok(in, true)
            || (base->len == TERN_PATH_INSTANCE && t->id != base->ids[1]))
            return -TERN_COAP_BAD_REQUEST;
        push(in, t);
        if (base->len == TERN_PATH_INSTANCE)
            return 0;
        p.ids[1] = t->id;
        p.len = TERN_PATH_INSTANCE;
        break;
    case KIND_MULTIPLE:
    case KIND_RESOURCE:
        if (parent == KIND_INSTANCE) {
            p.ids[1] = in->ids[in->depth - 1];
        } else if (parent != KIND_TOP || base->len < TERN_PATH_OBJECT
                   || base->len > TERN_PATH_RESOURCE || !top_level_ok(in, false)
                   || (base->len == TERN_PATH_RESOURCE && t->id != base->ids[2])) {
            return -TERN_COAP_BAD_REQUEST;
        } else if (base->len == TERN_PATH_OBJECT) {
            p.ids[1] = TERN_ID_NONE;
        }
        p.ids[2] = t->id;
        p.len = TERN_PATH_RESOURCE;
        break;
    default: /* KIND_RES_INSTANCE */
        if (parent == KIND_MULTIPLE) {
            p = in->path; /* the multiple resource's entry, or a sibling's */
        } else if (parent != KIND_TOP || base->len != TERN_PATH_RES_INSTANCE
                   || !top_level_ok(in, false) || t->id != base->ids[3]) {
            return -TERN_COAP_BAD_REQUEST;
        }
        p.ids[3] = t->id;
        p.len = TERN_PATH_RES_INSTANCE;
        break;
    }
    in->path = p;
    in->multiple = t->kind == KIND_MULTIPLE;
    in->raw = NULL;
    in->raw_len = 0;
    if (t->kind == KIND_MULTIPLE || t->kind == KIND_INSTANCE) {
        if (t->kind == KIND_MULTIPLE)
            push(in, t);
    } else {
        in->raw = in->data + in->pos;
        in->raw_len = t->len;
        in->pos += t->len;
    }
    return 1;
}

int tern_tlv_next(tern_in_t *in)
{
    for (;;) {
        while (in->depth > 0 && in->pos == in->end_at[in->depth - 1])
            in->depth--;
        if (in->pos == in->len)
            return 0;
        size_t limit = in->depth > 0 ? in->end_at[in->depth - 1] : in->len;
        tlv_t t;
        if (!read_header(in, limit, &t))
            return -TERN_COAP_BAD_REQUEST;
        /* place() lets only an instance (top level) and a multiple
         * resource (top level or in an instance) open: depth <= 2 */
        int rc = place(in, &t);
        if (rc != 0)
            return rc;
    }
}

#if TERN_WITH_DOUBLE
/* 4-byte IEEE single -> the double of the same value, on the bits. */
static bool from_single(uint32_t s, tern_float_t *out)
{
    uint64_t d = (uint64_t)(s >> 31) << 63;
    int field = (int)(s >> 23) & 0xff;
    uint32_t m = s & 0x7fffff;
    if (field == 0xff)
        return false;           /* NaN, infinity */
    if (field == 0 && m != 0) { /* subnormal: normalise */
        field = 1;
        while ((m & 0x800000) == 0) {
            m <<= 1;
            field--;
        }
        m &= 0x7fffff;
    }
    if ((s << 1) != 0) /* zero keeps exponent 0 */
        d |= ((uint64_t)(field - 127 + 1023) << 52) | ((uint64_t)m << 29);
    memcpy(out, &d, sizeof(d));
    return true;
}

static bool from_double(uint64_t d, tern_float_t *out)
{
    if (((d >> 52) & 0x7ff) == 0x7ff)
        return false;
    memcpy(out, &d, sizeof(d));
    return true;
}
#else
static bool from_single(uint32_t s, tern_float_t *out)
{
    if (((s >> 23) & 0xff) == 0xff)
        return false;
    memcpy(out, &s, sizeof(s));
    return true;
}

/* 8-byte IEEE double -> nearest single (ties to even), on the bits: no
 * soft-double code. Out of range, or a non-zero value that rounds to
 * zero, fails. */
static bool from_double(uint64_t d, tern_float_t *out)
{
    int e = (int)(d >> 52) & 0x7ff;
    uint64_t mant = (d & 0xfffffffffffffu) | ((uint64_t)1 << 52);
    if ((d << 1) == 0)
        mant = 0; /* a zero keeps its sign */
    else if (e == 0 || e == 0x7ff)
        return false; /* a double subnormal is far below any single; NaN, infinity */
    return tern_float_compose((d >> 63) != 0, mant, e - 1023 - 52, out);
}
#endif

static bool int_size(size_t n)
{
    return n == 1 || n == 2 || n == 4 || n == 8;
}

int tern_tlv_get(const tern_in_t *in, tern_type_t type, tern_value_t *value)
{
    const uint8_t *p = in->raw;
    size_t n = in->raw_len;
    uint64_t u = get_be(p, n <= 8 ? n : 0);
    bool ok;
    value->type = type;
    switch (type) {
    case TERN_TYPE_INTEGER:
    case TERN_TYPE_TIME:
        if (n > 0 && n < 8 && (p[0] & 0x80))
            u |= ~(uint64_t)0 << (8 * n); /* sign extension */
        /* uint64 -> int64 without relying on implementation-defined casts */
        value->v.i = (u >> 63) ? -(int64_t)(~u) - 1 : (int64_t)u;
        ok = int_size(n);
        break;
    case TERN_TYPE_UNSIGNED:
        value->v.u = u;
        ok = int_size(n);
        break;
    case TERN_TYPE_FLOAT:
        ok = n == 4 ? from_single((uint32_t)u, &value->v.f) : n == 8 && from_double(u, &value->v.f);
        break;
    case TERN_TYPE_BOOLEAN:
        value->v.b = u == 1;
        ok = n == 1 && u <= 1;
        break;
    case TERN_TYPE_OBJLNK:
        value->v.lnk.oid = (uint16_t)(u >> 16);
        value->v.lnk.iid = (uint16_t)u;
        ok = n == 4;
        break;
    case TERN_TYPE_STRING:
    case TERN_TYPE_CORELNK:
    case TERN_TYPE_OPAQUE:
        value->v.bytes.ptr = p;
        value->v.bytes.len = n;
        ok = type == TERN_TYPE_OPAQUE || tern_utf8_valid(p, n);
        break;
    default:
        ok = false;
        break;
    }
    return ok ? 0 : -TERN_COAP_BAD_REQUEST;
}
