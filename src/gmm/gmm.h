/*
 * The Gaussian mixture model behind gmm_t: what the public layer
 * (api/gmm.c) calls. A fit runs EM (engine/em.h) over one of the four
 * covariance families of this folder (cov_*.c); the model keeps its
 * parameters in engine units, for predict, score and sample, and their
 * public copies in the units of the data.
 */
#ifndef MIX__GMM_GMM_H
#define MIX__GMM_GMM_H

#include "core/common.h"
#include "engine/family.h"
#include "engine/optim.h"

/* scikit-learn's GaussianMixture defaults, defined once. */
#define MIX__GMM_DEFAULT_INIT MIX_INIT_KMEANS
#define MIX__GMM_DEFAULT_N_INIT 1
#define MIX__GMM_DEFAULT_MAX_ITER 100
#define MIX__GMM_DEFAULT_TOL 1e-3
#define MIX__GMM_DEFAULT_REG_COVAR 1e-6
/* scikit-learn's tolerance on sum(weights) == 1 for given weights. */
#define MIX__GMM_WEIGHT_SUM_TOL 1e-8

/* The family of a covariance type, or NULL. */
const mix__family *mix__family_of(mix_covariance type);

/* A model: what a fitted handle holds. */
typedef struct mix__gmodel {
    size_t d;
    mix__params u;         /* engine units, for predict/score/sample */
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

/* Given covariances (data units, the family's shape) as a model can use
 * them: finite (else MIX_EDATA), and symmetric and positive definite by
 * Cholesky (full, tied) or positive (diagonal, spherical), else MIX_EINVAL;
 * the message names the component and the defect. MIX_ENOMEM. */
int mix__gmm_check_covariances(const mix__family *fam, size_t k, size_t d, const double *cov,
                               mix__err *err);

/* The options of a fit, as a handle holds them. The given arrays (data
 * units; NULL when not given) belong to the handle. */
typedef struct mix__gmm_opts {
    mix_method method;
    mix__adam_opts adam;
    size_t batch_size; /* Adam: rows per step, 0 for all */
    mix_init init;
    int n_init, max_iter, warm_start, threads;
    double tol, reg_covar;
    uint64_t seed;
    mix_iter_callback callback;
    void *callback_data;
    size_t given_d; /* 0: nothing given */
    double *given_weights, *given_means, *given_cov;
} mix__gmm_opts;

/* Options with scikit-learn's defaults. */
mix__gmm_opts mix__gmm_default_opts(void);

/* Fit k components of family fam to checked data (X n x d, weights w or
 * NULL, w_factor from mix__check_weights); warm is the model to continue
 * from, or NULL. On success *m holds the new model; on failure m is left
 * empty and err says why. */
int mix__gmm_fit(const mix__family *fam, size_t k, const mix__gmm_opts *o,
                 const mix__gmodel *warm, const double *X, size_t n, size_t d, const double *w,
                 double w_factor, mix__gmodel *m, mix__err *err);

/* The negative log-likelihood of checked data at theta (data units; layout
 * of engine/theta.h) and its gradient (grad may be NULL); outputs written
 * only on success. */
int mix__gmm_nll_grad(const mix__family *fam, size_t k, int threads, const double *X, size_t n,
                      size_t d, const double *w, double w_factor, const double *theta,
                      double *nll, double *grad, mix__err *err);

/* Weights, means and covariances (data units) of the mixture theta
 * describes; MIX_EDATA (naming what) when a value is not finite or a
 * factor is not usable. */
int mix__gmm_params_of_theta(const mix__family *fam, size_t k, size_t d, const double *theta,
                             double *weights, double *means, double *cov, mix__err *err);

/* --- questions to a model (assign.c, sample.c) ------------------------------ */

/* One pass over new data; any output may be NULL. logp in data units,
 * *total = sum of logp. */
int mix__gmm_assign(const mix__gmodel *m, const double *X, size_t n, int threads,
                    int32_t *labels, double *resp, double *logp, double *total);
/* MIX_EDATA if rows this far (max |u|) could give unrepresentable densities. */
int mix__gmm_check_reach(const mix__gmodel *m, double max_abs_u);
int mix__gmm_sample(const mix__gmodel *m, size_t n, uint64_t seed, double *X, int32_t *labels);

#endif /* MIX__GMM_GMM_H */
