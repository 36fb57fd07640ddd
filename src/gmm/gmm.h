/*
 * The Gaussian mixture model behind gmm_t: what the public layer
 * (api/gmm.c) calls besides the mixtures' common calls (mixture/mixture.h).
 * The four covariance families of this folder (cov_*.c) plug into EM; the
 * data's units (column means, a power-of-two scale that keeps reg_covar in
 * range), given covariances and theta, sampling and the reach of a model
 * are Gaussian.
 */
#ifndef MIX__GMM_GMM_H
#define MIX__GMM_GMM_H

#include "mixture/mixture.h"

/* scikit-learn's GaussianMixture defaults, defined once. */
#define MIX__GMM_DEFAULT_INIT MIX_INIT_KMEANS
#define MIX__GMM_DEFAULT_N_INIT 1
#define MIX__GMM_DEFAULT_MAX_ITER 100
#define MIX__GMM_DEFAULT_TOL 1e-3
#define MIX__GMM_DEFAULT_REG_COVAR 1e-6
/* Stepwise EM's step size (t + t0)^-kappa (mix_gmm_set_online). */
#define MIX__GMM_DEFAULT_ONLINE_KAPPA 0.6
#define MIX__GMM_DEFAULT_ONLINE_T0 10.0
/* scikit-learn's tolerance on sum(weights) == 1 for given weights. */
#define MIX__GMM_WEIGHT_SUM_TOL 1e-8

/* The family of a covariance type, or NULL. */
const mix__family *mix__family_of(mix_covariance type);

/* Given covariances (data units, the family's shape) as a model can use
 * them: finite (else MIX_EDATA), and symmetric and positive definite by
 * Cholesky (full, tied) or positive (diagonal, spherical), else MIX_EINVAL;
 * the message names the component and the defect. MIX_ENOMEM. */
int mix__gmm_check_covariances(const mix__family *fam, size_t k, size_t d, const double *cov,
                               mix__err *err);

/* Options with scikit-learn's defaults. */
mix__mixture_opts mix__gmm_default_opts(void);

/* Fit k components of family fam to the rows of src (core/data.h: in
 * memory or streamed, on one rank or several; checked here) in the data's
 * units: centred on the column means, scaled for reg_covar; warm is the
 * model to continue from, or NULL. On success *m holds the new model; on
 * failure m is left empty and err says why. */
int mix__gmm_fit(const mix__family *fam, size_t k, const mix__mixture_opts *o,
                 const mix__mmodel *warm, const mix__source *src, mix__mmodel *m,
                 mix__err *err);

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

/* --- questions to a model (reach.c, sample.c) ------------------------------ */

/* MIX_EDATA if rows this far (max |u|) could give unrepresentable densities. */
int mix__gmm_check_reach(const mix__mmodel *m, double max_abs_u);
int mix__gmm_sample(const mix__mmodel *m, size_t n, uint64_t seed, double *X, int32_t *labels);

#endif /* MIX__GMM_GMM_H */
