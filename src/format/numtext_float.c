/*
 * Floats <-> decimal text, exactly, in integer arithmetic only: the IEEE
 * bits are taken apart and both directions work on a small fixed-size big
 * integer, so no floating-point operation is ever executed (with
 * TERN_WITH_DOUBLE 0 no soft-float routine is linked; with double, none
 * is needed either).
 *
 * Output: the free-format algorithm of Steele & White as refined by
 * Burger & Dybvig ("Printing floating-point numbers quickly and
 * accurately", 1996): digits are generated until the number is closer to
 * v than to either neighbour, which gives the shortest string that reads
 * back to v under round-half-even.
 *
 * Input: the decimal significand (first KEEP_DIGITS digits, plus a sticky
 * digit) and the power of ten become a quotient A / B of big integers,
 * whose binary digits are produced by long division; the rest of the
 * quotient decides the rounding.
 */
#include "format/numtext.h"

#include "core/fixed.h"

#include <string.h>

#if TERN_WITH_DOUBLE
typedef uint64_t bits_t;
#define MANT_BITS 52
#define EXP_FIELD_MAX 0x7ff
#define EXP_BIAS 1023
/* 10^-364 scaled up and 2^1076 are the largest operands: 1216 bits */
#define BIG_WORDS 40
#define KEEP_DIGITS 40
#define DIGITS_MAX 17 /* the shortest digits of any double */
/* a significand of D digits times 10^E overflows when D + E > DEC_MAX and
 * rounds to zero when D + E < DEC_MIN */
#define DEC_MAX 309
#define DEC_MIN (-323)
#else
typedef uint32_t bits_t;
#define MANT_BITS 23
#define EXP_FIELD_MAX 0xff
#define EXP_BIAS 127
/* The largest operand is the 10^66 that divides 21 kept digits (20 and
 * a sticky one) of a number near 10^-45: 220 bits; big_shl() wants a
 * word of room on top. Output needs less: 2^151 * 10 (five words). */
#define BIG_WORDS 8
#define KEEP_DIGITS 20
#define DIGITS_MAX 9 /* the shortest digits of any float */
#define DEC_MAX 39
#define DEC_MIN (-45)
#endif

/* the digits are generated in the caller's buffer after a sign and a
 * free place (tern_float_to_text) */
#if TERN_FLOAT_TEXT_MAX < 2 + DIGITS_MAX
#error "TERN_FLOAT_TEXT_MAX has no room for the digits"
#endif

#define SIGN_SHIFT (sizeof(bits_t) * 8 - 1)
#define HIDDEN ((bits_t)1 << MANT_BITS)
#define EXP_MIN (1 - EXP_BIAS) /* exponent of the smallest normal */

/* Unsigned big integer, little-endian 32-bit words, no leading zero word.
 * `ovf` records an operation that did not fit (never expected: the sizes
 * above cover the extremes; it keeps a mistake from writing past w). */
typedef struct big {
    uint32_t w[BIG_WORDS];
    uint8_t n;
    bool ovf;
} big_t;

static void big_set(big_t *b, uint64_t v)
{
    b->w[0] = (uint32_t)v;
    b->w[1] = (uint32_t)(v >> 32);
    b->n = (uint8_t)(b->w[1] != 0 ? 2 : b->w[0] != 0 ? 1 : 0);
    b->ovf = false;
}

static void big_trim(big_t *b)
{
    while (b->n > 0 && b->w[b->n - 1] == 0)
        b->n--;
}

/* b = b * m + add */
static void big_muladd(big_t *b, uint32_t m, uint32_t add)
{
    uint64_t carry = add;
    for (unsigned i = 0; i < b->n; i++) {
        carry += (uint64_t)b->w[i] * m;
        b->w[i] = (uint32_t)carry;
        carry >>= 32;
    }
    if (carry == 0)
        return;
    if (b->n == BIG_WORDS)
        b->ovf = true;
    else
        b->w[b->n++] = (uint32_t)carry;
}

static void big_shl(big_t *b, unsigned bits)
{
    unsigned words = bits / 32;
    unsigned sh = bits % 32;
    if (b->n == 0)
        return;
    if (b->n + words + 1 > BIG_WORDS) {
        b->ovf = true;
        return;
    }
    /* top down: w[i] is written after the words it is made of are read;
     * the low words are cleared in the same loop (no memset call under
     * the deepest frames) */
    for (unsigned i = b->n + words + 1; i-- > 0;) {
        uint32_t v = 0;
        if (i >= words) {
            unsigned j = i - words;
            if (j < b->n)
                v = b->w[j] << sh;
            if (sh != 0 && j > 0)
                v |= b->w[j - 1] >> (32 - sh);
        }
        b->w[i] = v;
    }
    /* the old top word, not zero, went to w[n - 1 + words] and w[n + words] */
    b->n = (uint8_t)(b->n + words + (b->w[b->n + words] != 0));
}

static void big_mul_pow10(big_t *b, unsigned k)
{
    big_shl(b, k);
    for (; k >= 13; k -= 13)
        big_muladd(b, 1220703125u, 0); /* 5^13, the largest power in 32 bits */
    uint32_t m = 1;
    while (k-- > 0)
        m *= 5;
    big_muladd(b, m, 0);
}

/* Sign of a + k * b - c (k 0, 1 or 2), without room for the sum: the carry
 * out of the top word decides, and the low words only whether it is 0. */
static int big_cmp_sum(const big_t *a, const big_t *b, uint32_t k, const big_t *c)
{
    unsigned n = a->n > b->n ? a->n : b->n;
    n = n > c->n ? n : c->n;
    int64_t carry = 0;
    bool nonzero = false;
    for (unsigned i = 0; i < n; i++) {
        int64_t t = carry + (i < a->n ? a->w[i] : 0) + (int64_t)k * (i < b->n ? b->w[i] : 0)
                    - (i < c->n ? c->w[i] : 0);
        uint32_t low = (uint32_t)t;
        nonzero |= low != 0;
        carry = (t - low) / 4294967296; /* exact: a shift, not a division */
    }
    return carry < 0 ? -1 : (carry > 0 || nonzero) ? 1 : 0;
}

/* Sign of a - b. */
static int big_cmp(const big_t *a, const big_t *b)
{
    return big_cmp_sum(a, a, 0, b);
}

/* a -= b, where a >= b */
static void big_sub(big_t *a, const big_t *b)
{
    uint32_t borrow = 0;
    for (unsigned i = 0; i < a->n; i++) {
        uint64_t d = (uint64_t)a->w[i] - (i < b->n ? b->w[i] : 0) - borrow;
        a->w[i] = (uint32_t)d;
        borrow = (uint32_t)(d >> 63);
    }
    big_trim(a);
}

static unsigned bit_length(uint64_t v)
{
    unsigned n = 0;
    for (; v != 0; v >>= 1)
        n++;
    return n;
}

static unsigned big_bits(const big_t *b)
{
    return b->n == 0 ? 0 : 32 * (b->n - 1) + bit_length(b->w[b->n - 1]);
}

/* ---- float -> text ----------------------------------------------------- */

/* floor(x * log10(2)), never above the true value (78913 / 2^18 is just
 * below log10(2)); |x| < 1100 keeps the product in 32 bits. */
static int floor_log10_pow2(int x)
{
    int32_t p = (int32_t)x * 78913;
    return p >= 0 ? (int)(p >> 18) : -(int)((-p + 262143) >> 18);
}

/*
 * Shortest digits of f * 2^e (f > 0) that read back to it: stores them in
 * dg and returns their count, with *k such that the value is
 * 0.d1d2... * 10^k. mult is 2 when the gap to the upper neighbour is twice
 * the gap to the lower one (f a power of two, not the smallest normal).
 * Returns 0 if the big integers overflowed or more than DIGITS_MAX digits
 * came (neither is expected).
 */
static size_t shortest(bits_t f, int e, uint32_t mult, char *dg, int *k_out)
{
    /* v = r / s, and the midpoints to its neighbours are (r - m) / s and
     * (r + mult * m) / s: everything is doubled so they are integers */
    big_t r, s, m;
    unsigned up = e > 0 ? (unsigned)e : 0;
    unsigned down = e < 0 ? (unsigned)-e : 0;
    bool even = (f & 1) == 0; /* ties read back to v: the bounds count */
    big_set(&r, f);
    big_shl(&r, up + (mult == 2 ? 2 : 1));
    big_set(&s, mult * 2);
    big_shl(&s, down);
    big_set(&m, 1);
    big_shl(&m, up);

    int k = floor_log10_pow2(e + (int)bit_length(f) - 1);
    if (k >= 0) {
        big_mul_pow10(&s, (unsigned)k);
    } else {
        big_mul_pow10(&r, (unsigned)-k);
        big_mul_pow10(&m, (unsigned)-k);
    }
    /* the estimate is never too high; raise it until v's upper bound < 10^k */
    while (big_cmp_sum(&r, &m, mult, &s) >= (even ? 0 : 1)) {
        big_muladd(&s, 10, 0);
        k++;
    }

    size_t n = 0;
    for (;;) {
        big_muladd(&r, 10, 0);
        big_muladd(&m, 10, 0);
        uint32_t d = 0;
        while (big_cmp(&r, &s) >= 0) {
            big_sub(&r, &s);
            d++;
        }
        int lo = big_cmp(&r, &m);
        int hi = big_cmp_sum(&r, &m, mult, &s);
        bool low = even ? lo <= 0 : lo < 0;  /* rounding down stays above the lower bound */
        bool high = even ? hi >= 0 : hi > 0; /* rounding up stays below the upper bound */
        if (r.ovf || s.ovf || m.ovf || n >= DIGITS_MAX)
            return 0;
        if (low && high) {
            int c = big_cmp_sum(&r, &r, 1, &s); /* 2r vs s: which is nearer */
            d += c > 0 || (c == 0 && (d & 1));
        } else if (high) {
            d++; /* never reaches 10: that would have stopped the digit before */
        }
        dg[n++] = (char)('0' + d);
        if (low || high)
            break;
    }
    *k_out = k;
    return n;
}

static size_t put_exponent(char *out, int x)
{
    size_t n = 0;
    out[n++] = 'e';
    out[n++] = x < 0 ? '-' : '+';
    unsigned u = (unsigned)(x < 0 ? -x : x);
    if (u >= 100)
        out[n++] = (char)('0' + u / 100);
    out[n++] = (char)('0' + u / 10 % 10);
    out[n++] = (char)('0' + u % 10);
    return n;
}

/*
 * Lays out 0.d1d2...dn * 10^k, whose digits are at out[1..nd], in place:
 * in plain notation or, when shorter, as d.ddde+XX. Working in the
 * caller's buffer keeps a digit buffer off the stack.
 */
static size_t layout(char *out, size_t nd, int k)
{
    int x = k - 1;
    size_t exp_len = nd + (nd > 1) + 4 + (x >= 100 || x <= -100);
    size_t plain_len = k >= (int)nd ? (size_t)k : k > 0 ? nd + 1 : 2 + (size_t)-k + nd;
    if (plain_len > exp_len) {
        out[0] = out[1];
        if (nd == 1)
            return 1 + put_exponent(out + 1, x);
        out[1] = '.'; /* the other digits are in place already */
        return nd + 1 + put_exponent(out + nd + 1, x);
    }
    if (k <= 0) {
        size_t zeros = (size_t)-k;
        memmove(out + 2 + zeros, out + 1, nd);
        out[0] = '0';
        out[1] = '.';
        memset(out + 2, '0', zeros);
        return 2 + zeros + nd;
    }
    if ((size_t)k < nd) {
        memmove(out, out + 1, (size_t)k);
        out[k] = '.'; /* the fraction's digits are in place already */
        return nd + 1;
    }
    memmove(out, out + 1, nd);
    memset(out + nd, '0', (size_t)k - nd);
    return (size_t)k;
}

size_t tern_float_to_text(tern_float_t v, char *buf)
{
    bits_t bits;
    memcpy(&bits, &v, sizeof(bits));
    unsigned field = (unsigned)(bits >> MANT_BITS) & EXP_FIELD_MAX;
    bits_t frac = bits & (HIDDEN - 1);
    size_t n = 0;
    if (field == EXP_FIELD_MAX)
        return 0;
    if (bits >> SIGN_SHIFT)
        buf[n++] = '-';
    if (field == 0 && frac == 0) {
        buf[n++] = '0';
        return n;
    }
    bits_t f = field != 0 ? frac | HIDDEN : frac;
    int e = (field != 0 ? (int)field : 1) - EXP_BIAS - MANT_BITS;
    uint32_t mult = field > 1 && frac == 0 ? 2 : 1;
    int k;
    /* the digits go one place after where the number starts: layout()
     * moves them into place (sign + 1 + DIGITS_MAX fits the buffer) */
    size_t nd = shortest(f, e, mult, buf + n + 1, &k);
    return nd == 0 ? 0 : n + layout(buf + n, nd, k);
}

/* ---- text -> float ----------------------------------------------------- */

#define EXP_LIMIT 1000000 /* far beyond any finite value: saturate there */

typedef struct decimal {
    big_t m;       /* significant digits kept */
    unsigned kept; /* how many */
    bool dropped;  /* a non-zero digit was not kept */
    int32_t exp;   /* value = m * 10^exp */
} decimal_t;

static void add_exp(int32_t *e, int32_t delta)
{
    *e += delta;
    if (*e > EXP_LIMIT)
        *e = EXP_LIMIT;
    if (*e < -EXP_LIMIT)
        *e = -EXP_LIMIT;
}

/* Reads a run of digits at s[*i]; returns how many. */
static size_t digits(decimal_t *d, const char *s, size_t len, size_t *i, bool fraction)
{
    size_t start = *i;
    for (; *i < len && s[*i] >= '0' && s[*i] <= '9'; (*i)++) {
        uint32_t c = (uint32_t)(s[*i] - '0');
        if (d->kept == 0 && c == 0) {
            if (fraction)
                add_exp(&d->exp, -1); /* a leading zero only moves the point */
        } else if (d->kept < KEEP_DIGITS) {
            big_muladd(&d->m, 10, c);
            d->kept++;
            if (fraction)
                add_exp(&d->exp, -1);
        } else {
            d->dropped |= c != 0;
            if (!fraction)
                add_exp(&d->exp, 1);
        }
    }
    return *i - start;
}

/* Parses the grammar of numtext.h into d; false on anything else. */
static bool scan(decimal_t *d, const char *s, size_t len)
{
    size_t i = s[0] == '-';
    big_set(&d->m, 0);
    d->kept = 0;
    d->dropped = false;
    d->exp = 0;
    if (digits(d, s, len, &i, false) == 0)
        return false;
    if (i < len && s[i] == '.') {
        i++;
        if (digits(d, s, len, &i, true) == 0)
            return false;
    }
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        bool neg = i < len && s[i] == '-';
        i += i < len && (s[i] == '-' || s[i] == '+');
        size_t start = i;
        int32_t x = 0;
        for (; i < len && s[i] >= '0' && s[i] <= '9'; i++)
            x = x < EXP_LIMIT ? x * 10 + (s[i] - '0') : EXP_LIMIT;
        if (i == start)
            return false;
        add_exp(&d->exp, neg ? -x : x);
    }
    return i == len;
}

/*
 * Rounds +-a / b (both scaled freely, a > 0) to the nearest tern_float_t;
 * false when it is too large or rounds to zero.
 */
static bool quotient_float(big_t *a, big_t *b, bool negative, tern_float_t *out)
{
    int shift = (int)big_bits(a) - (int)big_bits(b);
    if (shift > 0)
        big_shl(b, (unsigned)shift);
    else
        big_shl(a, (unsigned)-shift);
    if (big_cmp(a, b) >= 0) {
        big_shl(b, 1);
        shift++;
    }
    /* a / b is in [1/2, 1): v = (a / b) * 2^shift, its top bit weighs 2^lead */
    int lead = shift - 1;
    int p = lead >= EXP_MIN ? MANT_BITS + 1 : MANT_BITS + 1 - (EXP_MIN - lead);
    if (p < 0)
        return false;
    bits_t q = 0;
    for (int i = 0; i <= p; i++) { /* p significant bits, then the rounding bit */
        big_shl(a, 1);
        q <<= 1;
        if (big_cmp(a, b) >= 0) {
            big_sub(a, b);
            q |= 1;
        }
    }
    if (a->ovf || b->ovf)
        return false;
    /* q * 2^(lead - p) is v without the rest of the quotient, which is
     * sticky: one more bit below the rounding bit says whether it is 0 */
    return tern_float_compose(negative, ((uint64_t)q << 1) | (a->n != 0), lead - p - 1, out);
}

int tern_text_to_float(const char *s, size_t len, tern_float_t *out)
{
    decimal_t d;
    big_t b;
    bool negative = len > 0 && s[0] == '-';
    if (len == 0 || !scan(&d, s, len))
        return -TERN_COAP_BAD_REQUEST;
    if (d.dropped) { /* a sticky digit: above the kept digits, below their successor */
        big_muladd(&d.m, 10, 1);
        d.kept++;
        add_exp(&d.exp, -1);
    }
    if (d.kept == 0) {
        (void)tern_float_compose(negative, 0, 0, out); /* a zero keeps its sign */
        return 0;
    }
    int32_t magnitude = (int32_t)d.kept + d.exp;
    if (magnitude > DEC_MAX || magnitude < DEC_MIN)
        return -TERN_COAP_BAD_REQUEST;
    big_set(&b, 1);
    if (d.exp >= 0)
        big_mul_pow10(&d.m, (unsigned)d.exp);
    else
        big_mul_pow10(&b, (unsigned)-d.exp);
    return quotient_float(&d.m, &b, negative, out) ? 0 : -TERN_COAP_BAD_REQUEST;
}
