/*
 * Diagonal covariances: each component has its own d variances.
 *
 * E-step: the Mahalanobis distance sum_t p_jt (u_t - mu_jt)^2, with p the
 * precisions, is one GEMM of [u^2, u] (rows x 2d) against [p_j, -2 p_j mu_j]
 * plus sum_t p_jt mu_jt^2, as scikit-learn expands it. M-step: the weighted
 * sums of u^2 per component, one GEMM per block.
 */
#include "gmm/families.h"

#include "core/linalg.h"
#include "kernels/gauss.h"

/* pre: [p_j, -2 p_j mu_j] (k x 2d) | sum_t p_jt mu_jt^2 (k) */
#define PRE_W(p) ((p)->pre)
#define PRE_C(p) ((p)->pre + 2 * (p)->k * (p)->d)


static long precompute(mix__params *p, mix__from from)
{
    const size_t k = p->k, d = p->d;
    for (size_t j = 0; j < k; j++) {
        double log_det = 0, c = 0;
        double *W = PRE_W(p) + j * 2 * d;
        for (size_t t = 0; t < d; t++) {
            double pc;
            if (from == MIX__FROM_COV) {
                double v = p->cov[j * d + t];
                if (!(v > 0) || !isfinite(v))
                    return (long)j;
                pc = p->prec_chol[j * d + t] = 1.0 / sqrt(v);
            } else {
                pc = p->prec_chol[j * d + t];
                double v = 1.0 / (pc * pc);
                if (!(pc > 0) || !isfinite(pc) || !isfinite(v) || !(v > 0))
                    return (long)j;
                if (from == MIX__FROM_PREC)
                    p->cov[j * d + t] = v;
            }
            double prec = pc * pc, mu = p->means[j * d + t];
            log_det += log(pc);
            W[t] = prec;
            W[d + t] = -2.0 * prec * mu;
            c += prec * mu * mu;
        }
        if (from != MIX__FROM_LOADED)
            p->log_det[j] = log_det;
        PRE_C(p)[j] = c;
    }
    return -1;
}

/* V (rows x 2d) = [u^2, u] */
static void squares_and_values(const double *U, size_t rows, size_t d, double *V)
{
    for (size_t i = 0; i < rows; i++)
        for (size_t t = 0; t < d; t++) {
            double u = U[i * d + t];
            V[i * 2 * d + t] = u * u;
            V[i * 2 * d + d + t] = u;
        }
}

static void log_prob(const mix__params *p, const double *U, size_t rows, double *logp,
                     double *scratch)
{
    const size_t k = p->k, d = p->d;
    double *V = scratch;
    squares_and_values(U, rows, d, V);
    for (size_t i = 0; i < rows; i++)
        for (size_t j = 0; j < k; j++)
            logp[i * k + j] = PRE_C(p)[j];
    mix__gemm(0, 1, rows, k, 2 * d, 1.0, V, 2 * d, PRE_W(p), 2 * d, 1.0, logp, k);
    mix__gauss_log_density(logp, rows, k, d, p->log_det);
}

static void accumulate(size_t k, size_t d, const double *shift, const double *U, size_t rows,
                       const double *wr, double *M, double *scratch)
{
    (void)shift; /* moments are about the origin of the engine units */
    double *V = scratch;
    squares_and_values(U, rows, d, V);
    mix__gemm(1, 0, k, d, rows, 1.0, wr, k, V, 2 * d, 1.0, M, d);
}

/* scikit-learn's avg_X2 - 2 avg_X_means + avg_means2 + reg. */
static void covariances(mix__params *p, const mix__suffstats *st, double reg)
{
    const size_t k = p->k, d = p->d;
    for (size_t j = 0; j < k; j++)
        for (size_t t = 0; t < d; t++) {
            double mu = p->means[j * d + t], inv_nk = 1.0 / st->nk[j];
            p->cov[j * d + t] = st->M[j * d + t] * inv_nk - 2.0 * (mu * st->S1[j * d + t] * inv_nk) +
                                mu * mu + reg;
        }
}

/* sum_i w r (u_t - mu_t)^2 = M - 2 mu S1 + R mu^2, for any means. */
static void moments(const mix__params *p, const mix__suffstats *st, double *M2, double *work)
{
    (void)work;
    const size_t k = p->k, d = p->d;
    for (size_t j = 0; j < k; j++)
        for (size_t t = 0; t < d; t++) {
            const double mu = p->means[j * d + t];
            M2[j * d + t] = st->R[j] == 0 ? 0.0 /* nothing, exactly (mu may be huge) */
                                          : st->M[j * d + t] - 2.0 * mu * st->S1[j * d + t] +
                                                st->R[j] * mu * mu;
        }
}

/* Moments about the origin: M_jt = w_j (sigma_jt^2 - reg + mu_jt^2). */
static void expect(const mix__params *p, double reg, const double *ref, double *M,
                   double *fixed)
{
    (void)ref;
    (void)fixed;
    const size_t k = p->k, d = p->d;
    for (size_t j = 0; j < k; j++)
        for (size_t t = 0; t < d; t++) {
            const double mu = p->means[j * d + t];
            M[j * d + t] = p->weights[j] * (p->cov[j * d + t] - reg + mu * mu);
        }
}

static void correlate(const mix__params *p, size_t j, double *Z, size_t rows)
{
    const size_t d = p->d;
    for (size_t i = 0; i < rows; i++)
        for (size_t t = 0; t < d; t++)
            Z[i * d + t] *= sqrt(p->cov[j * d + t]);
}


static void sizes(size_t k, size_t d, size_t rows, mix__family_sizes *s)
{
    s->cov = k * d;
    s->cov_params = k * d;
    s->pre = 2 * k * d + k;
    s->moments = k * d;
    s->fixed = 0;
    s->scratch = rows * 2 * d;
    s->row_work = 2.0 * (double)k * (double)d;
}

const mix__family mix__family_diag = {
    .type = MIX_COV_DIAG,
    .name = "diag",
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
