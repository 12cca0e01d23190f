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
#define EXP_MIN (1 - EXP_BIAS) /* exponent of the smallest normal */

static tern_fixed_t saturate(uint64_t magnitude, bool negative)
{
    tern_fixed_t m =
        magnitude > (uint64_t)TERN_FIXED_MAX ? TERN_FIXED_MAX : (tern_fixed_t)magnitude;
    return negative ? -m : m;
}

tern_fixed_t tern_fixed_from_float(tern_float_t f)
{
    bits_t b;
    memcpy(&b, &f, sizeof(b));
    bool negative = (b >> SIGN_SHIFT) != 0;
    unsigned exp = (unsigned)(b >> MANT_BITS) & EXP_MASK;
    uint64_t mant = (uint64_t)(b & (((bits_t)1 << MANT_BITS) - 1));
    if (exp == EXP_MASK)
        return mant != 0 ? 0 : saturate(UINT64_MAX, negative); /* NaN, infinity */
    if (exp == 0)
        return 0; /* subnormal: far below 1/65536 */
    mant |= (uint64_t)1 << MANT_BITS;
    /* value = mant * 2^(exp - bias - MANT_BITS); fixed = value * 2^16 */
    int shift = (int)exp - EXP_BIAS - MANT_BITS + 16;
    if (shift >= 0)
        return saturate(shift > 63 - (MANT_BITS + 1) ? UINT64_MAX : mant << shift, negative);
    return saturate(-shift >= 64 ? 0 : mant >> -shift, negative);
}

tern_fixed_t tern_fixed_from_int(int64_t i)
{
    bool negative = i < 0;
    uint64_t m = negative ? 0u - (uint64_t)i : (uint64_t)i;
    return saturate(m > (uint64_t)TERN_FIXED_MAX >> 16 ? UINT64_MAX : m << 16, negative);
}

tern_fixed_t tern_fixed_from_uint(uint64_t u)
{
    return saturate(u > (uint64_t)TERN_FIXED_MAX >> 16 ? UINT64_MAX : u << 16, false);
}

bool tern_float_compose(bool negative, uint64_t m, int exp2, tern_float_t *out)
{
    bits_t b = 0;
    if (m != 0) {
        int top = 63;
        while (!(m >> top))
            top--;
        int lead = top + exp2; /* the top bit weighs 2^lead */
        /* keep MANT_BITS + 1 significant bits, fewer below the normal
         * range (a subnormal), rounding half to even */
        int drop = top - MANT_BITS + (lead < EXP_MIN ? EXP_MIN - lead : 0);
        if (drop > 63)
            return false; /* below half the smallest subnormal */
        if (drop > 0) {
            uint64_t rest = m & (((uint64_t)1 << drop) - 1);
            uint64_t half = (uint64_t)1 << (drop - 1);
            m >>= drop;
            if (rest > half || (rest == half && (m & 1u)))
                m++;
        } else {
            m <<= -drop;
        }
        if (m == 0)
            return false;
        if (lead < EXP_MIN) {
            b = (bits_t)m; /* subnormal; a carry into the hidden bit makes the smallest normal */
        } else {
            if (m >> (MANT_BITS + 1)) { /* rounding carried into a new bit */
                m >>= 1;
                lead++;
            }
            if (lead > EXP_BIAS)
                return false;
            b = ((bits_t)(lead + EXP_BIAS) << MANT_BITS)
                | ((bits_t)m & (((bits_t)1 << MANT_BITS) - 1));
        }
    }
    b |= (bits_t)negative << SIGN_SHIFT;
    memcpy(out, &b, sizeof(*out));
    return true;
}

tern_float_t tern_fixed_to_float(tern_fixed_t x)
{
    tern_float_t f;
    bool negative = x < 0;
    /* |x| < 2^63 times 2^-16: always a normal number, never fails */
    (void)tern_float_compose(negative, negative ? 0u - (uint64_t)x : (uint64_t)x, -16, &f);
    return f;
}
