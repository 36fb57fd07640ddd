/*
 * Stepwise EM (mix_gmm_partial_fit): on 1,000,000 rows from a known
 * 8-component mixture read once in chunks of 1,000, the final mean
 * log-likelihood is within 0.01 nats of the batch EM fit's (converged to
 * tol 1e-7); the statistics a model implies give the model back (a step of
 * weight ~0 changes nothing); the first call is a fit of its chunk; errors.
 */
#include "testutil.h"

#include <stdio.h>

/* n rows of the mixture: 8 components on a circle of radius R, unequal
 * weights, correlated covariances. */
static double *eight(size_t n, double R, uint64_t seed)
{
    double *X = malloc(n * 2 * sizeof *X);
    for (size_t i = 0; i < n; i++) {
        double u = tu_uniform(&seed);
        size_t j = (size_t)(u * u * 8);
        j = j > 7 ? 7 : j;
        double a = 0.785398163 * (double)j, z0 = tu_normal(&seed), z1 = tu_normal(&seed);
        X[2 * i] = R * cos(a) + (0.5 + 0.1 * (double)j) * z0;
        X[2 * i + 1] = R * sin(a) + 0.3 * ((double)(j % 3) - 1.0) * z0 +
                       (0.6 - 0.04 * (double)j) * z1;
    }
    return X;
}

START_TEST(stream_of_a_million_rows_reaches_batch)
{
    const mix_covariance type = _i == 0 ? MIX_COV_FULL : MIX_COV_DIAG;
    const size_t n = 1000000, d = 2, k = 8, chunk = 1000;
    double *X = eight(n, 3.0, 99);
    gmm_t *batch = mix_gmm_create(k, type), *online = mix_gmm_create(k, type);
    mix_gmm_set_tol(batch, 1e-7);
    mix_gmm_set_max_iter(batch, 1000);
    /* The first chunk's fit picks the basin: 1,000 rows in which the
     * smallest components have some 60 rows need restarts, as any fit of so
     * small a sample would (with n_init = 1 the full model keeps two
     * components on one cluster and ends 0.023 nats below). */
    mix_gmm_set_n_init(online, 10);
    ck_assert_int_eq(mix_gmm_fit(batch, X, n, d, NULL), MIX_OK);
    for (size_t i = 0; i < n; i += chunk)
        ck_assert_msg(mix_gmm_partial_fit(online, X + i * d, chunk, d, NULL) == MIX_OK, "%s",
                      mix_gmm_errmsg(online));
    double lb, lo;
    ck_assert_int_eq(mix_gmm_score(batch, X, n, d, &lb), MIX_OK);
    ck_assert_int_eq(mix_gmm_score(online, X, n, d, &lo), MIX_OK);
    printf("stepwise EM, %s: batch %.6f, online %.6f, difference %.2e nats\n",
           type == MIX_COV_FULL ? "full" : "diag", lb, lo, lb - lo);
    ck_assert_double_le(fabs(lb - lo), 0.01);
    mix_gmm_free(batch);
    mix_gmm_free(online);
    free(X);
}
END_TEST

/* A step of weight ~0 (t0 huge) leaves the model as it was: the
 * statistics made from the model give it back through the M-step, for
 * every covariance type and with or without weights. */
START_TEST(implied_statistics_give_the_model_back)
{
    const mix_covariance type = (mix_covariance)(_i % 4);
    const size_t n = 4000, d = 3, k = 3;
    double *X = tu_blobs(n, d, k, 1.0, 31);
    gmm_t *g = mix_gmm_create(k, type);
    ck_assert_int_eq(mix_gmm_fit(g, X, 3000, d, NULL), MIX_OK);
    const size_t cl = mix_gmm_covariances_size(g);
    double mu[9], w[3], *cov = malloc(cl * sizeof *cov);
    memcpy(mu, mix_gmm_means(g), sizeof mu);
    memcpy(w, mix_gmm_weights(g), sizeof w);
    memcpy(cov, mix_gmm_covariances(g), cl * sizeof *cov);
    ck_assert_int_eq(mix_gmm_set_online(g, 1.0, 1e12), MIX_OK);
    double sw[1000];
    for (size_t i = 0; i < 1000; i++)
        sw[i] = 0.5 + (double)(i % 7);
    ck_assert_int_eq(mix_gmm_partial_fit(g, X + 3000 * d, 1000, d, _i >= 4 ? sw : NULL), MIX_OK);
    ck_assert_double_le(tu_rel_diff(mix_gmm_means(g), mu, k * d), 1e-9);
    ck_assert_double_le(tu_rel_diff(mix_gmm_weights(g), w, k), 1e-9);
    ck_assert_double_le(tu_rel_diff(mix_gmm_covariances(g), cov, cl), 1e-9);
    ck_assert_int_eq(mix_gmm_converged(g), 0);
    /* the lower bound is the chunk's mean log-likelihood before the step */
    gmm_t *ref = mix_gmm_create(k, type);
    mix_gmm_set_params(ref, d, w, mu, cov);
    double want;
    ck_assert_int_eq(mix_gmm_score(ref, X + 3000 * d, 1000, d, &want), MIX_OK);
    if (_i < 4)
        ck_assert_double_le(fabs(mix_gmm_lower_bound(g) - want), 1e-9 * fabs(want));
    mix_gmm_free(ref);
    mix_gmm_free(g);
    free(cov);
    free(X);
}
END_TEST

/* The first call fits its chunk exactly as mix_gmm_fit does. */
START_TEST(first_call_is_a_fit)
{
    const size_t n = 800, d = 2, k = 3;
    double *X = tu_blobs(n, d, k, 1.0, 4);
    gmm_t *a = mix_gmm_create(k, MIX_COV_FULL), *b = mix_gmm_create(k, MIX_COV_FULL);
    ck_assert_int_eq(mix_gmm_fit(a, X, n, d, NULL), MIX_OK);
    ck_assert_int_eq(mix_gmm_partial_fit(b, X, n, d, NULL), MIX_OK);
    ck_assert(memcmp(mix_gmm_means(a), mix_gmm_means(b), k * d * sizeof(double)) == 0);
    ck_assert_int_eq(mix_gmm_n_iter(a), mix_gmm_n_iter(b));
    /* then a step counts one more */
    ck_assert_int_eq(mix_gmm_partial_fit(b, X, 100, d, NULL), MIX_OK);
    ck_assert_int_eq(mix_gmm_n_iter(b), mix_gmm_n_iter(a) + 1);
    mix_gmm_free(a);
    mix_gmm_free(b);
    free(X);
}
END_TEST

START_TEST(partial_fit_errors)
{
    const size_t n = 600, d = 2, k = 3;
    double *X = tu_blobs(n, d, k, 1.0, 6);
    gmm_t *g = mix_gmm_create(k, MIX_COV_TIED);
    ck_assert_int_eq(mix_gmm_partial_fit(g, X, 2, d, NULL), MIX_EDIM); /* first: n < k */
    ck_assert_int_eq(mix_gmm_partial_fit(g, X, n, d, NULL), MIX_OK);
    double before[6];
    memcpy(before, mix_gmm_means(g), sizeof before);
    ck_assert_int_eq(mix_gmm_partial_fit(g, X, n / 2, 1, NULL), MIX_EDIM);
    ck_assert_str_eq(mix_gmm_errmsg(g), "X has 1 features but the model has 2");
    X[7] = NAN;
    ck_assert_int_eq(mix_gmm_partial_fit(g, X, 10, d, NULL), MIX_EDATA);
    X[7] = 0;
    double zero[10] = {0};
    ck_assert_int_eq(mix_gmm_partial_fit(g, X, 10, d, zero), MIX_EINVAL);
    ck_assert_int_eq(mix_gmm_partial_fit(g, NULL, 10, d, NULL), MIX_EINVAL);
    ck_assert_int_eq(mix_gmm_partial_fit(NULL, X, 10, d, NULL), MIX_EINVAL);
    ck_assert(memcmp(before, mix_gmm_means(g), sizeof before) == 0);
    ck_assert_int_eq(mix_gmm_set_online(g, 0.5, 1), MIX_EINVAL);
    ck_assert_int_eq(mix_gmm_set_online(g, 1.01, 1), MIX_EINVAL);
    ck_assert_int_eq(mix_gmm_set_online(g, 0.7, -1), MIX_EINVAL);
    ck_assert_int_eq(mix_gmm_set_online(g, 0.7, INFINITY), MIX_EINVAL);
    ck_assert_int_eq(mix_gmm_set_online(NULL, 0.7, 1), MIX_EINVAL);
    ck_assert_int_eq(mix_gmm_set_online(g, 1.0, 0), MIX_OK);
    mix_gmm_free(g);
    free(X);
}
END_TEST

static int no_reduce(void *user, double *buf, size_t len)
{
    (void)user, (void)buf, (void)len;
    return 0;
}

START_TEST(kmeans_partial_fit_errors)
{
    const size_t n = 300, d = 2, k = 3;
    double *X = tu_blobs(n, d, k, 1.0, 8);
    kmeans_t *km = mix_kmeans_create(k);
    ck_assert_int_eq(mix_kmeans_partial_fit(km, X, 2, d, NULL), MIX_EDIM);
    ck_assert_int_eq(mix_kmeans_is_fitted(km), 0);
    ck_assert_int_eq(mix_kmeans_partial_fit(km, X, 100, d, NULL), MIX_OK);
    ck_assert_int_eq(mix_kmeans_n_iter(km), 1);
    ck_assert_uint_eq(mix_kmeans_n_samples(km), 100);
    double before[6];
    memcpy(before, mix_kmeans_centers(km), sizeof before);
    ck_assert_int_eq(mix_kmeans_partial_fit(km, X, 10, 3, NULL), MIX_EDIM);
    X[3] = INFINITY;
    ck_assert_int_eq(mix_kmeans_partial_fit(km, X, 10, d, NULL), MIX_EDATA);
    X[3] = 0;
    double w[2] = {1, -1};
    ck_assert_int_eq(mix_kmeans_partial_fit(km, X, 2, d, w), MIX_EINVAL);
    ck_assert_int_eq(mix_kmeans_set_distributed(km, 0, 2, no_reduce, NULL), MIX_OK);
    ck_assert_int_eq(mix_kmeans_partial_fit(km, X, 10, d, NULL), MIX_EINVAL);
    ck_assert(memcmp(before, mix_kmeans_centers(km), sizeof before) == 0);
    /* a chunk of zero weight moves nothing, but its labels are new */
    mix_kmeans_set_distributed(km, 0, 1, NULL, NULL);
    double zeros[5] = {0};
    ck_assert_int_eq(mix_kmeans_partial_fit(km, X + 200 * d, 5, d, zeros), MIX_OK);
    ck_assert(memcmp(before, mix_kmeans_centers(km), sizeof before) == 0);
    ck_assert_uint_eq(mix_kmeans_n_samples(km), 5);
    mix_kmeans_free(km);
    free(X);
}
END_TEST

Suite *online_suite(void)
{
    Suite *s = suite_create("online");
    TCase *tc = tcase_create("stepwise_em");
    tcase_set_timeout(tc, 600);
    TCase *slow = tcase_create("million_rows"); /* not under valgrind */
    tcase_set_tags(slow, "slow");
    tcase_set_timeout(slow, 600);
    tcase_add_loop_test(slow, stream_of_a_million_rows_reaches_batch, 0, 2);
    suite_add_tcase(s, slow);
    tcase_add_loop_test(tc, implied_statistics_give_the_model_back, 0, 8);
    tcase_add_test(tc, first_call_is_a_fit);
    tcase_add_test(tc, partial_fit_errors);
    tcase_add_test(tc, kmeans_partial_fit_errors);
    suite_add_tcase(s, tc);
    return s;
}
