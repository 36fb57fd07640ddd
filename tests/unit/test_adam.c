/*
 * Gradient fitting and the likelihood's gradient: stored PyTorch references
 * (tests/ref/adam_ref.h from tests/gen_adam_reference.py), a finite
 * difference check that needs no Python, theta, and the behaviour of Adam
 * fits (threads, mini-batches, epochs, divergence, K-means). Tolerances:
 * 1e-10 relative for the gradient (autograd and the library sum in other
 * orders; measured 2e-14), 1e-8 after 20 Adam epochs (measured 2e-15).
 */
#include "testutil.h"

#include "ref/adam_ref.h"

static const mix_covariance types[] = {MIX_COV_FULL, MIX_COV_TIED, MIX_COV_DIAG,
                                       MIX_COV_SPHERICAL};
static const double *ref_theta[] = {adam_full_theta, adam_tied_theta, adam_diag_theta,
                                    adam_spherical_theta};
static const double *ref_grad[] = {adam_full_grad, adam_tied_grad, adam_diag_grad,
                                   adam_spherical_grad};
static const double ref_nll[] = {adam_full_nll, adam_tied_nll, adam_diag_nll,
                                 adam_spherical_nll};
static const double *ref_after[] = {adam_full_theta_after, adam_tied_theta_after,
                                    adam_diag_theta_after, adam_spherical_theta_after};
static const double *ref_losses[] = {adam_full_losses, adam_tied_losses, adam_diag_losses,
                                     adam_spherical_losses};

START_TEST(theta_sizes)
{
    const size_t d = 5, k = 3;
    const size_t expect[] = {k + k * d + k * d * (d + 1) / 2, k + k * d + d * (d + 1) / 2,
                             k + k * d + k * d, k + k * d + k};
    for (int t = 0; t < 4; t++) {
        gmm_t *g = mix_gmm_create(k, types[t]);
        ck_assert_uint_eq(mix_gmm_theta_size(g, d), expect[t]);
        ck_assert_uint_eq(mix_gmm_theta_size(g, 0), 0);
        ck_assert_uint_eq(mix_gmm_theta_size(g, SIZE_MAX / 2), 0);
        mix_gmm_free(g);
    }
    ck_assert_uint_eq(mix_gmm_theta_size(NULL, d), 0);
}
END_TEST

START_TEST(gradient_matches_torch)
{
    const int t = _i;
    gmm_t *g = mix_gmm_create(ADAM_K, types[t]);
    const size_t len = mix_gmm_theta_size(g, ADAM_D);
    double nll = 0, *grad = malloc(len * sizeof *grad);
    ck_assert_int_eq(mix_gmm_nll_grad(g, adam_X, ADAM_N, ADAM_D, adam_w, ref_theta[t], &nll, grad),
                     MIX_OK);
    ck_assert_double_le(fabs(nll - ref_nll[t]) / fabs(ref_nll[t]), 1e-10);
    ck_assert_double_le(tu_rel_diff(grad, ref_grad[t], len), 1e-10);
    double only = 0;
    ck_assert_int_eq(mix_gmm_nll_grad(g, adam_X, ADAM_N, ADAM_D, adam_w, ref_theta[t], &only, NULL),
                     MIX_OK);
    ck_assert(only == nll);
    ck_assert_int_eq(mix_gmm_is_fitted(g), 0); /* the handle is not touched */
    free(grad);
    mix_gmm_free(g);
}
END_TEST

/* Central differences, step 1e-5 relative: O(h^2) truncation, well under
 * the 1e-5 tolerance on these smooth functions. */
START_TEST(gradient_matches_finite_differences)
{
    const int t = _i % 4;
    const int weighted = _i / 4;
    const size_t n = 60, d = 3, k = 3;
    double *X = tu_blobs(n, d, k, 1.2, 33), w[60];
    uint64_t s = 5;
    for (size_t i = 0; i < n; i++)
        w[i] = 0.3 + 2 * tu_uniform(&s);
    gmm_t *g = mix_gmm_create(k, types[t]);
    mix_gmm_set_max_iter(g, 3);
    ck_assert_int_eq(mix_gmm_fit(g, X, n, d, NULL), MIX_OK);
    const size_t len = mix_gmm_theta_size(g, d);
    double *theta = malloc(len * sizeof *theta), *grad = malloc(len * sizeof *grad);
    ck_assert_int_eq(mix_gmm_get_theta(g, theta), MIX_OK);
    for (size_t i = 0; i < len; i++) /* off the optimum, so that the gradient is large */
        theta[i] += 0.05 * (tu_uniform(&s) - 0.5);
    double nll;
    const double *wp = weighted ? w : NULL;
    ck_assert_int_eq(mix_gmm_nll_grad(g, X, n, d, wp, theta, &nll, grad), MIX_OK);
    double scale = 0;
    for (size_t i = 0; i < len; i++)
        scale = fmax(scale, fabs(grad[i]));
    for (size_t i = 0; i < len; i++) {
        const double h = 1e-5 * fmax(1.0, fabs(theta[i])), keep = theta[i];
        double up, down;
        theta[i] = keep + h;
        ck_assert_int_eq(mix_gmm_nll_grad(g, X, n, d, wp, theta, &up, NULL), MIX_OK);
        theta[i] = keep - h;
        ck_assert_int_eq(mix_gmm_nll_grad(g, X, n, d, wp, theta, &down, NULL), MIX_OK);
        theta[i] = keep;
        const double fd = (up - down) / (2 * h);
        ck_assert_msg(fabs(fd - grad[i]) <= 1e-5 * scale, "type %d theta[%zu]: %g vs %g", t, i,
                      grad[i], fd);
    }
    free(theta);
    free(grad);
    free(X);
    mix_gmm_free(g);
}
END_TEST

static int record(void *user, int run, int it, double objective, double change)
{
    (void)run;
    (void)change;
    ((double *)user)[it - 1] = objective;
    return 0;
}

START_TEST(adam_trajectory_matches_torch)
{
    const int t = _i;
    gmm_t *g = mix_gmm_create(ADAM_K, types[t]);
    const size_t len = mix_gmm_theta_size(g, ADAM_D);
    ck_assert_int_eq(mix_gmm_set_theta(g, ADAM_D, ref_theta[t]), MIX_OK);
    mix_gmm_set_method(g, MIX_METHOD_ADAM);
    mix_gmm_set_max_iter(g, ADAM_EPOCHS);
    mix_gmm_set_tol(g, 0);
    double objs[ADAM_EPOCHS];
    mix_gmm_set_callback(g, record, objs);
    ck_assert_int_eq(mix_gmm_fit(g, adam_X, ADAM_N, ADAM_D, NULL), MIX_OK);
    ck_assert_int_eq(mix_gmm_n_iter(g), ADAM_EPOCHS);
    ck_assert_int_eq(mix_gmm_converged(g), 0);
    double *theta = malloc(len * sizeof *theta);
    ck_assert_int_eq(mix_gmm_get_theta(g, theta), MIX_OK);
    /* The logits differ by a constant (get_theta gives log weights): compare
     * the means and factors, and the weights. */
    ck_assert_double_le(tu_rel_diff(theta + ADAM_K, ref_after[t] + ADAM_K, len - ADAM_K), 1e-8);
    double lse = -INFINITY;
    for (int j = 0; j < ADAM_K; j++)
        lse = fmax(lse, ref_after[t][j]);
    double sum = 0;
    for (int j = 0; j < ADAM_K; j++)
        sum += exp(ref_after[t][j] - lse);
    for (int j = 0; j < ADAM_K; j++)
        ck_assert_double_eq_tol(mix_gmm_weights(g)[j], exp(ref_after[t][j] - lse) / sum, 1e-10);
    for (int e = 0; e < ADAM_EPOCHS; e++)
        ck_assert_double_le(fabs(objs[e] + ref_losses[t][e] / ADAM_N) / fabs(objs[e]), 1e-8);
    /* The lower bound is the returned model's mean log-likelihood. */
    double score;
    ck_assert_int_eq(mix_gmm_score(g, adam_X, ADAM_N, ADAM_D, &score), MIX_OK);
    ck_assert_double_le(fabs(mix_gmm_lower_bound(g) - score) / fabs(score), 1e-12);
    free(theta);
    mix_gmm_free(g);
}
END_TEST

START_TEST(kmeans_adam_matches_torch)
{
    kmeans_t *km = mix_kmeans_create(ADAM_K);
    ck_assert_int_eq(mix_kmeans_set_init_centers(km, adam_km_init, ADAM_D), MIX_OK);
    mix_kmeans_set_method(km, MIX_METHOD_ADAM);
    mix_kmeans_set_max_iter(km, ADAM_EPOCHS);
    mix_kmeans_set_tol(km, 0);
    double objs[ADAM_EPOCHS];
    mix_kmeans_set_callback(km, record, objs);
    ck_assert_int_eq(mix_kmeans_fit(km, adam_X, ADAM_N, ADAM_D, adam_w), MIX_OK);
    ck_assert_int_eq(mix_kmeans_n_iter(km), ADAM_EPOCHS);
    ck_assert_double_le(tu_rel_diff(mix_kmeans_centers(km), adam_km_after, ADAM_K * ADAM_D),
                        1e-8);
    for (int e = 0; e < ADAM_EPOCHS; e++)
        ck_assert_double_le(fabs(objs[e] - adam_km_losses[e]) / adam_km_losses[e], 1e-8);
    /* Labels and inertia refer to the final centers. */
    int32_t lab[ADAM_N];
    double score;
    ck_assert_int_eq(mix_kmeans_predict(km, adam_X, ADAM_N, ADAM_D, lab), MIX_OK);
    ck_assert_mem_eq(lab, mix_kmeans_labels(km), sizeof lab);
    ck_assert_int_eq(mix_kmeans_score_weighted(km, adam_X, ADAM_N, ADAM_D, adam_w, &score),
                     MIX_OK);
    ck_assert_double_le(fabs(mix_kmeans_inertia(km) + score) / -score, 1e-12);
    mix_kmeans_free(km);
}
END_TEST

/* Same seed, any thread count: the same fit bit for bit, full batch and
 * mini-batches, every init; a different seed shuffles differently. */
START_TEST(adam_threads_and_batches)
{
    const int t = _i % 4;
    const size_t batch = _i / 4 ? 97 : 0;
    const size_t n = 3000, d = 4, k = 3;
    double *X = tu_blobs(n, d, k, 1.0, 8);
    double means[3][12];
    for (int r = 0; r < 3; r++) {
        gmm_t *g = mix_gmm_create(k, types[t]);
        mix_gmm_set_method(g, MIX_METHOD_ADAM);
        mix_gmm_set_batch_size(g, batch);
        mix_gmm_set_max_iter(g, 8);
        mix_gmm_set_n_init(g, 2);
        mix_gmm_set_threads(g, r == 0 ? 1 : 3);
        mix_gmm_set_seed(g, r == 2 ? 9 : 4);
        ck_assert_int_eq(mix_gmm_fit(g, X, n, d, NULL), MIX_OK);
        memcpy(means[r], mix_gmm_means(g), sizeof means[r]);
        mix_gmm_free(g);
    }
    ck_assert_mem_eq(means[0], means[1], sizeof means[0]);
    if (batch) /* other seed: other K-means start and other shuffles */
        ck_assert(memcmp(means[0], means[2], sizeof means[0]) != 0);
    free(X);
}
END_TEST

/* The objective of a mini-batch epoch is the mean of its batches' mean
 * log-likelihoods; a batch of n rows is one shuffled batch, the same
 * objective as the full batch up to the order of the sums. */
START_TEST(adam_batch_of_all_rows)
{
    const size_t n = 500, d = 2, k = 2;
    double *X = tu_blobs(n, d, k, 1.0, 12), full[5], one[5];
    for (int b = 0; b < 2; b++) {
        gmm_t *g = mix_gmm_create(k, MIX_COV_DIAG);
        mix_gmm_set_method(g, MIX_METHOD_ADAM);
        mix_gmm_set_batch_size(g, b ? n + 10 : 0);
        mix_gmm_set_max_iter(g, 5);
        mix_gmm_set_tol(g, 0);
        mix_gmm_set_callback(g, record, b ? one : full);
        ck_assert_int_eq(mix_gmm_fit(g, X, n, d, NULL), MIX_OK);
        mix_gmm_free(g);
    }
    for (int e = 0; e < 5; e++)
        ck_assert_double_le(fabs(full[e] - one[e]) / fabs(full[e]), 1e-12);
    free(X);
}
END_TEST

/* A learning rate far too large: MIX_ENUMERIC naming the remedy, and the
 * previous model is kept; never NaN. */
START_TEST(adam_divergence_keeps_model)
{
    const size_t n = 200, d = 2, k = 2;
    double *X = tu_blobs(n, d, k, 1.0, 14);
    for (int t = 0; t < 4; t++) {
        gmm_t *g = mix_gmm_create(k, types[t]);
        ck_assert_int_eq(mix_gmm_fit(g, X, n, d, NULL), MIX_OK);
        double before[4];
        memcpy(before, mix_gmm_means(g), sizeof before);
        mix_gmm_set_method(g, MIX_METHOD_ADAM);
        mix_gmm_set_adam(g, 1e6, 0.9, 0.99, 1e-5);
        mix_gmm_set_max_iter(g, 200);
        int rc = mix_gmm_fit(g, X, n, d, NULL);
        ck_assert_int_eq(rc, MIX_ENUMERIC);
        ck_assert_ptr_nonnull(strstr(mix_gmm_errmsg(g), "learning rate"));
        ck_assert_mem_eq(mix_gmm_means(g), before, sizeof before);
        mix_gmm_free(g);
    }
    free(X);
}
END_TEST

/* tol > 0 stops when the epoch objective changes by less than tol; warm
 * start continues from the model; integer weights are repeated rows. */
START_TEST(adam_tol_warm_weights)
{
    const size_t n = 120, d = 2, k = 2;
    double *X = tu_blobs(n, d, k, 1.0, 15), *XX = malloc(2 * n * d * sizeof *XX), w[120];
    for (size_t i = 0; i < n; i++) {
        w[i] = (double)(1 + i % 2);
        memcpy(XX + i * d, X + i * d, d * sizeof *X);
    }
    size_t m = n; /* rows repeated as their weight says */
    for (size_t i = 0; i < n; i++)
        if (w[i] == 2)
            memcpy(XX + (m++) * d, X + i * d, d * sizeof *X);
    gmm_t *a = mix_gmm_create(k, MIX_COV_FULL), *b = mix_gmm_create(k, MIX_COV_FULL);
    const double theta0[] = {0, 0, -2, -2, 2, 2, 0, 0, 0, 0, 0, 0};
    ck_assert_int_eq(mix_gmm_theta_size(a, d), 12);
    for (int q = 0; q < 2; q++) {
        gmm_t *h = q ? b : a;
        ck_assert_int_eq(mix_gmm_set_theta(h, d, theta0), MIX_OK);
        mix_gmm_set_method(h, MIX_METHOD_ADAM);
        mix_gmm_set_max_iter(h, 30);
        mix_gmm_set_tol(h, 0);
    }
    ck_assert_int_eq(mix_gmm_fit(a, X, n, d, w), MIX_OK);
    ck_assert_int_eq(mix_gmm_fit(b, XX, m, d, NULL), MIX_OK);
    ck_assert_double_le(tu_rel_diff(mix_gmm_means(a), mix_gmm_means(b), k * d), 1e-10);
    /* warm start: 30 more epochs from the fitted model move it on */
    double lb = mix_gmm_lower_bound(a);
    mix_gmm_set_warm_start(a, 1);
    ck_assert_int_eq(mix_gmm_fit(a, X, n, d, w), MIX_OK);
    ck_assert_double_ge(mix_gmm_lower_bound(a), lb);
    /* tol: a loose one stops early and reports convergence */
    mix_gmm_set_warm_start(b, 0);
    mix_gmm_set_tol(b, 1e-1);
    mix_gmm_set_max_iter(b, 1000);
    ck_assert_int_eq(mix_gmm_fit(b, XX, m, d, NULL), MIX_OK);
    ck_assert_int_eq(mix_gmm_converged(b), 1);
    ck_assert_int_lt(mix_gmm_n_iter(b), 1000);
    mix_gmm_free(a);
    mix_gmm_free(b);
    free(X);
    free(XX);
}
END_TEST

START_TEST(theta_round_trip_and_errors)
{
    gmm_t *g = mix_gmm_create(2, MIX_COV_TIED);
    const size_t len = mix_gmm_theta_size(g, 3);
    double theta[20], back[20], nll, grad[20];
    ck_assert_int_eq(mix_gmm_get_theta(g, theta), MIX_ESTATE);
    ck_assert_int_eq(mix_gmm_set_theta(g, 3, NULL), MIX_EINVAL);
    ck_assert_int_eq(mix_gmm_set_theta(g, 0, adam_tied_theta), MIX_EDIM);
    memcpy(theta, adam_tied_theta, len * sizeof *theta);
    ck_assert_int_eq(mix_gmm_set_theta(g, 3, theta), MIX_OK);
    ck_assert_int_eq(mix_gmm_get_theta(g, back), MIX_OK);
    /* logits come back as log weights; the rest to rounding */
    ck_assert_double_le(tu_rel_diff(back + 2, theta + 2, len - 2), 1e-12);
    theta[len - 1] = NAN;
    ck_assert_int_eq(mix_gmm_set_theta(g, 3, theta), MIX_EDATA);
    ck_assert_int_eq(mix_gmm_nll_grad(g, adam_X, ADAM_N, 3, NULL, theta, &nll, grad), MIX_EDATA);
    theta[len - 1] = 800; /* exp overflows */
    ck_assert_int_eq(mix_gmm_set_theta(g, 3, theta), MIX_EDATA);
    ck_assert_int_eq(mix_gmm_nll_grad(g, adam_X, ADAM_N, 3, NULL, theta, &nll, grad),
                     MIX_ENUMERIC);
    ck_assert_int_eq(mix_gmm_nll_grad(g, adam_X, ADAM_N, 3, NULL, adam_tied_theta, NULL, grad),
                     MIX_EINVAL);
    ck_assert_int_eq(mix_gmm_nll_grad(g, NULL, ADAM_N, 3, NULL, adam_tied_theta, &nll, grad),
                     MIX_EINVAL);
    ck_assert_int_eq(mix_gmm_nll_grad(g, adam_X, 0, 3, NULL, adam_tied_theta, &nll, grad),
                     MIX_EDIM);
    ck_assert_int_eq(mix_gmm_nll_grad(NULL, adam_X, ADAM_N, 3, NULL, adam_tied_theta, &nll, grad),
                     MIX_EINVAL);
    /* outputs untouched on failure */
    nll = 42;
    ck_assert_int_eq(mix_gmm_nll_grad(g, adam_X, ADAM_N, 3, NULL, theta, &nll, grad),
                     MIX_ENUMERIC);
    ck_assert(nll == 42);
    mix_gmm_free(g);
}
END_TEST

START_TEST(adam_options_validate)
{
    gmm_t *g = mix_gmm_create(2, MIX_COV_DIAG);
    kmeans_t *km = mix_kmeans_create(2);
    ck_assert_int_eq(mix_gmm_set_method(g, (mix_method)2), MIX_EINVAL);
    ck_assert_int_eq(mix_kmeans_set_method(km, (mix_method)-1), MIX_EINVAL);
    ck_assert_int_eq(mix_gmm_set_method(NULL, MIX_METHOD_ADAM), MIX_EINVAL);
    const double bad[][4] = {{0, 0.9, 0.99, 1e-5},   {-1, 0.9, 0.99, 1e-5}, {NAN, 0.9, 0.99, 1e-5},
                             {INFINITY, 0.9, 0.99, 1e-5}, {0.1, 1, 0.99, 1e-5},
                             {0.1, -0.1, 0.99, 1e-5}, {0.1, 0.9, 1, 1e-5},  {0.1, 0.9, NAN, 1e-5},
                             {0.1, 0.9, 0.99, -1},   {0.1, 0.9, 0.99, INFINITY}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ck_assert_int_eq(mix_gmm_set_adam(g, bad[i][0], bad[i][1], bad[i][2], bad[i][3]),
                         MIX_EINVAL);
        ck_assert_int_eq(mix_kmeans_set_adam(km, bad[i][0], bad[i][1], bad[i][2], bad[i][3]),
                         MIX_EINVAL);
    }
    ck_assert_int_eq(mix_gmm_set_adam(g, 0.5, 0, 0, 0), MIX_OK);
    ck_assert_int_eq(mix_kmeans_set_batch_size(NULL, 3), MIX_EINVAL);
    mix_gmm_free(g);
    mix_kmeans_free(km);
}
END_TEST

Suite *adam_suite(void)
{
    Suite *s = suite_create("adam");
    TCase *tc = tcase_create("gradient");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, theta_sizes);
    tcase_add_loop_test(tc, gradient_matches_torch, 0, 4);
    tcase_add_loop_test(tc, gradient_matches_finite_differences, 0, 8);
    tcase_add_loop_test(tc, adam_trajectory_matches_torch, 0, 4);
    tcase_add_test(tc, kmeans_adam_matches_torch);
    tcase_add_loop_test(tc, adam_threads_and_batches, 0, 8);
    tcase_add_test(tc, adam_batch_of_all_rows);
    tcase_add_test(tc, adam_divergence_keeps_model);
    tcase_add_test(tc, adam_tol_warm_weights);
    tcase_add_test(tc, theta_round_trip_and_errors);
    tcase_add_test(tc, adam_options_validate);
    suite_add_tcase(s, tc);
    return s;
}
