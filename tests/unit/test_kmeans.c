/* K-means behaviour on closed-form cases and invariants: weights as
 * repetitions, determinism across thread counts, callbacks, empty clusters,
 * exact power-of-two scaling of extreme data. */
#include "testutil.h"

static kmeans_t *fit_from(const double *X, size_t n, size_t d, size_t k, const double *init,
                          const double *w)
{
    kmeans_t *km = mix_kmeans_create(k);
    if (init != NULL)
        ck_assert_int_eq(mix_kmeans_set_init_centers(km, init, d), MIX_OK);
    int rc = mix_kmeans_fit(km, X, n, d, w);
    ck_assert_msg(rc == MIX_OK, "fit: %s", mix_kmeans_errmsg(km));
    return km;
}

/* Two pairs of points: centers are the midpoints, inertia 4 * 1^2. */
START_TEST(closed_form_two_pairs)
{
    const double X[] = {0, 0, 0, 2, 10, 10, 10, 12};
    kmeans_t *km = fit_from(X, 4, 2, 2, NULL, NULL);
    const double *c = mix_kmeans_centers(km);
    const int32_t *l = mix_kmeans_labels(km);
    ck_assert_double_eq_tol(mix_kmeans_inertia(km), 4.0, 1e-12);
    ck_assert_int_eq(l[0], l[1]);
    ck_assert_int_eq(l[2], l[3]);
    ck_assert_int_ne(l[0], l[2]);
    const double *c0 = c + 2 * l[0], *c1 = c + 2 * l[2];
    ck_assert_double_eq_tol(c0[0], 0.0, 1e-12);
    ck_assert_double_eq_tol(c0[1], 1.0, 1e-12);
    ck_assert_double_eq_tol(c1[0], 10.0, 1e-12);
    ck_assert_double_eq_tol(c1[1], 11.0, 1e-12);
    mix_kmeans_free(km);
}
END_TEST

/* k = 1: the weighted mean, and inertia = sum w ||x - mean||^2. */
START_TEST(closed_form_single_cluster)
{
    const double X[] = {1, 2, 3, 5, -1, 0};
    const double w[] = {1, 2, 0.5};
    kmeans_t *km = fit_from(X, 3, 2, 1, NULL, w);
    const double mx = (1 + 6 - 0.5) / 3.5, my = (2 + 10 + 0) / 3.5;
    const double inertia = 1 * (pow(1 - mx, 2) + pow(2 - my, 2)) +
                           2 * (pow(3 - mx, 2) + pow(5 - my, 2)) +
                           0.5 * (pow(-1 - mx, 2) + pow(0 - my, 2));
    ck_assert_double_eq_tol(mix_kmeans_centers(km)[0], mx, 1e-13);
    ck_assert_double_eq_tol(mix_kmeans_centers(km)[1], my, 1e-13);
    ck_assert_double_eq_tol(mix_kmeans_inertia(km), inertia, 1e-12 * inertia);
    mix_kmeans_free(km);
}
END_TEST

/* Integer weights are repetition counts: same centers and inertia as
 * repeating the rows (to rounding: the sums are taken in another order). */
START_TEST(integer_weights_repeat_rows)
{
    const size_t n = 200, d = 4, k = 5;
    double *X = tu_blobs(n, d, k, 1.0, 3);
    double w[200];
    size_t total = 0;
    uint64_t s = 11;
    for (size_t i = 0; i < n; i++)
        total += (size_t)(w[i] = (double)(tu_next(&s) % 4)); /* 0..3 */
    double *R = malloc(total * d * sizeof *R);
    size_t r = 0;
    for (size_t i = 0; i < n; i++)
        for (int c = 0; c < (int)w[i]; c++, r++)
            memcpy(R + r * d, X + i * d, d * sizeof *R);
    double init[5 * 4];
    memcpy(init, X, sizeof init);
    kmeans_t *a = fit_from(X, n, d, k, init, w);
    kmeans_t *b = fit_from(R, total, d, k, init, NULL);
    ck_assert_double_le(tu_rel_diff(mix_kmeans_centers(a), mix_kmeans_centers(b), k * d), 1e-12);
    ck_assert_double_eq_tol(mix_kmeans_inertia(a), mix_kmeans_inertia(b),
                            1e-12 * mix_kmeans_inertia(b));
    ck_assert_int_eq(mix_kmeans_n_iter(a), mix_kmeans_n_iter(b));
    mix_kmeans_free(a);
    mix_kmeans_free(b);
    free(R);
    free(X);
}
END_TEST

/* Bit-identical results for any thread count (fixed chunks, ordered sums). */
START_TEST(threads_do_not_change_results)
{
    const size_t n = 30000, d = 8, k = 12;
    double *X = tu_blobs(n, d, k, 2.0, 5);
    kmeans_t *ref = NULL;
    const int threads[] = {1, 2, 3, 4, 8};
    for (size_t t = 0; t < sizeof threads / sizeof threads[0]; t++) {
        kmeans_t *km = mix_kmeans_create(k);
        mix_kmeans_set_seed(km, 77);
        mix_kmeans_set_n_init(km, 2);
        ck_assert_int_eq(mix_kmeans_set_threads(km, threads[t]), MIX_OK);
        ck_assert_int_eq(mix_kmeans_fit(km, X, n, d, NULL), MIX_OK);
        if (ref == NULL) {
            ref = km;
            continue;
        }
        ck_assert_mem_eq(mix_kmeans_centers(km), mix_kmeans_centers(ref), k * d * sizeof(double));
        ck_assert_mem_eq(mix_kmeans_labels(km), mix_kmeans_labels(ref), n * sizeof(int32_t));
        ck_assert(mix_kmeans_inertia(km) == mix_kmeans_inertia(ref));
        ck_assert_int_eq(mix_kmeans_n_iter(km), mix_kmeans_n_iter(ref));
        mix_kmeans_free(km);
    }
    mix_kmeans_free(ref);
    free(X);
}
END_TEST

START_TEST(same_seed_same_result)
{
    const size_t n = 500, d = 3, k = 7;
    double *X = tu_blobs(n, d, 4, 3.0, 8);
    kmeans_t *a = mix_kmeans_create(k), *b = mix_kmeans_create(k);
    mix_kmeans_set_seed(a, 123);
    mix_kmeans_set_seed(b, 123);
    ck_assert_int_eq(mix_kmeans_fit(a, X, n, d, NULL), MIX_OK);
    ck_assert_int_eq(mix_kmeans_fit(b, X, n, d, NULL), MIX_OK);
    ck_assert_mem_eq(mix_kmeans_centers(a), mix_kmeans_centers(b), k * d * sizeof(double));
    /* A second fit of the same handle restarts the generator. */
    ck_assert_int_eq(mix_kmeans_fit(b, X, n, d, NULL), MIX_OK);
    ck_assert_mem_eq(mix_kmeans_centers(a), mix_kmeans_centers(b), k * d * sizeof(double));
    mix_kmeans_free(a);
    mix_kmeans_free(b);
    free(X);
}
END_TEST

/* More restarts can only help: the first run of n_init = 10 is the run of
 * n_init = 1 (same generator stream). */
START_TEST(restarts_keep_the_best)
{
    const size_t n = 600, d = 2, k = 9;
    double *X = tu_blobs(n, d, 5, 2.5, 4);
    kmeans_t *one = mix_kmeans_create(k), *ten = mix_kmeans_create(k);
    mix_kmeans_set_n_init(one, 1);
    mix_kmeans_set_n_init(ten, 10);
    ck_assert_int_eq(mix_kmeans_fit(one, X, n, d, NULL), MIX_OK);
    ck_assert_int_eq(mix_kmeans_fit(ten, X, n, d, NULL), MIX_OK);
    ck_assert_double_le(mix_kmeans_inertia(ten), mix_kmeans_inertia(one));
    mix_kmeans_free(one);
    mix_kmeans_free(ten);
    free(X);
}
END_TEST

/* Well separated blobs: every seeding method finds them (ARI 1). */
START_TEST(recovers_separated_blobs)
{
    const size_t n = 900, d = 5, k = 6;
    double *X = tu_blobs(n, d, k, 0.05, 21);
    int32_t truth[900];
    for (size_t i = 0; i < n; i++)
        truth[i] = (int32_t)(i % k);
    const mix_init inits[] = {MIX_INIT_KMEANSPP, MIX_INIT_RANDOM_FROM_DATA};
    for (int m = 0; m < 2; m++) {
        kmeans_t *km = mix_kmeans_create(k);
        mix_kmeans_set_init(km, inits[m]);
        mix_kmeans_set_seed(km, 5);
        ck_assert_int_eq(mix_kmeans_fit(km, X, n, d, NULL), MIX_OK);
        double ari;
        ck_assert_int_eq(mix_adjusted_rand_index(mix_kmeans_labels(km), truth, n, &ari), MIX_OK);
        ck_assert_double_eq(ari, 1.0);
        mix_kmeans_free(km);
    }
    free(X);
}
END_TEST

typedef struct trace {
    int calls, last_run, last_iter;
    double last_objective;
    int increasing;
} trace;

static int record(void *user, int run, int iteration, double objective, double change)
{
    trace *t = user;
    ck_assert_double_ge(change, 0);
    if (run == t->last_run && iteration > 1 && objective > t->last_objective * (1 + 1e-12))
        t->increasing = 1;
    ck_assert(iteration == (run == t->last_run ? t->last_iter + 1 : 1));
    t->calls++;
    t->last_run = run;
    t->last_iter = iteration;
    t->last_objective = objective;
    return 0;
}

/* The callback sees every iteration of every run, and Lloyd's objective
 * never increases within a run. */
START_TEST(callback_traces_iterations)
{
    const size_t n = 400, d = 2, k = 5;
    double *X = tu_blobs(n, d, 5, 2.0, 13);
    trace t = {0, 0, 0, 0, 0};
    kmeans_t *km = mix_kmeans_create(k);
    mix_kmeans_set_n_init(km, 3);
    mix_kmeans_set_callback(km, record, &t);
    ck_assert_int_eq(mix_kmeans_fit(km, X, n, d, NULL), MIX_OK);
    ck_assert_int_eq(t.last_run, 2);
    ck_assert_int_ge(t.calls, 3);
    ck_assert_int_eq(t.increasing, 0);
    mix_kmeans_free(km);
    free(X);
}
END_TEST

/*
 * Empty clusters, worked by hand with scikit-learn 1.2.1's rule: X = {0, 0,
 * 10}, all three centers start at 0. Iteration 1 puts every row in cluster
 * 0 (first of tied centers); clusters 1 and 2 are empty and take the rows
 * farthest from their centers: row 2 (distance 100), then a row at 0.
 * Centers become {0, 10, 0}. In iteration 2 cluster 2 is empty again; all
 * distances are 0 and the tie goes to the last row (10), which leaves
 * cluster 1 empty with a zero sum: it sits at the data mean 10/3.
 * scikit-learn 1.2.1 gives exactly these centers, labels and inertia.
 */
START_TEST(empty_clusters_are_relocated)
{
    const double X[] = {0, 0, 10}, init[] = {0, 0, 0};
    kmeans_t *km = mix_kmeans_create(3);
    mix_kmeans_set_init_centers(km, init, 1);
    mix_kmeans_set_tol(km, 0);
    mix_kmeans_set_max_iter(km, 1);
    ck_assert_int_eq(mix_kmeans_fit(km, X, 3, 1, NULL), MIX_OK);
    const double *c = mix_kmeans_centers(km);
    ck_assert_double_eq_tol(c[0], 0, 1e-15);
    ck_assert_double_eq_tol(c[1], 10, 1e-14);
    ck_assert_double_eq_tol(c[2], 0, 1e-15);
    const int32_t l1[] = {0, 0, 1};
    ck_assert_mem_eq(mix_kmeans_labels(km), l1, sizeof l1);
    ck_assert_double_eq_tol(mix_kmeans_inertia(km), 0, 1e-28);

    mix_kmeans_set_max_iter(km, 2);
    ck_assert_int_eq(mix_kmeans_fit(km, X, 3, 1, NULL), MIX_OK);
    c = mix_kmeans_centers(km);
    ck_assert_double_eq_tol(c[0], 0, 1e-15);
    ck_assert_double_eq_tol(c[1], 10.0 / 3, 1e-14);
    ck_assert_double_eq_tol(c[2], 10, 1e-14);
    const int32_t l2[] = {0, 0, 2};
    ck_assert_mem_eq(mix_kmeans_labels(km), l2, sizeof l2);
    ck_assert_int_eq(mix_kmeans_n_iter(km), 2);
    for (int j = 0; j < 3; j++)
        ck_assert(isfinite(c[j]));
    mix_kmeans_free(km);
}
END_TEST

/* k = n from the rows themselves: every row is its own center. */
START_TEST(k_equals_n)
{
    const size_t n = 25, d = 3;
    double *X = tu_blobs(n, d, 5, 1.0, 31);
    kmeans_t *km = fit_from(X, n, d, n, X, NULL);
    ck_assert_double_eq_tol(mix_kmeans_inertia(km), 0, 1e-20);
    for (size_t i = 0; i < n; i++)
        ck_assert_int_eq(mix_kmeans_labels(km)[i], (int32_t)i);
    mix_kmeans_free(km);
    free(X);
}
END_TEST

/* predict on the training rows gives the training labels; the closest
 * distance of transform is the predicted center; score is minus inertia. */
START_TEST(predict_transform_score_agree)
{
    const size_t n = 300, d = 4, k = 4;
    double *X = tu_blobs(n, d, k, 1.5, 17);
    kmeans_t *km = fit_from(X, n, d, k, NULL, NULL);
    int32_t lab[300];
    double dist[300 * 4], score, expect = 0;
    ck_assert_int_eq(mix_kmeans_predict(km, X, n, d, lab), MIX_OK);
    ck_assert_mem_eq(lab, mix_kmeans_labels(km), sizeof lab);
    ck_assert_int_eq(mix_kmeans_transform(km, X, n, d, dist), MIX_OK);
    for (size_t i = 0; i < n; i++) {
        const double *c = mix_kmeans_centers(km) + (size_t)lab[i] * d;
        double direct = 0;
        for (size_t t = 0; t < d; t++)
            direct += (X[i * d + t] - c[t]) * (X[i * d + t] - c[t]);
        expect += direct;
        ck_assert_double_eq_tol(dist[i * k + (size_t)lab[i]], sqrt(direct), 1e-12);
        for (size_t j = 0; j < k; j++)
            ck_assert_double_ge(dist[i * k + j], dist[i * k + (size_t)lab[i]]);
    }
    ck_assert_int_eq(mix_kmeans_score(km, X, n, d, &score), MIX_OK);
    ck_assert_double_eq_tol(score, -expect, 1e-12 * expect);
    ck_assert_double_eq_tol(score, -mix_kmeans_inertia(km), 1e-12 * expect);
    mix_kmeans_free(km);
    free(X);
}
END_TEST

/* Data at 1e150 or 1e-150 scale (squares out of reach of ordinary
 * arithmetic) are handled by exact power-of-two scaling: the same labels,
 * and centers and inertia scaled by exactly the factor. */
START_TEST(extreme_scales)
{
    const size_t n = 120, d = 3, k = 4;
    double *X = tu_blobs(n, d, k, 0.7, 41), *Y = malloc(n * d * sizeof *Y);
    double init[4 * 3], inity[4 * 3];
    memcpy(init, X, sizeof init);
    kmeans_t *ref = fit_from(X, n, d, k, init, NULL);
    const double factors[] = {1e150, 1e-150, -3e120};
    for (int f = 0; f < 3; f++) {
        for (size_t i = 0; i < n * d; i++)
            Y[i] = X[i] * factors[f];
        for (size_t i = 0; i < k * d; i++)
            inity[i] = init[i] * factors[f];
        kmeans_t *km = fit_from(Y, n, d, k, inity, NULL);
        ck_assert_mem_eq(mix_kmeans_labels(km), mix_kmeans_labels(ref), n * sizeof(int32_t));
        for (size_t i = 0; i < k * d; i++)
            ck_assert_double_eq_tol(mix_kmeans_centers(km)[i] / factors[f],
                                    mix_kmeans_centers(ref)[i], 1e-12);
        double r = mix_kmeans_inertia(km) / (factors[f] * factors[f]);
        ck_assert_double_eq_tol(r, mix_kmeans_inertia(ref), 1e-12 * mix_kmeans_inertia(ref));
        mix_kmeans_free(km);
    }
    mix_kmeans_free(ref);
    free(X);
    free(Y);
}
END_TEST

/* Identical rows: one distinct point, two clusters; finite everywhere. */
START_TEST(all_rows_identical)
{
    double X[40];
    for (int i = 0; i < 40; i++)
        X[i] = 3.25;
    kmeans_t *km = mix_kmeans_create(2);
    ck_assert_int_eq(mix_kmeans_fit(km, X, 20, 2, NULL), MIX_OK);
    ck_assert_double_eq(mix_kmeans_inertia(km), 0);
    for (int i = 0; i < 4; i++)
        ck_assert(isfinite(mix_kmeans_centers(km)[i]));
    mix_kmeans_free(km);
}
END_TEST

/* A huge tol stops after the first iteration. */
START_TEST(tol_stops_early)
{
    const size_t n = 200, d = 2, k = 3;
    double *X = tu_blobs(n, d, k, 3.0, 2);
    kmeans_t *km = mix_kmeans_create(k);
    mix_kmeans_set_tol(km, 1e6);
    mix_kmeans_set_n_init(km, 1);
    ck_assert_int_eq(mix_kmeans_fit(km, X, n, d, NULL), MIX_OK);
    ck_assert_int_eq(mix_kmeans_n_iter(km), 1);
    mix_kmeans_free(km);
    free(X);
}
END_TEST

/* A new fit on other data replaces the model entirely. */
START_TEST(refit_replaces_model)
{
    double *X = tu_blobs(100, 3, 2, 1.0, 1), *Y = tu_blobs(50, 5, 2, 1.0, 2);
    kmeans_t *km = mix_kmeans_create(2);
    ck_assert_int_eq(mix_kmeans_fit(km, X, 100, 3, NULL), MIX_OK);
    ck_assert_uint_eq(mix_kmeans_n_features(km), 3);
    ck_assert_int_eq(mix_kmeans_fit(km, Y, 50, 5, NULL), MIX_OK);
    ck_assert_uint_eq(mix_kmeans_n_features(km), 5);
    ck_assert_uint_eq(mix_kmeans_n_samples(km), 50);
    int32_t lab[60];
    ck_assert_int_eq(mix_kmeans_predict(km, X, 60, 5, lab), MIX_OK); /* any 5-column rows */
    mix_kmeans_free(km);
    free(X);
    free(Y);
}
END_TEST

/* Hamerly's bounds change speed, not results: labels, centers, inertia and
 * iteration counts are bit-identical to Lloyd's, on overlapping and
 * separated data, with weights, restarts, many clusters, duplicated rows
 * (ties and empty clusters) and data far from the origin. */
START_TEST(hamerly_is_lloyd_bit_for_bit)
{
    struct {
        size_t n, d, centers, k;
        double sd, offset;
        int weighted, n_init;
    } cases[] = {
        {5000, 2, 6, 6, 1.0, 0, 0, 1},     {5000, 2, 6, 6, 6.0, 0, 0, 3},
        {4000, 8, 10, 25, 2.0, 0, 1, 2},   {3000, 16, 16, 16, 3.0, 1e4, 0, 1},
        {2000, 1, 3, 40, 0.5, 0, 1, 1},    {3000, 5, 5, 7, 0.01, -3e3, 0, 2},
        {2500, 32, 8, 64, 4.0, 0, 1, 1},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        const size_t n = cases[c].n, d = cases[c].d, k = cases[c].k;
        double *X = tu_blobs(n, d, cases[c].centers, cases[c].sd, 100 + c);
        double *w = malloc(n * sizeof *w);
        uint64_t s = c;
        for (size_t i = 0; i < n * d; i++)
            X[i] += cases[c].offset;
        for (size_t i = 0; i < n; i++)
            w[i] = 0.25 + tu_uniform(&s);
        if (c == 4) /* duplicated rows: many exact ties */
            for (size_t i = 0; i < n; i++)
                X[i] = X[i % 37];
        kmeans_t *a = mix_kmeans_create(k), *b = mix_kmeans_create(k);
        kmeans_t *both[2] = {a, b};
        for (int m = 0; m < 2; m++) {
            mix_kmeans_set_seed(both[m], 5 + c);
            mix_kmeans_set_n_init(both[m], cases[c].n_init);
            mix_kmeans_set_tol(both[m], 0);
        }
        mix_kmeans_set_algorithm(a, MIX_KMEANS_LLOYD);
        mix_kmeans_set_algorithm(b, MIX_KMEANS_HAMERLY);
        const double *weights = cases[c].weighted ? w : NULL;
        ck_assert_int_eq(mix_kmeans_fit(a, X, n, d, weights), MIX_OK);
        ck_assert_int_eq(mix_kmeans_fit(b, X, n, d, weights), MIX_OK);
        ck_assert_msg(memcmp(mix_kmeans_labels(a), mix_kmeans_labels(b), n * sizeof(int32_t)) == 0,
                      "case %zu: labels differ", c);
        ck_assert_msg(memcmp(mix_kmeans_centers(a), mix_kmeans_centers(b),
                             k * d * sizeof(double)) == 0,
                      "case %zu: centers differ", c);
        ck_assert(mix_kmeans_inertia(a) == mix_kmeans_inertia(b));
        ck_assert_int_eq(mix_kmeans_n_iter(a), mix_kmeans_n_iter(b));
        mix_kmeans_free(a);
        mix_kmeans_free(b);
        free(X);
        free(w);
    }
}
END_TEST

START_TEST(algorithm_option_validates)
{
    kmeans_t *km = mix_kmeans_create(2);
    ck_assert_int_eq(mix_kmeans_set_algorithm(NULL, MIX_KMEANS_AUTO), MIX_EINVAL);
    ck_assert_int_eq(mix_kmeans_set_algorithm(km, (mix_kmeans_algorithm)3), MIX_EINVAL);
    ck_assert_ptr_nonnull(strstr(mix_kmeans_errmsg(km), "algorithm"));
    ck_assert_int_eq(mix_kmeans_set_algorithm(km, MIX_KMEANS_LLOYD), MIX_OK);
    mix_kmeans_free(km);
}
END_TEST

/* Centers given with set_init_centers are a model at once, as scikit-learn
 * lets users assign cluster_centers_: predict, transform and score use
 * them (checked against brute force), n_iter is 0, inertia NaN, no labels;
 * the next fit starts from them. */
START_TEST(given_centers_are_a_model)
{
    const size_t n = 200, d = 3, k = 4;
    double *X = tu_blobs(n, d, k, 1.0, 77), C[12];
    for (size_t i = 0; i < k * d; i++)
        C[i] = X[i] + 0.25;
    kmeans_t *km = mix_kmeans_create(k);
    ck_assert_int_eq(mix_kmeans_is_fitted(km), 0);
    ck_assert_int_eq(mix_kmeans_set_init_centers(km, C, d), MIX_OK);
    ck_assert_int_eq(mix_kmeans_is_fitted(km), 1);
    ck_assert_mem_eq(mix_kmeans_centers(km), C, sizeof C);
    ck_assert_int_eq(mix_kmeans_n_iter(km), 0);
    ck_assert(isnan(mix_kmeans_inertia(km)));
    ck_assert_ptr_null(mix_kmeans_labels(km));
    ck_assert_uint_eq(mix_kmeans_n_features(km), d);
    ck_assert_uint_eq(mix_kmeans_n_samples(km), 0);
    int32_t labels[200];
    double dist[800], score, inertia = 0;
    ck_assert_int_eq(mix_kmeans_predict(km, X, n, d, labels), MIX_OK);
    ck_assert_int_eq(mix_kmeans_transform(km, X, n, d, dist), MIX_OK);
    ck_assert_int_eq(mix_kmeans_score(km, X, n, d, &score), MIX_OK);
    for (size_t i = 0; i < n; i++) {
        size_t best = 0;
        double bd = INFINITY;
        for (size_t j = 0; j < k; j++) {
            double s2 = 0;
            for (size_t t = 0; t < d; t++)
                s2 += (X[i * d + t] - C[j * d + t]) * (X[i * d + t] - C[j * d + t]);
            ck_assert_double_eq_tol(dist[i * k + j], sqrt(s2), 1e-12 * (1 + sqrt(s2)));
            if (s2 < bd) {
                bd = s2;
                best = j;
            }
        }
        ck_assert_int_eq(labels[i], (int32_t)best);
        inertia += bd;
    }
    ck_assert_double_eq_tol(score, -inertia, 1e-12 * inertia);
    /* The next fit starts from them: as a fresh handle given the same centers. */
    kmeans_t *ref = mix_kmeans_create(k);
    mix_kmeans_set_init_centers(ref, C, d);
    ck_assert_int_eq(mix_kmeans_fit(km, X, n, d, NULL), MIX_OK);
    ck_assert_int_eq(mix_kmeans_fit(ref, X, n, d, NULL), MIX_OK);
    ck_assert_mem_eq(mix_kmeans_centers(km), mix_kmeans_centers(ref), sizeof C);
    ck_assert_int_ge(mix_kmeans_n_iter(km), 1);
    ck_assert(isfinite(mix_kmeans_inertia(km)));
    /* Given again after a fit: the given centers replace the fitted model. */
    ck_assert_int_eq(mix_kmeans_set_init_centers(km, C, d), MIX_OK);
    ck_assert_mem_eq(mix_kmeans_centers(km), C, sizeof C);
    ck_assert_int_eq(mix_kmeans_n_iter(km), 0);
    ck_assert_ptr_null(mix_kmeans_labels(km));
    mix_kmeans_free(km);
    mix_kmeans_free(ref);
    free(X);
}
END_TEST

Suite *kmeans_suite(void)
{
    Suite *s = suite_create("kmeans");
    TCase *tc = tcase_create("behaviour");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, closed_form_two_pairs);
    tcase_add_test(tc, closed_form_single_cluster);
    tcase_add_test(tc, integer_weights_repeat_rows);
    tcase_add_test(tc, threads_do_not_change_results);
    tcase_add_test(tc, same_seed_same_result);
    tcase_add_test(tc, restarts_keep_the_best);
    tcase_add_test(tc, recovers_separated_blobs);
    tcase_add_test(tc, callback_traces_iterations);
    tcase_add_test(tc, empty_clusters_are_relocated);
    tcase_add_test(tc, k_equals_n);
    tcase_add_test(tc, predict_transform_score_agree);
    tcase_add_test(tc, extreme_scales);
    tcase_add_test(tc, all_rows_identical);
    tcase_add_test(tc, tol_stops_early);
    tcase_add_test(tc, refit_replaces_model);
    tcase_add_test(tc, hamerly_is_lloyd_bit_for_bit);
    tcase_add_test(tc, algorithm_option_validates);
    tcase_add_test(tc, given_centers_are_a_model);
    suite_add_tcase(s, tc);
    return s;
}
