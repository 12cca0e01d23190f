/*
 * Integers <-> decimal text. No 64-bit division: on a 32-bit target that
 * would pull in libgcc's __aeabi_uldivmod (~700 bytes), so the digits come
 * from tern_udiv64()'s 32-bit divisions.
 */
#include "format/numtext.h"

#include "core/arith.h"

#include <string.h>

size_t tern_uint_to_text(uint64_t v, char *buf)
{
    size_t n = 0;
    do { /* the last digit first, then turned around */
        uint32_t digit;
        v = tern_udiv64(v, 10, &digit);
        buf[n++] = (char)('0' + digit);
    } while (v != 0);
    for (char *lo = buf, *hi = buf + n - 1; lo < hi; lo++, hi--) {
        char c = *lo;
        *lo = *hi;
        *hi = c;
    }
    return n;
}

size_t tern_int_to_text(int64_t v, char *buf)
{
    size_t neg = v < 0;
    buf[0] = '-'; /* a digit takes its place when v is not negative */
    return neg + tern_uint_to_text(neg ? 0 - (uint64_t)v : (uint64_t)v, buf + neg);
}

int tern_text_to_number(const char *s, size_t len, bool is_signed, uint64_t *out)
{
    const char *end = s + len;
    size_t neg = len > 0 && s[0] == '-' && is_signed;
    uint32_t hi = 0; /* the value so far, in two words: the carry out of */
    uint32_t lo = 0; /* the top one is the overflow, found exactly */
    s += neg;
    if (s == end)
        return -TERN_COAP_BAD_REQUEST;
    while (s < end) {
        unsigned d = (unsigned)(*s++ - '0');
        uint64_t low = (uint64_t)lo * 10 + d;
        uint64_t high = (uint64_t)hi * 10 + (uint32_t)(low >> 32);
        if (d > 9 || (high >> 32) != 0)
            return -TERN_COAP_BAD_REQUEST;
        hi = (uint32_t)high;
        lo = (uint32_t)low;
    }
    /* signed: a magnitude up to INT64_MAX, or one more when negative:
     * above it, v - neg has the top bit set (v = 0 aside) */
    if (is_signed && ((hi - (lo < neg)) >> 31) != 0 && (hi | lo) != 0)
        return -TERN_COAP_BAD_REQUEST;
    uint64_t v = (uint64_t)hi << 32 | lo;
    /* int64_t is two's complement (C99 7.18.1.1): the bits of -v are
     * those of 0 - v, INT64_MIN too */
    *out = neg ? 0 - v : v;
    return 0;
}
