/*
 * What every mixture model shares (the Gaussian mixtures of gmm/ and the
 * Bernoulli mixtures of bmm/): the model a handle holds, its fit on EM's
 * engine (engine/em.h) from the init methods' starts (start.c, the
 * hierarchical start hc_*.c), and the questions a model answers. The
 * families and what is particular to each model live in their folders.
 */
#ifndef MIX__MIXTURE_MIXTURE_H
#define MIX__MIXTURE_MIXTURE_H

#include "core/common.h"
#include "core/data.h"
#include "engine/family.h"
#include "engine/optim.h"

/* A model: what a fitted handle holds. */
typedef struct mix__mmodel {
    size_t d;
    mix__params u;         /* engine units, for predict/score/sample */
    double *shift;         /* d */
    double inv_scale;
    double *means, *cov, *prec_chol; /* data units, the public arrays */
    double lower_bound;    /* data units; NaN when not fitted */
    int converged, n_iter;
    /* Stepwise EM's state (partial.c), NULL until the first step: the
     * running statistics, their reference points (k x d), the steps. */
    double *online, *online_ref;
    double online_t;
} mix__mmodel;

void mix__mmodel_free(mix__mmodel *m);
/* dst (empty) := a copy of src; MIX_OK or MIX_ENOMEM (dst left empty). */
int mix__mmodel_copy(mix__mmodel *dst, const mix__mmodel *src);
/* Every array of a model of k components of family fam with d features,
 * values left to the caller (a model read back, io/): lower bound NaN.
 * MIX_OK or MIX_ENOMEM (m left empty). */
int mix__mmodel_alloc(mix__mmodel *m, const mix__family *fam, size_t k, size_t d);
/* Public arrays of m from m->u, shift and inv_scale; MIX_EDATA if a value
 * does not fit a double in the units of the data, MIX_ENOMEM. */
int mix__mmodel_export(mix__mmodel *m);

/* A model from complete parameters in data units (weights k, means k x d,
 * covariances in the family's shape), in engine units centred on the
 * mixture's mean. MIX_ENUMERIC with *bad the component whose covariance is
 * not positive definite, MIX_EDATA, MIX_ENOMEM; m is left empty on failure. */
int mix__mmodel_from_params(mix__mmodel *m, const mix__family *fam, size_t k, size_t d,
                            const double *w, const double *mu, const double *cov, long *bad);

/* The options of a fit, as a handle holds them. The given arrays (data
 * units; NULL when not given) belong to the handle. */
typedef struct mix__mixture_opts {
    mix_method method;
    mix__adam_opts adam;
    size_t batch_size; /* Adam: rows per step, 0 for all */
    mix_init init;
    int n_init, max_iter, warm_start, threads;
    double tol;
    double reg; /* the family's regularisation: reg_covar (Gaussian), alpha (Bernoulli) */
    double online_kappa, online_t0; /* stepwise EM's step (t + t0)^-kappa */
    uint64_t seed;
    mix_iter_callback callback;
    void *callback_data;
    size_t given_d; /* 0: nothing given */
    double *given_weights, *given_means, *given_cov;
} mix__mixture_opts;

/*
 * Fit k components of family fam to data prepared by the model (its units:
 * data->shift and inv_scale, which m owns as m->shift and m->inv_scale,
 * already set with m->d); warm is the model to continue from, or NULL. On
 * success m holds the new model (parameters, public arrays, fit results);
 * on failure m is freed and err says why.
 */
int mix__mixture_fit(const mix__family *fam, size_t k, const mix__mixture_opts *o,
                     const mix__mmodel *warm, const mix__data *data, mix__mmodel *m,
                     mix__err *err);

/*
 * One step of stepwise EM (engine/online.c) on a checked chunk X (n x d,
 * weights w or NULL, w_factor from mix__check_weights) from the model cur
 * (of a family with second moments), with the step of o. On success m is
 * the new model: its lower bound is the chunk's mean log-likelihood under
 * cur, n_iter one more, converged 0. On failure m is left empty.
 */
int mix__mixture_partial_fit(const mix__mmodel *cur, const mix__mixture_opts *o,
                             const double *X, size_t n, size_t d, const double *w,
                             double w_factor, mix__mmodel *m, mix__err *err);

/* One pass over new data (checked); any output may be NULL. logp in data
 * units, *total = sum of logp. MIX_OK or MIX_ENOMEM. */
int mix__mixture_assign(const mix__mmodel *m, const double *X, size_t n, int threads,
                        int32_t *labels, double *resp, double *logp, double *total);

#endif /* MIX__MIXTURE_MIXTURE_H */
