/*
 * Bad input to K-means, one test per case. Each failing call must return
 * its code, leave a message naming the problem, write no output, and leave
 * an earlier fitted model exactly as it was.
 */
#include "testutil.h"

#define N 60
#define D 3
#define K 3

static double *X;     /* may be spoiled by a test */
static double *clean; /* a pristine copy */
static kmeans_t *km;

/* What the fitted model looked like before the bad call. */
typedef struct snapshot {
    double centers[K * D];
    int32_t labels[N];
    double inertia;
    int n_iter;
} snapshot;

static snapshot before;

static void setup(void)
{
    X = tu_blobs(N, D, K, 0.5, 7);
    clean = tu_blobs(N, D, K, 0.5, 7);
    km = mix_kmeans_create(K);
    ck_assert_int_eq(mix_kmeans_fit(km, X, N, D, NULL), MIX_OK);
    memcpy(before.centers, mix_kmeans_centers(km), sizeof before.centers);
    memcpy(before.labels, mix_kmeans_labels(km), sizeof before.labels);
    before.inertia = mix_kmeans_inertia(km);
    before.n_iter = mix_kmeans_n_iter(km);
}

static void teardown(void)
{
    mix_kmeans_free(km);
    free(X);
    free(clean);
}

/* The call failed with `code`, its message mentions `word`, and the model
 * is bit-for-bit what it was. */
static void assert_failed_unchanged(int rc, int code, const char *word)
{
    ck_assert_int_eq(rc, code);
    ck_assert_msg(strstr(mix_kmeans_errmsg(km), word) != NULL, "message '%s' lacks '%s'",
                  mix_kmeans_errmsg(km), word);
    ck_assert_int_eq(mix_kmeans_is_fitted(km), 1);
    ck_assert_mem_eq(mix_kmeans_centers(km), before.centers, sizeof before.centers);
    ck_assert_mem_eq(mix_kmeans_labels(km), before.labels, sizeof before.labels);
    ck_assert(mix_kmeans_inertia(km) == before.inertia);
    ck_assert_int_eq(mix_kmeans_n_iter(km), before.n_iter);
    int32_t lab[N];
    ck_assert_int_eq(mix_kmeans_predict(km, clean, N, D, lab), MIX_OK);
    ck_assert_mem_eq(lab, before.labels, sizeof lab);
}

START_TEST(fit_null_x)
{
    assert_failed_unchanged(mix_kmeans_fit(km, NULL, N, D, NULL), MIX_EINVAL, "NULL");
}
END_TEST

START_TEST(fit_zero_rows)
{
    assert_failed_unchanged(mix_kmeans_fit(km, X, 0, D, NULL), MIX_EDIM, "n = 0");
}
END_TEST

START_TEST(fit_zero_columns)
{
    assert_failed_unchanged(mix_kmeans_fit(km, X, N, 0, NULL), MIX_EDIM, "d = 0");
}
END_TEST

START_TEST(fit_fewer_rows_than_clusters)
{
    assert_failed_unchanged(mix_kmeans_fit(km, X, K - 1, D, NULL), MIX_EDIM, "n_clusters");
}
END_TEST

START_TEST(fit_size_overflow)
{
    assert_failed_unchanged(mix_kmeans_fit(km, X, SIZE_MAX / 4, 8, NULL), MIX_EDIM, "overflow");
}
END_TEST

START_TEST(fit_nan)
{
    X[17 * D + 2] = NAN;
    assert_failed_unchanged(mix_kmeans_fit(km, X, N, D, NULL), MIX_EDATA, "X[17][2] is NaN");
}
END_TEST

START_TEST(fit_infinity)
{
    X[5 * D] = -INFINITY;
    assert_failed_unchanged(mix_kmeans_fit(km, X, N, D, NULL), MIX_EDATA, "infinite");
}
END_TEST

START_TEST(fit_nan_weight)
{
    double w[N];
    for (int i = 0; i < N; i++)
        w[i] = 1;
    w[9] = NAN;
    assert_failed_unchanged(mix_kmeans_fit(km, X, N, D, w), MIX_EDATA, "sample_weight[9]");
}
END_TEST

START_TEST(fit_negative_weight)
{
    double w[N];
    for (int i = 0; i < N; i++)
        w[i] = 1;
    w[3] = -0.5;
    assert_failed_unchanged(mix_kmeans_fit(km, X, N, D, w), MIX_EINVAL, "negative");
}
END_TEST

START_TEST(fit_all_zero_weights)
{
    double w[N] = {0};
    assert_failed_unchanged(mix_kmeans_fit(km, X, N, D, w), MIX_EINVAL, "zero");
}
END_TEST

START_TEST(fit_too_few_positive_weights)
{
    double w[N] = {0};
    w[0] = w[1] = 1;
    assert_failed_unchanged(mix_kmeans_fit(km, X, N, D, w), MIX_EDIM, "positive weight");
}
END_TEST

/* Given centers replace the fitted model (they are a model of 2 features);
 * a fit on data of another width fails and keeps them. */
START_TEST(fit_init_centers_other_d)
{
    const double c[K * 2] = {0, 0, 1, 1, 2, 2};
    ck_assert_int_eq(mix_kmeans_set_init_centers(km, c, 2), MIX_OK);
    ck_assert_int_eq(mix_kmeans_fit(km, X, N, D, NULL), MIX_EDIM);
    ck_assert_ptr_nonnull(strstr(mix_kmeans_errmsg(km), "initial centers"));
    ck_assert_int_eq(mix_kmeans_is_fitted(km), 1);
    ck_assert_uint_eq(mix_kmeans_n_features(km), 2);
    ck_assert_mem_eq(mix_kmeans_centers(km), c, sizeof c);
    ck_assert_ptr_null(mix_kmeans_labels(km));
}
END_TEST

static int stop_at_two(void *user, int run, int it, double objective, double change)
{
    (void)run;
    (void)objective;
    (void)change;
    ++*(int *)user;
    return it >= 2;
}

START_TEST(fit_canceled_by_callback)
{
    int calls = 0;
    double *Y = tu_blobs(N, D, K, 3.0, 99); /* different data: a different model */
    ck_assert_int_eq(mix_kmeans_set_callback(km, stop_at_two, &calls), MIX_OK);
    assert_failed_unchanged(mix_kmeans_fit(km, Y, N, D, NULL), MIX_ECANCELED, "canceled");
    ck_assert_int_eq(calls, 2);
    free(Y);
}
END_TEST

/* --- questions with bad input --------------------------------------------- */

START_TEST(predict_before_fit)
{
    kmeans_t *fresh = mix_kmeans_create(2);
    int32_t lab[N];
    double out[N * 2], score = 7;
    ck_assert_int_eq(mix_kmeans_predict(fresh, X, N, D, lab), MIX_ESTATE);
    ck_assert_ptr_nonnull(strstr(mix_kmeans_errmsg(fresh), "not fitted"));
    ck_assert_int_eq(mix_kmeans_transform(fresh, X, N, D, out), MIX_ESTATE);
    ck_assert_int_eq(mix_kmeans_score(fresh, X, N, D, &score), MIX_ESTATE);
    ck_assert(score == 7);
    mix_kmeans_free(fresh);
}
END_TEST

START_TEST(predict_other_d)
{
    int32_t lab[N];
    assert_failed_unchanged(mix_kmeans_predict(km, X, N / 2, D - 1, lab), MIX_EDIM,
                            "features");
}
END_TEST

START_TEST(predict_nan_writes_nothing)
{
    int32_t lab[N];
    for (int i = 0; i < N; i++)
        lab[i] = -7;
    X[(N - 1) * D] = NAN; /* the last row: earlier rows must not be written */
    assert_failed_unchanged(mix_kmeans_predict(km, X, N, D, lab), MIX_EDATA, "NaN");
    for (int i = 0; i < N; i++)
        ck_assert_int_eq(lab[i], -7);
}
END_TEST

START_TEST(predict_null_output)
{
    assert_failed_unchanged(mix_kmeans_predict(km, X, N, D, NULL), MIX_EINVAL, "labels");
}
END_TEST

START_TEST(predict_zero_rows)
{
    int32_t lab[1];
    assert_failed_unchanged(mix_kmeans_predict(km, X, 0, D, lab), MIX_EDIM, "n = 0");
}
END_TEST

START_TEST(transform_null_x)
{
    double out[N * K];
    assert_failed_unchanged(mix_kmeans_transform(km, NULL, N, D, out), MIX_EINVAL, "NULL");
}
END_TEST

START_TEST(transform_far_away_data)
{
    /* Distances would overflow a double: an error, not infinities. */
    double far[D] = {1e200, -1e200, 1e200}, out[K];
    for (int j = 0; j < K; j++)
        out[j] = 5;
    assert_failed_unchanged(mix_kmeans_transform(km, far, 1, D, out), MIX_EDATA, "overflow");
    for (int j = 0; j < K; j++)
        ck_assert(out[j] == 5);
}
END_TEST

START_TEST(score_negative_weight)
{
    double w[N], score = 3;
    for (int i = 0; i < N; i++)
        w[i] = 1;
    w[N - 1] = -1;
    assert_failed_unchanged(mix_kmeans_score_weighted(km, X, N, D, w, &score), MIX_EINVAL,
                            "negative");
    ck_assert(score == 3);
}
END_TEST

START_TEST(score_null_output)
{
    assert_failed_unchanged(mix_kmeans_score(km, X, N, D, NULL), MIX_EINVAL, "score");
}
END_TEST

Suite *kmeans_errors_suite(void)
{
    Suite *s = suite_create("kmeans_errors");
    TCase *tc = tcase_create("bad_input");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, fit_null_x);
    tcase_add_test(tc, fit_zero_rows);
    tcase_add_test(tc, fit_zero_columns);
    tcase_add_test(tc, fit_fewer_rows_than_clusters);
    tcase_add_test(tc, fit_size_overflow);
    tcase_add_test(tc, fit_nan);
    tcase_add_test(tc, fit_infinity);
    tcase_add_test(tc, fit_nan_weight);
    tcase_add_test(tc, fit_negative_weight);
    tcase_add_test(tc, fit_all_zero_weights);
    tcase_add_test(tc, fit_too_few_positive_weights);
    tcase_add_test(tc, fit_init_centers_other_d);
    tcase_add_test(tc, fit_canceled_by_callback);
    tcase_add_test(tc, predict_before_fit);
    tcase_add_test(tc, predict_other_d);
    tcase_add_test(tc, predict_nan_writes_nothing);
    tcase_add_test(tc, predict_null_output);
    tcase_add_test(tc, predict_zero_rows);
    tcase_add_test(tc, transform_null_x);
    tcase_add_test(tc, transform_far_away_data);
    tcase_add_test(tc, score_negative_weight);
    tcase_add_test(tc, score_null_output);
    suite_add_tcase(s, tc);
    return s;
}
