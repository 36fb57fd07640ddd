/*
 * Full covariances: each component has its own d x d matrix.
 *
 * E-step: with P_j the upper precision factor of component j, the squared
 * Mahalanobis distances of a block U to all components come from one GEMM
 * of the block against [P_1 ... P_k] (d x k d), minus the precomputed
 * mu_j P_j (or from the register kernel of kernels/maha_fma.c).
 * M-step: second moments about the previous means (upper triangles, one
 * symmetric rank update per component over the rows with a non-zero
 * responsibility), corrected for the new means.
 */
#include "gmm/families.h"

#include "core/linalg.h"
#include "core/simd.h"
#include "kernels/fma_tile.h"
#include "kernels/gauss.h"

#include <math.h>
#include <string.h>

/* pre: [P_1 ... P_k] (d x k d), P_j the precision factors | mu_j P_j (k x d) |
 * lower factors of cov (k x d x d) */
#define PRE_PCAT(p) ((p)->pre)
#define PRE_M(p) ((p)->pre + (p)->d * (p)->k * (p)->d)
#define PRE_CHOL(p) (PRE_M(p) + (p)->k * (p)->d)

/* The GEMM path's Y (rows x k d, not needed by the register kernel) and
 * the M-step's rows (rows x d). */

static long precompute(mix__params *p, mix__from from)
{
    const size_t k = p->k, d = p->d, kd = k * d, dd = d * d;
    for (size_t j = 0; j < k; j++) {
        double *prec = p->prec_chol + j * dd, *cov = p->cov + j * dd, *chol = PRE_CHOL(p) + j * dd;
        if (from != MIX__FROM_LOADED &&
            (from == MIX__FROM_COV ? mix__precision_cholesky(cov, d, chol, prec, &p->log_det[j])
                                   : mix__cov_from_precision_cholesky(prec, d, chol, cov,
                                                                      &p->log_det[j])))
            return (long)j;
        for (size_t r = 0; r < d; r++)
            memcpy(PRE_PCAT(p) + r * kd + j * d, prec + r * d, d * sizeof(double));
        mix__row_times_matrix(p->means + j * d, prec, d, PRE_M(p) + j * d);
    }
    return -1;
}

static void log_prob(const mix__params *p, const double *U, size_t rows, double *logp,
                     double *scratch)
{
    const size_t k = p->k, d = p->d, kd = k * d;
    if (!mix__maha_fma(U, rows, d, PRE_PCAT(p), PRE_M(p), k, logp)) {
        double *Y = scratch; /* rows x k d */
        mix__gemm(0, 0, rows, kd, d, 1.0, U, d, PRE_PCAT(p), kd, 0.0, Y, kd);
        mix__gauss_maha_projected(Y, kd, d, PRE_M(p), rows, k, d, logp);
    }
    mix__gauss_log_density(logp, rows, k, d, p->log_det);
}

/* W (rows x d) = sqrt(w r) (u - a) for the rows of component j whose
 * responsibility is not zero (a zero one adds nothing, exactly); returns
 * their number. */
MIX__TARGET_CLONES MIX__VECTORIZE MIX__NOINLINE
static size_t scaled_rows(size_t k, size_t d, size_t j, const double *a, const double *U,
                          size_t rows, const double *wr, double *W)
{
    size_t m = 0;
    for (size_t i = 0; i < rows; i++) {
        double r = wr[i * k + j];
        if (r == 0)
            continue;
        double s = sqrt(r);
        for (size_t t = 0; t < d; t++)
            W[m * d + t] = s * (U[i * d + t] - a[t]);
        m++;
    }
    return m;
}

static void accumulate(size_t k, size_t d, const double *shift, const double *U, size_t rows,
                       const double *wr, double *M, double *scratch)
{
    double *W = scratch; /* rows x d */
    for (size_t j = 0; j < k; j++) {
        size_t m = scaled_rows(k, d, j, shift + j * d, U, rows, wr, W);
        mix__gram_upper(m, d, W, M + j * d * d);
    }
}

/*
 * sum_i r (u - mu)(u - mu)^T from moments about a = the previous mean:
 * with e = u - a and delta = mu - a, it is M - delta S^T - S delta^T
 * + R delta delta^T, where S = sum r e = S1 - R a.
 */
static void moments(const mix__params *p, const mix__suffstats *st, double *M2, double *work)
{
    const size_t k = p->k, d = p->d;
    double *delta = work, *S = work + d;
    for (size_t j = 0; j < k; j++) {
        const double *a = st->shift + j * d, *mu = p->means + j * d, *Mj = st->M + j * d * d;
        const double R = st->R[j];
        double *C = M2 + j * d * d;
        for (size_t t = 0; t < d; t++) {
            delta[t] = mu[t] - a[t];
            S[t] = st->S1[j * d + t] - R * a[t];
        }
        for (size_t r = 0; r < d; r++)
            for (size_t c = r; c < d; c++)
                C[r * d + c] = C[c * d + r] = Mj[r * d + c] - delta[r] * S[c] -
                                              S[r] * delta[c] + R * delta[r] * delta[c];
    }
}

static void covariances(mix__params *p, const mix__suffstats *st, double reg)
{
    const size_t k = p->k, d = p->d;
    /* pre is stale until the next precompute: borrow 2 d of it. */
    moments(p, st, p->cov, p->pre);
    for (size_t j = 0; j < k; j++) {
        const double inv_nk = 1.0 / st->nk[j];
        double *C = p->cov + j * d * d;
        for (size_t i = 0; i < d * d; i++)
            C[i] *= inv_nk;
        for (size_t t = 0; t < d; t++)
            C[t * d + t] += reg;
    }
}

/* M_j = w_j (Sigma_j - reg I + (mu_j - a_j)(mu_j - a_j)^T). */
static void expect(const mix__params *p, double reg, const double *ref, double *M,
                   double *fixed)
{
    (void)fixed;
    const size_t k = p->k, d = p->d;
    for (size_t j = 0; j < k; j++) {
        const double *mu = p->means + j * d, *a = ref + j * d, *C = p->cov + j * d * d;
        double *Mj = M + j * d * d;
        for (size_t r = 0; r < d; r++)
            for (size_t c = 0; c < d; c++)
                Mj[r * d + c] = p->weights[j] * (C[r * d + c] - (r == c ? reg : 0.0) +
                                                 (mu[r] - a[r]) * (mu[c] - a[c]));
    }
}

static void correlate(const mix__params *p, size_t j, double *Z, size_t rows)
{
    mix__lower_times_rows(PRE_CHOL(p) + j * p->d * p->d, p->d, Z, rows);
}

static double *cov_factor(const mix__params *p)
{
    return PRE_CHOL(p);
}


static void sizes(size_t k, size_t d, size_t rows, mix__family_sizes *s)
{
    s->cov = k * d * d;
    s->cov_params = k * d * (d + 1) / 2;
    s->pre = 2 * k * d * d + k * d;
    s->moments = k * d * d;
    s->fixed = 0;
    /* The GEMM path's Y (rows x k d, not needed by the register kernel) and
     * the M-step's rows (rows x d). */
    s->scratch = (mix__tiles_serve(d) ? 0 : rows * k * d) + rows * d;
    s->row_work = (double)k * (double)d * (double)d;
}

const mix__family mix__family_full = {
    .type = MIX_COV_FULL,
    .name = "full",
    .matrices = 1,
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
    .cov_factor = cov_factor,
};
