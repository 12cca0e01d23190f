/*
 * Number <-> text conversions (numtext.h): integers at their limits, the
 * float notation, correct rounding against the C library, and round trips
 * over sweeps of bit patterns. Built twice: with double and with float
 * (TERN_WITH_DOUBLE 0) as tern_float_t.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "format/numtext.h"

#if TERN_WITH_DOUBLE
typedef uint64_t bits_t;
#define DIGITS 17
#else
typedef uint32_t bits_t;
#define DIGITS 9
#endif

/* xorshift64*: a fixed-seed local generator, the same run every time */
static uint64_t rng_state = 0x9e3779b97f4a7c15u;

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

static tern_float_t from_bits(bits_t b)
{
    tern_float_t v;
    memcpy(&v, &b, sizeof(v));
    return v;
}

static bool is_finite_bits(bits_t b)
{
#if TERN_WITH_DOUBLE
    return ((b >> 52) & 0x7ff) != 0x7ff;
#else
    return ((b >> 23) & 0xff) != 0xff;
#endif
}

/* The C library's correctly rounded reading, to compare with. */
static tern_float_t libc_parse(const char *s)
{
#if TERN_WITH_DOUBLE
    return strtod(s, NULL);
#else
    return strtof(s, NULL);
#endif
}

static void expect_int_text(int64_t v, const char *text)
{
    char buf[TERN_INT_TEXT_MAX + 1];
    size_t n = tern_int_to_text(v, buf);
    buf[n] = '\0';
    assert_string_equal(buf, text);
    int64_t back;
    assert_int_equal(tern_text_to_int(text, strlen(text), &back), 0);
    assert_true(back == v);
}

static void test_int_to_text(void **state)
{
    (void)state;
    expect_int_text(0, "0");
    expect_int_text(7, "7");
    expect_int_text(-1, "-1");
    expect_int_text(10000, "10000");
    expect_int_text(4294967295, "4294967295");
    expect_int_text(4294967296, "4294967296");
    expect_int_text(1000000000000, "1000000000000");
    expect_int_text(100000000000000000, "100000000000000000");
    expect_int_text(INT64_MAX, "9223372036854775807");
    expect_int_text(INT64_MIN, "-9223372036854775808");
    expect_int_text(-4294967296, "-4294967296");

    char buf[TERN_INT_TEXT_MAX];
    assert_int_equal(tern_uint_to_text(UINT64_MAX, buf), 20);
    assert_memory_equal(buf, "18446744073709551615", 20);
    assert_int_equal(tern_uint_to_text(10000000000000000000u, buf), 20);
    assert_memory_equal(buf, "10000000000000000000", 20);
    assert_int_equal(tern_uint_to_text(4294967295u, buf), 10);
    assert_memory_equal(buf, "4294967295", 10);
}

static void test_int_sweep(void **state)
{
    (void)state;
    char buf[TERN_INT_TEXT_MAX + 1];
    char ref[32];
    for (int i = 0; i < 200000; i++) {
        uint64_t r = rng();
        int64_t v;
        memcpy(&v, &r, sizeof(v));
        v >>= rng() % 64; /* every magnitude */
        size_t n = tern_int_to_text(v, buf);
        buf[n] = '\0';
        snprintf(ref, sizeof(ref), "%lld", (long long)v);
        assert_string_equal(buf, ref);
        int64_t back;
        assert_int_equal(tern_text_to_int(buf, n, &back), 0);
        assert_true(back == v);
        uint64_t u = r >> (rng() % 64);
        n = tern_uint_to_text(u, buf);
        buf[n] = '\0';
        snprintf(ref, sizeof(ref), "%llu", (unsigned long long)u);
        assert_string_equal(buf, ref);
        uint64_t uback;
        assert_int_equal(tern_text_to_uint(buf, n, &uback), 0);
        assert_true(uback == u);
    }
}

static void expect_int_error(const char *text)
{
    int64_t v = 42;
    assert_int_equal(tern_text_to_int(text, strlen(text), &v), -TERN_COAP_BAD_REQUEST);
    assert_true(v == 42);
}

static void expect_uint_error(const char *text)
{
    uint64_t v = 42;
    assert_int_equal(tern_text_to_uint(text, strlen(text), &v), -TERN_COAP_BAD_REQUEST);
    assert_true(v == 42);
}

static void test_text_to_int_strict(void **state)
{
    (void)state;
    int64_t v;
    uint64_t u;
    assert_int_equal(tern_text_to_int("-0", 2, &v), 0);
    assert_true(v == 0);
    assert_int_equal(tern_text_to_int("007", 3, &v), 0);
    assert_true(v == 7);
    assert_int_equal(tern_text_to_int("123x", 3, &v), 0); /* exactly len bytes */
    assert_true(v == 123);
    assert_int_equal(tern_text_to_uint("18446744073709551615", 20, &u), 0);
    assert_true(u == UINT64_MAX);

    expect_int_error("");
    expect_int_error("-");
    expect_int_error("+1");
    expect_int_error(" 1");
    expect_int_error("1 ");
    expect_int_error("1.0");
    expect_int_error("1e3");
    expect_int_error("--1");
    expect_int_error("0x10");
    expect_int_error("9223372036854775808");
    expect_int_error("-9223372036854775809");
    expect_int_error("99999999999999999999999");
    expect_uint_error("-1");
    expect_uint_error("-0");
    expect_uint_error("18446744073709551616");
    expect_uint_error("18446744073709551619"); /* the last digit's carry */
    expect_uint_error("18446744073709551620"); /* the product's */
    expect_uint_error("36893488147419103232"); /* 2^65: wraps to a small value */
    expect_int_error("18446744073709551615");
    expect_int_error("-18446744073709551615");
    expect_int_error("-9223372036854775808000");
    assert_int_equal(tern_text_to_int("-4294967296", 11, &v), 0); /* a zero low word */
    assert_true(v == -4294967296);
    assert_int_equal(tern_text_to_int("-9223372036854775808", 20, &v), 0);
    assert_true(v == INT64_MIN);
    expect_uint_error("20000000000000000000");
    expect_uint_error("1/");
    expect_uint_error(":");
    assert_int_equal(tern_text_to_int("1\0", 2, &v), -TERN_COAP_BAD_REQUEST);
}

static void expect_float_text(tern_float_t v, const char *text)
{
    char buf[TERN_FLOAT_TEXT_MAX + 1];
    size_t n = tern_float_to_text(v, buf);
    buf[n] = '\0';
    assert_string_equal(buf, text);
    tern_float_t back;
    assert_int_equal(tern_text_to_float(buf, n, &back), 0);
    assert_true(bits_of(back) == bits_of(v));
}

static void test_float_notation(void **state)
{
    (void)state;
    expect_float_text(1.5, "1.5");
    expect_float_text(-0.25, "-0.25");
    expect_float_text((tern_float_t)22.3, "22.3");
    expect_float_text((tern_float_t)0.1, "0.1");
    expect_float_text(0.0, "0");
    expect_float_text(-(tern_float_t)0.0, "-0");
    expect_float_text(1.0, "1");
    expect_float_text(100.0, "100");
    expect_float_text(12345.0, "12345");
    expect_float_text(1e6, "1e+06");
    expect_float_text(1500000.0, "1500000");
    expect_float_text(0.001, "0.001");
    expect_float_text((tern_float_t)0.0001, "1e-04");
    expect_float_text((tern_float_t)1.5e-7, "1.5e-07");
    expect_float_text((tern_float_t)-12.5, "-12.5");
    expect_float_text((tern_float_t)3.14159, "3.14159");
    expect_float_text((tern_float_t)1e20, "1e+20");
    expect_float_text(16777216.0, "16777216");
#if TERN_WITH_DOUBLE
    expect_float_text(1e300, "1e+300");
    expect_float_text(0.3, "0.3");
    expect_float_text(0.1 + 0.2, "0.30000000000000004");
    expect_float_text(1.7976931348623157e308, "1.7976931348623157e+308");
    expect_float_text(2.2250738585072014e-308, "2.2250738585072014e-308");
    expect_float_text(5e-324, "5e-324");
    expect_float_text(-4.9406564584124654e-324, "-5e-324");
    expect_float_text(9007199254740993.0, "9007199254740992");
    expect_float_text(123456789012345680.0, "123456789012345680");
    expect_float_text(1.2345678901234569e+27, "1.2345678901234569e+27");
    expect_float_text(2.5e-5, "2.5e-05");
#else
    expect_float_text(3.4028235e38f, "3.4028235e+38");
    expect_float_text(1.17549435e-38f, "1.1754944e-38");
    expect_float_text(1.4e-45f, "1e-45");
    expect_float_text(16777217.0f, "16777216");
    expect_float_text(0.3f, "0.3");
    expect_float_text(1e-10f, "1e-10");
#endif
    char buf[TERN_FLOAT_TEXT_MAX];
#if TERN_WITH_DOUBLE
    assert_int_equal(tern_float_to_text(from_bits(0x7ff0000000000000u), buf), 0); /* inf */
    assert_int_equal(tern_float_to_text(from_bits(0xfff8000000000000u), buf), 0); /* nan */
#else
    assert_int_equal(tern_float_to_text(from_bits(0x7f800000u), buf), 0);
    assert_int_equal(tern_float_to_text(from_bits(0x7fc00000u), buf), 0);
#endif
}

static void expect_float(const char *text, tern_float_t want)
{
    tern_float_t v;
    assert_int_equal(tern_text_to_float(text, strlen(text), &v), 0);
    assert_true(bits_of(v) == bits_of(want));
}

static void expect_float_error(const char *text)
{
    tern_float_t v = 7;
    assert_int_equal(tern_text_to_float(text, strlen(text), &v), -TERN_COAP_BAD_REQUEST);
    assert_true(v == 7);
}

static void test_text_to_float(void **state)
{
    (void)state;
    expect_float("-1", -1.0);
    expect_float("2.50", 2.5);
    expect_float("1e3", 1000.0);
    expect_float("6.02E+23", (tern_float_t)6.02e23);
    expect_float("0.000", 0.0);
    expect_float("-0.0e-999999999999", -(tern_float_t)0.0);
    expect_float("00012.5000", 12.5);
    expect_float("1E-2", (tern_float_t)0.01);
    expect_float("12345678901234567890123456789012345678901234567890e-30",
                 (tern_float_t)12345678901234567890.0);
#if TERN_WITH_DOUBLE
    expect_float("9007199254740993", 9007199254740992.0);               /* tie: to even */
    expect_float("9007199254740995", 9007199254740996.0);               /* tie: to even */
    expect_float("9007199254740993.0000000000001", 9007199254740994.0); /* just above */
    expect_float("1.7976931348623157e308", 1.7976931348623157e308);
    expect_float("1.797693134862315807e308", 1.7976931348623157e308);
    expect_float("2.4703282292062328e-324", 4.9406564584124654e-324); /* above half: up */
    expect_float("4.9e-324", 4.9406564584124654e-324);
    expect_float("2.2250738585072011e-308", 2.2250738585072009e-308);
    expect_float_error("1.8e308");
    expect_float_error("1e309");
    expect_float_error("2.4703282292062327e-324"); /* below half the smallest: zero */
    expect_float_error("1e-400");
#else
    expect_float("16777217", 16777216.0f);
    expect_float("16777219", 16777220.0f);
    expect_float("3.4028235e38", 3.4028235e38f);
    expect_float("1.4e-45", 1.4e-45f);
    expect_float("7.1e-46", 1.4e-45f);
    expect_float_error("3.5e38");
    expect_float_error("1e39");
    expect_float_error("7e-46");
    expect_float_error("1e-50");
#endif
    expect_float_error("");
    expect_float_error("-");
    expect_float_error("+1");
    expect_float_error(".5");
    expect_float_error("5.");
    expect_float_error("1e");
    expect_float_error("1e+");
    expect_float_error("1.e5");
    expect_float_error(" 1");
    expect_float_error("1 ");
    expect_float_error("1,5");
    expect_float_error("NaN");
    expect_float_error("nan");
    expect_float_error("Inf");
    expect_float_error("-inf");
    expect_float_error("infinity");
    expect_float_error("0x1p3");
    expect_float_error("1e5e5");
    expect_float_error("--1");
    expect_float_error("1e999999999999999999999");
    expect_float_error("0e99999999999999999999"); /* an exponent beyond 64 bits */
    expect_float("0e9999999999999999999", 0.0);
    expect_float("1e+0000000000000000000000000001", 10.0);
    expect_float_error("1e+-1");
    expect_float_error("1e-+1");
}

/* The C library rounds correctly: ours must agree on arbitrary decimals. */
static void test_correct_rounding(void **state)
{
    (void)state;
    char text[64];
    for (int i = 0; i < 100000; i++) {
        unsigned ndigits = 1 + (unsigned)(rng() % (DIGITS + 4));
        size_t n = 0;
        bool zero = true;
        if (rng() & 1)
            text[n++] = '-';
        for (unsigned d = 0; d < ndigits; d++) {
            text[n] = (char)('0' + rng() % 10);
            zero &= text[n++] == '0';
        }
#if TERN_WITH_DOUBLE
        int e = (int)(rng() % 660) - 340;
#else
        int e = (int)(rng() % 100) - 55;
#endif
        n += (size_t)snprintf(text + n, sizeof(text) - n, "e%d", e);
        tern_float_t want = libc_parse(text);
        tern_float_t got;
        int rc = tern_text_to_float(text, n, &got);
        if (!is_finite_bits(bits_of(want)) || (want == 0 && !zero)) {
            assert_int_equal(rc, -TERN_COAP_BAD_REQUEST); /* overflow, underflow */
            continue;
        }
        if (rc != 0 || bits_of(got) != bits_of(want))
            fail_msg("%s: got %d %.17g want %.17g", text, rc, (double)got, (double)want);
    }
}

/* Our text reads back exactly, through us and through the C library, and
 * nothing shorter would (the C library finds the shortest %.*g). */
static void check_round_trip(bits_t b, bool check_shortest)
{
    tern_float_t v = from_bits(b);
    char buf[TERN_FLOAT_TEXT_MAX + 1];
    size_t n = tern_float_to_text(v, buf);
    if (!is_finite_bits(b)) {
        assert_int_equal(n, 0);
        return;
    }
    assert_true(n > 0 && n <= TERN_FLOAT_TEXT_MAX);
    buf[n] = '\0';
    tern_float_t back;
    if (tern_text_to_float(buf, n, &back) != 0 || bits_of(back) != bits_of(v))
        fail_msg("%s does not read back to %.17g", buf, (double)v);
    if (bits_of(libc_parse(buf)) != b)
        fail_msg("libc reads %s differently", buf);
    if (!check_shortest)
        return;
    size_t digits = 0;
    for (size_t i = 0; i < n && buf[i] != 'e'; i++)
        digits += buf[i] >= '1' && buf[i] <= '9' ? 1 : 0;
    char ref[48];
    for (int prec = 1; prec < DIGITS; prec++) {
        snprintf(ref, sizeof(ref), "%.*e", prec - 1, (double)v);
        if (bits_of(libc_parse(ref)) == b) {
            if ((size_t)prec < digits)
                fail_msg("%s is longer than %s", buf, ref);
            break;
        }
    }
}

static void test_round_trip_sweep(void **state)
{
    (void)state;
#if TERN_WITH_DOUBLE
    for (int i = 0; i < 150000; i++)
        check_round_trip(rng(), i < 20000);
    for (int e = 0; e < 2047; e++) { /* every binade's edges */
        bits_t b = (bits_t)e << 52;
        check_round_trip(b, true);
        check_round_trip(b | 1, true);
        check_round_trip(b | 0xfffffffffffffu, true);
        check_round_trip(b | (1ull << 63), false);
    }
    for (bits_t m = 1; m < 4096; m++)
        check_round_trip(m, true); /* the smallest subnormals */
#else
    /* every 2039th single (2.1 million of them, all exponents), plus the
     * edges of each binade; TERN_NUMTEXT_STRIDE=1 checks every single */
    const char *env = getenv("TERN_NUMTEXT_STRIDE");
    uint64_t stride = env != NULL && atoi(env) > 0 ? (uint64_t)atoi(env) : 2039;
    for (uint64_t b = 0; b <= 0xffffffffu; b += stride)
        check_round_trip((bits_t)b, (b % 101) == 0);
    for (uint32_t e = 0; e < 256; e++) {
        for (uint32_t m = 0; m < 64; m++) {
            check_round_trip(e << 23 | m, true);
            check_round_trip(e << 23 | (0x7fffff - m), true);
        }
    }
#endif
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_int_to_text),        cmocka_unit_test(test_int_sweep),
        cmocka_unit_test(test_text_to_int_strict), cmocka_unit_test(test_float_notation),
        cmocka_unit_test(test_text_to_float),      cmocka_unit_test(test_correct_rounding),
        cmocka_unit_test(test_round_trip_sweep),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
