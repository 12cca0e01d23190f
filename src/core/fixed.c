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

/* +-m * 2^shift, toward zero and saturated */
static tern_fixed_t scaled(uint64_t m, int shift, bool negative)
{
    if (shift < 0)
        m = shift <= -64 ? 0 : m >> -shift;
    else if (shift > 60 || m > (uint64_t)TERN_FIXED_MAX >> shift)
        m = (uint64_t)TERN_FIXED_MAX;
    else
        m <<= shift;
    return negative ? -(tern_fixed_t)m : (tern_fixed_t)m;
}

tern_fixed_t tern_fixed_from_float(tern_float_t f)
{
    bits_t b;
    memcpy(&b, &f, sizeof(b));
    unsigned exp = (unsigned)(b >> MANT_BITS) & EXP_MASK;
    bits_t mant = b & (HIDDEN - 1);
    if (exp == EXP_MASK && mant != 0)
        return 0; /* NaN */
    /* an infinity saturates like any large value; a subnormal (read with
     * the hidden bit, as if normal) is far below 1/65536 all the same */
    return scaled(mant | HIDDEN, (int)exp - EXP_BIAS - MANT_BITS + 16, (b >> SIGN_SHIFT) != 0);
}

tern_fixed_t tern_fixed_from_int(int64_t i)
{
    return scaled(i < 0 ? 0u - (uint64_t)i : (uint64_t)i, 16, i < 0);
}

tern_fixed_t tern_fixed_from_uint(uint64_t u)
{
    return scaled(u, 16, false);
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
        /* keep MANT_BITS + 1 bits, fewer below the normal range (a
         * subnormal): drop is at least 63 - MANT_BITS */
        int low = lead < EXP_MIN ? EXP_MIN : lead;
        int drop = 63 - MANT_BITS + low - lead;
        if (drop > 64)
            return false;                /* below half the smallest subnormal */
        uint64_t kept = m >> (drop - 1); /* and the rounding bit */
        bool sticky = (m << (65 - drop)) != 0;
        kept = (kept >> 1) + ((kept & 1) && (sticky || (kept & 2))); /* half to even */
        if (kept == 0)
            return false;
        /* the hidden bit adds one to the exponent field; a carry out of the
         * significand (also from a subnormal to the smallest normal) too */
        bits_t mag = ((bits_t)(low + EXP_BIAS - 1) << MANT_BITS) + (bits_t)kept;
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
