/* Adjusted Rand index: closed-form values and scikit-learn's reference. */
#include "testutil.h"

#include "ref/kmeans_ref.h"

/* scikit-learn's documented examples and exact fractions. */
START_TEST(ari_closed_form)
{
    const int32_t a[] = {0, 0, 1, 1}, same[] = {5, 5, 9, 9}, split[] = {0, 0, 1, 2},
                  cross[] = {0, 1, 0, 1};
    double ari;
    ck_assert_int_eq(mix_adjusted_rand_index(a, same, 4, &ari), MIX_OK);
    ck_assert_double_eq(ari, 1.0);
    ck_assert_int_eq(mix_adjusted_rand_index(a, split, 4, &ari), MIX_OK);
    ck_assert_double_eq_tol(ari, 4.0 / 7.0, 1e-15); /* 0.5714285714285715 */
    ck_assert_int_eq(mix_adjusted_rand_index(a, cross, 4, &ari), MIX_OK);
    ck_assert_double_eq_tol(ari, -0.5, 1e-15);
    const int32_t one[] = {3, 3, 3};
    ck_assert_int_eq(mix_adjusted_rand_index(one, one, 3, &ari), MIX_OK);
    ck_assert_double_eq(ari, 1.0);
    ck_assert_int_eq(mix_adjusted_rand_index(one, one, 1, &ari), MIX_OK);
    ck_assert_double_eq(ari, 1.0);
}
END_TEST

START_TEST(ari_reference)
{
    for (size_t c = 0; c < ARI_N_CASES; c++) {
        double ari;
        ck_assert_int_eq(
            mix_adjusted_rand_index(ari_cases[c].a, ari_cases[c].b, ari_cases[c].n, &ari), MIX_OK);
        ck_assert_double_eq_tol(ari, ari_cases[c].ari, 1e-12);
    }
}
END_TEST

START_TEST(ari_bad_input)
{
    const int32_t a[] = {0, 1}, neg[] = {0, -1};
    double ari = 9;
    ck_assert_int_eq(mix_adjusted_rand_index(NULL, a, 2, &ari), MIX_EINVAL);
    ck_assert_int_eq(mix_adjusted_rand_index(a, NULL, 2, &ari), MIX_EINVAL);
    ck_assert_int_eq(mix_adjusted_rand_index(a, a, 2, NULL), MIX_EINVAL);
    ck_assert_int_eq(mix_adjusted_rand_index(a, a, 0, &ari), MIX_EDIM);
    ck_assert_int_eq(mix_adjusted_rand_index(a, neg, 2, &ari), MIX_EINVAL);
    ck_assert(ari == 9);
}
END_TEST

Suite *metrics_suite(void)
{
    Suite *s = suite_create("metrics");
    TCase *tc = tcase_create("ari");
    tcase_add_test(tc, ari_closed_form);
    tcase_add_test(tc, ari_reference);
    tcase_add_test(tc, ari_bad_input);
    suite_add_tcase(s, tc);
    return s;
}
