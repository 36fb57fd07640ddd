/* Exact distances against panels of points; see dist_panel.h. */
#include "kernels/dist_panel.h"

#include <math.h>

void mix__panel_layout(const double *X, const uint32_t *order, size_t n, size_t d, double scale,
                       double *P)
{
    size_t n_pad = (n + MIX__PANEL - 1) / MIX__PANEL * MIX__PANEL;
    for (size_t j = 0; j < n_pad; j++) {
        double *dst = P + j / MIX__PANEL * MIX__PANEL * d + j % MIX__PANEL;
        const double *x = j < n ? X + (order ? order[j] : j) * d : NULL;
        for (size_t t = 0; t < d; t++)
            dst[t * MIX__PANEL] = x ? x[t] * scale : 0.0;
    }
}

/* Coordinate t of point r sits at row(r)[t * MIX__PANEL]. */
static inline const double *row(const double *P, size_t d, size_t r)
{
    return P + r / MIX__PANEL * MIX__PANEL * d + r % MIX__PANEL;
}

/* The portable loop: one distance at a time, t in order. */
static void four_panels_plain(const double *P, size_t d, size_t r0, size_t p0, size_t p1,
                              double *D, size_t ld)
{
    for (size_t q = 0; q < 4; q++) {
        const double *x = row(P, d, r0 + q);
        for (size_t p = p0; p < p1; p++)
            for (size_t l = 0; l < MIX__PANEL; l++) {
                const double *y = P + p * MIX__PANEL * d + l;
                double s = 0.0;
                for (size_t t = 0; t < d; t++) {
                    double diff = y[t * MIX__PANEL] - x[t * MIX__PANEL];
                    s += diff * diff;
                }
                D[q * ld + (p - p0) * MIX__PANEL + l] = sqrt(s);
            }
    }
}

#if defined(__x86_64__) && defined(__GNUC__) && !defined(MIX_NO_FMA_KERNEL)
#include <immintrin.h>

/* Four points against one panel: 4 x 8 sums in eight registers, each lane
 * the portable loop's chain (subtract, square, add; no fused multiply-add). */
__attribute__((target("avx2"))) static void four_panels_avx2(const double *P, size_t d, size_t r0,
                                                             size_t p0, size_t p1, double *D,
                                                             size_t ld)
{
    const double *x[4];
    for (size_t q = 0; q < 4; q++)
        x[q] = row(P, d, r0 + q);
    for (size_t p = p0; p < p1; p++) {
        const double *y = P + p * MIX__PANEL * d;
        __m256d acc[4][2];
        for (int q = 0; q < 4; q++)
            acc[q][0] = acc[q][1] = _mm256_setzero_pd();
        for (size_t t = 0; t < d; t++) {
            __m256d y0 = _mm256_loadu_pd(y + t * MIX__PANEL), y1 = _mm256_loadu_pd(y + t * MIX__PANEL + 4);
#pragma GCC unroll 4
            for (int q = 0; q < 4; q++) {
                __m256d xq = _mm256_broadcast_sd(x[q] + t * MIX__PANEL);
                __m256d e0 = _mm256_sub_pd(y0, xq), e1 = _mm256_sub_pd(y1, xq);
                acc[q][0] = _mm256_add_pd(acc[q][0], _mm256_mul_pd(e0, e0));
                acc[q][1] = _mm256_add_pd(acc[q][1], _mm256_mul_pd(e1, e1));
            }
        }
        double *o = D + (p - p0) * MIX__PANEL;
        for (int q = 0; q < 4; q++) {
            _mm256_storeu_pd(o + q * ld, _mm256_sqrt_pd(acc[q][0]));
            _mm256_storeu_pd(o + q * ld + 4, _mm256_sqrt_pd(acc[q][1]));
        }
    }
}

void mix__dist_four_panels(const double *P, size_t d, size_t r0, size_t p0, size_t p1, double *D,
                           size_t ld)
{
    if (__builtin_cpu_supports("avx2"))
        four_panels_avx2(P, d, r0, p0, p1, D, ld);
    else
        four_panels_plain(P, d, r0, p0, p1, D, ld);
}

#else

void mix__dist_four_panels(const double *P, size_t d, size_t r0, size_t p0, size_t p1, double *D,
                           size_t ld)
{
    four_panels_plain(P, d, r0, p0, p1, D, ld);
}

#endif
