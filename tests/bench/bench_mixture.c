/*
 * libmixture benchmark runner (tests/bench): one fit from given starting
 * parameters with tol = 0 and a fixed max_iter, timed per iteration through
 * the iteration callback, with the peak memory beyond the loaded data.
 *
 * Usage:
 *   bench_mixture [--adam] [--stream ROWS] MODEL X.f64 N D K MEANS.f64 WEIGHTS.f64 COV.f64
 *                 MAX_ITER [THREADS]
 *
 * MODEL is kmeans, full, tied, diag or spherical. Files are raw
 * little-endian float64, row-major (see gen_data.py); for kmeans WEIGHTS and
 * COV are ignored (pass "-"). THREADS defaults to 2.
 *
 * --adam fits by gradient (mix_*_set_method(MIX_METHOD_ADAM), full batch,
 * default step): the callback then ticks once per epoch. --stream ROWS fits
 * through mix_*_fit_stream with a reader that copies at most ROWS rows per
 * call from the loaded array (the data stay in memory: what is measured is
 * the streamed engine, not a disk).
 *
 * MODEL silhouette times one mix_silhouette_score call on X with the int32
 * labels of the file given as WEIGHTS (MEANS, COV and MAX_ITER are
 * ignored; the call uses every online core, which THREADS cannot change:
 * run.py gives every runner the machine's two). It prints ms for the call
 * and the score as the objective.
 *
 * Prints one JSON line: median ms per iteration over the iterations after
 * the first, the first iteration (set-up included), iterations run, total
 * fit time, the final objective (K-means inertia, GMM lower bound: comparable
 * with scikit-learn's inertia_ and lower_bound_), VmHWM before and after the fit
 * (extra_mib = after - before, the memory the fit needed beyond the data),
 * a hash of the fitted model's bytes (equal hashes: bit-identical models),
 * and with --stream the reader's calls and the time spent in it.
 *
 * SPDX-License-Identifier: BSD-3-Clause
 */
#define _POSIX_C_SOURCE 200809L
#include <mixture.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <string.h>

#include "bench_common.h"

typedef struct {
    double *ts;
    size_t m, cap;
} timeline;

/* The in-memory reader of --stream: rows [pos, pos + m) of X, m at most
 * `chunk` and at most what the library asks for. */
typedef struct {
    const double *X;
    size_t n, d, chunk, pos, calls;
    double ms; /* time spent in the reader (the fit's thread copying rows) */
} array_reader;

static long read_rows(void *user, double *X, double *w, size_t max_rows)
{
    (void)w;
    const double t0 = bench_now_ms();
    array_reader *r = (array_reader *)user;
    size_t m = r->n - r->pos;
    m = m < r->chunk ? m : r->chunk;
    m = m < max_rows ? m : max_rows;
    memcpy(X, r->X + r->pos * r->d, m * r->d * sizeof(double));
    r->pos = m == 0 ? 0 : r->pos + m; /* 0 ends the pass; the next starts over */
    r->calls++;
    r->ms += bench_now_ms() - t0;
    return (long)m;
}

/* FNV-1a over the bytes of v[0..m), continuing from h. */
static uint64_t hash_doubles(uint64_t h, const double *v, size_t m)
{
    const unsigned char *b = (const unsigned char *)v;
    for (size_t i = 0; v != NULL && i < m * sizeof(double); i++)
        h = (h ^ b[i]) * 0x100000001b3u;
    return h;
}

static int on_iteration(void *user_data, int run, int iteration, double objective, double change)
{
    (void)run;
    (void)iteration;
    (void)objective;
    (void)change;
    timeline *tl = (timeline *)user_data;
    double now = bench_now_ms();
    if (tl->m < tl->cap)
        tl->ts[tl->m++] = now;
    return 0;
}

/* One silhouette of X with the labels in args->weights_path; prints the JSON line. */
static int run_silhouette(const bench_args *args)
{
    const size_t n = args->n, d = args->d;
    double *X = bench_load_f64(args->x_path, n * d);
    int32_t *labels = (int32_t *)malloc(n * sizeof *labels);
    FILE *f = fopen(args->weights_path, "rb");
    if (!labels || !f || fread(labels, sizeof *labels, n, f) != n) {
        fprintf(stderr, "bench_mixture: cannot read %zu labels from %s\n", n, args->weights_path);
        return 2;
    }
    fclose(f);
    double score = 0.0, base = bench_vmhwm_mib(), t0 = bench_now_ms();
    int rc = mix_silhouette_score(X, n, d, labels, &score);
    double t1 = bench_now_ms(), peak = bench_vmhwm_mib();
    printf("{\"runner\": \"libmixture\", \"version\": \"%s\", \"model\": \"silhouette\", "
           "\"n\": %zu, \"d\": %zu, \"k\": %zu, \"status\": %d, \"ms\": %.6g, "
           "\"objective\": %.17g, \"rss_base_mib\": %.2f, \"rss_peak_mib\": %.2f, "
           "\"extra_mib\": %.2f, \"error\": ",
           mix_version_string(), n, d, args->k, rc, t1 - t0, score, base, peak, peak - base);
    bench_json_string(stdout, rc == MIX_OK ? "" : mix_strerror(rc));
    printf("}\n");
    free(X);
    free(labels);
    return rc == MIX_OK ? 0 : 1;
}

int main(int argc, char **argv)
{
    /* OpenBLAS's pthread build starts its worker threads when it is loaded
     * and lets them spin for about 0.1 s before they sleep; a fit of a few
     * milliseconds would share the cores with them. Wait that out: it is a
     * one-time cost of a process, not of an iteration. */
    struct timespec settle = {0, 300000000};
    nanosleep(&settle, NULL);
    int adam = 0;
    size_t stream_rows = 0;
    int opt = 1;
    for (; opt < argc && strncmp(argv[opt], "--", 2) == 0; opt++) {
        if (strcmp(argv[opt], "--adam") == 0) {
            adam = 1;
        } else if (strcmp(argv[opt], "--stream") == 0 && opt + 1 < argc &&
                   atol(argv[opt + 1]) > 0) {
            stream_rows = (size_t)atol(argv[++opt]);
        } else {
            fprintf(stderr, "bench_mixture: unknown option %s\n", argv[opt]);
            return 2;
        }
    }
    argv[opt - 1] = argv[0]; /* the positional arguments follow the program's name */
    argc -= opt - 1;
    argv += opt - 1;
    bench_args a;
    if (bench_parse_args(argc, argv,
                         "[--adam] [--stream ROWS] kmeans|full|tied|diag|spherical|silhouette",
                         &a))
        return 2;
    if (strcmp(a.model, "silhouette") == 0)
        return run_silhouette(&a);
    const char *model = a.model;
    const size_t n = a.n, d = a.d, k = a.k;
    const int max_iter = a.iters, threads = a.threads;
    int is_kmeans = strcmp(model, "kmeans") == 0;
    mix_covariance cov = MIX_COV_FULL;
    size_t cov_count = 0;
    if (is_kmeans) {
    } else if (strcmp(model, "full") == 0) {
        cov = MIX_COV_FULL;
        cov_count = k * d * d;
    } else if (strcmp(model, "tied") == 0) {
        cov = MIX_COV_TIED;
        cov_count = d * d;
    } else if (strcmp(model, "diag") == 0) {
        cov = MIX_COV_DIAG;
        cov_count = k * d;
    } else if (strcmp(model, "spherical") == 0) {
        cov = MIX_COV_SPHERICAL;
        cov_count = k;
    } else {
        fprintf(stderr, "bench_mixture: unknown model %s\n", model);
        return 2;
    }
    if (n == 0 || d == 0 || k == 0 || max_iter < 1 || threads < 1) {
        fprintf(stderr, "bench_mixture: sizes, iterations and threads must be positive\n");
        return 2;
    }

    double *X = bench_load_f64(a.x_path, n * d);
    double *means = bench_load_f64(a.means_path, k * d);
    double *weights = is_kmeans ? NULL : bench_load_f64(a.weights_path, k);
    double *covs = is_kmeans ? NULL : bench_load_f64(a.cov_path, cov_count);

    timeline tl = {NULL, 0, (size_t)max_iter + 1};
    tl.ts = (double *)calloc(tl.cap, sizeof(double));
    if (!tl.ts)
        return 2;

    int rc;
    double t0 = 0.0, t1 = 0.0, base = -1.0, peak = -1.0, objective = 0.0;
    const char *err = "";
    uint64_t hash = 0xcbf29ce484222325u;
    array_reader reader = {X, n, d, stream_rows, 0, 0, 0.0};
    kmeans_t *km = NULL;
    gmm_t *g = NULL;
    if (is_kmeans) {
        km = mix_kmeans_create(k);
        if (!km)
            return 2;
        if ((rc = mix_kmeans_set_init_centers(km, means, d)) != MIX_OK ||
            (rc = mix_kmeans_set_tol(km, 0.0)) != MIX_OK ||
            (rc = mix_kmeans_set_max_iter(km, max_iter)) != MIX_OK ||
            (rc = mix_kmeans_set_threads(km, threads)) != MIX_OK ||
            (rc = mix_kmeans_set_callback(km, on_iteration, &tl)) != MIX_OK ||
            (adam && (rc = mix_kmeans_set_method(km, MIX_METHOD_ADAM)) != MIX_OK)) {
            fprintf(stderr, "set-up: %s\n", mix_kmeans_errmsg(km));
            return 1;
        }
        /* MIX_BENCH_KMEANS_ALGORITHM=lloyd|hamerly overrides the default (auto). */
        const char *algo = getenv("MIX_BENCH_KMEANS_ALGORITHM");
        if (algo != NULL)
            mix_kmeans_set_algorithm(km, strcmp(algo, "lloyd") == 0     ? MIX_KMEANS_LLOYD
                                         : strcmp(algo, "hamerly") == 0 ? MIX_KMEANS_HAMERLY
                                                                        : MIX_KMEANS_AUTO);
        base = bench_vmhwm_mib();
        t0 = bench_now_ms();
        rc = stream_rows ? mix_kmeans_fit_stream(km, d, read_rows, &reader)
                         : mix_kmeans_fit(km, X, n, d, NULL);
        t1 = bench_now_ms();
        peak = bench_vmhwm_mib();
        if (rc != MIX_OK) {
            err = mix_kmeans_errmsg(km);
        } else {
            objective = mix_kmeans_inertia(km);
            hash = hash_doubles(hash, mix_kmeans_centers(km), k * d);
        }
    } else {
        g = mix_gmm_create(k, cov);
        if (!g)
            return 2;
        if ((rc = mix_gmm_set_params(g, d, weights, means, covs)) != MIX_OK ||
            (rc = mix_gmm_set_tol(g, 0.0)) != MIX_OK ||
            (rc = mix_gmm_set_max_iter(g, max_iter)) != MIX_OK ||
            (rc = mix_gmm_set_reg_covar(g, 1e-6)) != MIX_OK ||
            (rc = mix_gmm_set_threads(g, threads)) != MIX_OK ||
            (rc = mix_gmm_set_callback(g, on_iteration, &tl)) != MIX_OK ||
            (adam && (rc = mix_gmm_set_method(g, MIX_METHOD_ADAM)) != MIX_OK)) {
            fprintf(stderr, "set-up: %s\n", mix_gmm_errmsg(g));
            return 1;
        }
        base = bench_vmhwm_mib();
        t0 = bench_now_ms();
        rc = stream_rows ? mix_gmm_fit_stream(g, d, read_rows, &reader)
                         : mix_gmm_fit(g, X, n, d, NULL);
        t1 = bench_now_ms();
        peak = bench_vmhwm_mib();
        if (rc != MIX_OK) {
            err = mix_gmm_errmsg(g);
        } else {
            objective = mix_gmm_lower_bound(g);
            hash = hash_doubles(hash, mix_gmm_weights(g), k);
            hash = hash_doubles(hash, mix_gmm_means(g), k * d);
            hash = hash_doubles(hash, mix_gmm_covariances(g), cov_count);
            hash = hash_doubles(hash, mix_gmm_precisions_cholesky(g), cov_count);
        }
    }

    if (rc == MIX_OK)
        hash = hash_doubles(hash, &objective, 1);
    bench_iter_stats s = bench_iter_times(t0, tl.ts, tl.m);
    printf("{\"runner\": \"libmixture\", \"version\": \"%s\", \"model\": \"%s\", "
           "\"n\": %zu, \"d\": %zu, \"k\": %zu, \"threads\": %d, \"max_iter\": %d, "
           "\"status\": %d, \"n_iter\": %zu, \"ms_per_iter\": %.6g, "
           "\"ms_first_iter\": %.6g, \"iters_in_median\": %zu, \"ms_total\": %.6g, "
           "\"objective\": %.17g, \"rss_base_mib\": %.2f, \"rss_peak_mib\": %.2f, "
           "\"extra_mib\": %.2f, \"method\": \"%s\", \"stream_rows\": %zu, "
           "\"reader_calls\": %zu, \"reader_ms\": %.6g, \"model_hash\": \"%016llx\", "
           "\"error\": ",
           mix_version_string(), model, n, d, k, threads, max_iter, rc, tl.m, s.median_ms,
           s.first_ms, s.n_used, t1 - t0, objective, base, peak, peak - base,
           adam ? "adam" : "em", stream_rows, reader.calls, reader.ms, (unsigned long long)hash);
    bench_json_string(stdout, rc == MIX_OK ? "" : err);
    printf("}\n");

    mix_kmeans_free(km);
    mix_gmm_free(g);
    free(tl.ts);
    free(X);
    free(means);
    free(weights);
    free(covs);
    return rc == MIX_OK ? 0 : 1;
}
