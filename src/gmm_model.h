/*
 * Gaussian mixture internals: parameters, the covariance-family table, the
 * EM fit state and the handle.
 *
 * The EM engine (em.c) is written once; what differs between full, tied,
 * diagonal and spherical covariances lives behind mix__family (one file per
 * family, cov_*.c). Inside a fit everything is in engine units
 * u = (x - shift) * inv_scale (data.h); the public arrays are converted when
 * a fit succeeds.
 */
#ifndef MIX_GMM_MODEL_H
#define MIX_GMM_MODEL_H

#include "common.h"
#include "data.h"
#include "pass.h"
#include "rng.h"

#include <math.h>

typedef struct mix__family mix__family;

/* Parameters of a mixture. */
typedef struct mix__gparams {
    const mix__family *fam;
    size_t k, d;
    double *weights;     /* k */
    double *log_weights; /* k */
    double *means;       /* k x d */
    double *cov;         /* fam->cov_len values, scikit-learn's shape */
    double *prec_chol;   /* same shape: scikit-learn's precisions_cholesky_ */
    double *log_det;     /* k: log det of each component's prec_chol */
    double *pre;         /* fam->pre_len values the E-step precomputes */
} mix__gparams;

/* Sufficient statistics of one pass, views into the reduced sums. */
typedef struct mix__gstats {
    const double *R;       /* k: sum_i w_i r_ik */
    const double *S1;      /* k x d: sum_i w_i r_ik u_i */
    const double *M;       /* family second moments (fam->moments_len) */
    const double *shift;   /* k x d: the points M is accumulated about */
    const double *fixed;   /* fam->fixed_len statistics of the whole data, or NULL */
    const double *nk;      /* k: R + 10 eps, scikit-learn's floor */
} mix__gstats;

/* What differs between covariance types. Sizes are in doubles. */
struct mix__family {
    mix_covariance type;
    const char *name;
    int matrices; /* covariances are d x d matrices (else positive variances) */
    int shared;   /* one covariance for every component */
    /* Arithmetic of one row's log-densities, for sizing threads. */
    double (*row_work)(size_t k, size_t d);
    size_t (*cov_len)(size_t k, size_t d);
    size_t (*pre_len)(size_t k, size_t d);
    size_t (*moments_len)(size_t k, size_t d);
    size_t (*fixed_len)(size_t d);            /* statistics computed once per fit */
    size_t (*scratch_len)(size_t k, size_t d, size_t rows);
    size_t (*cov_params)(size_t k, size_t d); /* free parameters of the covariances */
    /* prec_chol, log_det and pre from cov and means. Returns -1, or the index
     * of a component whose covariance is not positive definite. */
    long (*precompute)(mix__gparams *p);
    /* L (rows x k) = log N(u_i | mu_k, Sigma_k). */
    void (*log_prob)(const mix__gparams *p, const double *U, size_t rows, double *L,
                     double *scratch);
    /* M += second moments of the rows, weighted by wr (rows x k), about
     * shift (k x d). */
    void (*accumulate)(size_t k, size_t d, const double *shift, const double *U, size_t rows,
                       const double *wr, double *M, double *scratch);
    /* fixed += statistics of rows weighted by w (rows), or NULL if none. */
    void (*accumulate_fixed)(size_t d, const double *U, size_t rows, const double *w,
                             double *fixed, double *scratch);
    /* cov from the statistics and the new means (p->means); reg on the diagonal. */
    void (*covariances)(mix__gparams *p, const mix__gstats *st, double reg);
    /* Z (rows x d) <- rows of Z multiplied by the covariance's Cholesky
     * factor of component j: turns standard normal draws into N(0, Sigma_j). */
    void (*correlate)(const mix__gparams *p, size_t j, double *Z, size_t rows);
};

const mix__family *mix__family_of(mix_covariance type);
extern const mix__family mix__family_full, mix__family_tied, mix__family_diag,
    mix__family_spherical;

/* --- parameters (gparams.c) ------------------------------------------------ */

int mix__gparams_alloc(mix__gparams *p, const mix__family *fam, size_t k, size_t d);
void mix__gparams_free(mix__gparams *p);
void mix__gparams_copy(mix__gparams *dst, const mix__gparams *src);
/* Move means and covariances from units (from_shift, from_inv) to
 * (to_shift, to_inv); a NULL shift is zero. prec_chol, log_det, pre are
 * left stale: run precompute. */
void mix__gparams_rescale(mix__gparams *p, const double *from_shift, double from_inv,
                          const double *to_shift, double to_inv);
/* log_weights from weights. */
void mix__gparams_log_weights(mix__gparams *p);
size_t mix__gparams_n_parameters(const mix__gparams *p);

/* --- the model held by a handle -------------------------------------------- */

typedef struct mix__gmodel {
    size_t d;
    mix__gparams u;        /* engine units, for predict/score/sample */
    double *shift;         /* d */
    double inv_scale;
    double *means, *cov, *prec_chol; /* data units, the public arrays */
    double lower_bound;    /* data units; NaN when not fitted */
    int converged, n_iter;
} mix__gmodel;

void mix__gmodel_free(mix__gmodel *m);
/* Public arrays of m from m->u, shift and inv_scale; MIX_EDATA if a value
 * does not fit a double in the units of the data, MIX_ENOMEM. */
int mix__gmodel_export(mix__gmodel *m);

/* A model from complete parameters in data units (weights k, means k x d,
 * covariances in the family's shape), in engine units centred on the
 * mixture's mean. MIX_ENUMERIC with *bad the component whose covariance is
 * not positive definite, MIX_EDATA, MIX_ENOMEM; m is left empty on failure. */
int mix__gmodel_from_params(mix__gmodel *m, const mix__family *fam, size_t k, size_t d,
                            const double *w, const double *mu, const double *cov, long *bad);

/* Log-density offset from engine to data units: d log(inv_scale). */
static inline double mix__log_jacobian(size_t d, double inv_scale)
{
    return inv_scale == 1.0 ? 0.0 : (double)d * log(inv_scale);
}

struct gmm_t {
    mix__err err;
    size_t k;
    const mix__family *fam;
    /* options */
    mix_init init;
    int n_init, max_iter, warm_start, threads;
    double tol, reg_covar;
    uint64_t seed;
    mix_iter_callback callback;
    void *callback_data;
    /* parameters from mix_gmm_set_params, data units (NULL: not given) */
    size_t user_d;
    double *user_weights, *user_means, *user_cov;
    /* model */
    int fitted;
    mix__gmodel model;
};

/* --- fitting (em.c) --------------------------------------------------------- */

typedef struct mix__em_opts {
    mix_init init;
    int n_init, max_iter;
    double tol, reg; /* reg in data units */
    uint64_t seed;
    int threads;
    mix_iter_callback callback;
    void *callback_data;
    const mix__gparams *user;  /* parameters in data units (parts may be NULL), or NULL */
    int user_has[3];           /* weights, means, covariances given */
    const mix__gmodel *warm;   /* start from this model, or NULL */
} mix__em_opts;

/* Fit on scanned data; on success m->u holds the best parameters (engine
 * units of `data`), lower_bound (data units), converged and n_iter. */
int mix__em_fit(const mix__family *fam, size_t k, const mix__data *data,
                const mix__em_opts *opts, mix__gmodel *m, mix__err *err);

/* --- questions to a model (gmm_assign.c, gmm_sample.c) ---------------------- */

/* One pass over new data; any output may be NULL. logp in data units,
 * *total = sum of logp. */
int mix__gmm_assign(const mix__gmodel *m, const double *X, size_t n, int threads,
                    int32_t *labels, double *resp, double *logp, double *total);
/* MIX_EDATA if rows this far (max |u|) could give unrepresentable densities. */
int mix__gmm_check_reach(const mix__gmodel *m, double max_abs_u);
int mix__gmm_sample(const mix__gmodel *m, size_t n, uint64_t seed, double *X, int32_t *labels);

#endif /* MIX_GMM_MODEL_H */
