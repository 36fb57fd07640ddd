/*
 * Spherical covariances: one variance per component. The Mahalanobis
 * distance is the squared Euclidean distance times the precision, from the
 * library's one distance kernel (the one K-means uses).
 */
#include "gmm_model.h"

#include "gauss.h"
#include "sqdist.h"

/* pre: ||mu_j||^2 (k) */
static size_t cov_len(size_t k, size_t d) { (void)d; return k; }
static size_t pre_len(size_t k, size_t d) { (void)d; return k; }
static size_t moments_len(size_t k, size_t d) { (void)d; return k; }
static size_t fixed_len(size_t d) { (void)d; return 0; }
static size_t scratch_len(size_t k, size_t d, size_t rows) { (void)k; (void)d; return rows; }
static size_t cov_params(size_t k, size_t d) { (void)d; return k; }

static long precompute(mix__gparams *p)
{
    const size_t k = p->k, d = p->d;
    for (size_t j = 0; j < k; j++) {
        double v = p->cov[j];
        if (!(v > 0) || !isfinite(v))
            return (long)j;
        p->prec_chol[j] = 1.0 / sqrt(v);
        p->log_det[j] = (double)d * log(p->prec_chol[j]);
    }
    mix__row_norms2(p->means, k, d, p->pre);
    return -1;
}

static void log_prob(const mix__gparams *p, const double *U, size_t rows, double *L,
                     double *scratch)
{
    (void)scratch;
    const size_t k = p->k, d = p->d;
    mix__sqdist_partial(U, rows, d, p->means, p->pre, k, L);
    mix__sqdist_complete(U, rows, d, k, L);
    for (size_t i = 0; i < rows; i++)
        for (size_t j = 0; j < k; j++)
            L[i * k + j] *= p->prec_chol[j] * p->prec_chol[j];
    mix__gauss_log_density(L, rows, k, d, p->log_det);
}

static void accumulate(size_t k, size_t d, const double *shift, const double *U, size_t rows,
                       const double *wr, double *M, double *scratch)
{
    (void)shift; /* moments are about the origin of the engine units */
    double *norm2 = scratch;
    mix__row_norms2(U, rows, d, norm2);
    for (size_t i = 0; i < rows; i++)
        for (size_t j = 0; j < k; j++)
            M[j] += wr[i * k + j] * norm2[i];
}

/* The mean over features of the diagonal family's variances. */
static void covariances(mix__gparams *p, const mix__gstats *st, double reg)
{
    const size_t k = p->k, d = p->d;
    for (size_t j = 0; j < k; j++) {
        double inv_nk = 1.0 / st->nk[j], cross = 0, mu2 = 0;
        for (size_t t = 0; t < d; t++) {
            double mu = p->means[j * d + t];
            cross += mu * st->S1[j * d + t] * inv_nk;
            mu2 += mu * mu;
        }
        p->cov[j] = (st->M[j] * inv_nk - 2.0 * cross + mu2) / (double)d + reg;
    }
}

static void correlate(const mix__gparams *p, size_t j, double *Z, size_t rows)
{
    const double s = sqrt(p->cov[j]);
    for (size_t i = 0; i < rows * p->d; i++)
        Z[i] *= s;
}

static double row_work(size_t k, size_t d) { return 2.0 * (double)k * (double)d; }

const mix__family mix__family_spherical = {
    MIX_COV_SPHERICAL, "spherical",
    0, 0, row_work,
    cov_len, pre_len, moments_len, fixed_len, scratch_len, cov_params,
    precompute, log_prob, accumulate, NULL, covariances, correlate,
};
