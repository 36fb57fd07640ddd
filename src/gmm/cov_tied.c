/*
 * Tied covariance: one d x d matrix shared by all components.
 *
 * The weighted scatter G = sum_i w_i u_i u_i^T is computed once per fit;
 * each M-step only needs the new means: Sigma = (G - sum_j N_j mu_j
 * mu_j^T) / sum_j N_j, as scikit-learn. E-step: one product of the block
 * with the shared precision factor, then distances to each mu_j U.
 */
#include "gmm/families.h"

#include "core/linalg.h"
#include "kernels/gauss.h"

#include <string.h>

/* pre: mu_j U (k x d) | lower factor of cov (d x d) */
#define PRE_M(p) ((p)->pre)
#define PRE_CHOL(p) ((p)->pre + (p)->k * (p)->d)


static long precompute(mix__params *p, mix__from from)
{
    const size_t k = p->k, d = p->d;
    double log_det = 0;
    if (from != MIX__FROM_LOADED &&
        (from == MIX__FROM_COV
             ? mix__precision_cholesky(p->cov, d, PRE_CHOL(p), p->prec_chol, &log_det)
             : mix__cov_from_precision_cholesky(p->prec_chol, d, PRE_CHOL(p), p->cov, &log_det)))
        return 0;
    for (size_t j = 0; j < k; j++) {
        if (from != MIX__FROM_LOADED)
            p->log_det[j] = log_det;
        mix__row_times_matrix(p->means + j * d, p->prec_chol, d, PRE_M(p) + j * d);
    }
    return -1;
}

static void log_prob(const mix__params *p, const double *U, size_t rows, double *logp,
                     double *scratch)
{
    const size_t k = p->k, d = p->d;
    double *Y = scratch; /* rows x d */
    mix__gemm(0, 0, rows, d, d, 1.0, U, d, p->prec_chol, d, 0.0, Y, d);
    mix__gauss_maha_projected(Y, d, 0, PRE_M(p), rows, k, d, logp);
    mix__gauss_log_density(logp, rows, k, d, p->log_det);
}

static void accumulate_fixed(size_t d, const double *U, size_t rows, const double *w,
                             double *G, double *scratch)
{
    double *W = scratch; /* rows x d: sqrt(w_i) u_i */
    for (size_t i = 0; i < rows; i++) {
        double s = sqrt(w[i]);
        for (size_t t = 0; t < d; t++)
            W[i * d + t] = s * U[i * d + t];
    }
    mix__gemm(1, 0, d, d, rows, 1.0, W, d, W, d, 1.0, G, d);
}

static void covariances(mix__params *p, const mix__suffstats *st, double reg)
{
    const size_t k = p->k, d = p->d;
    double total = 0;
    for (size_t j = 0; j < k; j++)
        total += st->nk[j];
    for (size_t r = 0; r < d; r++)
        for (size_t c = r; c < d; c++) {
            double between = 0;
            for (size_t j = 0; j < k; j++)
                between += st->nk[j] * p->means[j * d + r] * p->means[j * d + c];
            p->cov[r * d + c] = p->cov[c * d + r] = (st->fixed[r * d + c] - between) / total;
        }
    for (size_t t = 0; t < d; t++)
        p->cov[t * d + t] += reg;
}

/* The scatter about each component's own mean, summed: G - sum_j (mu_j
 * S1_j^T + S1_j mu_j^T) + sum_j R_j mu_j mu_j^T, for any means. */
static void moments(const mix__params *p, const mix__suffstats *st, double *M2, double *work)
{
    (void)work;
    const size_t k = p->k, d = p->d;
    for (size_t r = 0; r < d; r++)
        for (size_t c = r; c < d; c++) {
            double v = st->fixed[r * d + c];
            for (size_t j = 0; j < k; j++) {
                const double *mu = p->means + j * d, *S1 = st->S1 + j * d;
                if (st->R[j] != 0) /* else nothing, exactly (mu may be huge) */
                    v += -(mu[r] * S1[c] + S1[r] * mu[c]) + st->R[j] * mu[r] * mu[c];
            }
            M2[r * d + c] = M2[c * d + r] = v;
        }
}

/* The data's Gram matrix: G = sum_j w_j (Sigma - reg I + mu_j mu_j^T). */
static void expect(const mix__params *p, double reg, const double *ref, double *M,
                   double *fixed)
{
    (void)ref;
    (void)M;
    const size_t k = p->k, d = p->d;
    double wsum = 0;
    for (size_t j = 0; j < k; j++)
        wsum += p->weights[j];
    for (size_t r = 0; r < d; r++)
        for (size_t c = 0; c < d; c++) {
            double between = 0;
            for (size_t j = 0; j < k; j++)
                between += p->weights[j] * p->means[j * d + r] * p->means[j * d + c];
            fixed[r * d + c] = wsum * (p->cov[r * d + c] - (r == c ? reg : 0.0)) + between;
        }
}

static void correlate(const mix__params *p, size_t j, double *Z, size_t rows)
{
    (void)j;
    mix__lower_times_rows(PRE_CHOL(p), p->d, Z, rows);
}

static double *cov_factor(const mix__params *p)
{
    return PRE_CHOL(p);
}


static void sizes(size_t k, size_t d, size_t rows, mix__family_sizes *s)
{
    s->cov = d * d;
    s->cov_params = d * (d + 1) / 2;
    s->pre = k * d + d * d;
    s->moments = 0;
    s->fixed = d * d;
    s->scratch = rows * d;
    s->row_work = 2.0 * (double)k * (double)d;
}

const mix__family mix__family_tied = {
    .type = MIX_COV_TIED,
    .name = "tied",
    .matrices = 1,
    .shared = 1,
    .centred = 1,
    .sizes = sizes,
    .precompute = precompute,
    .log_prob = log_prob,
    .accumulate = NULL,
    .accumulate_fixed = accumulate_fixed,
    .m_step = covariances,
    .moments = moments,
    .expect = expect,
    .correlate = correlate,
    .cov_factor = cov_factor,
};
