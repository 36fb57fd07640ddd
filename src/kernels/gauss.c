/* Shared Gaussian pieces; see gauss.h. */
#include "kernels/gauss.h"

#include "core/linalg.h"
#include "kernels/sqdist.h"

#include <math.h>
#include <string.h>

#define LOG_2PI 1.8378770664093453

void mix__gauss_log_density(double *maha, size_t rows, size_t k, size_t d, const double *log_det)
{
    const double c = (double)d * LOG_2PI;
    for (size_t i = 0; i < rows; i++)
        for (size_t j = 0; j < k; j++)
            maha[i * k + j] = -0.5 * (c + maha[i * k + j]) + log_det[j];
}

void mix__gauss_maha_projected(const double *Y, size_t ldy, size_t step, const double *m,
                               size_t rows, size_t k, size_t d, double *maha)
{
    for (size_t i = 0; i < rows; i++)
        for (size_t j = 0; j < k; j++)
            maha[i * k + j] = mix__sqdist_direct(Y + i * ldy + j * step, m + j * d, d);
}

int mix__precision_cholesky(const double *cov, size_t d, double *chol, double *prec,
                            double *log_det)
{
    memcpy(chol, cov, d * d * sizeof(double));
    if (mix__cholesky_lower(chol, d) != 0)
        return 1;
    /* prec = (chol^-1)^T, upper triangular. */
    memcpy(prec, chol, d * d * sizeof(double));
    if (mix__invert_lower(prec, d) != 0)
        return 1;
    double ld = 0;
    for (size_t i = 0; i < d; i++)
        for (size_t j = i + 1; j < d; j++) {
            prec[i * d + j] = prec[j * d + i];
            prec[j * d + i] = 0;
        }
    for (size_t i = 0; i < d; i++) {
        if (!(prec[i * d + i] > 0) || !isfinite(prec[i * d + i]))
            return 1;
        ld += log(prec[i * d + i]);
    }
    *log_det = ld;
    return 0;
}

int mix__cov_from_precision_cholesky(const double *prec, size_t d, double *chol, double *cov,
                                     double *log_det)
{
    double ld = 0;
    for (size_t i = 0; i < d; i++) {
        const double p = prec[i * d + i];
        if (!(p > 0) || !isfinite(p))
            return 1;
        ld += log(p);
    }
    /* chol = (prec^T)^-1, lower triangular. */
    for (size_t i = 0; i < d; i++)
        for (size_t j = 0; j < d; j++)
            chol[i * d + j] = j <= i ? prec[j * d + i] : 0.0;
    if (mix__invert_lower(chol, d) != 0)
        return 1;
    /* cov = chol chol^T: one GEMM (the zeros above the diagonal add
     * nothing), then symmetric exactly. */
    mix__gemm(0, 1, d, d, d, 1.0, chol, d, chol, d, 0.0, cov, d);
    for (size_t r = 0; r < d; r++)
        for (size_t c = 0; c <= r; c++) {
            if (!isfinite(cov[r * d + c]))
                return 1;
            cov[c * d + r] = cov[r * d + c];
        }
    *log_det = ld;
    return 0;
}

void mix__row_times_matrix(const double *mu, const double *P, size_t d, double *m)
{
    for (size_t c = 0; c < d; c++)
        m[c] = 0;
    for (size_t r = 0; r < d; r++)
        for (size_t c = 0; c < d; c++)
            m[c] += mu[r] * P[r * d + c];
}

void mix__lower_times_rows(const double *L, size_t d, double *Z, size_t rows)
{
    for (size_t i = 0; i < rows; i++) {
        double *z = Z + i * d;
        for (size_t r = d; r-- > 0;) {
            double s = 0;
            for (size_t c = 0; c <= r; c++)
                s += L[r * d + c] * z[c];
            z[r] = s;
        }
    }
}
