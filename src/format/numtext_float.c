/*
 * Floats <-> decimal text, exactly, in integer arithmetic only: the IEEE
 * bits are taken apart and both directions scale an integer by a power
 * of ten, so no floating-point operation is ever executed (with
 * TERN_WITH_DOUBLE 0 no soft-float routine is linked; with double, none
 * is needed either).
 *
 * The scaling works on a small unsigned number in 16-bit chunks, so that
 * every step is a 32-bit multiplication or division by at most 5^6: a
 * power of ten is a power of five (multiplied in, or divided out with the
 * remainders kept as a sticky bit) and a power of two (an exponent, or
 * bits shifted out into the sticky bit). The results are exact floors
 * plus "something was dropped"; that decides every rounding exactly.
 *
 * Output: from the longest power of ten down, v is rounded to a multiple
 * of 10^q (half to even), and that candidate is scaled back to units of
 * v's gap: it reads back to v when it is within half the gap on either
 * side (a quarter below a power of two), ties going to an even v. The
 * first that does is the shortest; it never ends in a zero.
 *
 * Input: the first KEEP_DIGITS significant digits (later ones only count
 * as sticky) times the power of ten, then rounded by tern_float_compose().
 */
#include "format/numtext.h"

#include "core/arith.h"
#include "core/fixed.h"

#include <string.h>

#if TERN_WITH_DOUBLE
typedef uint64_t bits_t;
#define MANT_BITS 52
#define EXP_FIELD_MAX 0x7ff
#define EXP_BIAS 1023
#define KEEP_DIGITS 40
#define DIGITS_MAX 17 /* enough digits for any double to read back */
/* a significand of D digits times 10^E overflows when D + E > DEC_MAX and
 * rounds to zero when D + E < DEC_MIN */
#define DEC_MAX 309
#define DEC_MIN (-323)
/* Input with a negative power: 40 digits (9 chunks) moved up by 816 bits
 * leave at least 2^63 after dividing by 5^363 within DEC_MIN. The largest
 * numbers: 10^40 * 2^816 < 2^949 (input), 2^53 * 5^324 < 2^806 and
 * 2^58 * 2^784 (output). */
#define DIV_CHUNKS 51
#define CHUNKS 60
#else
typedef uint32_t bits_t;
#define MANT_BITS 23
#define EXP_FIELD_MAX 0xff
#define EXP_BIAS 127
#define KEEP_DIGITS 20
#define DIGITS_MAX 9
#define DEC_MAX 39
#define DEC_MIN (-45)
/* 20 digits (5 chunks) moved up by 144 bits leave at least 2^37 after
 * dividing by 5^65 within DEC_MIN; the largest numbers are 10^20 * 2^144
 * < 2^211 (input), 2^24 * 5^46 < 2^131 and 2^31 * 2^128 (output). */
#define DIV_CHUNKS 9
#define CHUNKS 14
#endif

/* the longest text: a sign, DIGITS_MAX + 1 digits (the loop ends by
 * then), a point and "e-45" or "e-308" */
#if TERN_FLOAT_TEXT_MAX < DIGITS_MAX + 3 + 4 + TERN_WITH_DOUBLE
#error "TERN_FLOAT_TEXT_MAX has no room for the text"
#endif

#define SIGN_SHIFT (sizeof(bits_t) * 8 - 1)
#define HIDDEN ((bits_t)1 << MANT_BITS)
#define POW5_STEP 15625u /* 5^6: chunk * 2^16 + remainder stays in 32 bits */

/* Unsigned number: c[0..len) in base 2^16, little-endian; a division
 * leaves top zeros. */
typedef struct num {
    uint16_t c[CHUNKS];
    uint8_t len;
} num_t;

/* n = n * m + add, for m <= 2^16 and add < 2^16 (any add when n is
 * empty: a value loaded) */
static void num_muladd(num_t *n, uint32_t m, uint32_t add)
{
    for (unsigned i = 0; i < n->len; i++) {
        add += n->c[i] * m;
        n->c[i] = (uint16_t)add;
        add >>= 16;
    }
    /* the sizes above keep it in range; the test only guards memory */
    for (; add != 0 && n->len < CHUNKS; add >>= 16)
        n->c[n->len++] = (uint16_t)add;
}

/*
 * floor(n * 2^b * 10^k / 2^*x) (n is used up), with bit 0 also set when
 * that is not exact (a sticky bit); *x is raised as far as needed for the
 * result to fit 63 bits. 10^k = 5^k * 2^k: the power of five is multiplied
 * in, or divided out after moving n up by the power of two, when that is
 * positive, in whole chunks (so that the floor is exact; the input asks
 * for DIV_CHUNKS below the point to keep enough bits).
 */
static uint64_t num_scale(num_t *n, int b, int k, int *x)
{
    bool inexact = false;
    unsigned left = (unsigned)(k < 0 ? -k : k);
    b += k - *x;
    unsigned up = b > 0 ? (unsigned)(b + 15) / 16 : 0;
    unsigned shift = 16 * up - (unsigned)b;
    while (up-- > 0)
        num_muladd(n, 0x10000, 0);
    while (left > 0) {
        uint32_t p = 1;
        for (; left > 0 && p < POW5_STEP; left--)
            p *= 5;
        if (k > 0) {
            num_muladd(n, p, 0);
            continue;
        }
        uint32_t r = 0;
        for (unsigned i = n->len; i-- > 0;) {
            r = r << 16 | n->c[i];
            n->c[i] = (uint16_t)(r / p);
            r %= p;
        }
        inexact |= r != 0; /* top zeros are left: nothing is multiplied after */
    }
    uint64_t r = 0;
    for (unsigned i = n->len * 16u; i-- > 0;) {
        unsigned bit = (unsigned)(n->c[i / 16] >> (i % 16)) & 1u;
        if (r >> 62 && i >= shift) {
            *x += (int)(i + 1 - shift);
            shift = i + 1;
        }
        r = i >= shift ? r << 1 | bit : r | bit;
    }
    return r | inexact;
}

/* ---- float -> text ----------------------------------------------------- */

/* floor(m * 2^b * 10^k), with bit 0 set too when that is not exact */
static uint64_t scaled(bits_t m, int b, int k)
{
    num_t n;
    int x = 0;
    /* m in chunks, top zeros allowed */
    n.len = sizeof(m) / 2;
    for (unsigned i = 0; i < sizeof(m) / 2; i++)
        n.c[i] = (uint16_t)(m >> (16 * i));
    return num_scale(&n, b, k, &x);
}

size_t tern_float_to_text(tern_float_t v, char *buf)
{
    bits_t bits;
    memcpy(&bits, &v, sizeof(bits));
    unsigned field = (unsigned)(bits >> MANT_BITS) & EXP_FIELD_MAX;
    bits_t frac = bits & (HIDDEN - 1);
    size_t n = (size_t)(bits >> SIGN_SHIFT); /* past the '-' when negative */
    if (field == EXP_FIELD_MAX)
        return 0;
    buf[0] = '-';
    if ((bits_t)(bits << 1) == 0) { /* a zero */
        buf[n++] = '0';
        return n;
    }
    bits_t f = field != 0 ? frac | HIDDEN : frac;
    int e = (field != 0 ? (int)field : 1) - EXP_BIAS - MANT_BITS;
    /* the gap below v is half the gap above when f is a power of two
     * (but not the smallest normal); ties read back to an even f */
    unsigned below = field > 1 && frac == 0 ? 2 : 4;
    unsigned odd = (unsigned)f & 1u;
    /* v < 2^(e + MANT_BITS + 1) < 2 * 10^q, with q at most two above the
     * least such (77 / 256 is just above log10(2), 1100 keeps the
     * product positive): the first candidate is 0, 1 or 2 */
    int q = (int)((unsigned)(e + MANT_BITS + 1100) * 77 >> 8) - 329;
    bits_t d; /* fits: the loop ends by DIGITS_MAX + 1 digits */
    for (;; q--) {
        /* d * 10^q: v rounded to the multiples of 10^q, half to even */
        uint64_t w = scaled(f, e + 2, -q);
        d = (bits_t)((w + 1 + ((w >> 2) & 1)) >> 2);
        /* it reads back to v when it is within half the gap on either
         * side: in units of 2^e / 8, 8f - below .. 8f + 4 (below 16f
         * whatever d, so bits_t holds it) */
        bits_t y = (bits_t)scaled(d, 3 - e, q);
        bits_t lo = 8 * f - below + odd;
        if (y - lo <= 4 + below - 2 * odd)
            break;
    }
    /* d * 10^q = 0.d1d2...d(nd) * 10^k, plain ("-12.5", "0.001", "1500")
     * or with an exponent ("1.5e-07") where that is shorter: than k - nd
     * trailing zeros or 2 - k leading characters ("0.00") take, against
     * the exponent's four and a point (plain wins ties) */
    char dg[TERN_INT_TEXT_MAX];
    int nd = (int)tern_uint_to_text(d, dg);
    int k = q + nd;
    int exp_len = 4 + (nd > 1);
    /* digits before the point; plain when 2 - exp_len <= k <= nd + exp_len */
    int point = (unsigned)(k + exp_len - 2) > (unsigned)(nd + 2 * exp_len - 2) ? 1 : k;
    /* digit i of dg, '0' around them, a '.' before digit point */
    for (int i = point > 0 ? 0 : point - 1; i < (nd > point ? nd : point); i++) {
        if (i == point)
            buf[n++] = '.';
        buf[n++] = (unsigned)i < (unsigned)nd ? dg[i] : '0';
    }
    if (point != k) { /* "e+06", "e-07", "e+300": a sign and two digits at least */
        unsigned x = (unsigned)(k > 0 ? k - 1 : 1 - k);
        buf[n] = 'e';
        buf[n + 1] = k > 0 ? '+' : '-';
        buf[n + 2] = '0'; /* the digits of x overwrite it from 10 up */
        n += 2 + (x < 10);
        n += tern_uint_to_text(x, buf + n);
    }
    return n;
}

/* ---- text -> float ----------------------------------------------------- */

#define EXP_LIMIT 1000000 /* far beyond any finite value: saturate there */

/*
 * The first KEEP_DIGITS significant digits go into m, later non-zero ones
 * only set dropped; exp counts the places m is off from the point (len is
 * far below 2^31: a payload's size).
 */
int tern_text_to_float(const char *s, size_t len, tern_float_t *out)
{
    num_t m;
    int32_t exp = 0;      /* value = m * 10^exp */
    unsigned kept = 0;    /* significant digits in m */
    bool dropped = false; /* a non-zero digit was not kept */
    bool fraction = false;
    size_t run = 0; /* digits in the integer or the fraction part */
    bool negative = len > 0 && s[0] == '-';
    size_t i = negative;
    m.len = 0;
    for (; i < len; i++) {
        uint32_t c = (uint32_t)(s[i] - '0');
        if (s[i] == '.' && !fraction && run > 0) {
            fraction = true;
            run = 0;
            continue;
        }
        if (c > 9)
            break;
        run++;
        if (kept < KEEP_DIGITS) {
            num_muladd(&m, 10, c); /* leading zeros leave m zero */
            kept += m.len != 0;
            exp -= fraction;
        } else {
            dropped |= c != 0;
            exp += !fraction;
        }
    }
    if (run == 0)
        return -TERN_COAP_BAD_REQUEST;
    if (i < len && (s[i] | 0x20) == 'e') {
        uint64_t x;
        bool neg = ++i < len && s[i] == '-';
        i += i < len && (s[i] == '-' || s[i] == '+');
        if (tern_text_to_uint(s + i, len - i, &x) != 0)
            return -TERN_COAP_BAD_REQUEST;
        int32_t sat = x > EXP_LIMIT ? EXP_LIMIT : (int32_t)x;
        exp += neg ? -sat : sat;
        i = len;
    }
    if (kept == 0)
        exp = 0; /* a zero, with its sign */
    /* m * 10^exp is below 10^(kept + exp) and at least a tenth of that */
    int32_t magnitude = (int32_t)kept + exp;
    if (i != len || magnitude > DEC_MAX || magnitude < DEC_MIN)
        return -TERN_COAP_BAD_REQUEST;
    /* room below the point when dividing: a division leaves 2^37 at
     * least (2^63 with double), which tern_float_compose() rounds right */
    int x = exp < 0 ? exp - 16 * DIV_CHUNKS : exp;
    uint64_t top = num_scale(&m, 0, exp, &x);
    return tern_float_compose(negative, top | dropped, x, out) ? 0 : -TERN_COAP_BAD_REQUEST;
}
