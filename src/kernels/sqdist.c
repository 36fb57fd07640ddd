/* The blocked squared-distance kernel; see sqdist.h. */
#include "kernels/sqdist.h"

#include "core/linalg.h"
#include "core/simd.h"

#include <math.h>

double mix__norm2(const double *a, size_t d)
{
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    size_t t = 0;
    for (; t + 4 <= d; t += 4) {
        s0 += a[t] * a[t];
        s1 += a[t + 1] * a[t + 1];
        s2 += a[t + 2] * a[t + 2];
        s3 += a[t + 3] * a[t + 3];
    }
    for (; t < d; t++)
        s0 += a[t] * a[t];
    return (s0 + s1) + (s2 + s3);
}

void mix__row_norms2(const double *C, size_t k, size_t d, double *norm2)
{
    for (size_t j = 0; j < k; j++)
        norm2[j] = mix__norm2(C + j * d, d);
}

void mix__sqdist_partial(const double *U, size_t rows, size_t d, const double *C,
                         const double *c_norm2, size_t k, double *D)
{
    for (size_t i = 0; i < rows; i++)
        for (size_t j = 0; j < k; j++)
            D[i * k + j] = c_norm2[j];
    mix__gemm(0, 1, rows, k, d, -2.0, U, d, C, d, 1.0, D, k);
}

void mix__sqdist_complete(const double *U, size_t rows, size_t d, size_t k, double *D)
{
    for (size_t i = 0; i < rows; i++) {
        double u2 = mix__norm2(U + i * d, d);
        for (size_t j = 0; j < k; j++) {
            double v = D[i * k + j] + u2;
            D[i * k + j] = v > 0 ? v : 0;
        }
    }
}

/*
 * Running minimum over one group of centers, row by row in the inner loop
 * so that it vectorises: D holds -2 c_j.u_i for the group's centers j (one
 * row of D per center, one column per data row). c_norm2[j] + D is the
 * value scikit-learn's GEMM with beta = 1 produces (the product by -2 is
 * exact and either way the sum is rounded once).
 */
MIX__TARGET_CLONES MIX__VECTORIZE MIX__NOINLINE
static void running_min(const double *D, size_t rows, size_t kg, size_t j0,
                        const double *c_norm2, double *best, double *second, double *arg)
{
    for (size_t j = 0; j < kg; j++) {
        const double *Dj = D + j * rows, cn = c_norm2[j];
        const double jj = (double)(j0 + j);
        if (second != NULL)
            for (size_t i = 0; i < rows; i++) {
                double v = cn + Dj[i], b = best[i];
                uint64_t lower = -(uint64_t)(v < b);
                double loser = mix__select(lower, b, v);
                second[i] = mix__select(-(uint64_t)(loser < second[i]), loser, second[i]);
                arg[i] = mix__select(lower, jj, arg[i]);
                best[i] = mix__select(lower, v, b);
            }
        else
            for (size_t i = 0; i < rows; i++) {
                double v = cn + Dj[i], b = best[i];
                uint64_t lower = -(uint64_t)(v < b);
                arg[i] = mix__select(lower, jj, arg[i]);
                best[i] = mix__select(lower, v, b);
            }
    }
}

void mix__sqdist_argmin(const double *U, size_t rows, size_t d, const double *C,
                        const double *G, const double *c_norm2, size_t k, size_t group,
                        double *D, int32_t *label, double *part, double *part2)
{
    if (G != NULL) {
        mix__argmin_fma(U, rows, d, G, c_norm2, k, label, part, part2);
        return;
    }
    /* The label is carried as a double (exact below 2^53) so that the loop
     * has one element width; part2 starts at +infinity. */
    double *arg = D + group * rows;
    for (size_t i = 0; i < rows; i++) {
        part[i] = INFINITY;
        arg[i] = 0;
        if (part2 != NULL)
            part2[i] = INFINITY;
    }
    for (size_t j0 = 0; j0 < k; j0 += group) {
        size_t kg = k - j0 < group ? k - j0 : group;
        mix__gemm(0, 1, kg, rows, d, -2.0, C + j0 * d, d, U, d, 0.0, D, rows);
        running_min(D, rows, kg, j0, c_norm2 + j0, part, part2, arg);
    }
    for (size_t i = 0; i < rows; i++)
        label[i] = (int32_t)arg[i];
}

double mix__sqdist_direct(const double *a, const double *b, size_t d)
{
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    size_t t = 0;
    for (; t + 4 <= d; t += 4) {
        double e0 = a[t] - b[t], e1 = a[t + 1] - b[t + 1];
        double e2 = a[t + 2] - b[t + 2], e3 = a[t + 3] - b[t + 3];
        s0 += e0 * e0;
        s1 += e1 * e1;
        s2 += e2 * e2;
        s3 += e3 * e3;
    }
    for (; t < d; t++) {
        double e = a[t] - b[t];
        s0 += e * e;
    }
    return (s0 + s1) + (s2 + s3);
}
