/*
 * The public K-means layer: argument checking, options, the fitted model
 * and error text. The arithmetic lives in kmeans/ (the model) and below. A
 * call that fails changes nothing but the error text.
 */
#include "api/handles.h"

#include "core/data.h"
#include "core/limits.h"
#include "core/threads.h"

#include <float.h>
#include <math.h>
#include <string.h>
/* Distances of new data are computed only when their squares stay far from
 * overflow: |u| sqrt(d) + |c| below this bound. */
#define DISTANCE_LIMIT 1e150


kmeans_t *mix_kmeans_create(size_t n_clusters)
{
    if (n_clusters == 0 || n_clusters > INT32_MAX)
        return NULL;
    kmeans_t *km = mix__calloc(1, sizeof *km);
    if (km == NULL)
        return NULL;
    mix__err_init(&km->err);
    km->k = n_clusters;
    km->opt = mix__kmeans_default_opts();
    return km;
}

void mix_kmeans_free(kmeans_t *km)
{
    if (km == NULL)
        return;
    mix__kmodel_free(&km->model);
    mix__free(km->opt.init_centers);
    mix__err_destroy(&km->err);
    mix__free(km);
}

/* --- options -------------------------------------------------------------- */

int mix_kmeans_set_init(kmeans_t *km, mix_init init)
{
    if (km == NULL)
        return MIX_EINVAL;
    switch ((int)init) {
    case MIX_INIT_KMEANSPP:
    case MIX_INIT_RANDOM:
    case MIX_INIT_RANDOM_FROM_DATA:
        break;
    case MIX_INIT_KMEANS:
    case MIX_INIT_HIERARCHICAL:
        return mix__fail(&km->err, MIX_EINVAL,
                         "init: %s is for Gaussian mixtures; K-means seeds with "
                         "MIX_INIT_KMEANSPP, MIX_INIT_RANDOM or MIX_INIT_RANDOM_FROM_DATA",
                         init == MIX_INIT_KMEANS ? "MIX_INIT_KMEANS" : "MIX_INIT_HIERARCHICAL");
    default:
        return mix__fail(&km->err, MIX_EINVAL, "init: %d is not a mix_init value", (int)init);
    }
    km->opt.init = init;
    mix__free(km->opt.init_centers);
    km->opt.init_centers = NULL;
    km->opt.init_d = 0;
    return MIX_OK;
}

int mix_kmeans_set_init_centers(kmeans_t *km, const double *centers, size_t d)
{
    if (km == NULL)
        return MIX_EINVAL;
    int rc = mix__check_shape(&km->err, centers, km->k, d, "centers");
    if (rc == MIX_OK)
        rc = mix__check_finite(&km->err, centers, km->k, d, "centers");
    if (rc != MIX_OK)
        return rc;
    double *copy = mix__alloc_array(km->k * d, sizeof(double));
    mix__kmodel m;
    if (copy == NULL || mix__kmodel_from_centers(&m, km->k, d, centers) != MIX_OK) {
        mix__free(copy);
        return mix__fail(&km->err, MIX_ENOMEM, "out of memory copying %zu x %zu centers", km->k,
                         d);
    }
    memcpy(copy, centers, km->k * d * sizeof(double));
    mix__free(km->opt.init_centers);
    km->opt.init_centers = copy;
    km->opt.init_d = d;
    mix__kmodel_free(&km->model);
    km->model = m;
    km->fitted = 1;
    return MIX_OK;
}

int mix_kmeans_set_n_init(kmeans_t *km, int n_init)
{
    if (km == NULL)
        return MIX_EINVAL;
    int rc = mix__check_range(&km->err, "n_init", n_init, 1, MIX__MAX_N_INIT);
    if (rc == MIX_OK)
        km->opt.n_init = n_init;
    return rc;
}

int mix_kmeans_set_max_iter(kmeans_t *km, int max_iter)
{
    if (km == NULL)
        return MIX_EINVAL;
    int rc = mix__check_range(&km->err, "max_iter", max_iter, 1, MIX__MAX_MAX_ITER);
    if (rc == MIX_OK)
        km->opt.max_iter = max_iter;
    return rc;
}

int mix_kmeans_set_tol(kmeans_t *km, double tol)
{
    if (km == NULL)
        return MIX_EINVAL;
    int rc = mix__check_nonneg(&km->err, "tol", tol);
    if (rc == MIX_OK)
        km->opt.tol = tol;
    return rc;
}

int mix_kmeans_set_seed(kmeans_t *km, uint64_t seed)
{
    if (km == NULL)
        return MIX_EINVAL;
    km->opt.seed = seed;
    return MIX_OK;
}

int mix_kmeans_set_threads(kmeans_t *km, int n_threads)
{
    if (km == NULL)
        return MIX_EINVAL;
    int rc = mix__check_range(&km->err, "threads", n_threads, 0, MIX__MAX_THREADS);
    if (rc == MIX_OK)
        km->opt.threads = n_threads;
    return rc;
}

int mix_kmeans_set_algorithm(kmeans_t *km, mix_kmeans_algorithm algorithm)
{
    if (km == NULL)
        return MIX_EINVAL;
    if ((int)algorithm < MIX_KMEANS_AUTO || (int)algorithm > MIX_KMEANS_HAMERLY)
        return mix__fail(&km->err, MIX_EINVAL, "algorithm: %d is not a mix_kmeans_algorithm value",
                         (int)algorithm);
    km->opt.algorithm = algorithm;
    return MIX_OK;
}

int mix_kmeans_set_method(kmeans_t *km, mix_method method)
{
    if (km == NULL)
        return MIX_EINVAL;
    if ((int)method != MIX_METHOD_EM && (int)method != MIX_METHOD_ADAM)
        return mix__fail(&km->err, MIX_EINVAL, "method: %d is not a mix_method value",
                         (int)method);
    km->opt.method = method;
    return MIX_OK;
}

int mix_kmeans_set_adam(kmeans_t *km, double learning_rate, double beta1, double beta2,
                        double epsilon)
{
    if (km == NULL)
        return MIX_EINVAL;
    int rc = mix__check_adam(&km->err, learning_rate, beta1, beta2, epsilon);
    if (rc == MIX_OK) {
        km->opt.adam_lr = learning_rate;
        km->opt.adam_beta1 = beta1;
        km->opt.adam_beta2 = beta2;
        km->opt.adam_eps = epsilon;
    }
    return rc;
}

int mix_kmeans_set_batch_size(kmeans_t *km, size_t batch_size)
{
    if (km == NULL)
        return MIX_EINVAL;
    km->opt.batch_size = batch_size;
    return MIX_OK;
}

int mix_kmeans_set_callback(kmeans_t *km, mix_iter_callback callback, void *user_data)
{
    if (km == NULL)
        return MIX_EINVAL;
    km->opt.callback = callback;
    km->opt.callback_data = user_data;
    return MIX_OK;
}

/* --- fit ------------------------------------------------------------------ */

/* What a fit of d columns needs of the handle's options, and that Adam's
 * mini-batches have the rows in memory on one rank. */
static int check_fit_options(kmeans_t *km, size_t d, int streamed)
{
    if (km->opt.init_centers != NULL && km->opt.init_d != d)
        return mix__fail(&km->err, MIX_EDIM,
                         "X has %zu features but the initial centers have %zu", d,
                         km->opt.init_d);
    if (km->opt.method == MIX_METHOD_ADAM && km->opt.batch_size > 0 &&
        (streamed || mix__dist_on(&km->dist)))
        return mix__fail(&km->err, MIX_EINVAL,
                         "Adam's mini-batches shuffle rows in memory on one process; use "
                         "mix_kmeans_set_batch_size(km, 0) for a %s fit",
                         streamed ? "streamed" : "distributed");
    return MIX_OK;
}

/* What every rank of a distributed fit must agree on (core/dist.h). */
static uint64_t fingerprint(const kmeans_t *km, size_t d)
{
    const mix__kmeans_opts *o = &km->opt;
    const int has_callback = o->callback != NULL;
    uint64_t h = MIX__FP_START;
    h = mix__dist_fold(h, &d, sizeof d);
    h = mix__dist_fold(h, &km->k, sizeof km->k);
    h = mix__dist_fold(h, &o->method, sizeof o->method);
    h = mix__dist_fold(h, &o->adam_lr, sizeof o->adam_lr);
    h = mix__dist_fold(h, &o->adam_beta1, sizeof o->adam_beta1);
    h = mix__dist_fold(h, &o->adam_beta2, sizeof o->adam_beta2);
    h = mix__dist_fold(h, &o->adam_eps, sizeof o->adam_eps);
    h = mix__dist_fold(h, &o->batch_size, sizeof o->batch_size);
    h = mix__dist_fold(h, &o->init, sizeof o->init);
    h = mix__dist_fold(h, &o->init_d, sizeof o->init_d);
    if (o->init_centers != NULL)
        h = mix__dist_fold(h, o->init_centers, km->k * o->init_d * sizeof(double));
    h = mix__dist_fold(h, &o->n_init, sizeof o->n_init);
    h = mix__dist_fold(h, &o->max_iter, sizeof o->max_iter);
    h = mix__dist_fold(h, &o->tol, sizeof o->tol);
    h = mix__dist_fold(h, &o->seed, sizeof o->seed);
    return mix__dist_fold(h, &has_callback, sizeof has_callback);
}

static int fit_source(kmeans_t *km, const mix__source *src)
{
    mix__kmodel m;
    int rc = mix__kmeans_fit(km->k, &km->opt, src, &m, &km->err);
    if (rc != MIX_OK)
        return rc;
    mix__kmodel_free(&km->model);
    km->model = m;
    km->fitted = 1;
    return MIX_OK;
}

int mix_kmeans_fit(kmeans_t *km, const double *X, size_t n, size_t d, const double *sample_weight)
{
    if (km == NULL)
        return MIX_EINVAL;
    int rc = mix__check_fit_rows(&km->err, X, n, d, mix__dist_on(&km->dist));
    if (rc == MIX_OK)
        rc = check_fit_options(km, d, 0);
    /* Every rank's first reduction carries the outcome of its checks. */
    rc = mix__dist_agree(&km->dist, fingerprint(km, d), rc, &km->err);
    if (rc != MIX_OK)
        return rc;
    const mix__source src = {.X = X, .w = sample_weight, .n = n, .d = d, .dist = &km->dist};
    return fit_source(km, &src);
}

int mix_kmeans_fit_stream(kmeans_t *km, size_t d, mix_read_fn read, void *user)
{
    if (km == NULL)
        return MIX_EINVAL;
    int rc = mix__check_reader(&km->err, d, read);
    if (rc == MIX_OK)
        rc = check_fit_options(km, d, 1);
    rc = mix__dist_agree(&km->dist, fingerprint(km, d), rc, &km->err);
    if (rc != MIX_OK)
        return rc;
    const mix__source src = {.d = d, .read = read, .user = user, .dist = &km->dist};
    return fit_source(km, &src);
}

int mix_kmeans_set_distributed(kmeans_t *km, int rank, int size, mix_allreduce_fn allreduce,
                               void *user)
{
    if (km == NULL)
        return MIX_EINVAL;
    int rc = mix__check_dist(&km->err, rank, size, allreduce);
    if (rc == MIX_OK)
        km->dist = mix__dist_make(rank, size, allreduce, user);
    return rc;
}

/* Checks of a partial_fit chunk for the handle's state. */
static int check_chunk(kmeans_t *km, const double *X, size_t n, size_t d, const double *w,
                       double *w_factor)
{
    if (mix__dist_on(&km->dist))
        return mix__fail(&km->err, MIX_EINVAL,
                         "partial_fit runs in one process: call "
                         "mix_kmeans_set_distributed(km, 0, 1, NULL, NULL) first");
    int rc = mix__check_shape(&km->err, X, n, d, "X");
    if (rc != MIX_OK)
        return rc;
    const int first = !km->fitted;
    if (!first && d != km->model.d)
        return mix__fail(&km->err, MIX_EDIM, "X has %zu features but the model has %zu", d,
                         km->model.d);
    rc = check_fit_options(km, d, 0);
    if (rc == MIX_OK && first && n < km->k)
        rc = mix__fail(&km->err, MIX_EDIM,
                       "n_samples = %zu should be >= n_clusters = %zu for the first partial_fit",
                       n, km->k);
    if (rc == MIX_OK)
        rc = mix__check_finite(&km->err, X, n, d, "X");
    size_t n_positive;
    if (rc == MIX_OK)
        rc = mix__check_weights(&km->err, w, n, !first, &n_positive, w_factor);
    if (rc == MIX_OK && first && n_positive < km->k)
        rc = mix__fail(&km->err, MIX_EDIM,
                       "only %zu samples have a positive weight; n_clusters = %zu needs as many",
                       n_positive, km->k);
    return rc;
}

int mix_kmeans_partial_fit(kmeans_t *km, const double *X, size_t n, size_t d,
                           const double *sample_weight)
{
    if (km == NULL)
        return MIX_EINVAL;
    double w_factor;
    int rc = check_chunk(km, X, n, d, sample_weight, &w_factor);
    if (rc != MIX_OK)
        return rc;
    mix__kmodel m;
    rc = mix__kmeans_partial_fit(km->fitted ? &km->model : NULL, km->k, &km->opt, X, n, d,
                                 sample_weight, w_factor, &m, &km->err);
    if (rc != MIX_OK)
        return rc;
    mix__kmodel_free(&km->model);
    km->model = m;
    km->fitted = 1;
    return MIX_OK;
}

/* --- questions to a fitted model ------------------------------------------ */

/* Common checks of predict, transform and score. */
static int check_query(const kmeans_t *km, const double *X, size_t n, size_t d, const void *out,
                       const char *out_name, double *reach)
{
    if (!km->fitted)
        return mix__fail(mix__kmeans_err(km), MIX_ESTATE, "the model is not fitted; call mix_kmeans_fit first");
    double max_abs_u, c_max = 0;
    int rc = mix__check_query_data(mix__kmeans_err(km), X, n, d, km->model.d, out, out_name,
                                   km->model.shift, km->model.inv_scale, &max_abs_u);
    if (rc != MIX_OK)
        return rc;
    for (size_t j = 0; j < km->k; j++)
        c_max = fmax(c_max, sqrt(km->model.c_norm2[j]));
    *reach = max_abs_u * sqrt((double)d) + c_max; /* bounds every distance */
    if (*reach >= DISTANCE_LIMIT)
        return mix__fail(mix__kmeans_err(km), MIX_EDATA,
                         "X lies so far from the model's data that squared distances overflow");
    return MIX_OK;
}

int mix_kmeans_predict(const kmeans_t *km, const double *X, size_t n, size_t d, int32_t *labels)
{
    if (km == NULL)
        return MIX_EINVAL;
    double reach;
    int rc = check_query(km, X, n, d, labels, "labels", &reach);
    if (rc != MIX_OK)
        return rc;
    rc = mix__kmeans_assign(&km->model, km->k, X, n, NULL, 1.0,
                            mix__threads_resolve(km->opt.threads), labels, NULL, NULL);
    return rc == MIX_OK ? rc : mix__fail(mix__kmeans_err(km), rc, "out of memory predicting %zu rows", n);
}

int mix_kmeans_transform(const kmeans_t *km, const double *X, size_t n, size_t d, double *dist)
{
    if (km == NULL)
        return MIX_EINVAL;
    double reach;
    int rc = check_query(km, X, n, d, dist, "dist", &reach);
    if (rc != MIX_OK)
        return rc;
    if (reach / km->model.inv_scale >= DBL_MAX / 2)
        return mix__fail(mix__kmeans_err(km), MIX_EDATA,
                         "distances of X to the centers overflow a double in the data's units");
    rc = mix__check_cells(mix__kmeans_err(km), n, km->k);
    if (rc != MIX_OK)
        return rc;
    rc = mix__kmeans_assign(&km->model, km->k, X, n, NULL, 1.0,
                            mix__threads_resolve(km->opt.threads), NULL, dist, NULL);
    return rc == MIX_OK ? rc : mix__fail(mix__kmeans_err(km), rc, "out of memory transforming %zu rows", n);
}

int mix_kmeans_score_weighted(const kmeans_t *km, const double *X, size_t n, size_t d,
                              const double *sample_weight, double *score)
{
    if (km == NULL)
        return MIX_EINVAL;
    double reach;
    int rc = check_query(km, X, n, d, score, "score", &reach);
    if (rc != MIX_OK)
        return rc;
    size_t n_positive;
    double w_factor;
    rc = mix__check_weights(mix__kmeans_err(km), sample_weight, n, 1, &n_positive, &w_factor);
    if (rc != MIX_OK)
        return rc;
    double inertia;
    rc = mix__kmeans_assign(&km->model, km->k, X, n, sample_weight, w_factor,
                            mix__threads_resolve(km->opt.threads), NULL, NULL, &inertia);
    if (rc != MIX_OK)
        return mix__fail(mix__kmeans_err(km), rc, "out of memory scoring %zu rows", n);
    if (!isfinite(inertia))
        return mix__fail(mix__kmeans_err(km), MIX_EDATA, "the inertia of X overflows a double");
    *score = -inertia;
    return MIX_OK;
}

int mix_kmeans_score(const kmeans_t *km, const double *X, size_t n, size_t d, double *score)
{
    return mix_kmeans_score_weighted(km, X, n, d, NULL, score);
}

/* --- getters -------------------------------------------------------------- */

const double *mix_kmeans_centers(const kmeans_t *km)
{
    return km && km->fitted ? km->model.centers : NULL;
}

const int32_t *mix_kmeans_labels(const kmeans_t *km)
{
    return km && km->fitted ? km->model.labels : NULL;
}

double mix_kmeans_inertia(const kmeans_t *km)
{
    return km && km->fitted ? km->model.inertia : NAN;
}

int mix_kmeans_n_iter(const kmeans_t *km)
{
    return km && km->fitted ? km->model.n_iter : 0;
}

size_t mix_kmeans_n_clusters(const kmeans_t *km)
{
    return km ? km->k : 0;
}

size_t mix_kmeans_n_features(const kmeans_t *km)
{
    return km && km->fitted ? km->model.d : 0;
}

size_t mix_kmeans_n_samples(const kmeans_t *km)
{
    return km && km->fitted ? km->model.n : 0;
}

int mix_kmeans_is_fitted(const kmeans_t *km)
{
    return km ? km->fitted : 0;
}

const char *mix_kmeans_errmsg(const kmeans_t *km)
{
    return km ? km->err.msg : "NULL handle";
}
