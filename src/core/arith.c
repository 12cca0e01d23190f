#include "core/arith.h"

uint64_t tern_udiv64(uint64_t n, uint16_t d, uint32_t *rem)
{
    /* long division in 32-, 16- and 16-bit digits: every partial dividend
     * is below d * 2^16, so it fits 32 bits */
    uint32_t hi = (uint32_t)(n >> 32);
    uint32_t q_hi = hi / d;
    uint32_t r = hi % d;
    uint32_t t = (r << 16) | (uint32_t)((n >> 16) & 0xffffu);
    uint32_t q_mid = t / d;
    r = t % d;
    t = (r << 16) | (uint32_t)(n & 0xffffu);
    uint32_t q_lo = t / d;
    if (rem != NULL)
        *rem = t % d;
    return ((uint64_t)q_hi << 32) | ((uint64_t)q_mid << 16) | q_lo;
}
