/*
 * Bad input to Gaussian mixtures, one test per case: the code, a message
 * naming the problem, no output written, and an earlier model unchanged.
 */
#include "testutil.h"

#define N 60
#define D 2
#define K 2

static double *X, *clean;
static gmm_t *g;
static double before_means[K * D], before_cov[K * D * D], before_lb;

static void setup(void)
{
    X = tu_blobs(N, D, K, 0.5, 17);
    clean = tu_blobs(N, D, K, 0.5, 17);
    g = mix_gmm_create(K, MIX_COV_FULL);
    ck_assert_int_eq(mix_gmm_fit(g, X, N, D, NULL), MIX_OK);
    memcpy(before_means, mix_gmm_means(g), sizeof before_means);
    memcpy(before_cov, mix_gmm_covariances(g), sizeof before_cov);
    before_lb = mix_gmm_lower_bound(g);
}

static void teardown(void)
{
    mix_gmm_free(g);
    free(X);
    free(clean);
}

static void assert_failed_unchanged(int rc, int code, const char *word)
{
    ck_assert_int_eq(rc, code);
    ck_assert_msg(strstr(mix_gmm_errmsg(g), word) != NULL, "message '%s' lacks '%s'",
                  mix_gmm_errmsg(g), word);
    ck_assert_mem_eq(mix_gmm_means(g), before_means, sizeof before_means);
    ck_assert_mem_eq(mix_gmm_covariances(g), before_cov, sizeof before_cov);
    ck_assert(mix_gmm_lower_bound(g) == before_lb);
    double score;
    ck_assert_int_eq(mix_gmm_score(g, clean, N, D, &score), MIX_OK);
}

START_TEST(create_rejects_bad_arguments)
{
    ck_assert_ptr_null(mix_gmm_create(0, MIX_COV_FULL));
    ck_assert_ptr_null(mix_gmm_create(3, (mix_covariance)4));
    ck_assert_ptr_null(mix_gmm_create(3, (mix_covariance)-1));
    ck_assert_ptr_null(mix_gmm_create(SIZE_MAX, MIX_COV_DIAG));
}
END_TEST

START_TEST(null_handle_everywhere)
{
    double out[4];
    int32_t lab[2];
    const double w[1] = {1};
    mix_gmm_free(NULL);
    ck_assert_int_eq(mix_gmm_set_init(NULL, MIX_INIT_KMEANS), MIX_EINVAL);
    ck_assert_int_eq(mix_gmm_set_params(NULL, 1, w, w, w), MIX_EINVAL);
    ck_assert_int_eq(mix_gmm_set_n_init(NULL, 1), MIX_EINVAL);
    ck_assert_int_eq(mix_gmm_set_max_iter(NULL, 1), MIX_EINVAL);
    ck_assert_int_eq(mix_gmm_set_tol(NULL, 1), MIX_EINVAL);
    ck_assert_int_eq(mix_gmm_set_reg_covar(NULL, 1), MIX_EINVAL);
    ck_assert_int_eq(mix_gmm_set_seed(NULL, 1), MIX_EINVAL);
    ck_assert_int_eq(mix_gmm_set_warm_start(NULL, 1), MIX_EINVAL);
    ck_assert_int_eq(mix_gmm_set_threads(NULL, 1), MIX_EINVAL);
    ck_assert_int_eq(mix_gmm_set_callback(NULL, NULL, NULL), MIX_EINVAL);
    ck_assert_int_eq(mix_gmm_fit(NULL, out, 2, 2, NULL), MIX_EINVAL);
    ck_assert_int_eq(mix_gmm_predict(NULL, out, 2, 2, lab), MIX_EINVAL);
    ck_assert_int_eq(mix_gmm_predict_proba(NULL, out, 2, 2, out), MIX_EINVAL);
    ck_assert_int_eq(mix_gmm_score_samples(NULL, out, 2, 2, out), MIX_EINVAL);
    ck_assert_int_eq(mix_gmm_score(NULL, out, 2, 2, out), MIX_EINVAL);
    ck_assert_int_eq(mix_gmm_loglik(NULL, out, 2, 2, out), MIX_EINVAL);
    ck_assert_int_eq(mix_gmm_bic(NULL, out, 2, 2, out), MIX_EINVAL);
    ck_assert_int_eq(mix_gmm_aic(NULL, out, 2, 2, out), MIX_EINVAL);
    ck_assert_int_eq(mix_gmm_sample(NULL, 2, 0, out, lab), MIX_EINVAL);
    ck_assert_ptr_null(mix_gmm_weights(NULL));
    ck_assert_ptr_null(mix_gmm_means(NULL));
    ck_assert_ptr_null(mix_gmm_covariances(NULL));
    ck_assert_ptr_null(mix_gmm_precisions_cholesky(NULL));
    ck_assert_uint_eq(mix_gmm_covariances_size(NULL), 0);
    ck_assert_int_eq(mix_gmm_converged(NULL), 0);
    ck_assert_int_eq(mix_gmm_n_iter(NULL), 0);
    ck_assert(isnan(mix_gmm_lower_bound(NULL)));
    ck_assert_uint_eq(mix_gmm_n_parameters(NULL), 0);
    ck_assert_uint_eq(mix_gmm_n_components(NULL), 0);
    ck_assert_uint_eq(mix_gmm_n_features(NULL), 0);
    ck_assert_int_eq(mix_gmm_covariance_type(NULL), MIX_EINVAL);
    ck_assert_int_eq(mix_gmm_is_fitted(NULL), 0);
    ck_assert_str_eq(mix_gmm_errmsg(NULL), "NULL handle");
}
END_TEST

START_TEST(setters_validate)
{
    ck_assert_int_eq(mix_gmm_set_n_init(g, 0), MIX_EINVAL);
    ck_assert_ptr_nonnull(strstr(mix_gmm_errmsg(g), "n_init"));
    ck_assert_int_eq(mix_gmm_set_max_iter(g, -1), MIX_EINVAL);
    ck_assert_int_eq(mix_gmm_set_max_iter(g, 0), MIX_OK);
    ck_assert_int_eq(mix_gmm_set_tol(g, -1), MIX_EINVAL);
    ck_assert_int_eq(mix_gmm_set_tol(g, NAN), MIX_EINVAL);
    ck_assert_int_eq(mix_gmm_set_reg_covar(g, -1e-9), MIX_EINVAL);
    ck_assert_ptr_nonnull(strstr(mix_gmm_errmsg(g), "reg_covar"));
    ck_assert_int_eq(mix_gmm_set_reg_covar(g, INFINITY), MIX_EINVAL);
    ck_assert_int_eq(mix_gmm_set_warm_start(g, 2), MIX_EINVAL);
    ck_assert_int_eq(mix_gmm_set_threads(g, -2), MIX_EINVAL);
    ck_assert_int_eq(mix_gmm_set_init(g, (mix_init)9), MIX_EINVAL);
}
END_TEST

START_TEST(fit_nan)
{
    X[11 * D + 1] = NAN;
    assert_failed_unchanged(mix_gmm_fit(g, X, N, D, NULL), MIX_EDATA, "X[11][1] is NaN");
}
END_TEST

START_TEST(fit_infinity)
{
    X[3] = INFINITY;
    assert_failed_unchanged(mix_gmm_fit(g, X, N, D, NULL), MIX_EDATA, "infinite");
}
END_TEST

START_TEST(fit_zero_sizes)
{
    assert_failed_unchanged(mix_gmm_fit(g, X, 0, D, NULL), MIX_EDIM, "n = 0");
    assert_failed_unchanged(mix_gmm_fit(g, X, N, 0, NULL), MIX_EDIM, "d = 0");
}
END_TEST

START_TEST(fit_fewer_rows_than_components)
{
    assert_failed_unchanged(mix_gmm_fit(g, X, 1, D, NULL), MIX_EDIM, "n_components");
}
END_TEST

START_TEST(fit_size_overflow)
{
    assert_failed_unchanged(mix_gmm_fit(g, X, SIZE_MAX / 2, 4, NULL), MIX_EDIM, "overflow");
}
END_TEST

START_TEST(fit_bad_weights)
{
    double w[N];
    for (int i = 0; i < N; i++)
        w[i] = 1;
    w[5] = -1;
    assert_failed_unchanged(mix_gmm_fit(g, X, N, D, w), MIX_EINVAL, "negative");
    w[5] = NAN;
    assert_failed_unchanged(mix_gmm_fit(g, X, N, D, w), MIX_EDATA, "sample_weight[5]");
    for (int i = 0; i < N; i++)
        w[i] = 0;
    assert_failed_unchanged(mix_gmm_fit(g, X, N, D, w), MIX_EINVAL, "zero");
}
END_TEST

START_TEST(fit_params_other_d)
{
    const double mu[K * 3] = {0};
    ck_assert_int_eq(mix_gmm_set_params(g, 3, NULL, mu, NULL), MIX_OK);
    assert_failed_unchanged(mix_gmm_fit(g, X, N, D, NULL), MIX_EDIM, "given parameters");
}
END_TEST

static int cancel_first(void *u, int run, int it, double obj, double change)
{
    (void)u;
    (void)run;
    (void)it;
    (void)obj;
    (void)change;
    return 1;
}

START_TEST(fit_canceled)
{
    mix_gmm_set_callback(g, cancel_first, NULL);
    assert_failed_unchanged(mix_gmm_fit(g, clean, N / 2, D, NULL), MIX_ECANCELED, "canceled");
}
END_TEST

START_TEST(set_params_validate)
{
    const double w_bad_sum[K] = {0.5, 0.6}, w_neg[K] = {1.5, -0.5}, w[K] = {0.5, 0.5};
    const double mu[K * D] = {0, 0, 1, 1}, mu_nan[K * D] = {0, NAN, 1, 1};
    const double asym[K * D * D] = {1, 0.5, 0, 1, 1, 0, 0, 1};
    const double not_pd[K * D * D] = {1, 2, 2, 1, 1, 0, 0, 1};
    ck_assert_int_eq(mix_gmm_set_params(g, D, w_bad_sum, NULL, NULL), MIX_EINVAL);
    ck_assert_ptr_nonnull(strstr(mix_gmm_errmsg(g), "sum"));
    ck_assert_int_eq(mix_gmm_set_params(g, D, w_neg, NULL, NULL), MIX_EINVAL);
    ck_assert_int_eq(mix_gmm_set_params(g, D, NULL, mu_nan, NULL), MIX_EDATA);
    ck_assert_int_eq(mix_gmm_set_params(g, D, NULL, NULL, asym), MIX_EINVAL);
    ck_assert_ptr_nonnull(strstr(mix_gmm_errmsg(g), "symmetric"));
    ck_assert_int_eq(mix_gmm_set_params(g, D, w, mu, not_pd), MIX_EINVAL);
    ck_assert_ptr_nonnull(strstr(mix_gmm_errmsg(g), "positive definite"));
    ck_assert_int_eq(mix_gmm_set_params(g, 0, w, NULL, NULL), MIX_EDIM);
    /* None of these changed the model. */
    ck_assert_mem_eq(mix_gmm_means(g), before_means, sizeof before_means);
    gmm_t *s = mix_gmm_create(2, MIX_COV_SPHERICAL);
    const double var_bad[2] = {1, 0};
    ck_assert_int_eq(mix_gmm_set_params(s, D, NULL, NULL, var_bad), MIX_EINVAL);
    ck_assert_ptr_nonnull(strstr(mix_gmm_errmsg(s), "positive"));
    mix_gmm_free(s);
}
END_TEST

/* Given covariances are checked alone as with the other arrays: symmetric
 * and positive definite (full, tied), positive (diag, spherical); the
 * message names the component and the defect, and nothing is kept. */
START_TEST(given_covariances_checked_alone)
{
    const double tied_indefinite[4] = {-1, 0, 0, 1};
    const double full_second_bad[8] = {2, 0.5, 0.5, 1, 1, 2, 2, 1};
    const double full_semidefinite[8] = {1, 0, 0, 1, 1, 1, 1, 1};
    const double diag_zero[4] = {1, 1, 0.5, 0};
    const double spherical_negative[2] = {1, -2};
    struct {
        mix_covariance type;
        const double *cov;
        const char *names;
    } cases[] = {
        {MIX_COV_TIED, tied_indefinite, "tied covariance"},
        {MIX_COV_FULL, full_second_bad, "component 1"},
        {MIX_COV_FULL, full_semidefinite, "component 1"},
        {MIX_COV_DIAG, diag_zero, "component 1"},
        {MIX_COV_SPHERICAL, spherical_negative, "component 1"},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        gmm_t *h = mix_gmm_create(2, cases[c].type);
        ck_assert_int_eq(mix_gmm_set_params(h, 2, NULL, NULL, cases[c].cov), MIX_EINVAL);
        const char *msg = mix_gmm_errmsg(h);
        ck_assert_msg(strstr(msg, cases[c].names) != NULL, "case %zu: %s", c, msg);
        ck_assert_msg(strstr(msg, "positive") != NULL, "case %zu: %s", c, msg);
        ck_assert_msg(strstr(msg, "reg_covar") == NULL, "case %zu: %s", c, msg);
        /* Nothing was kept: a fit starts from its own initialisation. */
        ck_assert_int_eq(mix_gmm_fit(h, clean, N, D, NULL), MIX_OK);
        mix_gmm_free(h);
    }
}
END_TEST

START_TEST(query_before_fit)
{
    gmm_t *fresh = mix_gmm_create(2, MIX_COV_DIAG);
    int32_t lab[N];
    double out[N * 2];
    ck_assert_int_eq(mix_gmm_predict(fresh, X, N, D, lab), MIX_ESTATE);
    ck_assert_ptr_nonnull(strstr(mix_gmm_errmsg(fresh), "not fitted"));
    ck_assert_int_eq(mix_gmm_sample(fresh, 3, 0, out, NULL), MIX_ESTATE);
    ck_assert_int_eq(mix_gmm_bic(fresh, X, N, D, out), MIX_ESTATE);
    mix_gmm_free(fresh);
}
END_TEST

START_TEST(query_other_d)
{
    double out[N];
    assert_failed_unchanged(mix_gmm_score_samples(g, X, N / 2, D + 2, out), MIX_EDIM,
                            "features");
}
END_TEST

START_TEST(query_nan_writes_nothing)
{
    double resp[N * K];
    for (int i = 0; i < N * K; i++)
        resp[i] = -1;
    X[(N - 1) * D] = NAN;
    assert_failed_unchanged(mix_gmm_predict_proba(g, X, N, D, resp), MIX_EDATA, "NaN");
    for (int i = 0; i < N * K; i++)
        ck_assert(resp[i] == -1);
}
END_TEST

START_TEST(query_far_away_rows)
{
    const double far[D] = {1e200, -1e200};
    double logp = 7;
    assert_failed_unchanged(mix_gmm_score_samples(g, far, 1, D, &logp), MIX_EDATA,
                            "representable");
    ck_assert(logp == 7);
}
END_TEST

START_TEST(query_null_output)
{
    assert_failed_unchanged(mix_gmm_predict(g, X, N, D, NULL), MIX_EINVAL, "labels");
    assert_failed_unchanged(mix_gmm_sample(g, 5, 0, NULL, NULL), MIX_EINVAL, "X_out");
    double out[2];
    assert_failed_unchanged(mix_gmm_sample(g, 0, 0, out, NULL), MIX_EDIM, "n = 0");
}
END_TEST

Suite *gmm_errors_suite(void)
{
    Suite *s = suite_create("gmm_errors");
    TCase *tc = tcase_create("bad_input");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, create_rejects_bad_arguments);
    tcase_add_test(tc, null_handle_everywhere);
    tcase_add_test(tc, setters_validate);
    tcase_add_test(tc, fit_nan);
    tcase_add_test(tc, fit_infinity);
    tcase_add_test(tc, fit_zero_sizes);
    tcase_add_test(tc, fit_fewer_rows_than_components);
    tcase_add_test(tc, fit_size_overflow);
    tcase_add_test(tc, fit_bad_weights);
    tcase_add_test(tc, fit_params_other_d);
    tcase_add_test(tc, fit_canceled);
    tcase_add_test(tc, set_params_validate);
    tcase_add_test(tc, given_covariances_checked_alone);
    tcase_add_test(tc, query_before_fit);
    tcase_add_test(tc, query_other_d);
    tcase_add_test(tc, query_nan_writes_nothing);
    tcase_add_test(tc, query_far_away_rows);
    tcase_add_test(tc, query_null_output);
    suite_add_tcase(s, tc);
    return s;
}
