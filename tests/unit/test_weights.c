/*
 * NULL sample weights are unit weights, bit for bit, in every call that
 * takes weights: K-means seeding (every init), fit (Lloyd and Hamerly,
 * restarts, threads) and score; every Gaussian mixture init and fit, for
 * the four covariance types. A property test: no path may treat the two
 * differently again.
 */
#include "testutil.h"

#include <stdio.h>

static int same(const void *a, const void *b, size_t bytes)
{
    return memcmp(a, b, bytes) == 0;
}

static double *ones(size_t n)
{
    double *w = malloc(n * sizeof *w);
    for (size_t i = 0; i < n; i++)
        w[i] = 1.0;
    return w;
}

/* The reproduction: X = {0, 1, 10, 11}, k = 2, seed 0. */
START_TEST(kmeanspp_first_center_ignores_null)
{
    const double X[] = {0, 1, 10, 11};
    double *w = ones(4);
    kmeans_t *a = mix_kmeans_create(2), *b = mix_kmeans_create(2);
    mix_kmeans_set_n_init(a, 1);
    mix_kmeans_set_n_init(b, 1);
    ck_assert_int_eq(mix_kmeans_fit(a, X, 4, 1, NULL), MIX_OK);
    ck_assert_int_eq(mix_kmeans_fit(b, X, 4, 1, w), MIX_OK);
    ck_assert(same(mix_kmeans_centers(a), mix_kmeans_centers(b), 2 * sizeof(double)));
    ck_assert(same(mix_kmeans_labels(a), mix_kmeans_labels(b), 4 * sizeof(int32_t)));
    mix_kmeans_free(a);
    mix_kmeans_free(b);
    free(w);
}
END_TEST

/* Data sets of the property test: small and larger, d = 1 and d > 1, with
 * and without Hamerly's bounds (k d >= 512 on the last). */
typedef struct shape {
    size_t n, d, k;
} shape;
static const shape shapes[] = {{4, 1, 2}, {300, 3, 4}, {2500, 8, 5}, {1200, 40, 16}};
#define N_SHAPES (sizeof shapes / sizeof shapes[0])

static void fit_kmeans_pair(const shape *s, const double *X, const double *w, mix_init init,
                            int given, int threads, uint64_t seed)
{
    kmeans_t *a = mix_kmeans_create(s->k), *b = mix_kmeans_create(s->k);
    kmeans_t *h[2] = {a, b};
    for (int q = 0; q < 2; q++) {
        mix_kmeans_set_init(h[q], init);
        mix_kmeans_set_n_init(h[q], 3);
        mix_kmeans_set_seed(h[q], seed);
        mix_kmeans_set_threads(h[q], threads);
        if (given)
            ck_assert_int_eq(mix_kmeans_set_init_centers(h[q], X, s->d), MIX_OK);
    }
    ck_assert_int_eq(mix_kmeans_fit(a, X, s->n, s->d, NULL), MIX_OK);
    ck_assert_int_eq(mix_kmeans_fit(b, X, s->n, s->d, w), MIX_OK);
    ck_assert_msg(same(mix_kmeans_centers(a), mix_kmeans_centers(b), s->k * s->d * sizeof(double)),
                  "K-means n=%zu d=%zu k=%zu init %d given %d threads %d: centers differ", s->n,
                  s->d, s->k, (int)init, given, threads);
    ck_assert(same(mix_kmeans_labels(a), mix_kmeans_labels(b), s->n * sizeof(int32_t)));
    double ia = mix_kmeans_inertia(a), ib = mix_kmeans_inertia(b);
    ck_assert(same(&ia, &ib, sizeof ia));
    ck_assert_int_eq(mix_kmeans_n_iter(a), mix_kmeans_n_iter(b));
    double sa, sb;
    ck_assert_int_eq(mix_kmeans_score_weighted(a, X, s->n, s->d, NULL, &sa), MIX_OK);
    ck_assert_int_eq(mix_kmeans_score_weighted(a, X, s->n, s->d, w, &sb), MIX_OK);
    ck_assert(same(&sa, &sb, sizeof sa));
    mix_kmeans_free(a);
    mix_kmeans_free(b);
}

START_TEST(kmeans_unit_weights_are_null)
{
    const shape *s = &shapes[_i];
    double *X = tu_blobs(s->n, s->d, s->k, 1.5, 11 + (uint64_t)_i), *w = ones(s->n);
    const mix_init inits[] = {MIX_INIT_KMEANSPP, MIX_INIT_RANDOM, MIX_INIT_RANDOM_FROM_DATA};
    for (size_t q = 0; q < 3; q++)
        for (int threads = 1; threads <= 2; threads++)
            for (uint64_t seed = 0; seed < 3; seed++)
                fit_kmeans_pair(s, X, w, inits[q], 0, threads, seed);
    fit_kmeans_pair(s, X, w, MIX_INIT_KMEANSPP, 1, 2, 0);
    free(X);
    free(w);
}
END_TEST

START_TEST(gmm_unit_weights_are_null)
{
    const shape *s = &shapes[_i % N_SHAPES];
    const mix_covariance type = (mix_covariance)(_i / N_SHAPES);
    if (s->d > 10 && type == MIX_COV_FULL)
        return; /* the d = 40 full fit adds time, not paths */
    double *X = tu_blobs(s->n, s->d, s->k, 1.5, 21 + (uint64_t)_i), *w = ones(s->n);
    const mix_init inits[] = {MIX_INIT_KMEANS, MIX_INIT_KMEANSPP, MIX_INIT_RANDOM,
                              MIX_INIT_RANDOM_FROM_DATA};
    for (size_t q = 0; q < 4; q++)
        for (uint64_t seed = 0; seed < 2; seed++) {
            gmm_t *a = mix_gmm_create(s->k, type), *b = mix_gmm_create(s->k, type);
            gmm_t *h[2] = {a, b};
            for (int r = 0; r < 2; r++) {
                mix_gmm_set_init(h[r], inits[q]);
                mix_gmm_set_n_init(h[r], 2);
                mix_gmm_set_seed(h[r], seed);
                mix_gmm_set_max_iter(h[r], 20);
                mix_gmm_set_reg_covar(h[r], 1e-3);
            }
            int ra = mix_gmm_fit(a, X, s->n, s->d, NULL), rb = mix_gmm_fit(b, X, s->n, s->d, w);
            ck_assert_int_eq(ra, rb);
            if (ra == MIX_OK) {
                const size_t k = s->k, d = s->d, cl = mix_gmm_covariances_size(a);
                ck_assert_msg(same(mix_gmm_means(a), mix_gmm_means(b), k * d * sizeof(double)),
                              "GMM type %d n=%zu init %d seed %d: means differ", (int)type, s->n,
                              (int)inits[q], (int)seed);
                ck_assert(same(mix_gmm_weights(a), mix_gmm_weights(b), k * sizeof(double)));
                ck_assert(same(mix_gmm_covariances(a), mix_gmm_covariances(b),
                               cl * sizeof(double)));
                double la = mix_gmm_lower_bound(a), lb = mix_gmm_lower_bound(b);
                ck_assert(same(&la, &lb, sizeof la));
                ck_assert_int_eq(mix_gmm_n_iter(a), mix_gmm_n_iter(b));
            }
            mix_gmm_free(a);
            mix_gmm_free(b);
        }
    free(X);
    free(w);
}
END_TEST

Suite *weights_suite(void)
{
    Suite *s = suite_create("weights");
    TCase *tc = tcase_create("unit_weights");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, kmeanspp_first_center_ignores_null);
    tcase_add_loop_test(tc, kmeans_unit_weights_are_null, 0, (int)N_SHAPES);
    tcase_add_loop_test(tc, gmm_unit_weights_are_null, 0, (int)(4 * N_SHAPES));
    suite_add_tcase(s, tc);
    return s;
}
