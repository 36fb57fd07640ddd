/*
 * Tiles of eight rows for the register kernels (argmin_fma.c, maha_fma.c):
 * the rows transposed so that one vector holds one column of four rows,
 * and the run-time check that the CPU can execute them.
 *
 * MIX__FMA_TILES is 1 where the kernels are built (x86-64 with GCC or
 * Clang); the functions here carry the avx2,fma target themselves, so the
 * rest of the library keeps its baseline instruction set.
 */
#ifndef MIX__KERNELS_FMA_TILE_H
#define MIX__KERNELS_FMA_TILE_H

#include "core/simd.h"

#include <stddef.h>

/* Whether the kernels run on this CPU for rows of `cols` columns. */
int mix__tiles_serve(size_t cols);

/*
 * k rows of cols values (C, k x cols) as the kernels read them: groups of
 * four rows interleaved by column, G[j cols + t 4 + c] = C[j + c][t], then
 * the k mod 4 last rows as they are; k x cols doubles. Made once whenever
 * C changes.
 */
void mix__tile_layout(const double *C, size_t k, size_t cols, double *G);

#if defined(__x86_64__) && defined(__GNUC__) && !defined(MIX_NO_FMA_KERNEL)
#define MIX__FMA_TILES 1
#include <immintrin.h>

#define MIX__FMA_TARGET __attribute__((target("avx2,fma")))
#define MIX__TILE 8              /* rows per tile: two vectors */
/* Columns of a tile (it lives on the stack). Measured faster than the GEMM
 * path at d = 16 and 64 (K-means) and d = 16 (full covariances); with 128
 * columns (the diagonal family's [u^2, u] at d = 64) OpenBLAS was faster. */
#define MIX__TILE_MAX_D 64

/* The CPU executes AVX2 and FMA instructions. */
static inline int mix__fma_usable(void)
{
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}

/* Rows i0..i0+7 of U (the first n of them; the others repeat row i0) into
 * the tile T, T[t * 8 + r] = U[i0 + r][t]: 4 x 4 blocks transposed in
 * registers, the last d mod 4 columns one by one. */
MIX__FMA_TARGET MIX__ALWAYS_INLINE static inline void mix__tile_load(const double *U, size_t i0, size_t n, size_t d, double *T)
{
    const double *u[MIX__TILE];
    for (size_t r = 0; r < MIX__TILE; r++)
        u[r] = U + (i0 + (r < n ? r : 0)) * d;
    size_t t = 0;
    for (; t + 4 <= d; t += 4)
        for (size_t h = 0; h < MIX__TILE; h += 4) {
            __m256d a = _mm256_loadu_pd(u[h] + t), b = _mm256_loadu_pd(u[h + 1] + t);
            __m256d c = _mm256_loadu_pd(u[h + 2] + t), e = _mm256_loadu_pd(u[h + 3] + t);
            __m256d ab_lo = _mm256_unpacklo_pd(a, b), ab_hi = _mm256_unpackhi_pd(a, b);
            __m256d ce_lo = _mm256_unpacklo_pd(c, e), ce_hi = _mm256_unpackhi_pd(c, e);
            double *o = T + t * MIX__TILE + h;
            _mm256_store_pd(o, _mm256_permute2f128_pd(ab_lo, ce_lo, 0x20));
            _mm256_store_pd(o + MIX__TILE, _mm256_permute2f128_pd(ab_hi, ce_hi, 0x20));
            _mm256_store_pd(o + 2 * MIX__TILE, _mm256_permute2f128_pd(ab_lo, ce_lo, 0x31));
            _mm256_store_pd(o + 3 * MIX__TILE, _mm256_permute2f128_pd(ab_hi, ce_hi, 0x31));
        }
    for (; t < d; t++)
        for (size_t r = 0; r < MIX__TILE; r++)
            T[t * MIX__TILE + r] = u[r][t];
}

/* acc[c][h] = sum_t T[t][4h .. 4h+3] G[t * step + c] over t < cols: four
 * rows of a matrix (the layout of mix__tile_layout: step 4) or four
 * consecutive columns of a row-major one (step: its row length) against
 * the tile. Each value is one chain of fused multiply-adds from zero, t in
 * order, as OpenBLAS's main x86-64 GEMM kernel accumulates a dot product. */
MIX__FMA_TARGET MIX__ALWAYS_INLINE static inline void mix__tile_times_four(const double *T, size_t cols,
                                                                const double *G, size_t step,
                                                                __m256d acc[4][2])
{
    for (int c = 0; c < 4; c++)
        acc[c][0] = acc[c][1] = _mm256_setzero_pd();
    for (size_t t = 0; t < cols; t++, T += MIX__TILE, G += step) {
        __m256d r0 = _mm256_load_pd(T), r1 = _mm256_load_pd(T + 4);
#pragma GCC unroll 4
        for (int c = 0; c < 4; c++) {
            __m256d b = _mm256_broadcast_sd(G + c);
            acc[c][0] = _mm256_fmadd_pd(b, r0, acc[c][0]);
            acc[c][1] = _mm256_fmadd_pd(b, r1, acc[c][1]);
        }
    }
}

/* The same for one vector g[t * step], t < cols. */
MIX__FMA_TARGET MIX__ALWAYS_INLINE static inline void mix__tile_times_one(const double *T, size_t cols,
                                                               const double *g, size_t step,
                                                               __m256d acc[2])
{
    acc[0] = acc[1] = _mm256_setzero_pd();
    for (size_t t = 0; t < cols; t++, T += MIX__TILE, g += step) {
        __m256d b = _mm256_broadcast_sd(g);
        acc[0] = _mm256_fmadd_pd(b, _mm256_load_pd(T), acc[0]);
        acc[1] = _mm256_fmadd_pd(b, _mm256_load_pd(T + 4), acc[1]);
    }
}

#else
#define MIX__FMA_TILES 0
#endif

#endif /* MIX__KERNELS_FMA_TILE_H */
