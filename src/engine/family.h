/*
 * What a mixture family plugs into EM (em.c), and nothing more: the table
 * of functions, the parameters they read and write, and the statistics a
 * pass hands them. One family is one file with one `const mix__family`
 * table (gmm/cov_full.c, cov_tied.c, cov_diag.c, cov_spherical.c).
 *
 * Inside a fit everything is in engine units u = (x - shift) * inv_scale
 * (core/data.h); the model layer converts to the units of the data.
 */
#ifndef MIX__ENGINE_FAMILY_H
#define MIX__ENGINE_FAMILY_H

#include "core/common.h"

#include <math.h>

typedef struct mix__family mix__family;

/* Which of a family's two forms of the covariances is the given one; a
 * model read back from a file (io/) gives both, with log_det and the
 * covariance factors (cov_factor), as the fit that made it computed them. */
typedef enum mix__from { MIX__FROM_COV, MIX__FROM_PREC, MIX__FROM_LOADED } mix__from;

/* Parameters of a mixture. */
typedef struct mix__params {
    const mix__family *fam;
    size_t k, d;
    double *weights;     /* k */
    double *log_weights; /* k */
    double *means;       /* k x d */
    double *cov;         /* the family's covariance values, scikit-learn's shape */
    double *prec_chol;   /* same shape: scikit-learn's precisions_cholesky_ */
    double *log_det;     /* k: log det of each component's prec_chol */
    double *pre;         /* what the E-step precomputes (the family's layout) */
} mix__params;

/* Sufficient statistics of one pass, views into the reduced sums. */
typedef struct mix__suffstats {
    const double *R;     /* k: sum_i w_i r_ik */
    const double *S1;    /* k x d: sum_i w_i r_ik u_i */
    const double *M;     /* the family's second moments */
    const double *shift; /* k x d: the points M is accumulated about */
    const double *fixed; /* the family's statistics of the whole data, or NULL */
    const double *nk;    /* k: R + 10 eps, scikit-learn's floor */
} mix__suffstats;

/* Sizes of a family's arrays for k components and d features, in doubles. */
typedef struct mix__family_sizes {
    size_t cov;        /* covariance values */
    size_t cov_params; /* free parameters of the covariances (BIC, AIC) */
    size_t pre;        /* values the E-step precomputes */
    size_t moments;    /* second-moment statistics of a pass */
    size_t fixed;      /* statistics of the whole data, computed once per fit */
    size_t scratch;    /* per-thread scratch of a block of `rows` rows */
    double row_work;   /* flops of one row's log-densities (sizes the threading) */
} mix__family_sizes;

struct mix__family {
    int type; /* a mix_covariance value; -1 for the Bernoulli family */
    const char *name;
    int matrices; /* covariances are d x d matrices (else positive variances) */
    int shared;   /* one covariance for every component */
    int centred;  /* log-densities are invariant to a shift of the data, so the
                     engine units may centre and scale it (else u = x) */
    void (*sizes)(size_t k, size_t d, size_t rows, mix__family_sizes *s);
    /* log_det and pre from the means and, by `from`, either cov (prec_chol
     * computed from it: EM) or prec_chol (cov computed from it: gradient
     * fitting, whose parameters are the factors); MIX__FROM_LOADED changes
     * none of cov, prec_chol, log_det and the covariance factors and
     * computes the rest of pre from the means and prec_chol, as the other
     * two do. Returns -1, or the index of a component whose covariance (or
     * factor) is not positive definite. */
    long (*precompute)(mix__params *p, mix__from from);
    /* logp (rows x k) = log N(u_i | mu_k, Sigma_k). */
    void (*log_prob)(const mix__params *p, const double *U, size_t rows, double *logp,
                     double *scratch);
    /* M += second moments of the rows weighted by wr (rows x k), about
     * shift (k x d). NULL when the family needs none. */
    void (*accumulate)(size_t k, size_t d, const double *shift, const double *U, size_t rows,
                       const double *wr, double *M, double *scratch);
    /* fixed += statistics of the rows weighted by w (rows). NULL when the
     * family needs none. */
    void (*accumulate_fixed)(size_t d, const double *U, size_t rows, const double *w,
                             double *fixed, double *scratch);
    /* The family's part of an M-step, after EM set the weights and the
     * means S1 / N_k: the covariances from the statistics and those means
     * with reg on the diagonal (Gaussian: reg is reg_covar), or the means
     * themselves under a prior (Bernoulli: reg is the pseudo-count). */
    void (*m_step)(mix__params *p, const mix__suffstats *st, double reg);
    /* M2 (the covariances' layout) = sum_i w_i r_ij (u_i - mu_j)(u_i - mu_j)^T
     * about any means p->means, unnormalised (summed over j for a shared
     * covariance; the diagonal or the trace where the family keeps only
     * those), for the gradient. work: 2 d doubles. */
    void (*moments)(const mix__params *p, const mix__suffstats *st, double *M2, double *work);
    /* The second-moment statistics a pass over data distributed as p would
     * give per unit of weight (M in the layout accumulate fills, about ref
     * (k x d) where the family takes moments about points, and fixed where
     * it has them), so that an M-step on them, with R = weights and S1 =
     * weights x means, gives p back, reg included. For stepwise EM. NULL
     * for a family whose M-step needs no second moments. */
    void (*expect)(const mix__params *p, double reg, const double *ref, double *M,
                   double *fixed);
    /* Z (rows x d) <- rows of Z times the Cholesky factor of component j's
     * covariance: standard normal draws become N(0, Sigma_j). */
    void (*correlate)(const mix__params *p, size_t j, double *Z, size_t rows);
    /* Where pre keeps the lower Cholesky factors of the covariances that
     * correlate uses (the covariances' layout), or NULL for a family that
     * keeps none. A saved model stores them: computed from the covariances
     * (EM) or from the precision factors (gradient fitting), they differ in
     * the last bits, and a model read back must sample as the original. */
    double *(*cov_factor)(const mix__params *p);
};

static inline mix__family_sizes mix__family_sizes_of(const mix__family *fam, size_t k, size_t d,
                                                     size_t rows)
{
    mix__family_sizes s;
    fam->sizes(k, d, rows, &s);
    return s;
}

/* Number of covariance values for k components and d features. */
static inline size_t mix__cov_len(const mix__family *fam, size_t k, size_t d)
{
    return mix__family_sizes_of(fam, k, d, 0).cov;
}

/* --- parameters (params.c) -------------------------------------------------- */

int mix__params_alloc(mix__params *p, const mix__family *fam, size_t k, size_t d);
void mix__params_free(mix__params *p);
void mix__params_copy(mix__params *dst, const mix__params *src);
/* Move means and covariances from units (from_shift, from_inv) to
 * (to_shift, to_inv); a NULL shift is zero. prec_chol, log_det, pre are
 * left stale: run precompute. */
void mix__params_rescale(mix__params *p, const double *from_shift, double from_inv,
                         const double *to_shift, double to_inv);
/* log_weights from weights. */
void mix__params_log_weights(mix__params *p);
/* Free parameters: k - 1 weights, k d means and the covariances'. */
size_t mix__params_count(const mix__params *p);

/* Log-density offset from engine to data units: d log(inv_scale). */
static inline double mix__log_jacobian(size_t d, double inv_scale)
{
    return inv_scale == 1.0 ? 0.0 : (double)d * log(inv_scale);
}

#endif /* MIX__ENGINE_FAMILY_H */
