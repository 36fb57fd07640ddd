/*
 * Tiles of eight rows for the register kernels (argmin_fma.c, maha_fma.c):
 * the rows transposed so that one vector holds one column of four rows,
 * and the run-time check that the CPU can execute them.
 *
 * MIX_FMA_TILES is 1 where the kernels are built (x86-64 with GCC or
 * Clang); the functions here carry the avx2,fma target themselves, so the
 * rest of the library keeps its baseline instruction set.
 */
#ifndef MIX_FMA_TILE_H
#define MIX_FMA_TILE_H

#include "simd.h"

#include <stddef.h>

#if defined(__x86_64__) && defined(__GNUC__) && !defined(MIX_NO_FMA_KERNEL)
#define MIX_FMA_TILES 1
#include <immintrin.h>

#define FMA_TARGET __attribute__((target("avx2,fma")))
#define TILE 8              /* rows per tile: two vectors */
#define MIX_TILE_MAX_D 64   /* columns served (a tile lives on the stack) */

/* The CPU executes AVX2 and FMA instructions. */
static inline int mix__fma_usable(void)
{
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}

/* Rows i0..i0+7 of U (the first n of them; the others repeat row i0) into
 * the tile T, T[t * 8 + r] = U[i0 + r][t]: 4 x 4 blocks transposed in
 * registers, the last d mod 4 columns one by one. */
FMA_TARGET MIX_ALWAYS_INLINE static inline void load_tile(const double *U, size_t i0, size_t n, size_t d, double *T)
{
    const double *u[TILE];
    for (size_t r = 0; r < TILE; r++)
        u[r] = U + (i0 + (r < n ? r : 0)) * d;
    size_t t = 0;
    for (; t + 4 <= d; t += 4)
        for (size_t h = 0; h < TILE; h += 4) {
            __m256d a = _mm256_loadu_pd(u[h] + t), b = _mm256_loadu_pd(u[h + 1] + t);
            __m256d c = _mm256_loadu_pd(u[h + 2] + t), e = _mm256_loadu_pd(u[h + 3] + t);
            __m256d ab_lo = _mm256_unpacklo_pd(a, b), ab_hi = _mm256_unpackhi_pd(a, b);
            __m256d ce_lo = _mm256_unpacklo_pd(c, e), ce_hi = _mm256_unpackhi_pd(c, e);
            double *o = T + t * TILE + h;
            _mm256_store_pd(o, _mm256_permute2f128_pd(ab_lo, ce_lo, 0x20));
            _mm256_store_pd(o + TILE, _mm256_permute2f128_pd(ab_hi, ce_hi, 0x20));
            _mm256_store_pd(o + 2 * TILE, _mm256_permute2f128_pd(ab_lo, ce_lo, 0x31));
            _mm256_store_pd(o + 3 * TILE, _mm256_permute2f128_pd(ab_hi, ce_hi, 0x31));
        }
    for (; t < d; t++)
        for (size_t r = 0; r < TILE; r++)
            T[t * TILE + r] = u[r][t];
}

/* want2 is a constant in each caller below: the second minimum costs
 * nothing when it is not asked for. */
#else
#define MIX_FMA_TILES 0
#endif

#endif /* MIX_FMA_TILE_H */
