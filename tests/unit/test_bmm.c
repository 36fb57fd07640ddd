/*
 * Bernoulli mixtures: stored references from an independent NumPy EM
 * (tests/ref/bmm_ref.h, tests/gen_bmm_reference.py; 1e-10 relative:
 * measured 2e-12 through ctypes), recovery of prototypes from sampled
 * data, the degenerate probabilities of alpha = 0, data checks, options,
 * thread-count independence.
 */
#include "testutil.h"

#include "ref/bmm_ref.h"

static bmm_t *fit_ref(double alpha)
{
    bmm_t *b = mix_bmm_create(BMM_K);
    ck_assert_int_eq(mix_bmm_set_params(b, BMM_D, bmm_w0, bmm_p0), MIX_OK);
    mix_bmm_set_alpha(b, alpha);
    mix_bmm_set_max_iter(b, BMM_ITERS);
    mix_bmm_set_tol(b, 0);
    ck_assert_int_eq(mix_bmm_fit(b, bmm_X, BMM_N, BMM_D, bmm_sw), MIX_OK);
    return b;
}

START_TEST(em_matches_numpy)
{
    bmm_t *b = fit_ref(0.5);
    ck_assert_int_eq(mix_bmm_n_iter(b), BMM_ITERS);
    ck_assert_double_le(tu_rel_diff(mix_bmm_weights(b), bmm_a05_weights, BMM_K), 1e-10);
    ck_assert_double_le(tu_rel_diff(mix_bmm_probs(b), bmm_a05_probs, BMM_K * BMM_D), 1e-10);
    ck_assert_double_le(fabs(mix_bmm_lower_bound(b) - bmm_a05_lower_bound) /
                            fabs(bmm_a05_lower_bound),
                        1e-10);
    double logp[BMM_N];
    ck_assert_int_eq(mix_bmm_score_samples(b, bmm_X, BMM_N, BMM_D, logp), MIX_OK);
    ck_assert_double_le(tu_rel_diff(logp, bmm_a05_logp, BMM_N), 1e-10);
    ck_assert_uint_eq(mix_bmm_n_parameters(b), BMM_K - 1 + BMM_K * BMM_D);
    mix_bmm_free(b);
    b = fit_ref(0.0);
    ck_assert_double_le(tu_rel_diff(mix_bmm_probs(b), bmm_a0_probs, BMM_K * BMM_D), 1e-10);
    ck_assert_double_le(fabs(mix_bmm_lower_bound(b) - bmm_a0_lower_bound) /
                            fabs(bmm_a0_lower_bound),
                        1e-10);
    mix_bmm_free(b);
}
END_TEST

/* Rows drawn from a known mixture (k = 3 prototypes of 40 bits with
 * probabilities 0.05 / 0.95): each init finds the prototypes again. */
START_TEST(recovers_prototypes)
{
    const size_t k = 3, d = 40, n = 3000;
    double w[3] = {0.5, 0.3, 0.2}, probs[120];
    uint64_t s = 17;
    for (size_t i = 0; i < k * d; i++)
        probs[i] = tu_uniform(&s) < 0.5 ? 0.05 : 0.95;
    bmm_t *truth = mix_bmm_create(k);
    ck_assert_int_eq(mix_bmm_set_params(truth, d, w, probs), MIX_OK);
    double *X = malloc(n * d * sizeof *X);
    ck_assert_int_eq(mix_bmm_sample(truth, n, 3, X, NULL), MIX_OK);
    for (size_t i = 0; i < n * d; i++)
        ck_assert(X[i] == 0 || X[i] == 1);
    const mix_init inits[] = {MIX_INIT_KMEANS, MIX_INIT_KMEANSPP, MIX_INIT_RANDOM_FROM_DATA};
    for (int q = 0; q < 3; q++) {
        bmm_t *b = mix_bmm_create(k);
        mix_bmm_set_init(b, inits[q]);
        mix_bmm_set_n_init(b, 3);
        ck_assert_int_eq(mix_bmm_fit(b, X, n, d, NULL), MIX_OK);
        /* each true component matched by a fitted one within 0.05 per bit */
        for (size_t j = 0; j < k; j++) {
            double best = INFINITY;
            for (size_t c = 0; c < k; c++) {
                double worst = 0;
                for (size_t t = 0; t < d; t++)
                    worst = fmax(worst, fabs(mix_bmm_probs(b)[c * d + t] - probs[j * d + t]));
                best = fmin(best, worst);
            }
            ck_assert_msg(best < 0.05, "init %d: component %zu off by %g", (int)inits[q], j, best);
        }
        mix_bmm_free(b);
    }
    free(X);
    mix_bmm_free(truth);
}
END_TEST

START_TEST(threads_do_not_change_results)
{
    const size_t k = 4, d = 30, n = 5000;
    double *X = malloc(n * d * sizeof *X), probs[2][120];
    uint64_t s = 3;
    for (size_t i = 0; i < n * d; i++)
        X[i] = tu_uniform(&s) < (double)((i / d) % 4 + 1) / 6.0 ? 1.0 : 0.0;
    for (int t = 0; t < 2; t++) {
        bmm_t *b = mix_bmm_create(k);
        mix_bmm_set_threads(b, t ? 3 : 1);
        mix_bmm_set_n_init(b, 2);
        ck_assert_int_eq(mix_bmm_fit(b, X, n, d, NULL), MIX_OK);
        memcpy(probs[t], mix_bmm_probs(b), sizeof probs[t]);
        mix_bmm_free(b);
    }
    ck_assert_mem_eq(probs[0], probs[1], sizeof probs[0]);
    free(X);
}
END_TEST

START_TEST(data_must_be_binary)
{
    bmm_t *b = mix_bmm_create(2);
    double X[] = {0, 1, 1, 0, 1, 1, 0, 0.5};
    ck_assert_int_eq(mix_bmm_fit(b, X, 4, 2, NULL), MIX_EDATA);
    ck_assert_ptr_nonnull(strstr(mix_bmm_errmsg(b), "X[3][1]"));
    X[7] = NAN;
    ck_assert_int_eq(mix_bmm_fit(b, X, 4, 2, NULL), MIX_EDATA);
    X[7] = 1;
    ck_assert_int_eq(mix_bmm_fit(b, X, 4, 2, NULL), MIX_OK);
    double Y[] = {1, 2}, lp;
    ck_assert_int_eq(mix_bmm_score_samples(b, Y, 1, 2, &lp), MIX_EDATA);
    ck_assert_ptr_nonnull(strstr(mix_bmm_errmsg(b), "X[0][1]"));
    mix_bmm_free(b);
}
END_TEST

START_TEST(params_and_options_validate)
{
    bmm_t *b = mix_bmm_create(2);
    const double w[] = {0.5, 0.5}, bad_w[] = {0.5, 0.6}, p[] = {0.1, 0.2, 0.3, 0.4};
    const double bad_p[] = {0.1, 1.2, 0.3, 0.4}, nan_p[] = {0.1, NAN, 0.3, 0.4};
    ck_assert_int_eq(mix_bmm_set_params(b, 2, bad_w, p), MIX_EINVAL);
    ck_assert_int_eq(mix_bmm_set_params(b, 2, w, bad_p), MIX_EINVAL);
    ck_assert_ptr_nonnull(strstr(mix_bmm_errmsg(b), "component 0"));
    ck_assert_int_eq(mix_bmm_set_params(b, 2, w, nan_p), MIX_EDATA);
    ck_assert_int_eq(mix_bmm_set_params(b, 0, w, p), MIX_EDIM);
    ck_assert_int_eq(mix_bmm_is_fitted(b), 0);
    ck_assert_int_eq(mix_bmm_set_params(b, 2, w, p), MIX_OK);
    ck_assert_int_eq(mix_bmm_is_fitted(b), 1); /* a usable model */
    ck_assert(isnan(mix_bmm_lower_bound(b)));
    double Y[] = {1, 0}, lp;
    ck_assert_int_eq(mix_bmm_score_samples(b, Y, 1, 2, &lp), MIX_OK);
    ck_assert_double_eq_tol(lp, log(0.5 * 0.1 * 0.8 + 0.5 * 0.3 * 0.6), 1e-15);
    ck_assert_int_eq(mix_bmm_set_alpha(b, -1), MIX_EINVAL);
    ck_assert_int_eq(mix_bmm_set_alpha(b, NAN), MIX_EINVAL);
    ck_assert_int_eq(mix_bmm_set_init(b, MIX_INIT_HIERARCHICAL), MIX_EINVAL);
    ck_assert_int_eq(mix_bmm_set_n_init(b, 0), MIX_EINVAL);
    ck_assert_int_eq(mix_bmm_set_threads(b, -1), MIX_EINVAL);
    ck_assert_ptr_null(mix_bmm_create(0));
    ck_assert_int_eq(mix_bmm_fit(NULL, Y, 1, 2, NULL), MIX_EINVAL);
    ck_assert_str_eq(mix_bmm_errmsg(NULL), "NULL handle");
    mix_bmm_free(NULL);
    mix_bmm_free(b);
}
END_TEST

/* alpha = 0 can give probabilities of exactly 0 or 1; a fit in which some
 * row becomes impossible under every component fails cleanly. */
START_TEST(alpha_zero_impossible_rows)
{
    const double X[] = {1, 0, 1, 0, 0, 1, 0, 1};
    bmm_t *b = mix_bmm_create(2);
    const double w[] = {0.5, 0.5}, p[] = {1, 0, 0, 1}; /* exactly the rows' patterns */
    mix_bmm_set_alpha(b, 0);
    ck_assert_int_eq(mix_bmm_set_params(b, 2, w, p), MIX_OK);
    double logp[4];
    const double Y[] = {1, 0, 0, 1, 1, 1, 0, 0};
    ck_assert_int_eq(mix_bmm_score_samples(b, Y, 4, 2, logp), MIX_OK);
    ck_assert_double_eq_tol(logp[0], log(0.5), 1e-15);
    ck_assert(logp[2] == -INFINITY && logp[3] == -INFINITY);
    double sum;
    ck_assert_int_eq(mix_bmm_loglik(b, Y, 4, 2, &sum), MIX_OK);
    ck_assert(sum == -INFINITY);
    ck_assert_int_eq(mix_bmm_fit(b, X, 4, 2, NULL), MIX_OK); /* every row possible */
    bmm_t *c = mix_bmm_create(2);
    mix_bmm_set_alpha(c, 0);
    ck_assert_int_eq(mix_bmm_set_params(c, 2, w, p), MIX_OK);
    int rc = mix_bmm_fit(c, Y, 4, 2, NULL); /* starts from p: rows 2 and 3 impossible */
    ck_assert_int_eq(rc, MIX_ENUMERIC);
    ck_assert_int_eq(mix_bmm_is_fitted(c), 1); /* the given model is kept */
    mix_bmm_free(b);
    mix_bmm_free(c);
}
END_TEST

Suite *bmm_suite(void)
{
    Suite *s = suite_create("bmm");
    TCase *tc = tcase_create("bernoulli");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, em_matches_numpy);
    tcase_add_test(tc, recovers_prototypes);
    tcase_add_test(tc, threads_do_not_change_results);
    tcase_add_test(tc, data_must_be_binary);
    tcase_add_test(tc, params_and_options_validate);
    tcase_add_test(tc, alpha_zero_impossible_rows);
    suite_add_tcase(s, tc);
    return s;
}
