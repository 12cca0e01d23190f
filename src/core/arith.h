/*
 * 64-bit arithmetic that small cores do cheaply. A plain 64-bit division
 * on a Cortex-M3 calls libgcc's __aeabi_uldivmod (about 700 bytes); the
 * engine only ever divides by small constants (ms -> s), which 32-bit
 * hardware division handles in three steps.
 */
#ifndef TERN_CORE_ARITH_H
#define TERN_CORE_ARITH_H

#include "tern/common.h"

/* n / d for d in 1..65535; the remainder goes to *rem when not NULL. */
uint64_t tern_udiv64(uint64_t n, uint16_t d, uint32_t *rem);

/* Whole seconds in a non-negative number of milliseconds. */
static inline uint64_t tern_ms_to_s(tern_time_t ms)
{
    return ms <= 0 ? 0 : tern_udiv64((uint64_t)ms, 1000, NULL);
}

#endif /* TERN_CORE_ARITH_H */
