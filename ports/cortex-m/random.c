/* xorshift128 with entropy mixing (see random.h). */
#include "random.h"

void tern_cm_random_init(tern_cm_random_t *r)
{
    /* any non-zero state; these are the ones of Marsaglia's paper */
    r->s[0] = 123456789u;
    r->s[1] = 362436069u;
    r->s[2] = 521288629u;
    r->s[3] = 88675123u;
}

uint32_t tern_cm_random_next(tern_cm_random_t *r)
{
    uint32_t t = r->s[0] ^ (r->s[0] << 11);
    r->s[0] = r->s[1];
    r->s[1] = r->s[2];
    r->s[2] = r->s[3];
    r->s[3] = r->s[3] ^ (r->s[3] >> 19) ^ t ^ (t >> 8);
    return r->s[3];
}

void tern_cm_random_mix(tern_cm_random_t *r, const void *data, size_t len)
{
    const uint8_t *p = data;
    for (size_t i = 0; i < len; i++) {
        /* fold each byte into one word with a multiplicative hash step,
         * then run the generator so it spreads to the whole state */
        uint32_t *w = &r->s[i & 3u];
        *w = (*w ^ p[i]) * 0x9E3779B1u;
        *w ^= *w >> 15;
        (void)tern_cm_random_next(r);
    }
    if ((r->s[0] | r->s[1] | r->s[2] | r->s[3]) == 0)
        tern_cm_random_init(r); /* xorshift's one forbidden state */
}
