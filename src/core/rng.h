/*
 * Per-handle pseudo-random numbers: xoshiro256** (Blackman and Vigna),
 * seeded through splitmix64. Small state, fast, statistically strong, and
 * fully reproducible across platforms: the library never uses rand().
 */
#ifndef MIX__CORE_RNG_H
#define MIX__CORE_RNG_H

#include <stddef.h>
#include <stdint.h>

typedef struct mix__rng {
    uint64_t s[4];
} mix__rng;

void mix__rng_seed(mix__rng *rng, uint64_t seed);
uint64_t mix__rng_next(mix__rng *rng);
/* Uniform double in [0, 1) with 53 random bits. */
double mix__rng_uniform(mix__rng *rng);
/* Uniform integer in [0, bound), without modulo bias; bound >= 1. */
uint64_t mix__rng_below(mix__rng *rng, uint64_t bound);

/* Counter-based draws: a value for (seed, index) alone, so that a row's
 * draw does not depend on which thread, block or process handles it. */
uint64_t mix__rng_mix(uint64_t seed, uint64_t index);
/* Uniform double in [0, 1) for (seed, index). */
double mix__rng_uniform_at(uint64_t seed, uint64_t index);

#endif /* MIX__CORE_RNG_H */
