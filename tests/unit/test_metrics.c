/*
 * The clustering metrics: closed-form values (hand-computed fractions),
 * scikit-learn's reference values, and the status codes.
 */
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

/* Negative labels are clusters like any other (they were MIX_EINVAL before
 * 0.4.0): renaming labels, signs and extremes included, changes nothing. */
START_TEST(negative_labels)
{
    const int32_t a[] = {0, 0, 1, 1, 2, 2}, b[] = {0, 0, 1, 2, 2, 2};
    const int32_t a_neg[] = {-1, -1, INT32_MIN, INT32_MIN, INT32_MAX, INT32_MAX},
                  b_neg[] = {-5, -5, 0, 7, 7, 7};
    double plain, renamed;
    ck_assert_int_eq(mix_adjusted_rand_index(a, b, 6, &plain), MIX_OK);
    ck_assert_int_eq(mix_adjusted_rand_index(a_neg, b_neg, 6, &renamed), MIX_OK);
    ck_assert(plain == renamed);
    /* a = {0,0,1,1} against b = {0,0,1,2} (4/7), with extreme labels. */
    const int32_t c[] = {-7, -7, INT32_MAX, INT32_MAX}, d[] = {INT32_MIN, INT32_MIN, -1, 0};
    ck_assert_int_eq(mix_adjusted_rand_index(c, d, 4, &renamed), MIX_OK);
    ck_assert_double_eq_tol(renamed, 4.0 / 7.0, 1e-15);
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
    const int32_t a[] = {0, 1};
    double ari = 9;
    ck_assert_int_eq(mix_adjusted_rand_index(NULL, a, 2, &ari), MIX_EINVAL);
    ck_assert_int_eq(mix_adjusted_rand_index(a, NULL, 2, &ari), MIX_EINVAL);
    ck_assert_int_eq(mix_adjusted_rand_index(a, a, 2, NULL), MIX_EINVAL);
    ck_assert_int_eq(mix_adjusted_rand_index(a, a, 0, &ari), MIX_EDIM);
    /* Refused before anything is read. */
    ck_assert_int_eq(mix_adjusted_rand_index(a, a, ((size_t)1 << 31) + 1, &ari), MIX_EDIM);
    ck_assert_int_eq(mix_adjusted_rand_index(a, a, SIZE_MAX, &ari), MIX_EDIM);
    ck_assert(ari == 9);
}
END_TEST

Suite *metrics_suite(void)
{
    Suite *s = suite_create("metrics");
    TCase *tc = tcase_create("ari");
    tcase_add_test(tc, ari_closed_form);
    tcase_add_test(tc, negative_labels);
    tcase_add_test(tc, ari_reference);
    tcase_add_test(tc, ari_bad_input);
    suite_add_tcase(s, tc);
    return s;
}
