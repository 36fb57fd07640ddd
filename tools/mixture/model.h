/*
 * One handle over the library's three models (K-means, Gaussian and
 * Bernoulli mixtures): the fit options of the command line, the fit (in
 * memory or streamed), the queries, and model files.
 */
#ifndef MIXTURE_MODEL_H
#define MIXTURE_MODEL_H

#include "dataset.h"

#include <mixture.h>
#include <stddef.h>
#include <stdint.h>

/* The kinds, numbered as a model file's kind field (docs/format.md). */
typedef enum model_kind { KIND_KMEANS = 1, KIND_GMM = 2, KIND_BMM = 3 } model_kind;

typedef struct model {
    model_kind kind;
    kmeans_t *km;
    gmm_t *gmm;
    bmm_t *bmm;
} model;

/* The options of `mixture fit` and `mixture select`; negative (or NaN)
 * means "the library's default". */
typedef struct fit_opts {
    model_kind kind;
    size_t k;
    int covariance;     /* mix_covariance */
    int method;         /* mix_method, -1 */
    int init;           /* mix_init, -1 */
    long n_init, max_iter;
    double tol, reg_covar, alpha, learning_rate;
    long batch_size;
    int has_seed;
    uint64_t seed;
    long threads;
} fit_opts;

void fit_opts_defaults(fit_opts *o);

const char *kind_name(model_kind kind);      /* "kmeans", "gmm", "bmm" */
const char *kind_title(model_kind kind);     /* "K-means", "Gaussian mixture", ... */

/* Create a handle for o and set every option given. On failure returns -1
 * with err set (*usage 1 when an option was refused, 0 for no memory). */
int model_create(model *m, const fit_opts *o, char *err, int *usage);
void model_free(model *m);

/* The progress callback for every fit of m. */
int model_set_callback(model *m, mix_iter_callback cb, void *user);

/* Fit the rows of one side of ds: in memory when they are, else streamed.
 * Returns the library's status; the message is model_errmsg() (or, for a
 * reader failure, ds->err). */
int model_fit(model *m, dataset *ds, int side);

const char *model_errmsg(const model *m);
size_t model_k(const model *m);
size_t model_d(const model *m);
int model_is_fitted(const model *m);
size_t model_n_parameters(const model *m);

/* Queries, as the library's calls of the model's kind. */
int model_predict(const model *m, const double *X, size_t n, int32_t *labels);
int model_proba(const model *m, const double *X, size_t n, double *resp);
/* Per-row log-likelihood; for K-means minus the squared distance to the
 * closest center (the row's share of KMeans.score). */
int model_score_rows(const model *m, const double *X, size_t n, double *out);
/* Sum over rows: log-likelihood; for K-means minus the inertia. */
int model_score_total(const model *m, const double *X, size_t n, double *total);
int model_sample(const model *m, size_t n, uint64_t seed, double *X, int32_t *labels);

/* The 32-byte header of a model file (magic, format version, writer,
 * kind, ...): 0, or -1 with err set when path is not a model file. */
enum { MODEL_HEADER_LEN = 32 };
int model_read_header(const char *path, unsigned char head[MODEL_HEADER_LEN], char *err);

/* Save to path (written aside, then renamed); load whatever kind path holds. */
int model_save(const model *m, const char *path, char *err);
int model_load(model *m, const char *path, char *err);

#endif /* MIXTURE_MODEL_H */
