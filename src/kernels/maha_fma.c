/*
 * Squared Mahalanobis distances of the full-covariance family in registers
 * (AVX2 and FMA), for small d.
 *
 * The GEMM path multiplies a block by [U_1 ... U_k] (each U_j the upper
 * triangular precision factor) into a rows x k d buffer, then takes
 * sum_c (y_c - m_c)^2 row by row. Here a tile of eight rows (fma_tile.h)
 * meets each factor column by column: y_c = sum_{t <= c} u_t U_j[t][c]
 * needs only the triangle, half the multiply-adds of the GEMM, and y never
 * leaves the registers.
 *
 * y_c is one chain of fused multiply-adds over t in order from zero, as in
 * OpenBLAS's main GEMM kernel (the terms left out are products by the
 * triangle's exact zeros, which can change only the sign of a zero y_c,
 * and y_c - m_c then does not depend on it); the squares are summed as
 * mix__sqdist_direct sums them, in four partial sums by c mod 4. So the
 * values equal the GEMM path's except at the edges of OpenBLAS's tiles,
 * where it sums in another order: there they differ in the last bits.
 */
#include "kernels/gauss.h"

#include "kernels/fma_tile.h"

#if MIX__FMA_TILES

/* (e0 .. e3)^2 added to the partial sums s[q] of both halves. */
MIX__FMA_TARGET MIX__ALWAYS_INLINE static inline void add_squares(__m256d s[4][2],
                                                            __m256d acc[][2],
                                                            const double *m, int n)
{
    for (int q = 0; q < n; q++) {
        __m256d mq = _mm256_broadcast_sd(m + q);
        for (int h = 0; h < 2; h++) {
            __m256d e = _mm256_sub_pd(acc[q][h], mq);
            s[q][h] = _mm256_add_pd(s[q][h], _mm256_mul_pd(e, e));
        }
    }
}

/* Distances of the tile T (d x 8) to component j: the factor's columns
 * in groups of four (t up to the group's last column), the d mod 4 last
 * ones one by one into the first partial sum, as sqdist_direct does. */
MIX__FMA_TARGET static void tile_maha(const double *T, size_t d, const double *Uj, size_t ld,
                                 const double *mj, double *out)
{
    __m256d s[4][2];
    for (int q = 0; q < 4; q++)
        s[q][0] = s[q][1] = _mm256_setzero_pd();
    const size_t d4 = d & ~(size_t)3;
    for (size_t c0 = 0; c0 < d4; c0 += 4) {
        __m256d acc[4][2];
        mix__tile_times_four(T, c0 + 4, Uj + c0, ld, acc);
        add_squares(s, acc, mj + c0, 4);
    }
    for (size_t c = d4; c < d; c++) {
        __m256d acc[1][2];
        mix__tile_times_one(T, c + 1, Uj + c, ld, acc[0]);
        add_squares(s, acc, mj + c, 1);
    }
    for (int h = 0; h < 2; h++)
        _mm256_store_pd(out + 4 * h, _mm256_add_pd(_mm256_add_pd(s[0][h], s[1][h]),
                                                   _mm256_add_pd(s[2][h], s[3][h])));
}

MIX__FMA_TARGET static void maha_tiles(const double *U, size_t rows, size_t d, const double *Pcat,
                                       const double *m, size_t k, double *maha)
{
    _Alignas(32) double T[MIX__TILE_MAX_D * MIX__TILE];
    _Alignas(32) double out[MIX__TILE];
    for (size_t i0 = 0; i0 < rows; i0 += MIX__TILE) {
        const size_t n = rows - i0 < MIX__TILE ? rows - i0 : MIX__TILE;
        mix__tile_load(U, i0, n, d, T);
        for (size_t j = 0; j < k; j++) {
            tile_maha(T, d, Pcat + j * d, k * d, m + j * d, out);
            for (size_t r = 0; r < n; r++)
                maha[(i0 + r) * k + j] = out[r];
        }
    }
}

int mix__maha_fma(const double *U, size_t rows, size_t d, const double *Pcat, const double *m,
                  size_t k, double *maha)
{
    if (!mix__tiles_serve(d))
        return 0;
    maha_tiles(U, rows, d, Pcat, m, k, maha);
    return 1;
}

#else

int mix__maha_fma(const double *U, size_t rows, size_t d, const double *Pcat, const double *m,
                  size_t k, double *maha)
{
    (void)U, (void)rows, (void)d, (void)Pcat, (void)m, (void)k, (void)maha;
    return 0;
}

#endif
