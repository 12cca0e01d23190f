/*
 * The port's random numbers: xorshift128 (Marsaglia, 2003) seeded from
 * whatever entropy the device can gather. The LM3S6965 has no hardware
 * random number generator; the seed mixes the host's random bytes (the
 * bridge's CONFIG seed=), the chip's unique words (USER0/USER1, its MAC
 * address) and SysTick timing jitter of received bytes.
 *
 * NOT cryptographically secure: fine for CoAP message IDs and tokens
 * over plain UDP, which is why this port offers no DTLS.
 */
#ifndef TERN_CM_RANDOM_H
#define TERN_CM_RANDOM_H

#include <stddef.h>
#include <stdint.h>

typedef struct tern_cm_random {
    uint32_t s[4];
} tern_cm_random_t;

/* Starts from a fixed non-zero state; then mix in everything you have. */
void tern_cm_random_init(tern_cm_random_t *r);

/* Stirs len bytes of entropy (of any quality) into the state. */
void tern_cm_random_mix(tern_cm_random_t *r, const void *data, size_t len);

/* The next 32 pseudo-random bits. */
uint32_t tern_cm_random_next(tern_cm_random_t *r);

#endif
