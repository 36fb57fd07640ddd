/*
 * The Bernoulli family: each component is d independent Bernoulli
 * variables with probabilities mu_j (k x d, kept in params->means; no
 * covariances). Rows are 0/1 and used as they are (not centred).
 *
 * E-step: log p(x | mu_j) = sum_t x_t log mu_jt + (1 - x_t) log(1 - mu_jt)
 * = x . (log mu_j - log(1 - mu_j)) + sum_t log(1 - mu_jt): one GEMM of the
 * block against W (k x d) plus a constant per component. A probability of
 * exactly 0 or 1 (possible with alpha = 0) makes W infinite: such a
 * component is left out of the GEMM and computed directly, so that a row
 * impossible under it gets -inf, never NaN (0 x infinity).
 * M-step: mu_jt = (S1_jt + alpha) / (N_j + 2 alpha), the MAP estimate under
 * a Beta(alpha + 1, alpha + 1) prior (N_j floored as in the Gaussian
 * families); alpha = 0 is maximum likelihood.
 */
#include "bmm/bmm.h"

#include "core/linalg.h"

#include <math.h>
#include <string.h>

/* pre: W (k x d) | c (k) | degenerate (k: 1 where some mu is 0 or 1) */
#define PRE_W(p) ((p)->pre)
#define PRE_C(p) ((p)->pre + (p)->k * (p)->d)
#define PRE_DEGENERATE(p) (PRE_C(p) + (p)->k)

static void sizes(size_t k, size_t d, size_t rows, mix__family_sizes *s)
{
    (void)rows;
    s->cov = 0;
    s->cov_params = 0;
    s->pre = k * d + 2 * k;
    s->moments = 0;
    s->fixed = 0;
    s->scratch = 0;
    s->row_work = 2.0 * (double)k * (double)d;
}

/* The covariances take no part: `from` only says whether log_det (0) is
 * given. */
static long precompute(mix__params *p, mix__from from)
{
    const size_t k = p->k, d = p->d;
    for (size_t j = 0; j < k; j++) {
        double *W = PRE_W(p) + j * d, c = 0;
        int degenerate = 0;
        for (size_t t = 0; t < d; t++) {
            const double mu = p->means[j * d + t];
            if (!(mu >= 0 && mu <= 1))
                return (long)j;
            degenerate |= mu == 0 || mu == 1;
        }
        for (size_t t = 0; t < d; t++) {
            const double mu = p->means[j * d + t], l1 = log1p(-mu);
            W[t] = degenerate ? 0.0 : log(mu) - l1;
            c += degenerate ? 0.0 : l1;
        }
        PRE_C(p)[j] = c;
        PRE_DEGENERATE(p)[j] = degenerate;
        if (from != MIX__FROM_LOADED)
            p->log_det[j] = 0;
    }
    return -1;
}

/* Component j's log-probabilities directly: -inf for an impossible row. */
static void direct(const mix__params *p, size_t j, const double *U, size_t rows, double *logp)
{
    const size_t k = p->k, d = p->d;
    const double *mu = p->means + j * d;
    for (size_t i = 0; i < rows; i++) {
        double s = 0;
        for (size_t t = 0; t < d; t++)
            s += U[i * d + t] != 0 ? log(mu[t]) : log1p(-mu[t]);
        logp[i * k + j] = s;
    }
}

static void log_prob(const mix__params *p, const double *U, size_t rows, double *logp,
                     double *scratch)
{
    (void)scratch;
    const size_t k = p->k, d = p->d;
    for (size_t i = 0; i < rows; i++)
        memcpy(logp + i * k, PRE_C(p), k * sizeof(double));
    mix__gemm(0, 1, rows, k, d, 1.0, U, d, PRE_W(p), d, 1.0, logp, k);
    for (size_t j = 0; j < k; j++)
        if (PRE_DEGENERATE(p)[j] != 0)
            direct(p, j, U, rows, logp);
}

static void m_step(mix__params *p, const mix__suffstats *st, double alpha)
{
    const size_t k = p->k, d = p->d;
    for (size_t j = 0; j < k; j++) {
        const double den = st->nk[j] + 2.0 * alpha;
        for (size_t t = 0; t < d; t++)
            p->means[j * d + t] = (st->S1[j * d + t] + alpha) / den;
    }
}

const mix__family mix__family_bernoulli = {
    .type = -1,
    .name = "Bernoulli",
    .matrices = 0,
    .shared = 0,
    .centred = 0,
    .sizes = sizes,
    .precompute = precompute,
    .log_prob = log_prob,
    .accumulate = NULL,
    .accumulate_fixed = NULL,
    .m_step = m_step,
    .moments = NULL,
    .correlate = NULL,
    .cov_factor = NULL,
};
