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

int tern_text_to_uint(const char *s, size_t len, uint64_t *out)
{
    uint64_t v = 0;
    if (len == 0)
        return -TERN_COAP_BAD_REQUEST;
    for (size_t i = 0; i < len; i++) {
        unsigned d = (unsigned)(s[i] - '0');
        if (d > 9)
            return -TERN_COAP_BAD_REQUEST;
        /* both bounds are constants: no run-time 64-bit division */
        if (v > UINT64_MAX / 10 || (v == UINT64_MAX / 10 && d > UINT64_MAX % 10))
            return -TERN_COAP_BAD_REQUEST;
        v = v * 10 + d;
    }
    *out = v;
    return 0;
}

int tern_text_to_int(const char *s, size_t len, int64_t *out)
{
    bool neg = len > 0 && s[0] == '-';
    uint64_t mag;
    if (tern_text_to_uint(s + neg, len - neg, &mag) != 0)
        return -TERN_COAP_BAD_REQUEST;
    if (mag > (uint64_t)INT64_MAX + neg)
        return -TERN_COAP_BAD_REQUEST;
    /* int64_t is two's complement (C99 7.18.1.1): the bits of -mag are
     * those of 0 - mag, INT64_MIN too */
    mag = neg ? 0 - mag : mag;
    memcpy(out, &mag, sizeof(mag));
    return 0;
}
