/* theta and its gradient; see theta.h. */
#include "engine/theta.h"

#include "core/linalg.h"

#include <string.h>

size_t mix__theta_len(const mix__family *fam, size_t k, size_t d)
{
    return k + k * d + mix__family_sizes_of(fam, k, d, 0).cov_params;
}

/* Factors stored in theta: one per component, or one shared. */
static size_t n_factors(const mix__params *p)
{
    return p->fam->shared ? 1 : p->k;
}

/* Values of one factor in prec_chol: d x d, or d (diagonal), or 1. */
static size_t factor_len(const mix__params *p)
{
    return p->fam->matrices ? p->d * p->d : mix__cov_len(p->fam, p->k, p->d) / p->k;
}

/* Visit the covariance part of theta against prec_chol: each theta entry
 * t_i with its factor entry f_i and whether it is on a diagonal. */
#define FOR_EACH_FACTOR_ENTRY(p, body)                                                             \
    do {                                                                                           \
        size_t ti_ = 0;                                                                            \
        for (size_t m_ = 0; m_ < n_factors(p); m_++) {                                             \
            const size_t base_ = m_ * factor_len(p);                                               \
            if ((p)->fam->matrices) {                                                              \
                for (size_t r_ = 0; r_ < (p)->d; r_++)                                             \
                    for (size_t c_ = r_; c_ < (p)->d; c_++, ti_++) {                               \
                        const size_t fi_ = base_ + r_ * (p)->d + c_, t_ = ti_;                     \
                        const int diag_ = r_ == c_;                                                \
                        body;                                                                      \
                    }                                                                              \
            } else {                                                                               \
                for (size_t c_ = 0; c_ < factor_len(p); c_++, ti_++) {                             \
                    const size_t fi_ = base_ + c_, t_ = ti_;                                       \
                    const int diag_ = 1;                                                           \
                    body;                                                                          \
                }                                                                                  \
            }                                                                                      \
        }                                                                                          \
    } while (0)

long mix__params_from_theta(mix__params *p, const double *theta, const double *shift,
                            double inv_scale)
{
    const size_t k = p->k, d = p->d;
    const double *logits = theta, *mu = theta + k, *cov = theta + k + k * d;
    double top = -INFINITY, sum = 0;
    for (size_t j = 0; j < k; j++)
        top = fmax(top, logits[j]);
    for (size_t j = 0; j < k; j++)
        sum += exp(logits[j] - top);
    const double lse = top + log(sum);
    for (size_t j = 0; j < k; j++) {
        p->log_weights[j] = logits[j] - lse;
        p->weights[j] = exp(p->log_weights[j]);
    }
    for (size_t j = 0; j < k; j++)
        for (size_t t = 0; t < d; t++)
            p->means[j * d + t] = mu[j * d + t] * inv_scale - shift[t] * inv_scale;
    if (p->fam->matrices)
        memset(p->prec_chol, 0, mix__cov_len(p->fam, k, d) * sizeof(double));
    /* The factor in engine units is the data's divided by inv_scale (a
     * power of two: exact). */
    FOR_EACH_FACTOR_ENTRY(p, p->prec_chol[fi_] = (diag_ ? exp(cov[t_]) : cov[t_]) / inv_scale);
    for (size_t j = 0; j < k; j++)
        if (!isfinite(p->log_weights[j]) || !isfinite(p->weights[j]))
            return (long)j;
    return p->fam->precompute(p, MIX__FROM_PREC);
}

void mix__theta_from_params(const mix__params *p, double *theta, const double *shift,
                            double inv_scale)
{
    const size_t k = p->k, d = p->d;
    double *cov = theta + k + k * d;
    for (size_t j = 0; j < k; j++)
        theta[j] = p->log_weights[j];
    for (size_t j = 0; j < k; j++)
        for (size_t t = 0; t < d; t++)
            theta[k + j * d + t] = p->means[j * d + t] / inv_scale + shift[t];
    FOR_EACH_FACTOR_ENTRY(p, {
        const double f = p->prec_chol[fi_] * inv_scale;
        cov[t_] = diag_ ? log(f) : f;
    });
}

void mix__theta_from_public(const mix__family *fam, size_t k, size_t d, const double *weights,
                            const double *means, const double *prec_chol, double *theta)
{
    const mix__params p = {.fam = fam, .k = k, .d = d, .prec_chol = (double *)prec_chol};
    double *cov = theta + k + k * d;
    for (size_t j = 0; j < k; j++)
        theta[j] = log(weights[j]);
    memcpy(theta + k, means, k * d * sizeof(double));
    FOR_EACH_FACTOR_ENTRY(&p, cov[t_] = diag_ ? log(prec_chol[fi_]) : prec_chol[fi_]);
}

/* G (d x d) = M U for the symmetric M and upper triangular U (zeros
 * below): one GEMM, d^3 multiply-adds at BLAS speed. */
static void moment_times_factor(const double *M, const double *U, size_t d, double *G)
{
    mix__gemm(0, 0, d, d, d, 1.0, M, d, U, d, 0.0, G, d);
}

/* The means' part for component j: -P (S1 - R mu), with P the precision
 * U U^T (U shared for the tied family), or p^2 per feature / component. */
static void mean_grad(const mix__params *p, const mix__suffstats *st, size_t j, double *g,
                      double *tmp)
{
    const size_t d = p->d;
    const double *mu = p->means + j * d, *S1 = st->S1 + j * d;
    for (size_t t = 0; t < d; t++) /* a component without rows pulls nowhere */
        tmp[t] = st->R[j] == 0 ? 0.0 : S1[t] - st->R[j] * mu[t];
    if (p->fam->matrices) {
        const double *U = p->prec_chol + (p->fam->shared ? 0 : j * d * d);
        double *y = tmp + d; /* y = U^T e, then g = -U y */
        for (size_t c = 0; c < d; c++) {
            double s = 0;
            for (size_t r = 0; r <= c; r++)
                s += U[r * d + c] * tmp[r];
            y[c] = s;
        }
        for (size_t r = 0; r < d; r++) {
            double s = 0;
            for (size_t c = r; c < d; c++)
                s += U[r * d + c] * y[c];
            g[r] = -s;
        }
        return;
    }
    const size_t per = factor_len(p); /* d (diagonal) or 1 (spherical) */
    for (size_t t = 0; t < d; t++) {
        const double pc = p->prec_chol[j * per + (per > 1 ? t : 0)];
        g[t] = -(pc * pc) * tmp[t];
    }
}

int mix__theta_grad(const mix__params *p, const mix__suffstats *st, double W, double inv_scale,
                    double w_factor, double *work, double *grad)
{
    const size_t k = p->k, d = p->d, fl = factor_len(p);
    const mix__family *fam = p->fam;
    double *gcov = grad + k + k * d, *M2 = work, *tmp = work + mix__cov_len(fam, k, d);
    /* logits: W pi_j - R_j */
    for (size_t j = 0; j < k; j++)
        grad[j] = W * p->weights[j] - st->R[j];
    /* means, engine units, then d/d mu_data = inv_scale d/d mu_u */
    for (size_t j = 0; j < k; j++) {
        mean_grad(p, st, j, grad + k + j * d, tmp);
        for (size_t t = 0; t < d; t++)
            grad[k + j * d + t] *= inv_scale;
    }
    fam->moments(p, st, M2, tmp);
    if (fam->matrices) {
        /* d nll / dU = [M2 U]_upper - R diag(1 / U); d / ds = U_tt d / dU_tt. */
        double *G = tmp; /* d x d */
        for (size_t m = 0; m < n_factors(p); m++) {
            double R = 0;
            for (size_t j = 0; j < k; j++)
                R += fam->shared || j == m ? st->R[j] : 0.0;
            const double *U = p->prec_chol + m * d * d;
            moment_times_factor(M2 + m * d * d, U, d, G);
            double *g = gcov + m * (d * (d + 1) / 2);
            size_t q = 0;
            for (size_t r = 0; r < d; r++)
                for (size_t c = r; c < d; c++, q++)
                    g[q] = r == c ? U[r * d + r] * G[r * d + r] - R : G[r * d + c] / inv_scale;
        }
    } else {
        /* diagonal: p^2 M2_jt - R_j; spherical: p^2 M2_j - d R_j */
        const double dims = fl > 1 ? 1.0 : (double)d;
        for (size_t j = 0; j < k; j++)
            for (size_t t = 0; t < fl; t++) {
                const double pc = p->prec_chol[j * fl + t];
                gcov[j * fl + t] = pc * pc * M2[j * fl + t] - dims * st->R[j];
            }
    }
    const size_t len = mix__theta_len(fam, k, d);
    int finite = 1;
    for (size_t i = 0; i < len; i++) {
        grad[i] /= w_factor;
        finite &= isfinite(grad[i]) != 0;
    }
    return finite ? 0 : -1;
}
