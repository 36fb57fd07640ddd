/*
 * The public K-means layer: argument checking, options, the fitted model
 * and error text. The arithmetic lives in kmeans_lloyd.c, kmeans_seed.c and
 * kmeans_assign.c. A call that fails changes nothing but the error text.
 */
#include "kmeans_model.h"

#include "threads.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_N_INIT 10
#define MAX_N_INIT 100000
#define MAX_MAX_ITER 1000000000
#define MAX_THREADS 1024
/* Distances of new data are computed only when their squares stay far from
 * overflow: |u| sqrt(d) + |c| below this bound. */
#define DISTANCE_LIMIT 1e150

/* The error record of a const handle: logically mutable (see common.h). */
static mix__err *cerr(const kmeans_t *km)
{
    return (mix__err *)&km->err;
}

static void model_free(mix__kmodel *m)
{
    mix__free(m->centers);
    mix__free(m->centers_u);
    mix__free(m->c_norm2);
    mix__free(m->shift);
    mix__free(m->labels);
    memset(m, 0, sizeof *m);
}

kmeans_t *mix_kmeans_create(size_t n_clusters)
{
    if (n_clusters == 0 || n_clusters > INT32_MAX)
        return NULL;
    kmeans_t *km = mix__calloc(1, sizeof *km);
    if (km == NULL)
        return NULL;
    mix__err_init(&km->err);
    km->k = n_clusters;
    km->init = MIX_INIT_KMEANSPP;
    km->max_iter = 300;
    km->tol = 1e-4;
    return km;
}

void mix_kmeans_free(kmeans_t *km)
{
    if (km == NULL)
        return;
    model_free(&km->model);
    mix__free(km->init_centers);
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
        return mix__fail(&km->err, MIX_EINVAL,
                         "init: MIX_INIT_KMEANS is for Gaussian mixtures; K-means seeds with "
                         "MIX_INIT_KMEANSPP, MIX_INIT_RANDOM or MIX_INIT_RANDOM_FROM_DATA");
    default:
        return mix__fail(&km->err, MIX_EINVAL, "init: %d is not a mix_init value", (int)init);
    }
    km->init = init;
    mix__free(km->init_centers);
    km->init_centers = NULL;
    km->init_d = 0;
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
    if (copy == NULL)
        return mix__fail(&km->err, MIX_ENOMEM, "out of memory copying %zu x %zu centers", km->k,
                         d);
    memcpy(copy, centers, km->k * d * sizeof(double));
    mix__free(km->init_centers);
    km->init_centers = copy;
    km->init_d = d;
    return MIX_OK;
}

int mix_kmeans_set_n_init(kmeans_t *km, int n_init)
{
    if (km == NULL)
        return MIX_EINVAL;
    int rc = mix__check_range(&km->err, "n_init", n_init, 1, MAX_N_INIT);
    if (rc == MIX_OK)
        km->n_init = n_init;
    return rc;
}

int mix_kmeans_set_max_iter(kmeans_t *km, int max_iter)
{
    if (km == NULL)
        return MIX_EINVAL;
    int rc = mix__check_range(&km->err, "max_iter", max_iter, 1, MAX_MAX_ITER);
    if (rc == MIX_OK)
        km->max_iter = max_iter;
    return rc;
}

int mix_kmeans_set_tol(kmeans_t *km, double tol)
{
    if (km == NULL)
        return MIX_EINVAL;
    int rc = mix__check_nonneg(&km->err, "tol", tol);
    if (rc == MIX_OK)
        km->tol = tol;
    return rc;
}

int mix_kmeans_set_seed(kmeans_t *km, uint64_t seed)
{
    if (km == NULL)
        return MIX_EINVAL;
    km->seed = seed;
    return MIX_OK;
}

int mix_kmeans_set_threads(kmeans_t *km, int n_threads)
{
    if (km == NULL)
        return MIX_EINVAL;
    int rc = mix__check_range(&km->err, "threads", n_threads, 0, MAX_THREADS);
    if (rc == MIX_OK)
        km->threads = n_threads;
    return rc;
}

int mix_kmeans_set_algorithm(kmeans_t *km, mix_kmeans_algorithm algorithm)
{
    if (km == NULL)
        return MIX_EINVAL;
    if ((int)algorithm < MIX_KMEANS_AUTO || (int)algorithm > MIX_KMEANS_HAMERLY)
        return mix__fail(&km->err, MIX_EINVAL, "algorithm: %d is not a mix_kmeans_algorithm value",
                         (int)algorithm);
    km->algorithm = algorithm;
    return MIX_OK;
}

int mix_kmeans_set_callback(kmeans_t *km, mix_iter_callback callback, void *user_data)
{
    if (km == NULL)
        return MIX_EINVAL;
    km->callback = callback;
    km->callback_data = user_data;
    return MIX_OK;
}

/* --- fit ------------------------------------------------------------------ */

static int check_fit_args(kmeans_t *km, const double *X, size_t n, size_t d, const double *w,
                          double *w_factor)
{
    int rc = mix__check_fit_data(&km->err, X, n, d, w, km->k, "n_clusters", w_factor);
    if (rc == MIX_OK && km->init_centers != NULL && km->init_d != d)
        rc = mix__fail(&km->err, MIX_EDIM, "X has %zu features but the initial centers have %zu",
                       d, km->init_d);
    return rc;
}

/* Build the public model from the best run of L. */
static int commit(kmeans_t *km, mix__kmodel *m, mix__lloyd *L, int n_iter)
{
    int rc = mix__lloyd_export(L, m, n_iter);
    if (rc == MIX_EDATA)
        return mix__fail(&km->err, rc,
                         "the inertia (%g in scaled units) overflows a double in the units of "
                         "the data; rescale X",
                         L->best_inertia);
    if (rc != MIX_OK)
        return mix__fail(&km->err, rc, "out of memory storing %zu x %zu centers", km->k, m->d);
    return MIX_OK;
}

int mix_kmeans_fit(kmeans_t *km, const double *X, size_t n, size_t d, const double *sample_weight)
{
    if (km == NULL)
        return MIX_EINVAL;
    double w_factor;
    int rc = check_fit_args(km, X, n, d, sample_weight, &w_factor);
    if (rc != MIX_OK)
        return rc;

    mix__kmodel m = {0};
    mix__lloyd L;
    double *init_u = NULL;
    m.d = d;
    m.n = n;
    m.shift = mix__alloc_array(d, sizeof(double));
    if (m.shift == NULL)
        return mix__fail(&km->err, MIX_ENOMEM, "out of memory");
    double norm_bound;
    rc = mix__scan_columns(&km->err, X, n, d, m.shift, &m.inv_scale, &norm_bound);
    if (rc != MIX_OK) {
        model_free(&m);
        return rc;
    }
    mix__data data = {X, n, d, sample_weight, m.shift, m.inv_scale, norm_bound, w_factor};
    if (mix__lloyd_init(&L, &data, km->k, mix__threads_resolve(km->threads), km->algorithm,
                        km->tol) != MIX_OK) {
        model_free(&m);
        return mix__fail(&km->err, MIX_ENOMEM, "out of memory for n = %zu, d = %zu, k = %zu", n,
                         d, km->k);
    }
    if (km->init_centers != NULL) {
        init_u = mix__alloc_array(km->k * d, sizeof(double));
        if (init_u == NULL) {
            rc = mix__fail(&km->err, MIX_ENOMEM, "out of memory");
            goto done;
        }
        for (size_t i = 0; i < km->k * d; i++)
            init_u[i] = km->init_centers[i] * m.inv_scale - m.shift[i % d] * m.inv_scale;
    }
    L.init = km->init;
    L.init_centers = init_u;
    mix__rng_seed(&L.rng, km->seed);

    int n_init = km->init_centers ? 1 : km->n_init ? km->n_init : DEFAULT_N_INIT;
    int n_iter = 0;
    rc = mix__lloyd_fit(&L, n_init, km->max_iter, km->callback, km->callback_data, &n_iter,
                        &km->err);
    if (rc == MIX_OK)
        rc = commit(km, &m, &L, n_iter);
    if (rc == MIX_OK) {
        model_free(&km->model);
        km->model = m;
        km->fitted = 1;
        memset(&m, 0, sizeof m);
    } else if (rc == MIX_ENOMEM) {
        mix__fail(&km->err, MIX_ENOMEM, "out of memory fitting n = %zu, d = %zu, k = %zu", n, d,
                  km->k);
    }
done:
    mix__free(init_u);
    mix__lloyd_free(&L);
    model_free(&m);
    return rc;
}

/* --- questions to a fitted model ------------------------------------------ */

/* Common checks of predict, transform and score. */
static int check_query(const kmeans_t *km, const double *X, size_t n, size_t d, const void *out,
                       const char *out_name, double *reach)
{
    if (!km->fitted)
        return mix__fail(cerr(km), MIX_ESTATE, "the model is not fitted; call mix_kmeans_fit first");
    double max_abs_u, c_max = 0;
    int rc = mix__check_query_data(cerr(km), X, n, d, km->model.d, out, out_name,
                                   km->model.shift, km->model.inv_scale, &max_abs_u);
    if (rc != MIX_OK)
        return rc;
    for (size_t j = 0; j < km->k; j++)
        c_max = fmax(c_max, sqrt(km->model.c_norm2[j]));
    *reach = max_abs_u * sqrt((double)d) + c_max; /* bounds every distance */
    if (*reach >= DISTANCE_LIMIT)
        return mix__fail(cerr(km), MIX_EDATA,
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
                            mix__threads_resolve(km->threads), labels, NULL, NULL);
    return rc == MIX_OK ? rc : mix__fail(cerr(km), rc, "out of memory predicting %zu rows", n);
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
        return mix__fail(cerr(km), MIX_EDATA,
                         "distances of X to the centers overflow a double in the data's units");
    rc = mix__check_cells(cerr(km), n, km->k);
    if (rc != MIX_OK)
        return rc;
    rc = mix__kmeans_assign(&km->model, km->k, X, n, NULL, 1.0,
                            mix__threads_resolve(km->threads), NULL, dist, NULL);
    return rc == MIX_OK ? rc : mix__fail(cerr(km), rc, "out of memory transforming %zu rows", n);
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
    rc = mix__check_weights(cerr(km), sample_weight, n, 1, &n_positive, &w_factor);
    if (rc != MIX_OK)
        return rc;
    double inertia;
    rc = mix__kmeans_assign(&km->model, km->k, X, n, sample_weight, w_factor,
                            mix__threads_resolve(km->threads), NULL, NULL, &inertia);
    if (rc != MIX_OK)
        return mix__fail(cerr(km), rc, "out of memory scoring %zu rows", n);
    if (!isfinite(inertia))
        return mix__fail(cerr(km), MIX_EDATA, "the inertia of X overflows a double");
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
