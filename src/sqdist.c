/* The blocked squared-distance kernel; see sqdist.h. */
#include "sqdist.h"

#include "linalg.h"

void mix__row_norms2(const double *C, size_t k, size_t d, double *norm2)
{
    for (size_t j = 0; j < k; j++) {
        double s = 0;
        for (size_t t = 0; t < d; t++)
            s += C[j * d + t] * C[j * d + t];
        norm2[j] = s;
    }
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
        double u2 = 0;
        for (size_t t = 0; t < d; t++)
            u2 += U[i * d + t] * U[i * d + t];
        for (size_t j = 0; j < k; j++) {
            double v = D[i * k + j] + u2;
            D[i * k + j] = v > 0 ? v : 0;
        }
    }
}

void mix__sqdist_argmin(const double *U, size_t rows, size_t d, const double *C,
                        const double *c_norm2, size_t k, size_t group, double *D,
                        int32_t *label, double *part)
{
    for (size_t j0 = 0; j0 < k; j0 += group) {
        size_t kg = k - j0 < group ? k - j0 : group;
        mix__sqdist_partial(U, rows, d, C + j0 * d, c_norm2 + j0, kg, D);
        for (size_t i = 0; i < rows; i++) {
            const double *Di = D + i * kg;
            size_t best = 0;
            double v = Di[0];
            for (size_t j = 1; j < kg; j++)
                if (Di[j] < v) {
                    v = Di[j];
                    best = j;
                }
            if (j0 == 0 || v < part[i]) {
                part[i] = v;
                label[i] = (int32_t)(j0 + best);
            }
        }
    }
}

double mix__sqdist_direct(const double *a, const double *b, size_t d)
{
    double s = 0;
    for (size_t t = 0; t < d; t++) {
        double e = a[t] - b[t];
        s += e * e;
    }
    return s;
}
