/*
 * Fixed-point numbers for comparisons: value * 2^16 in an int64_t,
 * saturated at +-2^60 so that sums of a few stay in range. Converting
 * from and to tern_float_t works on the IEEE bits with integer code, so
 * the threshold attributes (gt, lt, st) cost no soft-float routines on a
 * core without an FPU.
 */
#ifndef TERN_CORE_FIXED_H
#define TERN_CORE_FIXED_H

#include "tern/types.h"

typedef int64_t tern_fixed_t;

#define TERN_FIXED_ONE ((tern_fixed_t)1 << 16)
#define TERN_FIXED_MAX ((tern_fixed_t)1 << 60)

/* f rounded toward zero to 1/65536; NaN gives 0, infinities saturate. */
tern_fixed_t tern_fixed_from_float(tern_float_t f);

/* i or u, saturated. */
tern_fixed_t tern_fixed_from_int(int64_t i);
tern_fixed_t tern_fixed_from_uint(uint64_t u);

/* The nearest tern_float_t to x / 65536 (ties to even). */
tern_float_t tern_fixed_to_float(tern_fixed_t x);

/*
 * *out = the nearest tern_float_t to +-m * 2^exp2 (ties to even, a
 * subnormal when that small); false when it is too large for the type or
 * is not zero but rounds to zero. A zero m gives a (signed) zero.
 */
bool tern_float_compose(bool negative, uint64_t m, int exp2, tern_float_t *out);

#endif /* TERN_CORE_FIXED_H */
