/*
 * Allocation-failure injection (built against a library compiled with
 * -DMIX_FAULT_INJECTION, see the Makefile's check-fault target).
 *
 * For every operation of both models and every metric: count the
 * allocations a successful call makes, then for each n make the n-th one
 * fail and check that the call reports MIX_ENOMEM (or NULL for create),
 * that no block is left allocated by it, that the model (for a metric: the
 * output) is exactly as before, and that the same call then succeeds with
 * the same result as without the failure.
 *
 * Two allocations are allowed to fail silently: the worker pool and its
 * threads (the call then runs on the caller's thread, with identical
 * results); the test checks the result in that case instead.
 *
 * Saved models: save and load of every kind, to files and buffers, under
 * every allocation failure; then every file operation of a save and of a
 * load fails once (a full disk, a failing device): MIX_EIO, nothing
 * leaked, the handle unchanged, a file at the path intact and nothing left
 * beside it.
 */
#define _POSIX_C_SOURCE 200809L
#include <check.h>
#include <math.h>
#include <mixture.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/common.h"
#include "io/io.h"
#include "mixture/hc_vvv.h"

#include <dirent.h>
#include <errno.h>
#include <unistd.h>

/* A prepared situation: a handle (or none) plus data. */
typedef struct state {
    kmeans_t *km;
    gmm_t *g;
    bmm_t *b;
    mix_covariance cov;
    unsigned char *saved; /* a saved model the operation loads (malloc) */
    size_t saved_n;
} state;

static char dir[64] = "/tmp/libmixture-fault-XXXXXX";

static const char *path_in_dir(const char *name)
{
    static char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return path;
}

enum { N = 160, D = 3, K = 3, NBIG = 20000 };
static double X[NBIG * D], Y[N * D], W[N], B[N * D]; /* B: 0/1 rows */

static void make_data(void)
{
    uint64_t s = 42;
    for (size_t i = 0; i < NBIG * D; i++) {
        s = s * 6364136223846793005u + 1442695040888963407u;
        X[i] = (double)(s >> 11) * 0x1.0p-53 * 4.0 + (double)((i / D) % K) * 5.0;
    }
    for (size_t i = 0; i < N * D; i++)
        Y[i] = X[i] * 0.9 + 0.3;
    for (size_t i = 0; i < N; i++)
        W[i] = 0.5 + (double)(i % 4);
    for (size_t i = 0; i < N * D; i++)
        B[i] = X[i] > 2.0 + 5.0 * (double)((i / D) % K) ? 1.0 : 0.0;
}

/* --- operations: each returns a status and writes a digest of its result
 * (what the handle or the outputs hold) so that runs can be compared. --- */

typedef int (*setup_fn)(state *st);
typedef int (*op_fn)(state *st, double *digest);

static double digest_array(const double *a, size_t n)
{
    double h = 0;
    for (size_t i = 0; i < n; i++)
        h = h * 1.000001 + a[i];
    return h;
}

static double digest_kmeans(const kmeans_t *km)
{
    if (!mix_kmeans_is_fitted(km))
        return -1;
    double inertia = mix_kmeans_inertia(km); /* NaN for a model of given centers */
    double h = digest_array(mix_kmeans_centers(km), K * D) + (isnan(inertia) ? 0 : inertia);
    const int32_t *labels = mix_kmeans_labels(km); /* NULL after a streamed fit */
    for (size_t i = 0; labels != NULL && i < mix_kmeans_n_samples(km); i++)
        h = h * 1.000001 + labels[i];
    return h;
}

static double digest_gmm(const gmm_t *g)
{
    if (!mix_gmm_is_fitted(g))
        return -1;
    size_t cl = mix_gmm_covariances_size(g), k = mix_gmm_n_components(g), d = mix_gmm_n_features(g);
    double lb = mix_gmm_lower_bound(g);
    return digest_array(mix_gmm_weights(g), k) + digest_array(mix_gmm_means(g), k * d) +
           digest_array(mix_gmm_covariances(g), cl) +
           digest_array(mix_gmm_precisions_cholesky(g), cl) + (isnan(lb) ? 0 : lb);
}

static double digest_bmm(const bmm_t *b)
{
    if (!mix_bmm_is_fitted(b))
        return -1;
    double lb = mix_bmm_lower_bound(b);
    return digest_array(mix_bmm_weights(b), K) + digest_array(mix_bmm_probs(b), K * D) +
           (isnan(lb) ? 0 : lb);
}

static int setup_none(state *st)
{
    (void)st;
    return MIX_OK;
}

static int setup_kmeans(state *st)
{
    st->km = mix_kmeans_create(K);
    return st->km ? MIX_OK : MIX_ENOMEM;
}

static int setup_kmeans_fitted(state *st)
{
    int rc = setup_kmeans(st);
    return rc == MIX_OK ? mix_kmeans_fit(st->km, X, N, D, NULL) : rc;
}

static int setup_gmm(state *st)
{
    st->g = mix_gmm_create(K, st->cov);
    return st->g ? MIX_OK : MIX_ENOMEM;
}

static int setup_gmm_fitted(state *st)
{
    int rc = setup_gmm(st);
    return rc == MIX_OK ? mix_gmm_fit(st->g, X, N, D, NULL) : rc;
}

static int op_kmeans_create(state *st, double *digest)
{
    st->km = mix_kmeans_create(K);
    *digest = 0;
    return st->km ? MIX_OK : MIX_ENOMEM;
}

static int op_kmeans_init_centers(state *st, double *digest)
{
    int rc = mix_kmeans_set_init_centers(st->km, X, D);
    *digest = digest_kmeans(st->km);
    return rc;
}

static int op_kmeans_fit(state *st, double *digest)
{
    mix_kmeans_set_n_init(st->km, 2);
    int rc = mix_kmeans_fit(st->km, X, N, D, W);
    *digest = digest_kmeans(st->km);
    return rc;
}

static int op_kmeans_fit_hamerly_threads(state *st, double *digest)
{
    mix_kmeans_set_algorithm(st->km, MIX_KMEANS_HAMERLY);
    mix_kmeans_set_threads(st->km, 2);
    mix_kmeans_set_init(st->km, MIX_INIT_RANDOM_FROM_DATA);
    int rc = mix_kmeans_fit(st->km, X, NBIG, D, NULL);
    *digest = digest_kmeans(st->km);
    return rc;
}

static int op_kmeans_predict(state *st, double *digest)
{
    int32_t lab[N];
    int rc = mix_kmeans_predict(st->km, Y, N, D, lab);
    *digest = 0;
    for (size_t i = 0; i < N; i++)
        *digest = *digest * 1.000001 + lab[i];
    return rc;
}

static int op_kmeans_transform(state *st, double *digest)
{
    static double dist[N * K];
    int rc = mix_kmeans_transform(st->km, Y, N, D, dist);
    *digest = digest_array(dist, N * K);
    return rc;
}

static int op_kmeans_score(state *st, double *digest)
{
    return mix_kmeans_score_weighted(st->km, Y, N, D, W, digest);
}

static int op_gmm_create(state *st, double *digest)
{
    st->g = mix_gmm_create(K, st->cov);
    *digest = 0;
    return st->g ? MIX_OK : MIX_ENOMEM;
}

/* Complete parameters of the right shape for the state's covariance type. */
static int give_params(state *st)
{
    static const double w[K] = {0.2, 0.3, 0.5};
    double cov[K * D * D];
    size_t len = st->cov == MIX_COV_FULL ? K * D * D : st->cov == MIX_COV_TIED ? D * D
                                                   : st->cov == MIX_COV_DIAG   ? K * D
                                                                               : K;
    memset(cov, 0, sizeof cov);
    if (st->cov == MIX_COV_FULL || st->cov == MIX_COV_TIED)
        for (size_t m = 0; m < len / (D * D); m++)
            for (size_t t = 0; t < D; t++)
                cov[m * D * D + t * D + t] = 1.5;
    else
        for (size_t i = 0; i < len; i++)
            cov[i] = 1.5;
    return mix_gmm_set_params(st->g, D, w, X, cov);
}

static int op_gmm_set_params(state *st, double *digest)
{
    int rc = give_params(st);
    *digest = digest_gmm(st->g);
    return rc;
}

static int op_gmm_fit_kmeans(state *st, double *digest)
{
    mix_gmm_set_n_init(st->g, 2);
    int rc = mix_gmm_fit(st->g, X, N, D, W);
    *digest = digest_gmm(st->g);
    return rc;
}

static int fit_with_init(state *st, mix_init init, double *digest)
{
    mix_gmm_set_init(st->g, init);
    int rc = mix_gmm_fit(st->g, X, N, D, NULL);
    *digest = digest_gmm(st->g);
    return rc;
}

static int op_gmm_fit_kmeanspp(state *st, double *digest)
{
    return fit_with_init(st, MIX_INIT_KMEANSPP, digest);
}

static int op_gmm_fit_random(state *st, double *digest)
{
    return fit_with_init(st, MIX_INIT_RANDOM, digest);
}

static int op_gmm_fit_random_rows(state *st, double *digest)
{
    return fit_with_init(st, MIX_INIT_RANDOM_FROM_DATA, digest);
}

static int op_gmm_fit_adam(state *st, double *digest)
{
    mix_gmm_set_method(st->g, MIX_METHOD_ADAM);
    mix_gmm_set_max_iter(st->g, 3);
    mix_gmm_set_n_init(st->g, 2);
    int rc = mix_gmm_fit(st->g, X, N, D, W);
    *digest = digest_gmm(st->g);
    return rc;
}

static int op_gmm_fit_adam_batches(state *st, double *digest)
{
    mix_gmm_set_batch_size(st->g, 50);
    return op_gmm_fit_adam(st, digest);
}

static int op_gmm_nll_grad(state *st, double *digest)
{
    double theta[64], grad[64], nll = 0;
    int rc = mix_gmm_get_theta(st->g, theta);
    if (rc == MIX_OK)
        rc = mix_gmm_nll_grad(st->g, Y, N, D, W, theta, &nll, grad);
    *digest = rc == MIX_OK ? nll + digest_array(grad, mix_gmm_theta_size(st->g, D)) : 0;
    return rc;
}

static int op_gmm_set_theta(state *st, double *digest)
{
    double theta[64];
    int rc = mix_gmm_get_theta(st->g, theta);
    for (size_t i = 0; i < K; i++)
        theta[i] += 0.1 * (double)i; /* another model */
    if (rc == MIX_OK)
        rc = mix_gmm_set_theta(st->g, D, theta);
    *digest = digest_gmm(st->g);
    return rc;
}

static int op_kmeans_fit_adam(state *st, double *digest)
{
    mix_kmeans_set_method(st->km, MIX_METHOD_ADAM);
    mix_kmeans_set_max_iter(st->km, 4);
    mix_kmeans_set_n_init(st->km, 2);
    mix_kmeans_set_batch_size(st->km, 40);
    int rc = mix_kmeans_fit(st->km, X, N, D, W);
    *digest = digest_kmeans(st->km);
    return rc;
}

static int op_gmm_fit_hierarchical(state *st, double *digest)
{
    mix_gmm_set_n_init(st->g, 2); /* the agglomeration, then a K-means start */
    return fit_with_init(st, MIX_INIT_HIERARCHICAL, digest);
}

static int setup_gmm_given(state *st)
{
    int rc = setup_gmm(st);
    return rc == MIX_OK ? give_params(st) : rc;
}

/* A fitted handle that also holds partial given parameters. */
static int setup_gmm_partial(state *st)
{
    static const double w[K] = {0.2, 0.3, 0.5};
    int rc = setup_gmm_fitted(st);
    return rc == MIX_OK ? mix_gmm_set_params(st->g, D, w, X, NULL) : rc;
}

/* From given parameters: the partial ones are overridden after the init. */
static int op_gmm_fit_given(state *st, double *digest)
{
    return fit_with_init(st, MIX_INIT_KMEANS, digest);
}

static int op_gmm_fit_warm(state *st, double *digest)
{
    mix_gmm_set_warm_start(st->g, 1);
    mix_gmm_set_max_iter(st->g, 5);
    int rc = mix_gmm_fit(st->g, X, N, D, NULL);
    *digest = digest_gmm(st->g);
    return rc;
}

static int op_gmm_fit_threads(state *st, double *digest)
{
    mix_gmm_set_threads(st->g, 2);
    mix_gmm_set_max_iter(st->g, 5);
    int rc = mix_gmm_fit(st->g, X, NBIG, D, NULL);
    *digest = digest_gmm(st->g);
    return rc;
}

static int op_gmm_queries(state *st, double *digest)
{
    static double resp[N * K], logp[N];
    int32_t lab[N];
    double score, bic;
    int rc = mix_gmm_predict(st->g, Y, N, D, lab);
    if (rc == MIX_OK)
        rc = mix_gmm_predict_proba(st->g, Y, N, D, resp);
    if (rc == MIX_OK)
        rc = mix_gmm_score_samples(st->g, Y, N, D, logp);
    if (rc == MIX_OK)
        rc = mix_gmm_score(st->g, Y, N, D, &score);
    if (rc == MIX_OK)
        rc = mix_gmm_bic(st->g, Y, N, D, &bic);
    *digest = rc == MIX_OK ? digest_array(resp, N * K) + digest_array(logp, N) + score + bic : 0;
    return rc;
}

static int op_gmm_sample(state *st, double *digest)
{
    static double S[N * D];
    int32_t lab[N];
    int rc = mix_gmm_sample(st->g, N, 7, S, lab);
    *digest = rc == MIX_OK ? digest_array(S, N * D) : 0;
    return rc;
}

static int setup_bmm(state *st)
{
    st->b = mix_bmm_create(K);
    return st->b ? MIX_OK : MIX_ENOMEM;
}

static int setup_bmm_fitted(state *st)
{
    int rc = setup_bmm(st);
    return rc == MIX_OK ? mix_bmm_fit(st->b, B, N, D, NULL) : rc;
}

static int op_bmm_create(state *st, double *digest)
{
    st->b = mix_bmm_create(K);
    *digest = 0;
    return st->b ? MIX_OK : MIX_ENOMEM;
}

static int op_bmm_set_params(state *st, double *digest)
{
    static const double w[K] = {0.2, 0.3, 0.5};
    double p[K * D];
    for (size_t i = 0; i < K * D; i++)
        p[i] = 0.1 + 0.8 * (double)(i % 5) / 4.0;
    int rc = mix_bmm_set_params(st->b, D, w, p);
    *digest = digest_bmm(st->b);
    return rc;
}

static int bmm_fit_with(state *st, mix_init init, double *digest)
{
    mix_bmm_set_init(st->b, init);
    mix_bmm_set_n_init(st->b, 2);
    int rc = mix_bmm_fit(st->b, B, N, D, W);
    *digest = digest_bmm(st->b);
    return rc;
}

static int op_bmm_fit(state *st, double *digest)
{
    return bmm_fit_with(st, MIX_INIT_KMEANS, digest);
}

static int op_bmm_fit_rows(state *st, double *digest)
{
    return bmm_fit_with(st, MIX_INIT_KMEANSPP, digest);
}

static int op_bmm_fit_random(state *st, double *digest)
{
    return bmm_fit_with(st, MIX_INIT_RANDOM, digest);
}

static int op_bmm_queries(state *st, double *digest)
{
    static double resp[N * K], logp[N], S[N * D];
    int32_t lab[N];
    double bic;
    int rc = mix_bmm_predict(st->b, B, N, D, lab);
    if (rc == MIX_OK)
        rc = mix_bmm_predict_proba(st->b, B, N, D, resp);
    if (rc == MIX_OK)
        rc = mix_bmm_score_samples(st->b, B, N, D, logp);
    if (rc == MIX_OK)
        rc = mix_bmm_bic(st->b, B, N, D, &bic);
    if (rc == MIX_OK)
        rc = mix_bmm_sample(st->b, N, 3, S, lab);
    *digest = rc == MIX_OK ? digest_array(resp, N * K) + digest_array(logp, N) + bic +
                                 digest_array(S, N * D)
                           : 0;
    return rc;
}

/* The metrics: no handle, so the check is on the output (the digest
 * starts as a sentinel the failed call must leave alone). Labels with
 * negative values and a -1 "noise" cluster; data with every strategy of
 * the silhouette: few clusters (the whole table of sums, threads) and more
 * than 256 (blocks of rows). */
static void labelings(int32_t *a, int32_t *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        a[i] = (int32_t)(i % 3) - 1;
        b[i] = (int32_t)((i / 2) % 4) * 1000 - 5;
    }
}

#define LABEL_OP(name, fn)                                                                         \
    static int name(state *st, double *digest)                                                     \
    {                                                                                              \
        (void)st;                                                                                  \
        int32_t a[N], b[N];                                                                        \
        labelings(a, b, N);                                                                        \
        return fn(a, b, N, digest);                                                                \
    }
LABEL_OP(op_ari, mix_adjusted_rand_index)
LABEL_OP(op_rand, mix_rand_index)
LABEL_OP(op_nmi, mix_normalized_mutual_info)
LABEL_OP(op_ami, mix_adjusted_mutual_info)

/* k clusters over NBIG rows of X (k = 3: threads and the tournament;
 * k = 300: blocks of rows). */
static const int32_t *data_labels(size_t k)
{
    static int32_t lab[NBIG];
    for (size_t i = 0; i < NBIG; i++)
        lab[i] = (int32_t)((i * 7919) % k) - 1;
    return lab;
}

static int op_silhouette(state *st, double *digest)
{
    (void)st;
    return mix_silhouette_score(X, 2000, D, data_labels(3), digest);
}

static int op_silhouette_many(state *st, double *digest)
{
    (void)st;
    return mix_silhouette_score(X, 700, D, data_labels(300), digest);
}

static int op_calinski_harabasz(state *st, double *digest)
{
    (void)st;
    return mix_calinski_harabasz(X, NBIG, D, data_labels(3), digest);
}

static int op_davies_bouldin(state *st, double *digest)
{
    (void)st;
    return mix_davies_bouldin(X, NBIG, D, data_labels(3), digest);
}

/* --- streamed, distributed and incremental fits --------------------------- */

/* A reader over rows of X (or B), 37 rows a call. */
typedef struct rows_reader {
    const double *X;
    size_t n, pos;
} rows_reader;

static long read_rows(void *user, double *x, double *w, size_t max_rows)
{
    (void)w;
    rows_reader *r = user;
    size_t m = r->n - r->pos < 37 ? r->n - r->pos : 37;
    m = m < max_rows ? m : max_rows;
    memcpy(x, r->X + r->pos * D, m * D * sizeof(double));
    r->pos = m == 0 ? 0 : r->pos + m;
    return (long)m;
}

/* One rank of one: every reduction goes through the callback. */
static int one_rank(void *user, double *buf, size_t len)
{
    (void)user, (void)buf, (void)len;
    return 0;
}

static int op_kmeans_fit_stream(state *st, double *digest)
{
    rows_reader r = {X, N, 0};
    mix_kmeans_set_n_init(st->km, 2);
    int rc = mix_kmeans_fit_stream(st->km, D, read_rows, &r);
    *digest = digest_kmeans(st->km);
    return rc;
}

static int op_kmeans_fit_distributed(state *st, double *digest)
{
    mix_kmeans_set_distributed(st->km, 0, 1, one_rank, NULL);
    mix_kmeans_set_init(st->km, MIX_INIT_RANDOM_FROM_DATA);
    int rc = mix_kmeans_fit(st->km, X, N, D, W);
    *digest = digest_kmeans(st->km);
    return rc;
}

static int op_kmeans_partial_fit(state *st, double *digest)
{
    int rc = mix_kmeans_partial_fit(st->km, Y, N / 2, D, W);
    *digest = digest_kmeans(st->km);
    return rc;
}

static int op_kmeans_partial_fit_first(state *st, double *digest)
{
    int rc = mix_kmeans_partial_fit(st->km, X, N, D, NULL);
    *digest = digest_kmeans(st->km);
    return rc;
}

static int op_gmm_fit_stream(state *st, double *digest)
{
    rows_reader r = {X, N, 0};
    mix_gmm_set_init(st->g, st->cov == MIX_COV_FULL ? MIX_INIT_HIERARCHICAL : MIX_INIT_KMEANS);
    int rc = mix_gmm_fit_stream(st->g, D, read_rows, &r);
    *digest = digest_gmm(st->g);
    return rc;
}

static int op_gmm_fit_distributed(state *st, double *digest)
{
    mix_gmm_set_distributed(st->g, 0, 1, one_rank, NULL);
    mix_gmm_set_init(st->g, MIX_INIT_KMEANSPP);
    int rc = mix_gmm_fit(st->g, X, N, D, NULL);
    *digest = digest_gmm(st->g);
    return rc;
}

static int op_gmm_partial_fit(state *st, double *digest)
{
    int rc = mix_gmm_partial_fit(st->g, Y, N / 2, D, W);
    *digest = digest_gmm(st->g);
    return rc;
}

static int op_bmm_fit_stream(state *st, double *digest)
{
    rows_reader r = {B, N, 0};
    int rc = mix_bmm_fit_stream(st->b, D, read_rows, &r);
    *digest = digest_bmm(st->b);
    return rc;
}

/* The hierarchical agglomeration (internal, for the GMM's mclust start). */
static int op_hc_vvv(state *st, double *digest)
{
    (void)st;
    int32_t lab[N];
    int rc = mix__hc_vvv(X, N, D, 4, lab);
    double h = 0;
    for (size_t i = 0; rc == MIX_OK && i < N; i++)
        h = h * 1.000001 + lab[i];
    if (rc == MIX_OK) /* the output only on success, as the metrics' */
        *digest = h;
    return rc;
}

static int op_hc_vvv_transformed(state *st, double *digest)
{
    (void)st;
    int32_t lab[N];
    int rc = mix__hc_vvv_transformed(X, N, D, 4, lab);
    double h = 0;
    for (size_t i = 0; rc == MIX_OK && i < N; i++)
        h = h * 1.000001 + lab[i];
    if (rc == MIX_OK) /* the output only on success, as the metrics' */
        *digest = h;
    return rc;
}

/* --- saved models ---------------------------------------------------------------- */

/* Digest of saved bytes. */
static double digest_bytes(const unsigned char *p, size_t n)
{
    double h = 0;
    for (size_t i = 0; i < n; i++)
        h = h * 1.000001 + p[i];
    return h;
}

static void keep_saved(state *st, void *buf, size_t n)
{
    st->saved = buf;
    st->saved_n = n;
    FILE *f = fopen(path_in_dir("source.mixture"), "wb"); /* for the file loads */
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(buf, 1, n, f), n);
    fclose(f);
}

/* A model to load (with given centers or parameters, so that every array
 * is read), saved; then the target: a handle holding another model. */
static int setup_kmeans_saved(state *st)
{
    kmeans_t *src = mix_kmeans_create(K);
    size_t n;
    mix_kmeans_set_init_centers(src, X, D);
    ck_assert_int_eq(mix_kmeans_fit(src, X, N, D, NULL), MIX_OK);
    mix_kmeans_save_buffer(src, NULL, 0, &n);
    void *buf = malloc(n);
    ck_assert_int_eq(mix_kmeans_save_buffer(src, buf, n, &n), MIX_OK);
    mix_kmeans_free(src);
    keep_saved(st, buf, n);
    return setup_kmeans_fitted(st);
}

static int setup_gmm_saved(state *st)
{
    state src = {NULL, NULL, NULL, st->cov, NULL, 0};
    size_t n;
    ck_assert_int_eq(setup_gmm_fitted(&src), MIX_OK);
    ck_assert_int_eq(give_params(&src), MIX_OK); /* given arrays too */
    mix_gmm_save_buffer(src.g, NULL, 0, &n);
    void *buf = malloc(n);
    ck_assert_int_eq(mix_gmm_save_buffer(src.g, buf, n, &n), MIX_OK);
    mix_gmm_free(src.g);
    keep_saved(st, buf, n);
    int rc = setup_gmm(st);
    return rc == MIX_OK ? mix_gmm_fit(st->g, Y, N, D, NULL) : rc;
}

static int setup_bmm_saved(state *st)
{
    bmm_t *src = mix_bmm_create(K);
    size_t n;
    double p[K * D];
    for (size_t i = 0; i < K * D; i++)
        p[i] = 0.25 + 0.125 * (double)(i % 4);
    ck_assert_int_eq(mix_bmm_fit(src, B, N, D, NULL), MIX_OK);
    ck_assert_int_eq(mix_bmm_set_params(src, D, NULL, p), MIX_OK);
    mix_bmm_save_buffer(src, NULL, 0, &n);
    void *buf = malloc(n);
    ck_assert_int_eq(mix_bmm_save_buffer(src, buf, n, &n), MIX_OK);
    mix_bmm_free(src);
    keep_saved(st, buf, n);
    return setup_bmm_fitted(st);
}

static int op_kmeans_load_buffer(state *st, double *digest)
{
    int rc = mix_kmeans_load_buffer(st->km, st->saved, st->saved_n);
    *digest = digest_kmeans(st->km);
    return rc;
}

static int op_kmeans_load(state *st, double *digest)
{
    int rc = mix_kmeans_load(st->km, path_in_dir("source.mixture"));
    *digest = digest_kmeans(st->km);
    return rc;
}

static int op_gmm_load_buffer(state *st, double *digest)
{
    int rc = mix_gmm_load_buffer(st->g, st->saved, st->saved_n);
    *digest = digest_gmm(st->g);
    return rc;
}

static int op_gmm_load(state *st, double *digest)
{
    int rc = mix_gmm_load(st->g, path_in_dir("source.mixture"));
    *digest = digest_gmm(st->g);
    return rc;
}

static int op_bmm_load_buffer(state *st, double *digest)
{
    int rc = mix_bmm_load_buffer(st->b, st->saved, st->saved_n);
    *digest = digest_bmm(st->b);
    return rc;
}

static int op_bmm_load(state *st, double *digest)
{
    int rc = mix_bmm_load(st->b, path_in_dir("source.mixture"));
    *digest = digest_bmm(st->b);
    return rc;
}

/* Saves: to a buffer (no allocation at all) and to a file (its name). */
static int op_kmeans_save(state *st, double *digest)
{
    static unsigned char buf[1 << 14];
    size_t n = 0;
    int rc = mix_kmeans_save_buffer(st->km, buf, sizeof buf, &n);
    if (rc == MIX_OK)
        rc = mix_kmeans_save(st->km, path_in_dir("saved.mixture"));
    *digest = digest_bytes(buf, n);
    return rc;
}

static int op_gmm_save(state *st, double *digest)
{
    static unsigned char buf[1 << 14];
    size_t n = 0;
    int rc = mix_gmm_save_buffer(st->g, buf, sizeof buf, &n);
    if (rc == MIX_OK)
        rc = mix_gmm_save(st->g, path_in_dir("saved.mixture"));
    *digest = digest_bytes(buf, n);
    return rc;
}

static int op_bmm_save(state *st, double *digest)
{
    static unsigned char buf[1 << 14];
    size_t n = 0;
    int rc = mix_bmm_save_buffer(st->b, buf, sizeof buf, &n);
    if (rc == MIX_OK)
        rc = mix_bmm_save(st->b, path_in_dir("saved.mixture"));
    *digest = digest_bytes(buf, n);
    return rc;
}

static void release(state *st)
{
    mix_kmeans_free(st->km);
    mix_gmm_free(st->g);
    mix_bmm_free(st->b);
    free(st->saved);
    st->km = NULL;
    st->g = NULL;
    st->b = NULL;
    st->saved = NULL;
}

/* Digest of the handle's model, to prove a failed call changed nothing. */
static double model_digest(const state *st)
{
    return st->km ? digest_kmeans(st->km) : st->g ? digest_gmm(st->g)
                                        : st->b ? digest_bmm(st->b) : 0;
}

/* One library call per operation, so that a failure must leave the model
 * (and every block the handle holds) as the setup made it. */
typedef struct op {
    const char *name;
    setup_fn setup;
    op_fn run;
} op;

static const op ops[] = {
    {"kmeans_create", setup_none, op_kmeans_create},
    {"kmeans_set_init_centers", setup_kmeans, op_kmeans_init_centers},
    {"kmeans_fit", setup_kmeans_fitted, op_kmeans_fit},
    {"kmeans_fit_hamerly_threads", setup_kmeans, op_kmeans_fit_hamerly_threads},
    {"kmeans_fit_adam", setup_kmeans_fitted, op_kmeans_fit_adam},
    {"kmeans_predict", setup_kmeans_fitted, op_kmeans_predict},
    {"kmeans_transform", setup_kmeans_fitted, op_kmeans_transform},
    {"kmeans_score", setup_kmeans_fitted, op_kmeans_score},
    {"kmeans_fit_stream", setup_kmeans_fitted, op_kmeans_fit_stream},
    {"kmeans_fit_distributed", setup_kmeans_fitted, op_kmeans_fit_distributed},
    {"kmeans_partial_fit", setup_kmeans_fitted, op_kmeans_partial_fit},
    {"kmeans_partial_fit_first", setup_kmeans, op_kmeans_partial_fit_first},
    {"gmm_create", setup_none, op_gmm_create},
    {"gmm_set_params", setup_gmm_fitted, op_gmm_set_params},
    {"gmm_fit_kmeans", setup_gmm_fitted, op_gmm_fit_kmeans},
    {"gmm_fit_kmeanspp", setup_gmm_fitted, op_gmm_fit_kmeanspp},
    {"gmm_fit_random", setup_gmm_fitted, op_gmm_fit_random},
    {"gmm_fit_random_rows", setup_gmm_fitted, op_gmm_fit_random_rows},
    {"gmm_fit_hierarchical", setup_gmm_fitted, op_gmm_fit_hierarchical},
    {"gmm_fit_adam", setup_gmm_fitted, op_gmm_fit_adam},
    {"gmm_fit_adam_batches", setup_gmm_fitted, op_gmm_fit_adam_batches},
    {"gmm_nll_grad", setup_gmm_fitted, op_gmm_nll_grad},
    {"gmm_set_theta", setup_gmm_fitted, op_gmm_set_theta},
    {"gmm_fit_given", setup_gmm_partial, op_gmm_fit_given},
    {"gmm_fit_warm", setup_gmm_given, op_gmm_fit_warm},
    {"gmm_fit_threads", setup_gmm, op_gmm_fit_threads},
    {"gmm_queries", setup_gmm_fitted, op_gmm_queries},
    {"gmm_sample", setup_gmm_fitted, op_gmm_sample},
    {"gmm_fit_stream", setup_gmm_fitted, op_gmm_fit_stream},
    {"gmm_fit_distributed", setup_gmm_fitted, op_gmm_fit_distributed},
    {"gmm_partial_fit", setup_gmm_fitted, op_gmm_partial_fit},
    {"bmm_create", setup_none, op_bmm_create},
    {"bmm_set_params", setup_bmm_fitted, op_bmm_set_params},
    {"bmm_fit", setup_bmm_fitted, op_bmm_fit},
    {"bmm_fit_rows", setup_bmm_fitted, op_bmm_fit_rows},
    {"bmm_fit_random", setup_bmm_fitted, op_bmm_fit_random},
    {"bmm_queries", setup_bmm_fitted, op_bmm_queries},
    {"bmm_fit_stream", setup_bmm_fitted, op_bmm_fit_stream},
    {"adjusted_rand_index", setup_none, op_ari},
    {"hc_vvv", setup_none, op_hc_vvv},
    {"hc_vvv_transformed", setup_none, op_hc_vvv_transformed},
    {"rand_index", setup_none, op_rand},
    {"normalized_mutual_info", setup_none, op_nmi},
    {"adjusted_mutual_info", setup_none, op_ami},
    {"silhouette_score", setup_none, op_silhouette},
    {"silhouette_score_many_clusters", setup_none, op_silhouette_many},
    {"calinski_harabasz", setup_none, op_calinski_harabasz},
    {"davies_bouldin", setup_none, op_davies_bouldin},
    {"kmeans_save", setup_kmeans_fitted, op_kmeans_save},
    {"kmeans_load_buffer", setup_kmeans_saved, op_kmeans_load_buffer},
    {"kmeans_load", setup_kmeans_saved, op_kmeans_load},
    {"gmm_save", setup_gmm_given, op_gmm_save},
    {"gmm_load_buffer", setup_gmm_saved, op_gmm_load_buffer},
    {"gmm_load", setup_gmm_saved, op_gmm_load},
    {"bmm_save", setup_bmm_fitted, op_bmm_save},
    {"bmm_load_buffer", setup_bmm_saved, op_bmm_load_buffer},
    {"bmm_load", setup_bmm_saved, op_bmm_load},
};
#define N_OPS (sizeof ops / sizeof ops[0])

static long total_points, silent_points;

/* Every allocation of operation `o` (for GMM, with covariance type cov). */
static void exercise(const op *o, mix_covariance cov)
{
    const long base = mix__fault_live();
    /* Reference: the allocations and the result of a successful call. */
    state st = {NULL, NULL, NULL, cov, NULL, 0};
    ck_assert_int_eq(o->setup(&st), MIX_OK);
    double expect;
    mix__fault_inject(0);
    ck_assert_int_eq(o->run(&st, &expect), MIX_OK);
    long n_alloc = mix__fault_allocations();
    release(&st);
    ck_assert_int_eq(mix__fault_live(), base);
    for (long n = 1; n <= n_alloc; n++) {
        state s = {NULL, NULL, NULL, cov, NULL, 0};
        ck_assert_int_eq(o->setup(&s), MIX_OK);
        const long live = mix__fault_live();
        const double before = model_digest(&s);
        const double untouched = -12345.0; /* the metrics' output before the call */
        double got = untouched;
        mix__fault_inject(n);
        int rc = o->run(&s, &got);
        mix__fault_inject(0);
        total_points++;
        if (rc == MIX_OK) { /* an allocation the call can do without */
            silent_points++;
            ck_assert_msg(got == expect, "%s: allocation %ld failed silently with another result",
                          o->name, n);
        } else {
            ck_assert_msg(rc == MIX_ENOMEM, "%s: allocation %ld gave %d (%s)", o->name, n, rc,
                          mix_strerror(rc));
            ck_assert_msg(mix__fault_live() == live, "%s: allocation %ld leaked %ld blocks",
                          o->name, n, mix__fault_live() - live);
            ck_assert_msg(model_digest(&s) == before, "%s: allocation %ld changed the model",
                          o->name, n);
            if (o->setup == setup_none && strstr(o->name, "create") == NULL)
                ck_assert_msg(got == untouched, "%s: allocation %ld wrote the output", o->name, n);
            if (s.km != NULL)
                ck_assert_ptr_nonnull(strstr(mix_kmeans_errmsg(s.km), "memory"));
            if (s.g != NULL)
                ck_assert_ptr_nonnull(strstr(mix_gmm_errmsg(s.g), "memory"));
            if (s.b != NULL)
                ck_assert_ptr_nonnull(strstr(mix_bmm_errmsg(s.b), "memory"));
            /* The handle still works: the same call now succeeds, identically. */
            double again;
            ck_assert_int_eq(o->run(&s, &again), MIX_OK);
            ck_assert_msg(again == expect, "%s: after failure %ld the result differs", o->name, n);
        }
        release(&s);
        ck_assert_msg(mix__fault_live() == base, "%s: %ld blocks leaked after failure %ld",
                      o->name, mix__fault_live() - base, n);
    }
}

START_TEST(every_allocation_of_every_operation)
{
    const op *o = &ops[_i];
    if (strncmp(o->name, "gmm", 3) == 0)
        for (int c = 0; c < 4; c++)
            exercise(o, (mix_covariance)c);
    else
        exercise(o, MIX_COV_FULL);
}
END_TEST

/* --- file operations failing ----------------------------------------------------- */

static int save_to(const state *st, const char *path)
{
    return st->km ? mix_kmeans_save(st->km, path) : st->g ? mix_gmm_save(st->g, path)
                                                          : mix_bmm_save(st->b, path);
}

static int load_from(state *st, const char *path)
{
    return st->km ? mix_kmeans_load(st->km, path) : st->g ? mix_gmm_load(st->g, path)
                                                          : mix_bmm_load(st->b, path);
}

static const char *errmsg_of(const state *st)
{
    return st->km ? mix_kmeans_errmsg(st->km) : st->g ? mix_gmm_errmsg(st->g)
                                                      : mix_bmm_errmsg(st->b);
}

/* Files in the directory named like a save's temporary. */
static int temporaries(void)
{
    int count = 0;
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d != NULL && (e = readdir(d)) != NULL)
        count += strstr(e->d_name, ".tmp-") != NULL;
    if (d != NULL)
        closedir(d);
    return count;
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

static int holds_text(const char *path, const char *text)
{
    char buf[64] = {0};
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return 0;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    return n == strlen(text) && memcmp(buf, text, n) == 0;
}

static const setup_fn saved_setups[3] = {setup_kmeans_saved, setup_gmm_saved, setup_bmm_saved};
static long io_points;

/* Every file operation of a save fails once: MIX_EIO with the system's
 * reason, the file at the path as it was, nothing left beside it. */
START_TEST(every_file_operation_of_a_save)
{
    const char *path = path_in_dir("target.mixture");
    state st = {NULL, NULL, NULL, MIX_COV_FULL, NULL, 0};
    ck_assert_int_eq(saved_setups[_i](&st), MIX_OK);
    mix__fault_inject_io(0);
    ck_assert_int_eq(save_to(&st, path), MIX_OK);
    const long calls = mix__fault_io_calls();
    ck_assert_int_gt(calls, 5); /* create, writes, sync, close, rename */
    write_text(path, "the previous model");
    for (long n = 1; n <= calls; n++) {
        const long live = mix__fault_live();
        mix__fault_inject_io(n);
        int rc = save_to(&st, path);
        mix__fault_inject_io(0);
        io_points++;
        ck_assert_msg(rc == MIX_EIO, "save: file operation %ld gave %d", n, rc);
        ck_assert_msg(strstr(errmsg_of(&st), strerror(ENOSPC)) != NULL ||
                          strstr(errmsg_of(&st), strerror(EIO)) != NULL,
                      "save: %s", errmsg_of(&st));
        ck_assert_msg(holds_text(path, "the previous model"), "save: operation %ld", n);
        ck_assert_int_eq(temporaries(), 0);
        ck_assert_int_eq(mix__fault_live(), live);
    }
    ck_assert_int_eq(save_to(&st, path), MIX_OK);
    unlink(path);
    release(&st);
}
END_TEST

/* Every file operation of a load fails once: MIX_EIO, the handle as it
 * was, nothing leaked. */
START_TEST(every_file_operation_of_a_load)
{
    const char *path = path_in_dir("source.mixture");
    const long base = mix__fault_live();
    state st = {NULL, NULL, NULL, MIX_COV_TIED, NULL, 0};
    ck_assert_int_eq(saved_setups[_i](&st), MIX_OK);
    mix__fault_inject_io(0);
    ck_assert_int_eq(load_from(&st, path), MIX_OK);
    const long calls = mix__fault_io_calls();
    const double loaded = model_digest(&st);
    release(&st);
    for (long n = 1; n <= calls; n++) {
        state s = {NULL, NULL, NULL, MIX_COV_TIED, NULL, 0};
        ck_assert_int_eq(saved_setups[_i](&s), MIX_OK);
        const double before = model_digest(&s);
        const long live = mix__fault_live();
        mix__fault_inject_io(n);
        int rc = load_from(&s, path);
        mix__fault_inject_io(0);
        io_points++;
        if (rc == MIX_OK) /* closing a file read to the end may fail harmlessly */
            ck_assert(model_digest(&s) == loaded);
        else {
            ck_assert_msg(rc == MIX_EIO, "load: file operation %ld gave %d (%s)", n, rc,
                          errmsg_of(&s));
            ck_assert(model_digest(&s) == before);
            ck_assert_int_eq(mix__fault_live(), live);
        }
        release(&s);
    }
    ck_assert_int_eq(mix__fault_live(), base);
}
END_TEST

int main(void)
{
    make_data();
    if (mkdtemp(dir) == NULL) {
        perror(dir);
        return EXIT_FAILURE;
    }
    Suite *s = suite_create("allocation_failures");
    TCase *tc = tcase_create("inject");
    tcase_set_timeout(tc, 600);
    tcase_add_loop_test(tc, every_allocation_of_every_operation, 0, (int)N_OPS);
    tcase_add_loop_test(tc, every_file_operation_of_a_save, 0, 3);
    tcase_add_loop_test(tc, every_file_operation_of_a_load, 0, 3);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_set_fork_status(sr, CK_NOFORK); /* the counters live in this process */
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    printf("allocation failures injected: %ld, of which %ld absorbed (worker pool); "
           "file operations failed: %ld\n",
           total_points, silent_points, io_points);
    unlink(path_in_dir("source.mixture"));
    unlink(path_in_dir("saved.mixture"));
    rmdir(dir);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
