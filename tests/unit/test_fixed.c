/* Fixed-point conversions (src/core/fixed.h), in the library's float width. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exact_values),
        cmocka_unit_test(test_rounding_and_range),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
