/*
 * Spherical covariances: one variance per component. The Mahalanobis
 * distance is the squared Euclidean distance times the precision, from the
 * GEMM distance kernel (kernels/sqdist.h).
 */
#include "gmm/families.h"

#include "kernels/gauss.h"
#include "kernels/sqdist.h"

/* pre: ||mu_j||^2 (k) */
static long precompute(mix__params *p, mix__from from)
{
    const size_t k = p->k, d = p->d;
    for (size_t j = 0; j < k; j++) {
        if (from == MIX__FROM_COV) {
            double v = p->cov[j];
            if (!(v > 0) || !isfinite(v))
                return (long)j;
            p->prec_chol[j] = 1.0 / sqrt(v);
        } else {
            double pc = p->prec_chol[j], v = 1.0 / (pc * pc);
            if (!(pc > 0) || !isfinite(pc) || !isfinite(v) || !(v > 0))
                return (long)j;
            if (from == MIX__FROM_PREC)
                p->cov[j] = v;
        }
        if (from != MIX__FROM_LOADED)
            p->log_det[j] = (double)d * log(p->prec_chol[j]);
    }
    mix__row_norms2(p->means, k, d, p->pre);
    return -1;
}

static void log_prob(const mix__params *p, const double *U, size_t rows, double *logp,
                     double *scratch)
{
    (void)scratch;
    const size_t k = p->k, d = p->d;
    mix__sqdist_partial(U, rows, d, p->means, p->pre, k, logp);
    mix__sqdist_complete(U, rows, d, k, logp);
    for (size_t i = 0; i < rows; i++)
        for (size_t j = 0; j < k; j++)
            logp[i * k + j] *= p->prec_chol[j] * p->prec_chol[j];
    mix__gauss_log_density(logp, rows, k, d, p->log_det);
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
static void covariances(mix__params *p, const mix__suffstats *st, double reg)
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

/* sum_i w r ||u - mu||^2 = M - 2 mu.S1 + R ||mu||^2, for any means. */
static void moments(const mix__params *p, const mix__suffstats *st, double *M2, double *work)
{
    (void)work;
    const size_t k = p->k, d = p->d;
    for (size_t j = 0; j < k; j++) {
        double cross = 0, mu2 = 0;
        for (size_t t = 0; t < d; t++) {
            const double mu = p->means[j * d + t];
            cross += mu * st->S1[j * d + t];
            mu2 += mu * mu;
        }
        M2[j] = st->R[j] == 0 ? 0.0 /* nothing, exactly (mu may be huge) */
                              : st->M[j] - 2.0 * cross + st->R[j] * mu2;
    }
}

/* Moments about the origin: M_j = w_j (d (sigma_j^2 - reg) + ||mu_j||^2). */
static void expect(const mix__params *p, double reg, const double *ref, double *M,
                   double *fixed)
{
    (void)ref;
    (void)fixed;
    const size_t k = p->k, d = p->d;
    for (size_t j = 0; j < k; j++) {
        double mu2 = 0;
        for (size_t t = 0; t < d; t++)
            mu2 += p->means[j * d + t] * p->means[j * d + t];
        M[j] = p->weights[j] * ((double)d * (p->cov[j] - reg) + mu2);
    }
}

static void correlate(const mix__params *p, size_t j, double *Z, size_t rows)
{
    const double s = sqrt(p->cov[j]);
    for (size_t i = 0; i < rows * p->d; i++)
        Z[i] *= s;
}


static void sizes(size_t k, size_t d, size_t rows, mix__family_sizes *s)
{
    s->cov = k;
    s->cov_params = k;
    s->pre = k;
    s->moments = k;
    s->fixed = 0;
    s->scratch = rows;
    s->row_work = 2.0 * (double)k * (double)d;
}

const mix__family mix__family_spherical = {
    .type = MIX_COV_SPHERICAL,
    .name = "spherical",
    .matrices = 0,
    .shared = 0,
    .centred = 1,
    .sizes = sizes,
    .precompute = precompute,
    .log_prob = log_prob,
    .accumulate = accumulate,
    .accumulate_fixed = NULL,
    .m_step = covariances,
    .moments = moments,
    .expect = expect,
    .correlate = correlate,
    .cov_factor = NULL, /* correlate uses the variances */
};
