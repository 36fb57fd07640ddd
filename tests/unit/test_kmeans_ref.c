/*
 * K-means against scikit-learn 1.2.1 reference values (tests/ref/, made by
 * tests/gen_reference.py), so the C suites check parity without Python.
 * Tolerance 1e-9 relative: both libraries compute the same sums in other
 * orders; the differences seen are around 1e-15.
 */
#include "testutil.h"

#include "ref/kmeans_ref.h"

#define REL_TOL 1e-9

START_TEST(matches_scikit_learn)
{
    const kref_case *c = &kref_cases[_i];
    kmeans_t *km = mix_kmeans_create(c->k);
    ck_assert_int_eq(mix_kmeans_set_init_centers(km, c->init, c->d), MIX_OK);
    ck_assert_int_eq(mix_kmeans_set_max_iter(km, c->max_iter), MIX_OK);
    ck_assert_int_eq(mix_kmeans_set_tol(km, c->tol), MIX_OK);
    ck_assert_msg(mix_kmeans_fit(km, c->X, c->n, c->d, c->weights) == MIX_OK, "%s: %s", c->name,
                  mix_kmeans_errmsg(km));
    double dc = tu_rel_diff(mix_kmeans_centers(km), c->centers, c->k * c->d);
    ck_assert_msg(dc <= REL_TOL, "%s: centers differ by %g", c->name, dc);
    ck_assert_msg(memcmp(mix_kmeans_labels(km), c->labels, c->n * sizeof(int32_t)) == 0,
                  "%s: labels differ", c->name);
    ck_assert_double_eq_tol(mix_kmeans_inertia(km), c->inertia,
                            REL_TOL * fmax(c->inertia, 1e-300));
    ck_assert_int_eq(mix_kmeans_n_iter(km), c->n_iter);

    int32_t *pred = malloc(c->n_new * sizeof *pred);
    double *dist = malloc(c->n_new * c->k * sizeof *dist), score;
    ck_assert_int_eq(mix_kmeans_predict(km, c->X_new, c->n_new, c->d, pred), MIX_OK);
    ck_assert_msg(memcmp(pred, c->predict, c->n_new * sizeof *pred) == 0, "%s: predict",
                  c->name);
    ck_assert_int_eq(mix_kmeans_transform(km, c->X_new, c->n_new, c->d, dist), MIX_OK);
    ck_assert_double_le(tu_rel_diff(dist, c->transform, c->n_new * c->k), REL_TOL);
    ck_assert_int_eq(mix_kmeans_score(km, c->X_new, c->n_new, c->d, &score), MIX_OK);
    ck_assert_double_eq_tol(score, c->score, REL_TOL * fmax(fabs(c->score), 1e-300));
    free(pred);
    free(dist);
    mix_kmeans_free(km);
}
END_TEST

Suite *kmeans_ref_suite(void)
{
    Suite *s = suite_create("kmeans_reference");
    TCase *tc = tcase_create("scikit_learn");
    tcase_add_loop_test(tc, matches_scikit_learn, 0, (int)KREF_N_CASES);
    suite_add_tcase(s, tc);
    return s;
}
