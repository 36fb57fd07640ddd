/*
 * Saving and loading a large model (issue 13): a full-covariance Gaussian
 * mixture, k = 256 components of d = 256 features by default, made from
 * given parameters (a fit of that size would take minutes and save the
 * same arrays). Times mix_gmm_save / mix_gmm_load through a directory
 * (use one in memory, /dev/shm, to measure the library and the page cache
 * rather than a disk: a save ends with fsync) and the buffer forms, and
 * reports the file's bytes per second and the peak resident memory.
 *
 *   bench_persist all  DIR [K D REPEATS]   save and load, interleaved
 *   bench_persist save DIR [K D]           one save (leaves DIR/bench.mixture)
 *   bench_persist load DIR [K D]           one load in a fresh process: its
 *                                          peak memory is the model's; then
 *                                          the first touch of as much fresh
 *                                          memory (the floor of a load)
 *
 * Prints one JSON object.
 */
#define _POSIX_C_SOURCE 200809L

#include "bench_common.h"

#include <mixture.h>
#include <unistd.h>

static size_t K = 256, D = 256;

/* Weights uniform, means spread, covariances diagonally dominant (so
 * positive definite) with small symmetric off-diagonal terms. */
static gmm_t *make_model(void)
{
    double *w = malloc(K * sizeof *w), *mu = malloc(K * D * sizeof *mu);
    double *cov = malloc(K * D * D * sizeof *cov);
    if (!w || !mu || !cov)
        exit(2);
    uint64_t s = 1;
    for (size_t j = 0; j < K; j++) {
        w[j] = 1.0 / (double)K;
        for (size_t a = 0; a < D; a++) {
            mu[j * D + a] = (double)((j * 31 + a * 17) % 101) / 10.0;
            for (size_t b = 0; b <= a; b++) {
                s = s * 6364136223846793005u + 1442695040888963407u;
                double v = a == b ? 1.0 + (double)((j + a) % 7) / 7.0
                                  : ((double)(s >> 11) * 0x1.0p-53 - 0.5) / (double)D;
                cov[(j * D + a) * D + b] = cov[(j * D + b) * D + a] = v;
            }
        }
    }
    gmm_t *g = mix_gmm_create(K, MIX_COV_FULL);
    if (g == NULL || mix_gmm_set_params(g, D, w, mu, cov) != MIX_OK) {
        fprintf(stderr, "set_params: %s\n", g ? mix_gmm_errmsg(g) : "no handle");
        exit(2);
    }
    /* Keep the model, drop the given copies: the file then holds what a
     * fitted model's does. */
    mix_gmm_set_params(g, D, NULL, NULL, NULL);
    free(w);
    free(mu);
    free(cov);
    return g;
}

static void check(int rc, const gmm_t *g, const char *what)
{
    if (rc != MIX_OK) {
        fprintf(stderr, "%s: %s: %s\n", what, mix_strerror(rc), mix_gmm_errmsg(g));
        exit(1);
    }
}

static double seconds_of_save(const gmm_t *g, const char *path)
{
    double t0 = bench_now_ms();
    check(mix_gmm_save(g, path), g, "save");
    return (bench_now_ms() - t0) / 1e3;
}

static double seconds_of_load(const char *path)
{
    gmm_t *h = mix_gmm_create(1, MIX_COV_SPHERICAL);
    double t0 = bench_now_ms();
    check(mix_gmm_load(h, path), h, "load");
    double t = (bench_now_ms() - t0) / 1e3;
    mix_gmm_free(h);
    return t;
}

/* The floor under a load: the first touch of as much fresh memory as the
 * model occupies (a full-covariance model holds six arrays of k d d
 * values: covariances, precision factors, the E-step's two, both in the
 * engine's units, and the public covariances and precision factors). */
static double seconds_of_first_touch(void)
{
    double *a[6], t0 = bench_now_ms();
    for (int i = 0; i < 6; i++) {
        a[i] = malloc(K * D * D * sizeof(double));
        if (a[i] == NULL)
            exit(2);
        memset(a[i], 1, K * D * D * sizeof(double));
    }
    double t = (bench_now_ms() - t0) / 1e3;
    for (int i = 0; i < 6; i++)
        free(a[i]);
    return t;
}

static size_t file_size(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return 0;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fclose(f);
    return n > 0 ? (size_t)n : 0;
}

static void run_all(const char *path, int repeats)
{
    gmm_t *g = make_model();
    size_t bytes = 0;
    check(mix_gmm_save_buffer(g, NULL, 0, &bytes), g, "size");
    double *ts = malloc(4 * (size_t)repeats * sizeof *ts);
    double *save = ts, *load = ts + repeats, *save_b = ts + 2 * repeats, *load_b = ts + 3 * repeats;
    unsigned char *buf = malloc(bytes);
    if (!ts || !buf)
        exit(2);
    for (int r = 0; r < repeats; r++) { /* interleaved: file save, file load, buffers */
        save[r] = seconds_of_save(g, path);
        load[r] = seconds_of_load(path);
        double t0 = bench_now_ms();
        check(mix_gmm_save_buffer(g, buf, bytes, &bytes), g, "save_buffer");
        save_b[r] = (bench_now_ms() - t0) / 1e3;
        gmm_t *h = mix_gmm_create(1, MIX_COV_SPHERICAL);
        t0 = bench_now_ms();
        check(mix_gmm_load_buffer(h, buf, bytes), h, "load_buffer");
        load_b[r] = (bench_now_ms() - t0) / 1e3;
        mix_gmm_free(h);
    }
    const double gb = (double)bytes / 1e9;
    printf("{\"mode\": \"all\", \"k\": %zu, \"d\": %zu, \"bytes\": %zu, \"repeats\": %d", K, D,
           bytes, repeats);
    const char *names[4] = {"save", "load", "save_buffer", "load_buffer"};
    for (int q = 0; q < 4; q++) {
        double *v = ts + q * repeats, best = v[0];
        for (int r = 1; r < repeats; r++)
            best = v[r] < best ? v[r] : best;
        double med = bench_median(v, (size_t)repeats);
        printf(", \"%s_s\": %.4f, \"%s_best_s\": %.4f, \"%s_gbps\": %.3f", names[q], med,
               names[q], best, names[q], gb / med);
    }
    printf(", \"peak_rss_mib\": %.1f}\n", bench_vmhwm_mib());
    free(buf);
    free(ts);
    mix_gmm_free(g);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s all|save|load DIR [K D [REPEATS]]\n", argv[0]);
        return 2;
    }
    if (argc >= 5) {
        K = strtoull(argv[3], NULL, 10);
        D = strtoull(argv[4], NULL, 10);
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/bench.mixture", argv[2]);
    if (strcmp(argv[1], "all") == 0) {
        run_all(path, argc >= 6 ? atoi(argv[5]) : 5);
        unlink(path);
    } else if (strcmp(argv[1], "save") == 0) {
        gmm_t *g = make_model();
        double rss_model = bench_vmhwm_mib(), t = seconds_of_save(g, path);
        printf("{\"mode\": \"save\", \"bytes\": %zu, \"seconds\": %.4f, \"gbps\": %.3f, "
               "\"peak_rss_mib\": %.1f, \"rss_before_save_mib\": %.1f}\n",
               file_size(path), t, (double)file_size(path) / 1e9 / t, bench_vmhwm_mib(),
               rss_model);
        mix_gmm_free(g);
    } else if (strcmp(argv[1], "load") == 0) {
        if (argc >= 5) /* k and d of the saved model, for the floor */
            K = strtoull(argv[3], NULL, 10), D = strtoull(argv[4], NULL, 10);
        double t = seconds_of_load(path), rss = bench_vmhwm_mib();
        printf("{\"mode\": \"load\", \"bytes\": %zu, \"seconds\": %.4f, \"gbps\": %.3f, "
               "\"peak_rss_mib\": %.1f, \"first_touch_s\": %.4f}\n",
               file_size(path), t, (double)file_size(path) / 1e9 / t, rss,
               seconds_of_first_touch());
    } else {
        fprintf(stderr, "unknown mode %s\n", argv[1]);
        return 2;
    }
    return 0;
}
