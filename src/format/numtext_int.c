/*
 * Integers <-> decimal text. No 64-bit division: on a 32-bit target that
 * would pull in libgcc's __aeabi_uldivmod (~700 bytes), so the digits come
 * from tern_udiv64()'s 32-bit divisions.
 */
#include "format/numtext.h"

#include "core/arith.h"

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
    if (v >= 0)
        return tern_uint_to_text((uint64_t)v, buf);
    buf[0] = '-';
    return 1 + tern_uint_to_text(0 - (uint64_t)v, buf + 1);
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
    /* -(INT64_MAX) - 1 spelled without overflowing */
    *out = neg ? (mag == 0 ? 0 : -(int64_t)(mag - 1) - 1) : (int64_t)mag;
    return 0;
}
