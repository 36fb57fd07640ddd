/*
 * Full covariances: each component has its own d x d matrix.
 *
 * E-step: with U_j the upper precision factor of component j, the squared
 * Mahalanobis distances of a block to all components come from one GEMM of
 * the block against [U_1 ... U_k] (d x k d), minus the precomputed mu_j U_j.
 * M-step: second moments about the previous means (upper triangles, one
 * symmetric rank update per component over the rows with a non-zero
 * responsibility), corrected for the new means.
 */
#include "gmm_model.h"

#include "fma_tile.h"
#include "gauss.h"
#include "linalg.h"
#include "simd.h"

#include <math.h>
#include <string.h>

/* pre: [U_1 ... U_k] (d x k d) | mu_j U_j (k x d) | lower factors of cov (k x d x d) */
#define PRE_UCAT(p) ((p)->pre)
#define PRE_M(p) ((p)->pre + (p)->d * (p)->k * (p)->d)
#define PRE_CHOL(p) (PRE_M(p) + (p)->k * (p)->d)

static size_t cov_len(size_t k, size_t d) { return k * d * d; }
static size_t pre_len(size_t k, size_t d) { return 2 * k * d * d + k * d; }
static size_t moments_len(size_t k, size_t d) { return k * d * d; }
static size_t fixed_len(size_t d) { (void)d; return 0; }
/* The GEMM path's Y (rows x k d, not needed by the register kernel) and
 * the M-step's rows (rows x d). */
static size_t scratch_len(size_t k, size_t d, size_t rows)
{
    return (mix__tiles_serve(d) ? 0 : rows * k * d) + rows * d;
}
static size_t cov_params(size_t k, size_t d) { return k * d * (d + 1) / 2; }

static long precompute(mix__gparams *p)
{
    const size_t k = p->k, d = p->d, kd = k * d, dd = d * d;
    for (size_t j = 0; j < k; j++) {
        double *U = p->prec_chol + j * dd;
        if (mix__precision_cholesky(p->cov + j * dd, d, PRE_CHOL(p) + j * dd, U, &p->log_det[j]))
            return (long)j;
        for (size_t r = 0; r < d; r++)
            memcpy(PRE_UCAT(p) + r * kd + j * d, U + r * d, d * sizeof(double));
        mix__row_times_matrix(p->means + j * d, U, d, PRE_M(p) + j * d);
    }
    return -1;
}

static void log_prob(const mix__gparams *p, const double *U, size_t rows, double *L,
                     double *scratch)
{
    const size_t k = p->k, d = p->d, kd = k * d;
    if (!mix__maha_fma(U, rows, d, PRE_UCAT(p), PRE_M(p), k, L)) {
        double *Y = scratch; /* rows x k d */
        mix__gemm(0, 0, rows, kd, d, 1.0, U, d, PRE_UCAT(p), kd, 0.0, Y, kd);
        mix__gauss_maha_projected(Y, kd, d, PRE_M(p), rows, k, d, L);
    }
    mix__gauss_log_density(L, rows, k, d, p->log_det);
}

/* W (rows x d) = sqrt(w r) (u - a) for the rows of component j whose
 * responsibility is not zero (a zero one adds nothing, exactly); returns
 * their number. */
MIX_TARGET_CLONES MIX_VECTORIZE MIX_NOINLINE
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
static void covariances(mix__gparams *p, const mix__gstats *st, double reg)
{
    const size_t k = p->k, d = p->d;
    /* pre is stale until the next precompute: borrow 2 d of it. */
    double *delta = p->pre, *S = p->pre + d;
    for (size_t j = 0; j < k; j++) {
        const double *a = st->shift + j * d, *mu = p->means + j * d, *Mj = st->M + j * d * d;
        const double R = st->R[j], inv_nk = 1.0 / st->nk[j];
        double *C = p->cov + j * d * d;
        for (size_t t = 0; t < d; t++) {
            delta[t] = mu[t] - a[t];
            S[t] = st->S1[j * d + t] - R * a[t];
        }
        for (size_t r = 0; r < d; r++)
            for (size_t c = r; c < d; c++) {
                double v = Mj[r * d + c] - delta[r] * S[c] - S[r] * delta[c] +
                           R * delta[r] * delta[c];
                C[r * d + c] = C[c * d + r] = v * inv_nk;
            }
        for (size_t t = 0; t < d; t++)
            C[t * d + t] += reg;
    }
}

static void correlate(const mix__gparams *p, size_t j, double *Z, size_t rows)
{
    mix__lower_times_rows(PRE_CHOL(p) + j * p->d * p->d, p->d, Z, rows);
}

static double row_work(size_t k, size_t d) { return (double)k * (double)d * (double)d; }

const mix__family mix__family_full = {
    MIX_COV_FULL, "full",
    1, 0, row_work,
    cov_len, pre_len, moments_len, fixed_len, scratch_len, cov_params,
    precompute, log_prob, accumulate, NULL, covariances, correlate,
};
