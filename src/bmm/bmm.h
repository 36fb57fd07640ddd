/*
 * The Bernoulli mixture model behind bmm_t: what the public layer
 * (api/bmm.c) calls besides the mixtures' common calls (mixture/mixture.h).
 * The family (bernoulli.c) plugs into EM; rows are 0/1 and used as they
 * are; sampling draws 0/1 rows.
 */
#ifndef MIX__BMM_BMM_H
#define MIX__BMM_BMM_H

#include "mixture/mixture.h"

/* Defaults: EM's as for the Gaussian mixtures (scikit-learn's), and
 * Laplace smoothing (alpha = 1, as scikit-learn's BernoulliNB), which keeps
 * every probability inside (0, 1). */
#define MIX__BMM_DEFAULT_INIT MIX_INIT_KMEANS
#define MIX__BMM_DEFAULT_N_INIT 1
#define MIX__BMM_DEFAULT_MAX_ITER 100
#define MIX__BMM_DEFAULT_TOL 1e-3
#define MIX__BMM_DEFAULT_ALPHA 1.0

extern const mix__family mix__family_bernoulli;

/* Options with the defaults above. */
mix__mixture_opts mix__bmm_default_opts(void);

/* Every value of X (n x d) is 0 or 1, else MIX_EDATA naming the first
 * other value's row and column. */
int mix__bmm_check_binary(mix__err *err, const double *X, size_t n, size_t d, const char *what);

/* Given probabilities (k x d): in [0, 1], else MIX_EDATA (not finite) or
 * MIX_EINVAL, naming the component and feature. */
int mix__bmm_check_probs(mix__err *err, const double *probs, size_t k, size_t d);

/* Fit k components to the 0/1 rows of src (core/data.h; checked here);
 * warm is the model to continue from, or NULL. On success *m holds the new
 * model; on failure m is left empty and err says why. */
int mix__bmm_fit(size_t k, const mix__mixture_opts *o, const mix__mmodel *warm,
                 const mix__source *src, mix__mmodel *m, mix__err *err);

/* n rows drawn from the model, grouped by component in increasing order (as
 * the Gaussian mixtures and scikit-learn draw): each value 1 with the
 * component's probability. MIX_OK or MIX_ENOMEM. */
int mix__bmm_sample(const mix__mmodel *m, size_t n, uint64_t seed, double *X, int32_t *labels);

#endif /* MIX__BMM_BMM_H */
