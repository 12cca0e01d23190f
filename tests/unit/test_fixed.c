/* Fixed-point conversions (src/core/fixed.h), in the library's float width. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <float.h>
#include <string.h>

#include <cmocka.h>

#include "core/fixed.h"

static void test_exact_values(void **state)
{
    (void)state;
    const struct {
        tern_float_t f;
        tern_fixed_t x;
    } cases[] = {
        { 0, 0 },
        { 1, TERN_FIXED_ONE },
        { -1, -TERN_FIXED_ONE },
        { (tern_float_t)0.5, TERN_FIXED_ONE / 2 },
        { (tern_float_t)-2.25, -TERN_FIXED_ONE * 9 / 4 },
        { (tern_float_t)1024.75, TERN_FIXED_ONE * 4099 / 4 },
        { (tern_float_t)1.0 / 65536, 1 },
        { (tern_float_t)16777216, TERN_FIXED_ONE * 16777216 },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        assert_true(tern_fixed_from_float(cases[i].f) == cases[i].x);
        assert_true(tern_fixed_to_float(cases[i].x) == cases[i].f);
    }
}

static void test_rounding_and_range(void **state)
{
    (void)state;
    /* below 1/65536: toward zero */
    assert_true(tern_fixed_from_float((tern_float_t)1.0 / 131072) == 0);
    assert_true(tern_fixed_from_float((tern_float_t)-1.0 / 131072) == 0);
    /* saturation */
    assert_true(tern_fixed_from_float((tern_float_t)1e30) == TERN_FIXED_MAX);
    assert_true(tern_fixed_from_float((tern_float_t)-1e30) == -TERN_FIXED_MAX);
    assert_true(tern_fixed_from_int(INT64_MAX) == TERN_FIXED_MAX);
    assert_true(tern_fixed_from_int(INT64_MIN) == -TERN_FIXED_MAX);
    assert_true(tern_fixed_from_uint(UINT64_MAX) == TERN_FIXED_MAX);
    assert_true(tern_fixed_from_int(-7) == -7 * TERN_FIXED_ONE);
    /* the edges of saturation */
    const int64_t edge = TERN_FIXED_MAX / TERN_FIXED_ONE;
    assert_true(tern_fixed_from_int(edge) == TERN_FIXED_MAX);
    assert_true(tern_fixed_from_int(edge - 1) == TERN_FIXED_MAX - TERN_FIXED_ONE);
    assert_true(tern_fixed_from_int(edge + 1) == TERN_FIXED_MAX);
    assert_true(tern_fixed_from_int(-edge) == -TERN_FIXED_MAX);
    assert_true(tern_fixed_from_int(-edge - 1) == -TERN_FIXED_MAX);
    assert_true(tern_fixed_from_int(1 - edge) == TERN_FIXED_ONE - TERN_FIXED_MAX);
    assert_true(tern_fixed_from_uint(7) == 7 * TERN_FIXED_ONE);
    /* order is kept: what thresholds rely on */
    tern_float_t prev = (tern_float_t)-1000;
    for (int i = 0; i < 4000; i++) {
        tern_float_t f = prev + (tern_float_t)0.5;
        assert_true(tern_fixed_from_float(prev) < tern_fixed_from_float(f));
        prev = f;
    }
    /* to float: ties to even at the precision edge */
    tern_fixed_t big = ((tern_fixed_t)1 << 40) + 1; /* not exact in float */
    tern_float_t f = tern_fixed_to_float(big);
    assert_true(tern_fixed_from_float(f) - big <= ((tern_fixed_t)1 << 40 >> 23)
                && big - tern_fixed_from_float(f) <= ((tern_fixed_t)1 << 40 >> 23));
    assert_true(tern_fixed_to_float(0) == 0);
}

#if TERN_WITH_DOUBLE
typedef uint64_t bits_t;
#define MANT_BITS 52
#define EXP_RANGE 1100 /* exp2 + bit length of m spans past both ends */
#else
typedef uint32_t bits_t;
#define MANT_BITS 23
#define EXP_RANGE 160
#endif

/* xorshift64*: a fixed-seed local generator, the same run every time */
static uint64_t rng_state = 0x2545f4914f6cdd1du;

static uint64_t rng(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 2685821657736338717u;
}

static bits_t bits_of(tern_float_t v)
{
    bits_t b;
    memcpy(&b, &v, sizeof(b));
    return b;
}

/* m * 2^e, exactly: long double holds any uint64 and the exponents here */
static long double exact(uint64_t m, int e)
{
    long double x = (long double)m;
    for (; e > 0; e--)
        x *= 2;
    for (; e < 0; e++)
        x /= 2;
    return x;
}

/* tern_float_compose() against the C library's (hardware's) rounding of
 * the exact value: every bit length of m, all exponents, ties, sticky
 * bits far below the rounding bit, subnormals, overflow. */
static void test_compose(void **state)
{
    (void)state;
    if (LDBL_MANT_DIG < 64 || LDBL_MAX_EXP < 2 * EXP_RANGE)
        skip();
    for (int i = 0; i < 400000; i++) {
        uint64_t m = rng() >> (rng() % 64);
        if (i % 4 == 1) /* a tie or near one at some bit */
            m = (m | 1) << (rng() % 40) >> (rng() % 20);
        int top = 63;
        while (top > 0 && !(m >> top))
            top--;
        int e = (int)(rng() % (2 * EXP_RANGE)) - EXP_RANGE - top;
        bool negative = rng() & 1;
        long double x = exact(m, e);
        tern_float_t want = (tern_float_t)(negative ? -x : x);
        tern_float_t got = 7;
        bool ok = tern_float_compose(negative, m, e, &got);
        bits_t w = bits_of(want);
        bool finite = ((w << 1) >> (MANT_BITS + 1))
                      != (((bits_t)1 << (sizeof(bits_t) * 8 - MANT_BITS - 1)) - 1);
        if (!finite || (m != 0 && (w << 1) == 0)) {
            if (ok)
                fail_msg("%llu * 2^%d: want out of range", (unsigned long long)m, e);
            continue;
        }
        if (!ok || bits_of(got) != w)
            fail_msg("%llu * 2^%d: got %d %.17Lg want %.17Lg", (unsigned long long)m, e, ok,
                     (long double)got, (long double)want);
    }
}

/* tern_fixed_from_float() is the exact value times 2^16 toward zero. */
static void test_from_float_sweep(void **state)
{
    (void)state;
    if (LDBL_MANT_DIG < 64)
        skip();
    for (int i = 0; i < 400000; i++) {
        bits_t b = (bits_t)rng();
        tern_float_t f;
        memcpy(&f, &b, sizeof(f));
        if (f != f) {
            assert_true(tern_fixed_from_float(f) == 0);
            continue;
        }
        long double x = (long double)f * 65536;
        tern_fixed_t want = x >= (long double)TERN_FIXED_MAX    ? TERN_FIXED_MAX
                            : x <= -(long double)TERN_FIXED_MAX ? -TERN_FIXED_MAX
                                                                : (tern_fixed_t)x;
        if (tern_fixed_from_float(f) != want)
            fail_msg("%.17Lg: got %lld want %lld", (long double)f,
                     (long long)tern_fixed_from_float(f), (long long)want);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exact_values),
        cmocka_unit_test(test_rounding_and_range),
        cmocka_unit_test(test_compose),
        cmocka_unit_test(test_from_float_sweep),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
