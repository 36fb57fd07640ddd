/*
 * The K-means model behind kmeans_t: what the public layer (api/kmeans.c)
 * calls. A fit runs Lloyd's iterations (lloyd.c, with Hamerly's bounds,
 * hamerly.c) from k-means++, random-row or given centers (seed.c) through
 * the restart loop (engine/restarts.h); the queries are in assign.c.
 */
#ifndef MIX__KMEANS_KMEANS_H
#define MIX__KMEANS_KMEANS_H

#include "core/common.h"
#include "core/data.h"

/* scikit-learn's KMeans defaults, defined once (the Gaussian mixture's
 * K-means initialisation uses them too). */
#define MIX__KMEANS_DEFAULT_INIT MIX_INIT_KMEANSPP
#define MIX__KMEANS_DEFAULT_N_INIT 10
#define MIX__KMEANS_DEFAULT_MAX_ITER 300
#define MIX__KMEANS_DEFAULT_TOL 1e-4

/* A fitted model. Owned arrays; all NULL when nothing is fitted. Inside a
 * fit everything is in engine units u = (x - shift) * inv_scale
 * (core/data.h); the public arrays are converted back once, when a fit
 * succeeds. */
typedef struct mix__kmodel {
    size_t d, n;
    double *centers;   /* k x d, data units (what mix_kmeans_centers returns) */
    double *centers_u; /* k x d, engine units */
    double *c_norm2;   /* k, squared norms of centers_u */
    double *shift;     /* d, training column means */
    double inv_scale;  /* power of two */
    int32_t *labels;   /* n training labels (NULL after a streamed fit) */
    double *counts;    /* k: the clusters' training weights (partial_fit's
                          weight_sums), or NULL */
    double inertia;    /* data units */
    int n_iter;
} mix__kmodel;

void mix__kmodel_free(mix__kmodel *m);

/* A model from given centers (k x d, data units, finite), in engine units
 * centred on their mean: no labels (n = 0), inertia NaN, n_iter 0.
 * MIX_OK or MIX_ENOMEM (m left empty). */
int mix__kmodel_from_centers(mix__kmodel *m, size_t k, size_t d, const double *centers);

/* The options of a fit, as a handle holds them. init_centers (k x
 * init_d, data units, or NULL) belongs to the handle. */
typedef struct mix__kmeans_opts {
    mix_method method;
    double adam_lr, adam_beta1, adam_beta2, adam_eps;
    size_t batch_size; /* Adam: rows per step, 0 for all */
    mix_init init;
    double *init_centers;
    size_t init_d;
    int n_init; /* 0: scikit-learn's default (10, or 1 with given centers) */
    int max_iter;
    double tol;
    uint64_t seed;
    int threads;
    mix_kmeans_algorithm algorithm;
    mix_iter_callback callback;
    void *callback_data;
} mix__kmeans_opts;

/* Options with scikit-learn's defaults. */
mix__kmeans_opts mix__kmeans_default_opts(void);

/* Fit k clusters to the rows of src (core/data.h: in memory or streamed,
 * on one rank or several; checked here). On success *m holds the new
 * model; on failure m is left empty and err says why. */
int mix__kmeans_fit(size_t k, const mix__kmeans_opts *o, const mix__source *src,
                    mix__kmodel *m, mix__err *err);

/* One step of scikit-learn's MiniBatchKMeans.partial_fit (partial.c) on
 * the checked chunk X (n x d, weights w or NULL, w_factor from
 * mix__check_weights) from the model cur, or, when cur is NULL, from the
 * given centers or the chunk's seeding (n >= k). On success m is the new
 * model (the chunk's labels and inertia, counts updated, n_iter + 1); on
 * failure m is left empty and err says why. */
int mix__kmeans_partial_fit(const mix__kmodel *cur, size_t k, const mix__kmeans_opts *o,
                            const double *X, size_t n, size_t d, const double *w,
                            double w_factor, mix__kmodel *m, mix__err *err);

/* Const-model queries over new data, block by block (assign.c): any of
 * labels (n), dist (n x k, data units) and inertia (weighted by w) may be
 * asked. MIX_OK or MIX_ENOMEM. */
int mix__kmeans_assign(const mix__kmodel *m, size_t k, const double *X, size_t n,
                       const double *w, double w_factor, int threads, int32_t *labels,
                       double *dist, double *inertia);

#endif /* MIX__KMEANS_KMEANS_H */
