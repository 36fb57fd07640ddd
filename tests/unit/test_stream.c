/*
 * Streamed and distributed fits (issue 14).
 *
 * Streamed: every model, init and option gives, from a reader of any chunk
 * size, the in-memory fit of the same rows bit for bit; reader failures
 * and inconsistent passes are MIX_EIO / MIX_EDATA with the model kept.
 *
 * Distributed: ranks are threads of this process, joined by an allreduce
 * made of barriers (tests/unit/testutil.h's tu_ranks). Each rank's fit of
 * its shard equals the one-process fit of the concatenated shards to 1e-10
 * relative (labels exactly), for uneven and empty shards and for ranks
 * mixing in-memory and streamed shards; the ranks agree bit for bit; a
 * failure on one rank fails every rank without a hang.
 */
#define _POSIX_C_SOURCE 200809L /* pthread barriers */
#include "testutil.h"

#include <pthread.h>
#include <stdio.h>

/* --- a reader over rows in memory ------------------------------------------ */

typedef struct reader {
    const double *X, *w;
    size_t n, d, pos, chunk;
    int passes;
    long fail_at_pass;   /* return -1 in this pass (0: never) */
    long short_at_pass;  /* give one row fewer in this pass (0: never) */
    int overfill;        /* return more rows than asked */
    size_t fail_row;     /* fail_at_pass fails once this many rows of it are read */
    long change_at_pass; /* in this pass give X[change_row][change_col] = change_x, */
    size_t change_row, change_col; /* or (change_col d) weight change_x */
    double change_x;
} reader;

static long read_rows(void *user, double *X, double *w, size_t max_rows)
{
    reader *r = user;
    if (r->pos == 0)
        r->passes++;
    if (r->fail_at_pass == r->passes && r->pos >= r->fail_row)
        return -3;
    size_t n = r->short_at_pass == r->passes ? r->n - 1 : r->n;
    size_t m = n - r->pos < r->chunk ? n - r->pos : r->chunk;
    m = m < max_rows ? m : max_rows;
    if (m == 0) {
        r->pos = 0;
        return 0;
    }
    memcpy(X, r->X + r->pos * r->d, m * r->d * sizeof(double));
    if (r->w != NULL)
        memcpy(w, r->w + r->pos, m * sizeof(double));
    if (r->change_at_pass == r->passes && r->change_row >= r->pos &&
        r->change_row < r->pos + m) {
        const size_t i = r->change_row - r->pos;
        if (r->change_col < r->d)
            X[i * r->d + r->change_col] = r->change_x;
        else
            w[i] = r->change_x;
    }
    r->pos += m;
    return r->overfill ? (long)max_rows + 1 : (long)m;
}

static reader make_reader(const double *X, const double *w, size_t n, size_t d, size_t chunk)
{
    reader r = {X, w, n, d, 0, chunk, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    return r;
}

static int same(const void *a, const void *b, size_t bytes)
{
    return memcmp(a, b, bytes) == 0;
}

static double *weights(size_t n, uint64_t seed)
{
    double *w = malloc(n * sizeof *w);
    for (size_t i = 0; i < n; i++)
        w[i] = 0.25 + 2 * tu_uniform(&seed);
    return w;
}

static const size_t chunks[] = {1, 7, 256, 1000, 100000};
#define N_CHUNKS (sizeof chunks / sizeof *chunks)

/* --- streamed == in memory ------------------------------------------------- */

/* K-means: inits, Hamerly's bounds in memory (k d >= 512) and plain Lloyd,
 * weights, threads, Adam, every chunk size. */
START_TEST(kmeans_stream_is_memory)
{
    const int variant = _i;
    const size_t n = 3001, d = variant % 2 ? 40 : 3, k = variant % 2 ? 16 : 5;
    double *X = tu_blobs(n, d, k, 1.5, 11 + (uint64_t)variant);
    double *w = variant & 2 ? weights(n, 5) : NULL;
    const mix_init inits[] = {MIX_INIT_KMEANSPP, MIX_INIT_RANDOM_FROM_DATA};
    const mix_init init = inits[(variant / 4) % 2];
    const int adam = variant >= 8, threads = 1 + variant % 3;
    kmeans_t *a = mix_kmeans_create(k), *b = mix_kmeans_create(k);
    for (kmeans_t **h = (kmeans_t *[]){a, b, NULL}; *h; h++) {
        mix_kmeans_set_init(*h, init);
        mix_kmeans_set_seed(*h, 3);
        mix_kmeans_set_n_init(*h, 2);
        mix_kmeans_set_threads(*h, threads);
        if (adam) {
            mix_kmeans_set_method(*h, MIX_METHOD_ADAM);
            mix_kmeans_set_max_iter(*h, 30);
        }
    }
    ck_assert_int_eq(mix_kmeans_fit(a, X, n, d, w), MIX_OK);
    for (size_t c = 0; c < N_CHUNKS; c++) {
        reader r = make_reader(X, w, n, d, chunks[c]);
        ck_assert_msg(mix_kmeans_fit_stream(b, d, read_rows, &r) == MIX_OK, "%s",
                      mix_kmeans_errmsg(b));
        ck_assert_msg(same(mix_kmeans_centers(a), mix_kmeans_centers(b), k * d * sizeof(double)),
                      "variant %d chunk %zu: centers differ", variant, chunks[c]);
        double ia = mix_kmeans_inertia(a), ib = mix_kmeans_inertia(b);
        ck_assert(same(&ia, &ib, sizeof ia));
        ck_assert_int_eq(mix_kmeans_n_iter(a), mix_kmeans_n_iter(b));
        ck_assert_ptr_null(mix_kmeans_labels(b));
        ck_assert_uint_eq(mix_kmeans_n_samples(b), n);
    }
    mix_kmeans_free(a);
    mix_kmeans_free(b);
    free(X);
    free(w);
}
END_TEST

/* An empty cluster (a given center far from the data) is filled with the
 * farthest row: the streamed fit finds the same one. */
START_TEST(kmeans_stream_relocates_as_memory)
{
    const size_t n = 2000, d = 2, k = 4;
    double *X = tu_blobs(n, d, 3, 1.0, 2);
    const double init[] = {-10, -10, 0, 0, 10, 10, 1e4, 1e4};
    kmeans_t *a = mix_kmeans_create(k), *b = mix_kmeans_create(k);
    mix_kmeans_set_init_centers(a, init, d);
    mix_kmeans_set_init_centers(b, init, d);
    ck_assert_int_eq(mix_kmeans_fit(a, X, n, d, NULL), MIX_OK);
    reader r = make_reader(X, NULL, n, d, 333);
    ck_assert_int_eq(mix_kmeans_fit_stream(b, d, read_rows, &r), MIX_OK);
    ck_assert(same(mix_kmeans_centers(a), mix_kmeans_centers(b), k * d * sizeof(double)));
    /* the far center moved into the data */
    for (size_t j = 0; j < k * d; j++)
        ck_assert_double_lt(fabs(mix_kmeans_centers(b)[j]), 100);
    mix_kmeans_free(a);
    mix_kmeans_free(b);
    free(X);
}
END_TEST

/* Gaussian mixtures: four families x five inits, weights, threads. */
START_TEST(gmm_stream_is_memory)
{
    const mix_covariance type = (mix_covariance)(_i % 4);
    const mix_init init = (mix_init)((_i / 4) % 5);
    const int weighted = _i >= 20;
    const size_t n = 1500, d = 3, k = 3;
    double *X = tu_blobs(n, d, k, 1.2, 40 + (uint64_t)_i);
    double *w = weighted ? weights(n, 9) : NULL;
    gmm_t *a = mix_gmm_create(k, type), *b = mix_gmm_create(k, type);
    for (gmm_t **h = (gmm_t *[]){a, b, NULL}; *h; h++) {
        mix_gmm_set_init(*h, init);
        mix_gmm_set_seed(*h, 5);
        mix_gmm_set_n_init(*h, 2);
        mix_gmm_set_threads(*h, 1 + _i % 3);
    }
    ck_assert_msg(mix_gmm_fit(a, X, n, d, w) == MIX_OK, "%s", mix_gmm_errmsg(a));
    const size_t cl = mix_gmm_covariances_size(a);
    for (size_t c = 0; c < N_CHUNKS; c += 2) {
        reader r = make_reader(X, w, n, d, chunks[c]);
        ck_assert_msg(mix_gmm_fit_stream(b, d, read_rows, &r) == MIX_OK, "%s",
                      mix_gmm_errmsg(b));
        ck_assert_msg(same(mix_gmm_means(a), mix_gmm_means(b), k * d * sizeof(double)),
                      "type %d init %d chunk %zu: means differ", (int)type, (int)init,
                      chunks[c]);
        ck_assert(same(mix_gmm_weights(a), mix_gmm_weights(b), k * sizeof(double)));
        ck_assert(same(mix_gmm_covariances(a), mix_gmm_covariances(b), cl * sizeof(double)));
        double la = mix_gmm_lower_bound(a), lb = mix_gmm_lower_bound(b);
        ck_assert(same(&la, &lb, sizeof la));
        ck_assert_int_eq(mix_gmm_n_iter(a), mix_gmm_n_iter(b));
    }
    mix_gmm_free(a);
    mix_gmm_free(b);
    free(X);
    free(w);
}
END_TEST

/* Adam with full batches, and warm starts, streamed. */
START_TEST(gmm_stream_adam_and_warm_start)
{
    const size_t n = 1200, d = 2, k = 2;
    double *X = tu_blobs(n, d, k, 1.0, 77);
    gmm_t *a = mix_gmm_create(k, MIX_COV_FULL), *b = mix_gmm_create(k, MIX_COV_FULL);
    for (gmm_t **h = (gmm_t *[]){a, b, NULL}; *h; h++) {
        mix_gmm_set_method(*h, MIX_METHOD_ADAM);
        mix_gmm_set_max_iter(*h, 40);
    }
    ck_assert_int_eq(mix_gmm_fit(a, X, n, d, NULL), MIX_OK);
    reader r = make_reader(X, NULL, n, d, 100);
    ck_assert_int_eq(mix_gmm_fit_stream(b, d, read_rows, &r), MIX_OK);
    ck_assert(same(mix_gmm_means(a), mix_gmm_means(b), k * d * sizeof(double)));
    /* warm start from the Adam fit, by EM */
    for (gmm_t **h = (gmm_t *[]){a, b, NULL}; *h; h++) {
        mix_gmm_set_method(*h, MIX_METHOD_EM);
        mix_gmm_set_warm_start(*h, 1);
    }
    ck_assert_int_eq(mix_gmm_fit(a, X, n, d, NULL), MIX_OK);
    ck_assert_int_eq(mix_gmm_fit_stream(b, d, read_rows, &r), MIX_OK);
    ck_assert(same(mix_gmm_means(a), mix_gmm_means(b), k * d * sizeof(double)));
    ck_assert(same(mix_gmm_covariances(a), mix_gmm_covariances(b), k * d * d * sizeof(double)));
    /* mini-batches need the rows in memory */
    mix_gmm_set_method(b, MIX_METHOD_ADAM);
    mix_gmm_set_batch_size(b, 100);
    ck_assert_int_eq(mix_gmm_fit_stream(b, d, read_rows, &r), MIX_EINVAL);
    ck_assert_ptr_nonnull(strstr(mix_gmm_errmsg(b), "mini-batches"));
    mix_gmm_free(a);
    mix_gmm_free(b);
    free(X);
}
END_TEST

START_TEST(bmm_stream_is_memory)
{
    const size_t n = 900, d = 12, k = 3;
    uint64_t seed = 3;
    double *X = malloc(n * d * sizeof *X);
    for (size_t i = 0; i < n; i++)
        for (size_t t = 0; t < d; t++)
            X[i * d + t] = tu_uniform(&seed) < (t % k == i % k ? 0.85 : 0.15);
    const mix_init init = (mix_init)(_i % 4);
    bmm_t *a = mix_bmm_create(k), *b = mix_bmm_create(k);
    mix_bmm_set_init(a, init);
    mix_bmm_set_init(b, init);
    ck_assert_int_eq(mix_bmm_fit(a, X, n, d, NULL), MIX_OK);
    reader r = make_reader(X, NULL, n, d, 64);
    ck_assert_int_eq(mix_bmm_fit_stream(b, d, read_rows, &r), MIX_OK);
    ck_assert(same(mix_bmm_probs(a), mix_bmm_probs(b), k * d * sizeof(double)));
    ck_assert(same(mix_bmm_weights(a), mix_bmm_weights(b), k * sizeof(double)));
    /* a value other than 0/1 arriving through the reader */
    X[17 * d + 5] = 0.5;
    ck_assert_int_eq(mix_bmm_fit_stream(b, d, read_rows, &r), MIX_EDATA);
    ck_assert_str_eq(mix_bmm_errmsg(b), "X[17][5] = 0.5 is not 0 or 1");
    ck_assert(same(mix_bmm_probs(a), mix_bmm_probs(b), k * d * sizeof(double)));
    mix_bmm_free(a);
    mix_bmm_free(b);
    free(X);
}
END_TEST

/* Enough rows for many windows: with threads, the next window is read while
 * the current one is processed (core/pass.c). Same bits as in memory, for
 * a last window full (n a multiple of the window) or not, and failures
 * met while the other threads are at work. */
START_TEST(stream_windows_read_while_processed)
{
    const size_t d = 3, k = 5, sizes[] = {30001, 32768};
    for (size_t q = 0; q < 2; q++) {
        const size_t n = sizes[q];
        double *X = tu_blobs(n, d, k, 1.5, 3 + q);
        double *w = q ? weights(n, 4) : NULL;
        for (int threads = 2; threads <= 3; threads++) {
            kmeans_t *a = mix_kmeans_create(k), *b = mix_kmeans_create(k);
            gmm_t *ga = mix_gmm_create(k, MIX_COV_DIAG), *gb = mix_gmm_create(k, MIX_COV_DIAG);
            for (kmeans_t **h = (kmeans_t *[]){a, b, NULL}; *h; h++) {
                mix_kmeans_set_threads(*h, threads);
                mix_kmeans_set_n_init(*h, 1);
            }
            for (gmm_t **h = (gmm_t *[]){ga, gb, NULL}; *h; h++) {
                mix_gmm_set_threads(*h, threads);
                mix_gmm_set_max_iter(*h, 5);
            }
            ck_assert_int_eq(mix_kmeans_fit(a, X, n, d, w), MIX_OK);
            ck_assert_int_eq(mix_gmm_fit(ga, X, n, d, w), MIX_OK);
            const size_t sizes_read[] = {1000, 4096, n};
            for (size_t c = 0; c < 3; c++) {
                reader r = make_reader(X, w, n, d, sizes_read[c]);
                ck_assert_int_eq(mix_kmeans_fit_stream(b, d, read_rows, &r), MIX_OK);
                ck_assert_msg(same(mix_kmeans_centers(a), mix_kmeans_centers(b),
                                   k * d * sizeof(double)),
                              "n %zu threads %d chunk %zu: centers differ", n, threads,
                              sizes_read[c]);
                r = make_reader(X, w, n, d, sizes_read[c]);
                ck_assert_int_eq(mix_gmm_fit_stream(gb, d, read_rows, &r), MIX_OK);
                ck_assert(same(mix_gmm_means(ga), mix_gmm_means(gb), k * d * sizeof(double)));
                ck_assert(same(mix_gmm_covariances(ga), mix_gmm_covariances(gb),
                               k * d * sizeof(double)));
                double la = mix_gmm_lower_bound(ga), lb = mix_gmm_lower_bound(gb);
                ck_assert(same(&la, &lb, sizeof la));
            }
            /* a failure or a short pass in the middle of a later pass */
            reader r = make_reader(X, w, n, d, 1000);
            r.fail_at_pass = 3;
            r.fail_row = n / 2;
            ck_assert_int_eq(mix_kmeans_fit_stream(b, d, read_rows, &r), MIX_EIO);
            ck_assert_ptr_nonnull(strstr(mix_kmeans_errmsg(b), "reader failed"));
            ck_assert(same(mix_kmeans_centers(a), mix_kmeans_centers(b), k * d * sizeof(double)));
            r = make_reader(X, w, n, d, 1000);
            r.short_at_pass = 4;
            ck_assert_int_eq(mix_gmm_fit_stream(gb, d, read_rows, &r), MIX_EDATA);
            ck_assert(same(mix_gmm_means(ga), mix_gmm_means(gb), k * d * sizeof(double)));
            mix_kmeans_free(a);
            mix_kmeans_free(b);
            mix_gmm_free(ga);
            mix_gmm_free(gb);
        }
        free(X);
        free(w);
    }
}
END_TEST

/* --- the reader's failures --------------------------------------------------- */

START_TEST(stream_reader_failures)
{
    const size_t n = 1000, d = 2, k = 3;
    double *X = tu_blobs(n, d, k, 1.0, 8);
    kmeans_t *km = mix_kmeans_create(k);
    gmm_t *g = mix_gmm_create(k, MIX_COV_DIAG);
    reader r = make_reader(X, NULL, n, d, 99);
    ck_assert_int_eq(mix_kmeans_fit_stream(km, d, read_rows, &r), MIX_OK);
    double before[6];
    memcpy(before, mix_kmeans_centers(km), sizeof before);
    /* a negative return in the first pass, and in a later one */
    for (long pass = 1; pass <= 4; pass += 3) {
        r = make_reader(X, NULL, n, d, 99);
        r.fail_at_pass = pass;
        ck_assert_int_eq(mix_kmeans_fit_stream(km, d, read_rows, &r), MIX_EIO);
        ck_assert_ptr_nonnull(strstr(mix_kmeans_errmsg(km), "reader failed"));
        ck_assert(same(before, mix_kmeans_centers(km), sizeof before));
        r = make_reader(X, NULL, n, d, 99);
        r.fail_at_pass = pass;
        ck_assert_int_eq(mix_gmm_fit_stream(g, d, read_rows, &r), MIX_EIO);
        ck_assert(!mix_gmm_is_fitted(g));
    }
    /* fewer rows in a later pass */
    r = make_reader(X, NULL, n, d, 99);
    r.short_at_pass = 3;
    ck_assert_int_eq(mix_kmeans_fit_stream(km, d, read_rows, &r), MIX_EDATA);
    ck_assert_ptr_nonnull(strstr(mix_kmeans_errmsg(km), "999 rows in this pass and 1000"));
    /* more rows than asked */
    r = make_reader(X, NULL, n, d, 99);
    r.overfill = 1;
    ck_assert_int_eq(mix_gmm_fit_stream(g, d, read_rows, &r), MIX_EDATA);
    ck_assert_ptr_nonnull(strstr(mix_gmm_errmsg(g), "were asked"));
    /* bad values and weights, named by row */
    X[123 * d + 1] = NAN;
    r = make_reader(X, NULL, n, d, 50);
    ck_assert_int_eq(mix_kmeans_fit_stream(km, d, read_rows, &r), MIX_EDATA);
    ck_assert_str_eq(mix_kmeans_errmsg(km), "X[123][1] is NaN");
    X[123 * d + 1] = 0;
    double *w = weights(n, 1);
    w[500] = -1;
    r = make_reader(X, w, n, d, 50);
    ck_assert_int_eq(mix_gmm_fit_stream(g, d, read_rows, &r), MIX_EINVAL);
    ck_assert_str_eq(mix_gmm_errmsg(g), "sample_weight[500] = -1 is negative");
    /* too few rows; arguments */
    r = make_reader(X, NULL, 2, d, 50);
    ck_assert_int_eq(mix_kmeans_fit_stream(km, d, read_rows, &r), MIX_EDIM);
    ck_assert_int_eq(mix_kmeans_fit_stream(km, d, NULL, &r), MIX_EINVAL);
    ck_assert_int_eq(mix_kmeans_fit_stream(km, 0, read_rows, &r), MIX_EDIM);
    ck_assert_int_eq(mix_kmeans_fit_stream(NULL, d, read_rows, &r), MIX_EINVAL);
    ck_assert(same(before, mix_kmeans_centers(km), sizeof before));
    mix_kmeans_free(km);
    mix_gmm_free(g);
    free(X);
    free(w);
}
END_TEST

/* A reader that gives other rows in a later pass than in its first:
 * values no longer finite, weights no longer valid, a Bernoulli mixture's
 * values no longer 0 or 1; the fit fails with MIX_EDATA naming the row,
 * and a fitted handle keeps its model. */
START_TEST(stream_rows_changed_between_passes)
{
    const size_t n = 1000, d = 3, k = 3;
    double *X = tu_blobs(n, d, k, 1.0, 12), *w = weights(n, 4);
    double *B = malloc(n * d * sizeof *B);
    for (size_t i = 0; i < n * d; i++)
        B[i] = X[i] > 0;
    gmm_t *g = mix_gmm_create(k, MIX_COV_DIAG);
    bmm_t *b = mix_bmm_create(k);
    reader r = make_reader(X, w, n, d, 77);
    ck_assert_int_eq(mix_gmm_fit_stream(g, d, read_rows, &r), MIX_OK);
    double before[9];
    memcpy(before, mix_gmm_means(g), sizeof before);
    r = make_reader(X, w, n, d, 77);
    r.change_at_pass = 3, r.change_row = 321, r.change_col = 1, r.change_x = NAN;
    ck_assert_int_eq(mix_gmm_fit_stream(g, d, read_rows, &r), MIX_EDATA);
    ck_assert_ptr_nonnull(strstr(mix_gmm_errmsg(g), "changed row 321 between passes"));
    ck_assert_ptr_nonnull(strstr(mix_gmm_errmsg(g), "X[321][1]"));
    ck_assert(same(before, mix_gmm_means(g), sizeof before));
    r = make_reader(X, w, n, d, 77);
    r.change_at_pass = 2, r.change_row = 999, r.change_col = d, r.change_x = -1;
    ck_assert_int_eq(mix_gmm_fit_stream(g, d, read_rows, &r), MIX_EDATA);
    ck_assert_ptr_nonnull(strstr(mix_gmm_errmsg(g), "changed row 999 between passes"));
    ck_assert_ptr_nonnull(strstr(mix_gmm_errmsg(g), "sample_weight"));
    ck_assert(same(before, mix_gmm_means(g), sizeof before));
    r = make_reader(B, NULL, n, d, 77);
    r.change_at_pass = 2, r.change_row = 7, r.change_col = 0, r.change_x = 0.5;
    ck_assert_int_eq(mix_bmm_fit_stream(b, d, read_rows, &r), MIX_EDATA);
    ck_assert_ptr_nonnull(strstr(mix_bmm_errmsg(b), "changed row 7 between passes"));
    ck_assert_ptr_nonnull(strstr(mix_bmm_errmsg(b), "not 0 or 1"));
    ck_assert(!mix_bmm_is_fitted(b));
    r = make_reader(B, NULL, n, d, 77); /* the same reader unchanged fits */
    ck_assert_int_eq(mix_bmm_fit_stream(b, d, read_rows, &r), MIX_OK);
    mix_gmm_free(g);
    mix_bmm_free(b);
    free(X);
    free(w);
    free(B);
}
END_TEST

/* --- ranks as threads -------------------------------------------------------- */

#define MAX_RANKS 4

/* An allreduce over threads: each rank posts its buffer, rank 0 sums them
 * in rank order, everyone copies the sum. A length that differs between
 * ranks, as a broken protocol would give, is recorded. */
typedef struct world {
    int size;
    pthread_barrier_t bar;
    double *buf[MAX_RANKS];
    size_t len[MAX_RANKS];
    double *sum;
    size_t cap;
    int mismatch;
    int fail_call; /* the call that returns an error (0: none) */
    int calls;
} world;

typedef struct rank_ctx {
    world *w;
    int rank;
} rank_ctx;

static int thread_allreduce(void *user, double *buf, size_t len)
{
    rank_ctx *c = user;
    world *w = c->w;
    w->buf[c->rank] = buf;
    w->len[c->rank] = len;
    pthread_barrier_wait(&w->bar);
    if (c->rank == 0) {
        w->calls++;
        for (int r = 1; r < w->size; r++)
            w->mismatch |= w->len[r] != len;
        if (len > w->cap) {
            free(w->sum);
            w->sum = malloc(len * sizeof(double));
            w->cap = len;
        }
        for (size_t i = 0; i < len; i++) {
            double s = 0;
            for (int r = 0; r < w->size; r++)
                s += w->len[r] > i ? w->buf[r][i] : 0;
            w->sum[i] = s;
        }
    }
    pthread_barrier_wait(&w->bar);
    memcpy(buf, w->sum, len * sizeof(double));
    const int fail = w->fail_call != 0 && w->calls == w->fail_call;
    pthread_barrier_wait(&w->bar);
    return fail ? 7 : 0;
}

/* One rank's job: a model kind on rows [first, first + n) of X. */
typedef struct job {
    world *w;
    rank_ctx ctx;
    int kind; /* 0 K-means, 1 GMM, 2 BMM */
    int type, init, stream;
    size_t k, d, n, first;
    const double *X, *wt;
    int max_iter;    /* GMM: > 0 to set it, -1 for 0 iterations, 0 for the default */
    int cancel_at;   /* this rank's callback stops the fit at this iteration (0: none) */
    int rc;
    char msg[256];
    double centers[12000], weights[8], lower_bound, inertia;
    int32_t *labels;
    int n_iter;
} job;

/* A callback that stops the fit at iteration cancel_at on its rank only. */
static int cancel_cb(void *user, int run, int iteration, double objective, double change)
{
    (void)run, (void)objective, (void)change;
    const job *j = user;
    return j->cancel_at != 0 && iteration >= j->cancel_at;
}

static void *run_rank(void *arg)
{
    job *j = arg;
    const double *X = j->n ? j->X + j->first * j->d : NULL;
    const double *wt = j->wt && j->n ? j->wt + j->first : NULL;
    reader r = make_reader(X, wt, j->n, j->d, 37);
    if (j->kind == 0) {
        kmeans_t *km = mix_kmeans_create(j->k);
        mix_kmeans_set_init(km, (mix_init)j->init);
        mix_kmeans_set_seed(km, 4);
        mix_kmeans_set_n_init(km, 3);
        mix_kmeans_set_distributed(km, j->ctx.rank, j->w->size, thread_allreduce, &j->ctx);
        j->rc = j->stream ? mix_kmeans_fit_stream(km, j->d, read_rows, &r)
                          : mix_kmeans_fit(km, X, j->n, j->d, wt);
        snprintf(j->msg, sizeof j->msg, "%s", mix_kmeans_errmsg(km));
        if (j->rc == MIX_OK) {
            memcpy(j->centers, mix_kmeans_centers(km), j->k * j->d * sizeof(double));
            j->inertia = mix_kmeans_inertia(km);
            j->n_iter = mix_kmeans_n_iter(km);
            if (mix_kmeans_labels(km) != NULL && j->n > 0) {
                j->labels = malloc(j->n * sizeof(int32_t));
                memcpy(j->labels, mix_kmeans_labels(km), j->n * sizeof(int32_t));
            }
        }
        mix_kmeans_free(km);
    } else if (j->kind == 1) {
        gmm_t *g = mix_gmm_create(j->k, (mix_covariance)j->type);
        mix_gmm_set_init(g, (mix_init)j->init);
        mix_gmm_set_seed(g, 4);
        mix_gmm_set_n_init(g, 2);
        mix_gmm_set_tol(g, 1e-9);
        if (j->max_iter != 0)
            mix_gmm_set_max_iter(g, j->max_iter > 0 ? j->max_iter : 0);
        mix_gmm_set_callback(g, cancel_cb, j);
        mix_gmm_set_distributed(g, j->ctx.rank, j->w->size, thread_allreduce, &j->ctx);
        j->rc = j->stream ? mix_gmm_fit_stream(g, j->d, read_rows, &r)
                          : mix_gmm_fit(g, X, j->n, j->d, wt);
        snprintf(j->msg, sizeof j->msg, "%s", mix_gmm_errmsg(g));
        if (j->rc == MIX_OK) {
            memcpy(j->centers, mix_gmm_means(g), j->k * j->d * sizeof(double));
            memcpy(j->weights, mix_gmm_weights(g), j->k * sizeof(double));
            j->lower_bound = mix_gmm_lower_bound(g);
            j->n_iter = mix_gmm_n_iter(g);
        }
        mix_gmm_free(g);
    } else {
        bmm_t *b = mix_bmm_create(j->k);
        mix_bmm_set_init(b, (mix_init)j->init);
        mix_bmm_set_distributed(b, j->ctx.rank, j->w->size, thread_allreduce, &j->ctx);
        j->rc = j->stream ? mix_bmm_fit_stream(b, j->d, read_rows, &r)
                          : mix_bmm_fit(b, X, j->n, j->d, wt);
        snprintf(j->msg, sizeof j->msg, "%s", mix_bmm_errmsg(b));
        if (j->rc == MIX_OK) {
            memcpy(j->centers, mix_bmm_probs(b), j->k * j->d * sizeof(double));
            j->lower_bound = mix_bmm_lower_bound(b);
        }
        mix_bmm_free(b);
    }
    return NULL;
}

/* Run `size` ranks on shards of the given sizes (summing to n). */
static void run_world(world *w, job *jobs, int size, const size_t *shard, job proto,
                      const int *stream, int fail_call)
{
    memset(w, 0, sizeof *w);
    w->size = size;
    w->fail_call = fail_call;
    pthread_barrier_init(&w->bar, NULL, (unsigned)size);
    pthread_t th[MAX_RANKS];
    size_t first = 0;
    for (int r = 0; r < size; r++) {
        jobs[r] = proto;
        jobs[r].w = w;
        jobs[r].ctx = (rank_ctx){w, r};
        jobs[r].n = shard[r];
        jobs[r].first = first;
        jobs[r].stream = stream ? stream[r] : 0;
        first += shard[r];
        pthread_create(&th[r], NULL, run_rank, &jobs[r]);
    }
    for (int r = 0; r < size; r++)
        pthread_join(th[r], NULL);
    pthread_barrier_destroy(&w->bar);
    free(w->sum);
}

/* Shard sizes of n rows for the cases: even, uneven, with an empty one. */
static void shards_for(int c, size_t n, int *size, size_t *s)
{
    switch (c) {
    case 0:
        *size = 2, s[0] = n / 2, s[1] = n - n / 2;
        break;
    case 1:
        *size = 3, s[0] = 17, s[1] = n - 17 - 600, s[2] = 600;
        break;
    default:
        *size = 4, s[0] = 0, s[1] = n / 3, s[2] = 0, s[3] = n - n / 3;
        break;
    }
}

START_TEST(kmeans_ranks_equal_one_process)
{
    const int c = _i % 3;
    const mix_init init = _i < 3 ? MIX_INIT_KMEANSPP : MIX_INIT_RANDOM_FROM_DATA;
    const size_t n = 2400, d = 3, k = 4;
    double *X = tu_blobs(n, d, k, 0.8, 100 + (uint64_t)_i);
    double *wt = weights(n, 2);
    job one = {.kind = 0, .init = init, .k = k, .d = d, .X = X, .wt = wt};
    world w1, w;
    job ref[1], jobs[MAX_RANKS];
    size_t all = n;
    run_world(&w1, ref, 1, &all, one, NULL, 0);
    ck_assert_int_eq(ref[0].rc, MIX_OK);
    int size;
    size_t shard[MAX_RANKS];
    shards_for(c, n, &size, shard);
    const int stream[MAX_RANKS] = {0, 1, 0, 1};
    run_world(&w, jobs, size, shard, one, stream, 0);
    ck_assert(!w.mismatch);
    for (int r = 0; r < size; r++) {
        ck_assert_msg(jobs[r].rc == MIX_OK, "rank %d: %s", r, jobs[r].msg);
        ck_assert_double_le(tu_rel_diff(jobs[r].centers, ref[0].centers, k * d), 1e-10);
        ck_assert_double_le(fabs(jobs[r].inertia - ref[0].inertia), 1e-10 * ref[0].inertia);
        ck_assert_int_eq(jobs[r].n_iter, ref[0].n_iter);
        ck_assert(same(jobs[r].centers, jobs[0].centers, k * d * sizeof(double)));
        if (jobs[r].labels != NULL)
            ck_assert(same(jobs[r].labels, ref[0].labels + jobs[r].first,
                           jobs[r].n * sizeof(int32_t)));
        free(jobs[r].labels);
    }
    free(ref[0].labels);
    free(X);
    free(wt);
}
END_TEST

START_TEST(gmm_ranks_equal_one_process)
{
    const mix_covariance type = (mix_covariance)(_i % 4);
    const mix_init inits[] = {MIX_INIT_KMEANS, MIX_INIT_KMEANSPP, MIX_INIT_RANDOM,
                              MIX_INIT_RANDOM_FROM_DATA, MIX_INIT_HIERARCHICAL};
    const mix_init init = inits[(_i / 4) % 5];
    const size_t n = 1800, d = 2, k = 3;
    double *X = tu_blobs(n, d, k, 0.7, 200 + (uint64_t)_i);
    job one = {.kind = 1, .type = (int)type, .init = init, .k = k, .d = d, .X = X};
    world w1, w;
    job ref[1], jobs[MAX_RANKS];
    size_t all = n;
    run_world(&w1, ref, 1, &all, one, NULL, 0);
    ck_assert_msg(ref[0].rc == MIX_OK, "%s", ref[0].msg);
    int size;
    size_t shard[MAX_RANKS];
    shards_for(_i % 3, n, &size, shard);
    const int stream[MAX_RANKS] = {1, 0, 1, 0};
    run_world(&w, jobs, size, shard, one, stream, 0);
    ck_assert(!w.mismatch);
    for (int r = 0; r < size; r++) {
        ck_assert_msg(jobs[r].rc == MIX_OK, "rank %d: %s", r, jobs[r].msg);
        ck_assert_msg(tu_rel_diff(jobs[r].centers, ref[0].centers, k * d) <= 1e-10,
                      "type %d init %d: means differ by %g", (int)type, (int)init,
                      tu_rel_diff(jobs[r].centers, ref[0].centers, k * d));
        ck_assert_double_le(fabs(jobs[r].lower_bound - ref[0].lower_bound),
                            1e-10 * fabs(ref[0].lower_bound));
        ck_assert(same(jobs[r].centers, jobs[0].centers, k * d * sizeof(double)));
    }
    free(X);
}
END_TEST

START_TEST(bmm_ranks_equal_one_process)
{
    const size_t n = 1200, d = 10, k = 3;
    uint64_t seed = 21;
    double *X = malloc(n * d * sizeof *X);
    for (size_t i = 0; i < n; i++)
        for (size_t t = 0; t < d; t++)
            X[i * d + t] = tu_uniform(&seed) < (t % k == i % k ? 0.8 : 0.2);
    job one = {.kind = 2, .init = MIX_INIT_KMEANS, .k = k, .d = d, .X = X};
    world w1, w;
    job ref[1], jobs[MAX_RANKS];
    size_t all = n, shard[MAX_RANKS];
    run_world(&w1, ref, 1, &all, one, NULL, 0);
    int size;
    shards_for(1, n, &size, shard);
    run_world(&w, jobs, size, shard, one, NULL, 0);
    for (int r = 0; r < size; r++) {
        ck_assert_msg(jobs[r].rc == MIX_OK, "rank %d: %s", r, jobs[r].msg);
        ck_assert_double_le(tu_rel_diff(jobs[r].centers, ref[0].centers, k * d), 1e-10);
    }
    free(X);
}
END_TEST

/* A failure on one rank fails every rank; nobody hangs. */
START_TEST(ranks_fail_together)
{
    const size_t n = 900, d = 2, k = 3;
    double *X = tu_blobs(n, d, k, 1.0, 5);
    size_t shard[3] = {300, 300, 300};
    world w;
    job jobs[MAX_RANKS];
    /* bad data on rank 1 */
    X[(300 + 10) * d] = INFINITY;
    job gm = {.kind = 1, .type = MIX_COV_FULL, .init = MIX_INIT_KMEANS, .k = k, .d = d, .X = X};
    run_world(&w, jobs, 3, shard, gm, NULL, 0);
    ck_assert_int_eq(jobs[1].rc, MIX_EDATA);
    ck_assert_str_eq(jobs[1].msg, "X[10][0] is infinite");
    ck_assert_int_eq(jobs[0].rc, MIX_EIO);
    ck_assert_int_eq(jobs[2].rc, MIX_EIO);
    ck_assert_ptr_nonnull(strstr(jobs[0].msg, "rank 1 failed"));
    X[(300 + 10) * d] = 0;
    /* a reader failing on rank 2 in a later pass */
    job km = {.kind = 0, .init = MIX_INIT_KMEANSPP, .k = k, .d = d, .X = X};
    const int stream[3] = {0, 0, 1};
    run_world(&w, jobs, 3, shard, km, stream, 0);
    for (int r = 0; r < 3; r++) {
        ck_assert_int_eq(jobs[r].rc, MIX_OK);
        free(jobs[r].labels);
    }
    /* the allreduce itself failing in its 5th call */
    run_world(&w, jobs, 3, shard, km, stream, 5);
    for (int r = 0; r < 3; r++) {
        ck_assert_int_eq(jobs[r].rc, MIX_EIO);
        ck_assert_ptr_nonnull(strstr(jobs[r].msg, "allreduce callback failed (returned 7)"));
    }
    /* too few rows over all ranks */
    size_t tiny[3] = {1, 0, 1};
    run_world(&w, jobs, 3, tiny, km, NULL, 0);
    for (int r = 0; r < 3; r++) {
        ck_assert_int_eq(jobs[r].rc, MIX_EDIM);
        ck_assert_str_eq(jobs[r].msg, "n_samples = 2 should be >= n_clusters = 3");
    }
    free(X);
}
END_TEST

/* Fewer distinct rows than components: the k-means++ potential is 0 on
 * every rank and the draws take the first row, on the first rank that has
 * rows (rank 0 is empty here), as one process does. */
START_TEST(zero_potential_on_an_empty_first_rank)
{
    const size_t n = 30, d = 2, k = 5;
    double X[60];
    for (size_t i = 0; i < n; i++)
        X[2 * i] = (double)(i % 3), X[2 * i + 1] = (double)(i % 3) * 2;
    for (int iters = -1; iters <= 100; iters += 101) {
        job one = {.kind = 1, .type = MIX_COV_DIAG, .init = MIX_INIT_KMEANSPP, .k = k, .d = d,
                   .X = X, .max_iter = iters};
        world w1, w;
        job ref[1], jobs[MAX_RANKS];
        size_t all = n, shard[2] = {0, n};
        run_world(&w1, ref, 1, &all, one, NULL, 0);
        run_world(&w, jobs, 2, shard, one, NULL, 0);
        ck_assert_int_eq(ref[0].rc, MIX_OK);
        for (int r = 0; r < 2; r++) {
            ck_assert_msg(jobs[r].rc == MIX_OK, "%s", jobs[r].msg);
            ck_assert_double_le(tu_rel_diff(jobs[r].weights, ref[0].weights, k), 1e-10);
            ck_assert_double_le(tu_rel_diff(jobs[r].centers, ref[0].centers, k * d), 1e-10);
        }
    }
}
END_TEST

/* A shard smaller than the start's rows (k-means++ with k rows to
 * accumulate, a shard of one row, wide rows): the start's statistics fit
 * their buffer and equal one process's. */
START_TEST(small_shard_wide_start)
{
    const size_t n = 51, d = 3000, k = 4;
    double *X = tu_blobs(n, d, k, 1.0, 9);
    job one = {.kind = 1, .type = MIX_COV_SPHERICAL, .init = MIX_INIT_KMEANSPP, .k = k, .d = d,
               .X = X, .max_iter = -1};
    world w1, w;
    job ref[1], jobs[MAX_RANKS];
    size_t all = n, shard[2] = {1, 50};
    run_world(&w1, ref, 1, &all, one, NULL, 0);
    run_world(&w, jobs, 2, shard, one, NULL, 0);
    for (int r = 0; r < 2; r++) {
        ck_assert_msg(jobs[r].rc == MIX_OK, "%s", jobs[r].msg);
        ck_assert_double_le(tu_rel_diff(jobs[r].centers, ref[0].centers, k * d), 1e-10);
    }
    free(X);
}
END_TEST

/* Ranks started by hand, each from its own job (jobs[r] filled but for the
 * world and the rank). */
static void run_jobs(world *w, job *jobs, int size)
{
    memset(w, 0, sizeof *w);
    w->size = size;
    pthread_barrier_init(&w->bar, NULL, (unsigned)size);
    pthread_t th[MAX_RANKS];
    for (int r = 0; r < size; r++) {
        jobs[r].w = w;
        jobs[r].ctx = (rank_ctx){w, r};
        pthread_create(&th[r], NULL, run_rank, &jobs[r]);
    }
    for (int r = 0; r < size; r++)
        pthread_join(th[r], NULL);
    pthread_barrier_destroy(&w->bar);
    free(w->sum);
}

/* Ranks that fit different things (another k, another option) all fail
 * at once instead of making mismatched reductions. */
START_TEST(ranks_that_disagree_fail)
{
    const size_t n = 600, d = 2;
    double *X = tu_blobs(n, d, 3, 1.0, 12);
    world w;
    job jobs[2];
    for (int variant = 0; variant < 3; variant++) {
        for (int r = 0; r < 2; r++) {
            jobs[r] = (job){.kind = variant == 2 ? 0 : 1, .type = MIX_COV_FULL,
                            .init = MIX_INIT_KMEANS, .k = 3, .d = d, .X = X, .n = 300,
                            .first = (size_t)r * 300};
            if (variant == 2)
                jobs[r].init = MIX_INIT_KMEANSPP;
        }
        if (variant == 0)
            jobs[1].k = 4;
        else if (variant == 1)
            jobs[1].max_iter = 7;
        else
            jobs[1].init = MIX_INIT_RANDOM_FROM_DATA;
        run_jobs(&w, jobs, 2);
        for (int r = 0; r < 2; r++) {
            ck_assert_int_eq(jobs[r].rc, MIX_EINVAL);
            ck_assert_ptr_nonnull(strstr(jobs[r].msg, "ranks do not fit the same thing"));
            free(jobs[r].labels);
        }
    }
    free(X);
}
END_TEST

/* A callback that stops the fit on one rank stops it on every rank. */
START_TEST(callback_stops_every_rank)
{
    const size_t n = 900, d = 2, k = 3;
    double *X = tu_blobs(n, d, k, 2.0, 5);
    job gm = {.kind = 1, .type = MIX_COV_FULL, .init = MIX_INIT_KMEANS, .k = k, .d = d, .X = X};
    world w;
    job jobs[MAX_RANKS];
    const size_t shard[3] = {300, 300, 300};
    for (int r = 0; r < 3; r++) {
        jobs[r] = gm;
        jobs[r].n = shard[r];
        jobs[r].first = (size_t)r * 300;
        jobs[r].cancel_at = r == 1 ? 2 : 0; /* rank 1 alone stops */
    }
    run_jobs(&w, jobs, 3);
    ck_assert_int_eq(jobs[1].rc, MIX_ECANCELED);
    ck_assert_int_eq(jobs[0].rc, MIX_EIO);
    ck_assert_int_eq(jobs[2].rc, MIX_EIO);
    ck_assert_ptr_nonnull(strstr(jobs[0].msg, "rank 1 failed"));
    free(X);
}
END_TEST

START_TEST(set_distributed_checks)
{
    kmeans_t *km = mix_kmeans_create(2);
    gmm_t *g = mix_gmm_create(2, MIX_COV_FULL);
    ck_assert_int_eq(mix_kmeans_set_distributed(km, 0, 0, thread_allreduce, NULL), MIX_EINVAL);
    ck_assert_int_eq(mix_kmeans_set_distributed(km, 2, 2, thread_allreduce, NULL), MIX_EINVAL);
    ck_assert_int_eq(mix_kmeans_set_distributed(km, -1, 2, thread_allreduce, NULL), MIX_EINVAL);
    ck_assert_int_eq(mix_gmm_set_distributed(g, 0, 2, NULL, NULL), MIX_EINVAL);
    ck_assert_str_eq(mix_gmm_errmsg(g), "size = 2 needs an allreduce callback");
    ck_assert_int_eq(mix_kmeans_set_distributed(NULL, 0, 1, NULL, NULL), MIX_EINVAL);
    ck_assert_int_eq(mix_kmeans_set_distributed(km, 0, 1, NULL, NULL), MIX_OK);
    /* back to one process: n = 0 is an error again */
    ck_assert_int_eq(mix_kmeans_fit(km, NULL, 0, 2, NULL), MIX_EINVAL);
    mix_kmeans_free(km);
    mix_gmm_free(g);
}
END_TEST

Suite *stream_suite(void)
{
    Suite *s = suite_create("stream");
    TCase *tc = tcase_create("stream");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, kmeans_stream_relocates_as_memory);
    tcase_add_test(tc, gmm_stream_adam_and_warm_start);
    tcase_add_loop_test(tc, bmm_stream_is_memory, 0, 4);
    tcase_add_test(tc, stream_reader_failures);
    tcase_add_test(tc, stream_rows_changed_between_passes);
    tcase_add_test(tc, stream_windows_read_while_processed);
    suite_add_tcase(s, tc);
    TCase *td = tcase_create("distributed");
    tcase_set_timeout(td, 300);
    tcase_add_test(td, bmm_ranks_equal_one_process);
    tcase_add_test(td, ranks_fail_together);
    tcase_add_test(td, zero_potential_on_an_empty_first_rank);
    tcase_add_test(td, small_shard_wide_start);
    tcase_add_test(td, callback_stops_every_rank);
    tcase_add_test(td, ranks_that_disagree_fail);
    tcase_add_test(td, set_distributed_checks);
    suite_add_tcase(s, td);
    /* Every model, init and chunk size: too long under valgrind
     * (CK_EXCLUDE_TAGS=slow); run by every other check. */
    TCase *slow = tcase_create("every_option");
    tcase_set_tags(slow, "slow");
    tcase_set_timeout(slow, 600);
    tcase_add_loop_test(slow, kmeans_stream_is_memory, 0, 12);
    tcase_add_loop_test(slow, gmm_stream_is_memory, 0, 24);
    tcase_add_loop_test(slow, kmeans_ranks_equal_one_process, 0, 6);
    tcase_add_loop_test(slow, gmm_ranks_equal_one_process, 0, 20);
    suite_add_tcase(s, slow);
    return s;
}
