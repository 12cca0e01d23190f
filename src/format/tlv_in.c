/*
 * LwM2M TLV decoder (OMA-TS-LightweightM2M 1.0, section 6.4.3), a pull
 * parser over untrusted bytes: every header and value must fit inside its
 * container, containers hold only what they may hold, and identifiers
 * must agree with the path the request named (see tern_in_next()).
 *
 * Each TLV names one level of a path: an object instance level 2, a
 * resource or multiple resource level 3, a resource instance level 4.
 * A child is always one level below its container, and the top-level
 * TLVs all have the same level (in->seen), so the level a TLV must have
 * is seen + depth: no per-container kind is kept.
 */
#include "format/format_impl.h"

#include "core/fixed.h"

#include <string.h>

/* Bits 7-6 of the type byte. */
enum { KIND_INSTANCE = 0, KIND_RES_INSTANCE = 1, KIND_MULTIPLE = 2, KIND_RESOURCE = 3 };

int tern_tlv_next(tern_in_t *in)
{
    for (;;) {
        while (in->pos == in->end_at[in->depth]) {
            if (in->depth == 0)
                return 0;
            in->depth--;
        }
        size_t room = in->end_at[in->depth] - in->pos;
        const uint8_t *p = in->data + in->pos;
        unsigned kind = p[0] >> 6;
        size_t id_len = 1 + ((p[0] >> 5) & 1);
        size_t len_len = (p[0] >> 3) & 3;
        size_t head = 1 + id_len + len_len;
        /* a length field and length bits together are malformed */
        if (room < head || (len_len != 0 && (p[0] & 7) != 0))
            return -TERN_COAP_BAD_REQUEST;
        /* the identifier, then the length field (big-endian); without a
         * length field the length is in bits 2-0 */
        uint32_t id = p[1];
        if (id_len == 2)
            id = id << 8 | p[2];
        size_t len = p[0] & 7u; /* zero when there is a length field */
        for (size_t i = 1 + id_len; i < head; i++)
            len = (len << 8) | p[i];
        unsigned level = (0x3342u >> (4 * kind)) & 0xf; /* 2, 4, 3, 3 */
        unsigned b = in->base_len;
        if (id == TERN_ID_NONE || len > room - head)
            return -TERN_COAP_BAD_REQUEST;
        if (in->seen == 0) {
            /* the first TLV: the request's own level (/O/I: its instance
             * as a wrapper, /O/I/R, /O/I/R/RI) with its id, or children
             * of /O or /O/I; /O may also take resources directly */
            if (b == 0 || (level == 4 ? b != 4 : level < b)
                || (level == b && id != in->path.ids[b - 1]))
                return -TERN_COAP_BAD_REQUEST;
            in->seen = (uint8_t)level;
            if (b == TERN_PATH_OBJECT)
                in->path.ids[1] = TERN_ID_NONE; /* Create on /O without an instance id */
        } else if (level != in->seen + in->depth || (in->depth == 0 && level == b)) {
            return -TERN_COAP_BAD_REQUEST; /* misplaced, or a second TLV at the own level */
        }
        in->path.ids[level - 1] = (uint16_t)id;
        in->path.len = (uint8_t)level;
        in->pos += head;
        in->multiple = kind == KIND_MULTIPLE;
        in->raw = p + head;
        in->raw_len = len;
        if ((kind & 1) == 0) {
            /* a container; depth stays <= 2, as levels end at 4 */
            in->end_at[++in->depth] = in->pos + len;
            if (kind == KIND_INSTANCE && level == b)
                continue; /* the wrapper of the request's own instance */
        } else {
            in->pos += len;
        }
        return 1;
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

static bool from_double(uint32_t hi, uint32_t lo, tern_float_t *out)
{
    uint64_t d = ((uint64_t)hi << 32) | lo;
    if (((hi >> 20) & 0x7ff) == 0x7ff)
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
 * zero, fails: so do NaN and infinities (far too large) and a double
 * subnormal (far too small, even read without its hidden bit's place). */
static bool from_double(uint32_t hi, uint32_t lo, tern_float_t *out)
{
    int e = (int)(hi >> 20) & 0x7ff;
    uint32_t top = (hi & 0xfffff) | (uint32_t)(e != 0) << 20; /* a zero keeps its sign */
    return tern_float_compose((hi >> 31) != 0, (uint64_t)top << 32 | lo, e - 1023 - 52, out);
}
#endif

/* A TLV float of n bytes (4 or 8, checked), bits hi:lo. */
int tern_tlv_float_get(uint32_t hi, uint32_t lo, size_t n, tern_float_t *out)
{
    return (n == 8 ? from_double(hi, lo, out) : from_single(lo, out)) ? 0 : -TERN_COAP_BAD_REQUEST;
}
