/*
 * The closest center of each row in registers (AVX2 and FMA, d <= 64),
 * instead of a GEMM into a distance block and a second pass over it.
 *
 * With so few columns a GEMM call spends much of its time packing its
 * operands, and the distance block makes a round trip through memory. Here
 * eight rows at a time are transposed into a tile (one vector of four rows
 * per column), the centers, laid out once per change in groups of four
 * interleaved by column, are broadcast against it, and the running minimum
 * stays in registers. Measured: 1.6 -> 1.2 ms per Lloyd iteration on
 * n = 100k, d = 16, k = 16 and 76 -> 60 ms on n = 200k, d = 64, k = 256
 * (2 threads).
 *
 * Each u.c is one chain of fused multiply-adds over the columns in order,
 * from zero, and ||c||^2 - 2 u.c one more (the product by -2 is exact):
 * what OpenBLAS's main x86-64 GEMM kernel computes, so the values are
 * mostly those of the GEMM path bit for bit; at the edges of its tiles
 * (an odd last row or column of a call) OpenBLAS sums in another order,
 * and there the two differ in the last bits, which can move a near-tie to
 * the other center. Within one fit every assignment (Lloyd, Hamerly, the
 * final relabel) uses this kernel, so they agree exactly with each other.
 * The argmin keeps the first center on ties and the second smallest value
 * is an order statistic, so neither depends on the order of the
 * comparisons.
 */
#include "kernels/sqdist.h"

#include "kernels/fma_tile.h"

#include <math.h>

size_t mix__argmin_layout_len(size_t k, size_t d)
{
    return mix__tiles_serve(d) ? k * d : 0;
}

#if MIX__FMA_TILES

/* The running minimum of two vectors of rows, in registers. */
typedef struct tile_min {
    __m256d best[2], second[2], arg[2];
} tile_min;

/* Fold one center's values v (two vectors of rows) into the minimum:
 * strictly smaller replaces (the first center wins ties), and whichever of
 * the two loses competes for second place. */
MIX__FMA_TARGET static inline void fold(tile_min *m, const __m256d v[2], __m256d jj, int want2)
{
    for (int h = 0; h < 2; h++) {
        __m256d lower = _mm256_cmp_pd(v[h], m->best[h], _CMP_LT_OQ);
        if (want2) {
            __m256d loser = _mm256_blendv_pd(v[h], m->best[h], lower);
            m->second[h] = _mm256_min_pd(loser, m->second[h]);
        }
        m->arg[h] = _mm256_blendv_pd(m->arg[h], jj, lower);
        m->best[h] = _mm256_min_pd(v[h], m->best[h]); /* best where v is not lower */
    }
}

/* Four centers j .. j+3 (their layout G) against the tile T (d x 8). */
MIX__FMA_TARGET static inline void four_centers(const double *T, size_t d, const double *G, size_t j,
                                           const double *c_norm2, tile_min *m, int want2)
{
    __m256d acc[4][2];
    mix__tile_times_four(T, d, G, 4, acc);
    const __m256d m2 = _mm256_set1_pd(-2.0);
#pragma GCC unroll 4
    for (int c = 0; c < 4; c++) {
        __m256d cn = _mm256_broadcast_sd(c_norm2 + j + (size_t)c);
        __m256d v[2] = {_mm256_fmadd_pd(m2, acc[c][0], cn), _mm256_fmadd_pd(m2, acc[c][1], cn)};
        fold(m, v, _mm256_set1_pd((double)(j + (size_t)c)), want2);
    }
}

/* One center, c0 (the k mod 4 left over). */
MIX__FMA_TARGET static inline void one_center(const double *T, size_t d, const double *c0, size_t j,
                                         const double *c_norm2, tile_min *m, int want2)
{
    __m256d acc[2];
    mix__tile_times_one(T, d, c0, 1, acc);
    const __m256d m2 = _mm256_set1_pd(-2.0), cn = _mm256_broadcast_sd(c_norm2 + j);
    __m256d v[2] = {_mm256_fmadd_pd(m2, acc[0], cn), _mm256_fmadd_pd(m2, acc[1], cn)};
    fold(m, v, _mm256_set1_pd((double)j), want2);
}

/* want2 is a constant in each caller below: the second minimum costs
 * nothing when it is not asked for. */
MIX__FMA_TARGET MIX__ALWAYS_INLINE static inline void argmin_tiles(const double *U, size_t rows,
                                                             size_t d, const double *G,
                                                             const double *c_norm2, size_t k,
                                                             int32_t *label, double *part,
                                                             double *part2, int want2)
{
    _Alignas(32) double T[MIX__TILE_MAX_D * MIX__TILE];
    _Alignas(32) double out[3][MIX__TILE];
    const size_t k4 = k & ~(size_t)3;
    for (size_t i0 = 0; i0 < rows; i0 += MIX__TILE) {
        const size_t n = rows - i0 < MIX__TILE ? rows - i0 : MIX__TILE;
        mix__tile_load(U, i0, n, d, T);
        tile_min m;
        for (int h = 0; h < 2; h++) {
            m.best[h] = m.second[h] = _mm256_set1_pd(INFINITY);
            m.arg[h] = _mm256_setzero_pd();
        }
        size_t j = 0;
        for (; j < k4; j += 4)
            four_centers(T, d, G + j * d, j, c_norm2, &m, want2);
        for (; j < k; j++)
            one_center(T, d, G + j * d, j, c_norm2, &m, want2);
        for (int h = 0; h < 2; h++) {
            _mm256_store_pd(out[0] + 4 * h, m.best[h]);
            _mm256_store_pd(out[1] + 4 * h, m.second[h]);
            _mm256_store_pd(out[2] + 4 * h, m.arg[h]);
        }
        for (size_t r = 0; r < n; r++) {
            part[i0 + r] = out[0][r];
            label[i0 + r] = (int32_t)out[2][r];
            if (want2)
                part2[i0 + r] = out[1][r];
        }
    }
}

MIX__FMA_TARGET static void argmin_only(const double *U, size_t rows, size_t d, const double *G,
                                   const double *c_norm2, size_t k, int32_t *label,
                                   double *part)
{
    argmin_tiles(U, rows, d, G, c_norm2, k, label, part, NULL, 0);
}

MIX__FMA_TARGET static void argmin_two(const double *U, size_t rows, size_t d, const double *G,
                                  const double *c_norm2, size_t k, int32_t *label,
                                  double *part, double *part2)
{
    argmin_tiles(U, rows, d, G, c_norm2, k, label, part, part2, 1);
}

void mix__argmin_fma(const double *U, size_t rows, size_t d, const double *G,
                     const double *c_norm2, size_t k, int32_t *label, double *part,
                     double *part2)
{
    if (part2 != NULL)
        argmin_two(U, rows, d, G, c_norm2, k, label, part, part2);
    else
        argmin_only(U, rows, d, G, c_norm2, k, label, part);
}

#else

void mix__argmin_fma(const double *U, size_t rows, size_t d, const double *G,
                     const double *c_norm2, size_t k, int32_t *label, double *part,
                     double *part2)
{
    (void)U, (void)rows, (void)d, (void)G, (void)c_norm2, (void)k, (void)label,
        (void)part, (void)part2;
}

#endif
