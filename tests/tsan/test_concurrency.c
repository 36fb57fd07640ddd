/*
 * Concurrency (run under ThreadSanitizer by make check-tsan): 8 threads
 * call predict, predict_proba, score and save_buffer (a const call) on one
 * fitted K-means and one fitted Gaussian mixture while 4 other threads fit
 * their own handles. Every
 * result must equal the one computed before, on one thread; the library's
 * own worker threads run too (threads = 2 on every handle). The readers
 * also compute the metrics (no handle: every call starts worker threads of
 * its own, and the expected mutual information calls lgamma_r, never the
 * lgamma that writes a global).
 */
#include <mixture.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { N = 3000, D = 4, K = 5, READERS = 8, FITTERS = 4, ROUNDS = 6 };

static double X[N * D];
static const kmeans_t *shared_km;
static const gmm_t *shared_g;
static int32_t ref_km_labels[N], ref_g_labels[N];
static double ref_resp[N * K], ref_km_score, ref_g_score;
static unsigned char ref_km_saved[4096], ref_g_saved[4096];
static size_t ref_km_size, ref_g_size;
static double ref_fit_centers[FITTERS][K * D], ref_fit_means[FITTERS][K * D];
static int failures;

/* The metrics of the two shared models' labels, and of the data with the
 * K-means labels (the silhouette on the first SIL_N rows: O(n^2)). */
enum { SIL_N = 1000, N_METRICS = 6 };
static double ref_metrics[N_METRICS];

static int metrics(const int32_t *a, const int32_t *b, double *v)
{
    return mix_adjusted_rand_index(a, b, N, v) | mix_rand_index(a, b, N, v + 1) |
           mix_adjusted_mutual_info(a, b, N, v + 2) | mix_normalized_mutual_info(a, b, N, v + 3) |
           mix_silhouette_score(X, SIL_N, D, a, v + 4) | mix_davies_bouldin(X, N, D, a, v + 5);
}
static pthread_mutex_t failure_lock = PTHREAD_MUTEX_INITIALIZER;

static void fail(const char *what, int who)
{
    pthread_mutex_lock(&failure_lock);
    failures++;
    fprintf(stderr, "thread %d: %s differs from the single-threaded result\n", who, what);
    pthread_mutex_unlock(&failure_lock);
}

static void *reader(void *arg)
{
    int who = (int)(intptr_t)arg;
    int32_t *lab = malloc(N * sizeof *lab);
    double *resp = malloc(N * K * sizeof *resp), score;
    for (int r = 0; r < ROUNDS; r++) {
        if (mix_kmeans_predict(shared_km, X, N, D, lab) != MIX_OK ||
            memcmp(lab, ref_km_labels, sizeof ref_km_labels) != 0)
            fail("kmeans predict", who);
        if (mix_kmeans_score(shared_km, X, N, D, &score) != MIX_OK || score != ref_km_score)
            fail("kmeans score", who);
        if (mix_gmm_predict(shared_g, X, N, D, lab) != MIX_OK ||
            memcmp(lab, ref_g_labels, sizeof ref_g_labels) != 0)
            fail("gmm predict", who);
        if (mix_gmm_predict_proba(shared_g, X, N, D, resp) != MIX_OK ||
            memcmp(resp, ref_resp, sizeof ref_resp) != 0)
            fail("gmm predict_proba", who);
        if (mix_gmm_score(shared_g, X, N, D, &score) != MIX_OK || score != ref_g_score)
            fail("gmm score", who);
        double m[N_METRICS];
        if (metrics(ref_km_labels, ref_g_labels, m) != MIX_OK ||
            memcmp(m, ref_metrics, sizeof m) != 0)
            fail("metrics", who);
        unsigned char saved[4096];
        size_t size;
        if (mix_kmeans_save_buffer(shared_km, saved, sizeof saved, &size) != MIX_OK ||
            size != ref_km_size || memcmp(saved, ref_km_saved, size) != 0)
            fail("kmeans save_buffer", who);
        if (mix_gmm_save_buffer(shared_g, saved, sizeof saved, &size) != MIX_OK ||
            size != ref_g_size || memcmp(saved, ref_g_saved, size) != 0)
            fail("gmm save_buffer", who);
    }
    free(lab);
    free(resp);
    return NULL;
}

/* Fits of fitter i: K-means and a GMM seeded with i. */
static void fit_pair(int i, double *centers, double *means)
{
    kmeans_t *km = mix_kmeans_create(K);
    gmm_t *g = mix_gmm_create(K, (mix_covariance)(i % 4));
    mix_kmeans_set_seed(km, (uint64_t)i);
    mix_kmeans_set_threads(km, 2);
    mix_gmm_set_seed(g, (uint64_t)i);
    mix_gmm_set_threads(g, 2);
    if (mix_kmeans_fit(km, X, N, D, NULL) != MIX_OK || mix_gmm_fit(g, X, N, D, NULL) != MIX_OK) {
        fprintf(stderr, "fit %d failed\n", i);
        exit(1);
    }
    memcpy(centers, mix_kmeans_centers(km), K * D * sizeof(double));
    memcpy(means, mix_gmm_means(g), K * D * sizeof(double));
    mix_kmeans_free(km);
    mix_gmm_free(g);
}

static void *fitter(void *arg)
{
    int i = (int)(intptr_t)arg;
    double centers[K * D], means[K * D];
    for (int r = 0; r < 2; r++) {
        fit_pair(i, centers, means);
        if (memcmp(centers, ref_fit_centers[i], sizeof centers) != 0)
            fail("kmeans fit", READERS + i);
        if (memcmp(means, ref_fit_means[i], sizeof means) != 0)
            fail("gmm fit", READERS + i);
    }
    return NULL;
}

int main(void)
{
    uint64_t s = 9;
    for (size_t i = 0; i < N * D; i++) {
        s = s * 6364136223846793005u + 1442695040888963407u;
        X[i] = (double)(s >> 11) * 0x1.0p-53 * 3.0 + (double)((i / D) % K) * 4.0;
    }
    kmeans_t *km = mix_kmeans_create(K);
    gmm_t *g = mix_gmm_create(K, MIX_COV_FULL);
    mix_kmeans_set_threads(km, 2);
    mix_gmm_set_threads(g, 2);
    if (mix_kmeans_fit(km, X, N, D, NULL) != MIX_OK || mix_gmm_fit(g, X, N, D, NULL) != MIX_OK)
        return 1;
    shared_km = km;
    shared_g = g;
    /* References, on this thread alone. */
    if (mix_kmeans_predict(km, X, N, D, ref_km_labels) != MIX_OK ||
        mix_kmeans_score(km, X, N, D, &ref_km_score) != MIX_OK ||
        mix_gmm_predict(g, X, N, D, ref_g_labels) != MIX_OK ||
        mix_gmm_predict_proba(g, X, N, D, ref_resp) != MIX_OK ||
        mix_gmm_score(g, X, N, D, &ref_g_score) != MIX_OK ||
        metrics(ref_km_labels, ref_g_labels, ref_metrics) != MIX_OK ||
        mix_kmeans_save_buffer(km, ref_km_saved, sizeof ref_km_saved, &ref_km_size) != MIX_OK ||
        mix_gmm_save_buffer(g, ref_g_saved, sizeof ref_g_saved, &ref_g_size) != MIX_OK)
        return 1;
    for (int i = 0; i < FITTERS; i++)
        fit_pair(i, ref_fit_centers[i], ref_fit_means[i]);

    pthread_t tid[READERS + FITTERS];
    for (int i = 0; i < READERS; i++)
        pthread_create(&tid[i], NULL, reader, (void *)(intptr_t)i);
    for (int i = 0; i < FITTERS; i++)
        pthread_create(&tid[READERS + i], NULL, fitter, (void *)(intptr_t)i);
    for (int i = 0; i < READERS + FITTERS; i++)
        pthread_join(tid[i], NULL);
    mix_kmeans_free(km);
    mix_gmm_free(g);
    printf("concurrency: %d readers x %d rounds and %d fitters x 2 fits: %s\n", READERS, ROUNDS,
           FITTERS, failures ? "MISMATCH" : "all results equal the single-threaded ones");
    return failures ? 1 : 0;
}
