/* One handle over K-means, Gaussian and Bernoulli mixtures. */
#include "model.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void fit_opts_defaults(fit_opts *o)
{
    memset(o, 0, sizeof *o);
    o->kind = KIND_GMM;
    o->covariance = MIX_COV_FULL;
    o->method = -1;
    o->init = -1;
    o->n_init = -1;
    o->max_iter = -1;
    o->tol = NAN;
    o->reg_covar = NAN;
    o->alpha = NAN;
    o->learning_rate = NAN;
    o->batch_size = -1;
    o->threads = -1;
}

const char *kind_name(model_kind kind)
{
    return kind == KIND_KMEANS ? "kmeans" : kind == KIND_GMM ? "gmm" : "bmm";
}

const char *kind_title(model_kind kind)
{
    return kind == KIND_KMEANS ? "K-means" : kind == KIND_GMM ? "Gaussian mixture"
                                                              : "Bernoulli mixture";
}

int model_create(model *m, const fit_opts *o, char *err, int *usage)
{
    memset(m, 0, sizeof *m);
    m->kind = o->kind;
    *usage = 0;
    if (o->kind == KIND_KMEANS)
        m->km = mix_kmeans_create(o->k);
    else if (o->kind == KIND_GMM)
        m->gmm = mix_gmm_create(o->k, (mix_covariance)o->covariance);
    else
        m->bmm = mix_bmm_create(o->k);
    if (m->km == NULL && m->gmm == NULL && m->bmm == NULL) {
        /* the commands check k against the library's range first */
        if (o->k == 0 || o->k > INT32_MAX) {
            set_err(err, "-k: %zu is out of range [1, %ld]", o->k, (long)INT32_MAX);
            *usage = 1;
        } else {
            set_err(err, "out of memory");
        }
        return -1;
    }
    /* Each option given goes through its setter, which checks it. */
    int rc = MIX_OK;
#define SET(cond, km_call, gmm_call, bmm_call)                                  \
    if (rc == MIX_OK && (cond))                                                 \
        rc = m->km ? (km_call) : m->gmm ? (gmm_call) : (bmm_call);
    SET(o->init >= 0, mix_kmeans_set_init(m->km, (mix_init)o->init),
        mix_gmm_set_init(m->gmm, (mix_init)o->init), mix_bmm_set_init(m->bmm, (mix_init)o->init))
    SET(o->n_init > 0, mix_kmeans_set_n_init(m->km, (int)o->n_init),
        mix_gmm_set_n_init(m->gmm, (int)o->n_init), mix_bmm_set_n_init(m->bmm, (int)o->n_init))
    SET(o->max_iter >= 0, mix_kmeans_set_max_iter(m->km, (int)o->max_iter),
        mix_gmm_set_max_iter(m->gmm, (int)o->max_iter),
        mix_bmm_set_max_iter(m->bmm, (int)o->max_iter))
    SET(!isnan(o->tol), mix_kmeans_set_tol(m->km, o->tol), mix_gmm_set_tol(m->gmm, o->tol),
        mix_bmm_set_tol(m->bmm, o->tol))
    SET(o->has_seed, mix_kmeans_set_seed(m->km, o->seed), mix_gmm_set_seed(m->gmm, o->seed),
        mix_bmm_set_seed(m->bmm, o->seed))
    SET(o->threads >= 0, mix_kmeans_set_threads(m->km, (int)o->threads),
        mix_gmm_set_threads(m->gmm, (int)o->threads),
        mix_bmm_set_threads(m->bmm, (int)o->threads))
    SET(o->method >= 0, mix_kmeans_set_method(m->km, (mix_method)o->method),
        mix_gmm_set_method(m->gmm, (mix_method)o->method), MIX_EINVAL)
    SET(!isnan(o->learning_rate),
        mix_kmeans_set_adam(m->km, o->learning_rate, 0.9, 0.99, 1e-5),
        mix_gmm_set_adam(m->gmm, o->learning_rate, 0.9, 0.99, 1e-5), MIX_EINVAL)
    SET(o->batch_size >= 0, mix_kmeans_set_batch_size(m->km, (size_t)o->batch_size),
        mix_gmm_set_batch_size(m->gmm, (size_t)o->batch_size), MIX_EINVAL)
    SET(!isnan(o->reg_covar), MIX_EINVAL, mix_gmm_set_reg_covar(m->gmm, o->reg_covar),
        MIX_EINVAL)
    SET(!isnan(o->alpha), MIX_EINVAL, MIX_EINVAL, mix_bmm_set_alpha(m->bmm, o->alpha))
#undef SET
    if (rc != MIX_OK) {
        const char *msg = model_errmsg(m);
        set_err(err, "%s", msg != NULL && *msg != '\0' ? msg : "an option does not apply to this model");
        *usage = 1;
        model_free(m);
        return -1;
    }
    return 0;
}

void model_free(model *m)
{
    mix_kmeans_free(m->km);
    mix_gmm_free(m->gmm);
    mix_bmm_free(m->bmm);
    memset(m, 0, sizeof *m);
}

int model_set_callback(model *m, mix_iter_callback cb, void *user)
{
    return m->km ? mix_kmeans_set_callback(m->km, cb, user)
           : m->gmm ? mix_gmm_set_callback(m->gmm, cb, user)
                    : mix_bmm_set_callback(m->bmm, cb, user);
}

int model_fit(model *m, dataset *ds, int side)
{
    if (ds->streamed) {
        dataset_begin(ds, side);
        ds->err[0] = '\0';
        return m->km ? mix_kmeans_fit_stream(m->km, ds->d, dataset_reader, ds)
               : m->gmm ? mix_gmm_fit_stream(m->gmm, ds->d, dataset_reader, ds)
                        : mix_bmm_fit_stream(m->bmm, ds->d, dataset_reader, ds);
    }
    double *X, *w;
    size_t n;
    int owned;
    if (dataset_side(ds, side, &X, &w, &n, &owned) != 0)
        return MIX_ENOMEM;
    int rc = m->km ? mix_kmeans_fit(m->km, X, n, ds->d, w)
             : m->gmm ? mix_gmm_fit(m->gmm, X, n, ds->d, w)
                      : mix_bmm_fit(m->bmm, X, n, ds->d, w);
    if (owned) {
        free(X);
        free(w);
    }
    return rc;
}

const char *model_errmsg(const model *m)
{
    return m->km ? mix_kmeans_errmsg(m->km) : m->gmm ? mix_gmm_errmsg(m->gmm)
                                                     : mix_bmm_errmsg(m->bmm);
}

size_t model_k(const model *m)
{
    return m->km ? mix_kmeans_n_clusters(m->km) : m->gmm ? mix_gmm_n_components(m->gmm)
                                                         : mix_bmm_n_components(m->bmm);
}

size_t model_d(const model *m)
{
    return m->km ? mix_kmeans_n_features(m->km) : m->gmm ? mix_gmm_n_features(m->gmm)
                                                         : mix_bmm_n_features(m->bmm);
}

int model_is_fitted(const model *m)
{
    return m->km ? mix_kmeans_is_fitted(m->km) : m->gmm ? mix_gmm_is_fitted(m->gmm)
                                                        : mix_bmm_is_fitted(m->bmm);
}

size_t model_n_parameters(const model *m)
{
    if (m->km) /* the centers (criteria.c adds what the hard mixture has) */
        return mix_kmeans_n_clusters(m->km) * mix_kmeans_n_features(m->km);
    return m->gmm ? mix_gmm_n_parameters(m->gmm) : mix_bmm_n_parameters(m->bmm);
}

int model_predict(const model *m, const double *X, size_t n, int32_t *labels)
{
    size_t d = model_d(m);
    return m->km ? mix_kmeans_predict(m->km, X, n, d, labels)
           : m->gmm ? mix_gmm_predict(m->gmm, X, n, d, labels)
                    : mix_bmm_predict(m->bmm, X, n, d, labels);
}

int model_proba(const model *m, const double *X, size_t n, double *resp)
{
    size_t d = model_d(m);
    if (m->km)
        return MIX_EINVAL;
    return m->gmm ? mix_gmm_predict_proba(m->gmm, X, n, d, resp)
                  : mix_bmm_predict_proba(m->bmm, X, n, d, resp);
}

int model_score_rows(const model *m, const double *X, size_t n, double *out)
{
    size_t d = model_d(m);
    if (m->km) {
        for (size_t i = 0; i < n; i++) {
            int rc = mix_kmeans_score(m->km, X + i * d, 1, d, &out[i]);
            if (rc != MIX_OK)
                return rc;
        }
        return MIX_OK;
    }
    return m->gmm ? mix_gmm_score_samples(m->gmm, X, n, d, out)
                  : mix_bmm_score_samples(m->bmm, X, n, d, out);
}

int model_score_total(const model *m, const double *X, size_t n, double *total)
{
    size_t d = model_d(m);
    return m->km ? mix_kmeans_score(m->km, X, n, d, total)
           : m->gmm ? mix_gmm_loglik(m->gmm, X, n, d, total)
                    : mix_bmm_loglik(m->bmm, X, n, d, total);
}

int model_sample(const model *m, size_t n, uint64_t seed, double *X, int32_t *labels)
{
    if (m->km)
        return MIX_EINVAL;
    return m->gmm ? mix_gmm_sample(m->gmm, n, seed, X, labels)
                  : mix_bmm_sample(m->bmm, n, seed, X, labels);
}
