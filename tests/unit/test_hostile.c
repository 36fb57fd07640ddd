/*
 * Hostile numerics. Every model on every hostile data set either fits, with
 * finite values in every output (fitted arrays, and predictions, scores and
 * densities on the same data), or fails with a status code and a message;
 * never NaN or infinity, never an abort.
 */
#include "testutil.h"

#include <stdio.h>

enum { N = 60, D = 3 };

typedef struct hostile {
    const char *name;
    size_t n, d;
    double *X;
    int must_fit; /* a valid model is expected (not only a clean error) */
} hostile;

static hostile cases[16];
static size_t n_cases;

static double *scaled(double factor, uint64_t seed)
{
    double *X = tu_blobs(N, D, 3, 1.0, seed);
    for (size_t i = 0; i < N * D; i++)
        X[i] *= factor;
    return X;
}

static void add(const char *name, size_t n, size_t d, double *X, int must_fit)
{
    cases[n_cases++] = (hostile){name, n, d, X, must_fit};
}

static void make_cases(void)
{
    if (n_cases)
        return;
    add("scaled by 1e150", N, D, scaled(1e150, 1), 1);
    add("scaled by 1e-150", N, D, scaled(1e-150, 2), 1);
    add("denormal magnitudes (1e-310)", N, D, scaled(1e-310, 3), 1);
    add("negative scale (-1e100)", N, D, scaled(-1e100, 4), 1);
    add("scaled by 1e300 (squares overflow)", N, D, scaled(1e300, 5), 0);
    double *same = malloc(N * D * sizeof *same);
    for (size_t i = 0; i < N * D; i++)
        same[i] = -2.5;
    add("all points identical", N, D, same, 1);
    double *constant = scaled(1.0, 6);
    for (size_t i = 0; i < N; i++)
        constant[i * D + 1] = 7.0;
    add("a constant feature", N, D, constant, 1);
    add("one point per component", 3, D, scaled(1.0, 7), 1);
    add("d > n", 6, 40, tu_blobs(6, 40, 2, 1.0, 8), 1);
    double *mixed = scaled(1.0, 9);
    for (size_t i = 0; i < N * D; i += 7)
        mixed[i] = (i % 2 ? 1e308 : -1e308);
    add("values at +-1e308 among ordinary ones", N, D, mixed, 0);
    double *cols = scaled(1.0, 10);
    for (size_t i = 0; i < N; i++) {
        cols[i * D] *= 1e-150;
        cols[i * D + 2] *= 1e150;
    }
    add("columns at 1e-150 and 1e150", N, D, cols, 1);
    double *spike = scaled(1.0, 11);
    spike[5 * D] = 1e200;
    add("one outlier at 1e200", N, D, spike, 0);
}

static void free_cases(void)
{
    for (size_t c = 0; c < n_cases; c++)
        free(cases[c].X);
    n_cases = 0;
}

static void assert_finite(const char *where, const double *a, size_t n)
{
    for (size_t i = 0; i < n; i++)
        ck_assert_msg(isfinite(a[i]), "%s: value %zu is %g", where, i, a[i]);
}

/* MIX_HOSTILE_REPORT=1 prints each outcome (for docs/reliability.md). */
static void report(const char *name, const char *model, int rc, const char *msg)
{
    if (getenv("MIX_HOSTILE_REPORT") == NULL)
        return;
    printf("| %s | %s | %s |\n", name, model,
           rc == MIX_OK ? "fits; every output finite" : msg);
}

/* A failure must be a status with a real message. */
static void assert_clean_error(const char *name, int rc, const char *msg)
{
    ck_assert_msg(rc == MIX_EDATA || rc == MIX_ENUMERIC, "%s: unexpected status %d (%s)", name,
                  rc, msg);
    ck_assert_msg(strlen(msg) > 10 && strcmp(msg, "no error") != 0, "%s: no message", name);
}

/* A query's outcome: n finite values, or a clean error. */
static void assert_query(const char *name, int rc, const double *values, size_t n,
                         const char *msg)
{
    if (rc == MIX_OK)
        assert_finite(name, values, n);
    else
        assert_clean_error(name, rc, msg);
}

START_TEST(kmeans_on_hostile_data)
{
    make_cases();
    const hostile *h = &cases[_i];
    const mix_kmeans_algorithm algos[] = {MIX_KMEANS_LLOYD, MIX_KMEANS_HAMERLY};
    for (int a = 0; a < 2; a++) {
        const size_t k = h->n < 3 ? h->n : 3;
        kmeans_t *km = mix_kmeans_create(k);
        mix_kmeans_set_algorithm(km, algos[a]);
        int rc = mix_kmeans_fit(km, h->X, h->n, h->d, NULL);
        report(h->name, a ? "K-means (Hamerly)" : "K-means (Lloyd)", rc, mix_kmeans_errmsg(km));
        if (rc != MIX_OK) {
            ck_assert_msg(!h->must_fit, "%s: %s", h->name, mix_kmeans_errmsg(km));
            assert_clean_error(h->name, rc, mix_kmeans_errmsg(km));
            ck_assert_int_eq(mix_kmeans_is_fitted(km), 0);
            mix_kmeans_free(km);
            continue;
        }
        assert_finite(h->name, mix_kmeans_centers(km), k * h->d);
        double inertia = mix_kmeans_inertia(km);
        ck_assert(isfinite(inertia) && inertia >= 0);
        int32_t *lab = malloc(h->n * sizeof *lab);
        double *dist = malloc(h->n * k * sizeof *dist), score;
        rc = mix_kmeans_predict(km, h->X, h->n, h->d, lab);
        if (rc == MIX_OK)
            ck_assert_mem_eq(lab, mix_kmeans_labels(km), h->n * sizeof *lab);
        else
            assert_clean_error(h->name, rc, mix_kmeans_errmsg(km));
        rc = mix_kmeans_transform(km, h->X, h->n, h->d, dist);
        assert_query(h->name, rc, dist, h->n * k, mix_kmeans_errmsg(km));
        rc = mix_kmeans_score(km, h->X, h->n, h->d, &score);
        assert_query(h->name, rc, &score, 1, mix_kmeans_errmsg(km));
        free(lab);
        free(dist);
        mix_kmeans_free(km);
    }
}
END_TEST

START_TEST(gmm_on_hostile_data)
{
    make_cases();
    const hostile *h = &cases[_i];
    for (int type = 0; type < 4; type++) {
        const size_t k = h->n < 2 ? h->n : 2;
        gmm_t *g = mix_gmm_create(k, (mix_covariance)type);
        int rc = mix_gmm_fit(g, h->X, h->n, h->d, NULL);
        static const char *const types[] = {"GMM full", "GMM tied", "GMM diag", "GMM spherical"};
        report(h->name, types[type], rc, mix_gmm_errmsg(g));
        if (rc != MIX_OK) {
            ck_assert_msg(!h->must_fit, "%s, type %d: %s", h->name, type, mix_gmm_errmsg(g));
            assert_clean_error(h->name, rc, mix_gmm_errmsg(g));
            ck_assert_int_eq(mix_gmm_is_fitted(g), 0);
            mix_gmm_free(g);
            continue;
        }
        size_t cl = mix_gmm_covariances_size(g);
        assert_finite(h->name, mix_gmm_weights(g), k);
        assert_finite(h->name, mix_gmm_means(g), k * h->d);
        assert_finite(h->name, mix_gmm_covariances(g), cl);
        assert_finite(h->name, mix_gmm_precisions_cholesky(g), cl);
        ck_assert(isfinite(mix_gmm_lower_bound(g)));
        double *logp = malloc(h->n * sizeof *logp), *resp = malloc(h->n * k * sizeof *resp);
        double *S = malloc(h->n * h->d * sizeof *S), bic;
        rc = mix_gmm_score_samples(g, h->X, h->n, h->d, logp);
        assert_query(h->name, rc, logp, h->n, mix_gmm_errmsg(g));
        rc = mix_gmm_predict_proba(g, h->X, h->n, h->d, resp);
        assert_query(h->name, rc, resp, h->n * k, mix_gmm_errmsg(g));
        rc = mix_gmm_bic(g, h->X, h->n, h->d, &bic);
        assert_query(h->name, rc, &bic, 1, mix_gmm_errmsg(g));
        ck_assert_int_eq(mix_gmm_sample(g, h->n, 3, S, NULL), MIX_OK);
        assert_finite(h->name, S, h->n * h->d);
        free(logp);
        free(resp);
        free(S);
        mix_gmm_free(g);
    }
}
END_TEST

/* A center at the end of the range (a fuzz find): the way back from the
 * engine's units, u * scale + shift, overflowed to -inf there although the
 * center, a row of the data, is a double; the fit said MIX_OK. */
START_TEST(center_at_the_end_of_the_range)
{
    enum { RN = 15, RD = 2, RK = 5 };
    const double v = 0x1.1ccf385ebc8ap+1023;
    double X[RN * RD];
    for (size_t i = 0; i < RN * RD; i++)
        X[i] = v;
    X[9 * RD] = -v;
    kmeans_t *km = mix_kmeans_create(RK);
    mix_kmeans_set_init(km, MIX_INIT_KMEANSPP);
    mix_kmeans_set_n_init(km, 1);
    mix_kmeans_set_max_iter(km, 1);
    mix_kmeans_set_seed(km, 4294967068u);
    ck_assert_int_eq(mix_kmeans_fit(km, X, RN, RD, NULL), MIX_OK);
    const double *c = mix_kmeans_centers(km);
    int found = 0;
    for (size_t i = 0; i < RK * RD; i++) {
        ck_assert_msg(isfinite(c[i]), "center value %zu is %g", i, c[i]);
        found |= i % RD == 0 && fabs(c[i] + v) <= 1e-15 * v;
    }
    ck_assert(found); /* the lone row is a center, to rounding */
    mix_kmeans_free(km);
}
END_TEST

Suite *hostile_suite(void)
{
    make_cases();
    int count = (int)n_cases;
    free_cases();
    Suite *s = suite_create("hostile");
    TCase *tc = tcase_create("numerics");
    tcase_add_unchecked_fixture(tc, make_cases, free_cases);
    tcase_add_loop_test(tc, kmeans_on_hostile_data, 0, count);
    tcase_add_loop_test(tc, gmm_on_hostile_data, 0, count);
    tcase_add_test(tc, center_at_the_end_of_the_range);
    suite_add_tcase(s, tc);
    return s;
}
