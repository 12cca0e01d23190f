#include "core/fixed.h"

#include <string.h>

#if TERN_WITH_DOUBLE
typedef uint64_t bits_t;
#define MANT_BITS 52
#define EXP_BIAS 1023
#define EXP_MASK 0x7ffu
#else
typedef uint32_t bits_t;
#define MANT_BITS 23
#define EXP_BIAS 127
#define EXP_MASK 0xffu
#endif
#define SIGN_SHIFT (sizeof(bits_t) * 8 - 1)
#define HIDDEN ((bits_t)1 << MANT_BITS)
#define EXP_MIN (1 - EXP_BIAS) /* exponent of the smallest normal */

static tern_fixed_t with_sign(uint64_t magnitude, bool negative)
{
    return negative ? -(tern_fixed_t)magnitude : (tern_fixed_t)magnitude;
}

tern_fixed_t tern_fixed_from_float(tern_float_t f)
{
    bits_t b;
    memcpy(&b, &f, sizeof(b));
    unsigned exp = (unsigned)(b >> MANT_BITS) & EXP_MASK;
    bits_t mant = b & (HIDDEN - 1);
    if (exp == EXP_MASK && mant != 0)
        return 0; /* NaN */
    /* fixed = (mant | HIDDEN) * 2^shift: from 2^60 up when the shift
     * takes the hidden bit to bit 60; an infinity saturates like any large
     * value, a subnormal (read as if normal) is far below 1/65536 */
    int shift = (int)exp - EXP_BIAS - MANT_BITS + 16;
    uint64_t m = mant | HIDDEN;
    if (shift >= 60 - MANT_BITS)
        m = (uint64_t)TERN_FIXED_MAX;
    else if (shift >= 0)
        m <<= shift;
    else
        m = shift > -64 ? m >> -shift : 0;
    return with_sign(m, (b >> SIGN_SHIFT) != 0);
}

tern_fixed_t tern_fixed_from_int(int64_t i)
{
    const uint64_t limit = TERN_FIXED_MAX / TERN_FIXED_ONE; /* 2^44 */
    /* outside -limit..limit - 1 (limit itself saturates to its own
     * value), in one unsigned range check */
    if (((uint64_t)i + limit) / (2 * limit) != 0)
        return i < 0 ? -TERN_FIXED_MAX : TERN_FIXED_MAX;
    return i * TERN_FIXED_ONE;
}

tern_fixed_t tern_fixed_from_uint(uint64_t u)
{
    return tern_fixed_from_int(u > INT64_MAX ? INT64_MAX : (int64_t)u);
}

bool tern_float_compose(bool negative, uint64_t m, int exp2, tern_float_t *out)
{
    bits_t b = (bits_t)negative << SIGN_SHIFT;
    if (m != 0) {
        int lead = exp2 + 63; /* the weight of m's top bit, once it is at bit 63 */
        for (; !(m >> 63); m <<= 1)
            lead--;
        if (lead > EXP_BIAS)
            return false;
#if TERN_WITH_DOUBLE
        bits_t top = m;
#else
        bits_t top = (bits_t)(m >> 32) | ((uint32_t)m != 0); /* the rest as a sticky bit */
#endif
        /* keep MANT_BITS + 1 bits, fewer below the normal range (a
         * subnormal): drop is at least SIGN_SHIFT - MANT_BITS */
        int low = lead < EXP_MIN ? EXP_MIN : lead;
        int drop = (int)SIGN_SHIFT - MANT_BITS + low - lead;
        if (drop > (int)SIGN_SHIFT + 1)
            return false;                /* below half the smallest subnormal */
        bits_t kept = top >> (drop - 1); /* and the rounding bit */
        bits_t sticky = (bits_t)(top << (SIGN_SHIFT + 2 - drop)) != 0;
        kept = (kept >> 1) + (kept & 1 & ((kept >> 1) | sticky)); /* half to even */
        if (kept == 0)
            return false;
        /* the hidden bit adds one to the exponent field; a carry out of the
         * significand (also from a subnormal to the smallest normal) too */
        bits_t mag = ((bits_t)(low + EXP_BIAS - 1) << MANT_BITS) + kept;
        if (mag >= (bits_t)EXP_MASK << MANT_BITS)
            return false;
        b |= mag;
    }
    memcpy(out, &b, sizeof(*out));
    return true;
}

tern_float_t tern_fixed_to_float(tern_fixed_t x)
{
    tern_float_t f;
    bool negative = x < 0;
    /* |x| <= 2^63 times 2^-16: always a normal number, never fails */
    (void)tern_float_compose(negative, negative ? 0u - (uint64_t)x : (uint64_t)x, -16, &f);
    return f;
}
