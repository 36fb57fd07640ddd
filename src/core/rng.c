/* xoshiro256** seeded by splitmix64; see rng.h. */
#include "core/rng.h"

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

void mix__rng_seed(mix__rng *rng, uint64_t seed)
{
    uint64_t x = seed;
    for (int i = 0; i < 4; i++)
        rng->s[i] = splitmix64(&x);
}

uint64_t mix__rng_next(mix__rng *rng)
{
    uint64_t *s = rng->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

double mix__rng_uniform(mix__rng *rng)
{
    return (double)(mix__rng_next(rng) >> 11) * 0x1.0p-53;
}

uint64_t mix__rng_below(mix__rng *rng, uint64_t bound)
{
    /* Rejection on the low end of the range (Lemire's threshold). */
    uint64_t threshold = (0 - bound) % bound;
    for (;;) {
        uint64_t r = mix__rng_next(rng);
        if (r >= threshold)
            return r % bound;
    }
}

/* splitmix64's finaliser (a bijection of 64-bit words). */
static uint64_t fmix(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

uint64_t mix__rng_mix(uint64_t seed, uint64_t index)
{
    /* The seed hashed, then the index mixed in and hashed again: nearby
     * seeds and indices give unrelated values. */
    return fmix(fmix(seed + 0x9e3779b97f4a7c15u) ^ (index * 0xd1b54a32d192ed03u));
}

double mix__rng_uniform_at(uint64_t seed, uint64_t index)
{
    return (double)(mix__rng_mix(seed, index) >> 11) * 0x1.0p-53;
}
