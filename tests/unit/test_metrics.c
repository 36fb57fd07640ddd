/*
 * The clustering metrics: closed-form values (hand-computed fractions),
 * scikit-learn's reference values (tests/ref/metrics_ref.h, made by
 * tests/gen_metrics_reference.py, whose comments justify each tolerance),
 * and the status codes.
 */
#include "testutil.h"

#include "metrics/metrics.h" /* MIX__METRICS_MAX_N */
#include "ref/kmeans_ref.h"
#include "ref/metrics_ref.h"

#include <float.h>

/* 1e-12 relative: the requirement. Closed forms are exact fractions, so
 * only the final roundings separate them from the computed values. */
#define REL_TOL 1e-12

static void assert_rel(double got, double want, double rel, const char *what)
{
    ck_assert_msg(fabs(got - want) <= rel * fabs(want), "%s: %.17g, expected %.17g", what, got,
                  want);
}

/* ---- closed forms --------------------------------------------------------- */

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
 * 0.4.0): renaming labels, signs included, changes nothing. */
START_TEST(negative_labels)
{
    const int32_t a[] = {0, 0, 1, 1, 2, 2}, b[] = {0, 0, 1, 2, 2, 2};
    const int32_t a_neg[] = {-1, -1, INT32_MIN, INT32_MIN, INT32_MAX, INT32_MAX},
                  b_neg[] = {-5, -5, 0, 7, 7, 7};
    for (int f = 0; f < 4; f++) {
        int (*fn)(const int32_t *, const int32_t *, size_t, double *) =
            f == 0 ? mix_adjusted_rand_index
            : f == 1 ? mix_rand_index
            : f == 2 ? mix_normalized_mutual_info
                     : mix_adjusted_mutual_info;
        double plain, renamed;
        ck_assert_int_eq(fn(a, b, 6, &plain), MIX_OK);
        ck_assert_int_eq(fn(a_neg, b_neg, 6, &renamed), MIX_OK);
        ck_assert_msg(plain == renamed, "metric %d: %.17g vs %.17g", f, plain, renamed);
    }
    /* a = {0,0,1,1} against b = {0,0,1,2} (ARI 4/7), with extreme labels. */
    const int32_t c[] = {-7, -7, INT32_MAX, INT32_MAX}, d[] = {INT32_MIN, INT32_MIN, -1, 0};
    double v;
    ck_assert_int_eq(mix_adjusted_rand_index(c, d, 4, &v), MIX_OK);
    ck_assert_double_eq_tol(v, 4.0 / 7.0, 1e-15);
}
END_TEST

/* a = {0,0,1,1}, b = {0,0,1,2}: of the 6 pairs only {2,3} is classified
 * differently: RI = 5/6. b refines a, so MI = H_a = log 2, H_b = 1.5 log 2:
 * NMI = log 2 / (1.25 log 2) = 4/5; EMI = (2/3) log 2, so AMI = (1/3) /
 * (7/12) = 4/7. */
START_TEST(partitions_closed_form)
{
    const int32_t a[] = {0, 0, 1, 1}, b[] = {0, 0, 1, 2}, cross[] = {0, 1, 0, 1},
                  zeros[] = {0, 0, 0, 0}, apart[] = {0, 1, 2, 3};
    double v;
    ck_assert_int_eq(mix_rand_index(a, b, 4, &v), MIX_OK);
    assert_rel(v, 5.0 / 6.0, REL_TOL, "RI");
    ck_assert_int_eq(mix_normalized_mutual_info(a, b, 4, &v), MIX_OK);
    assert_rel(v, 0.8, REL_TOL, "NMI");
    ck_assert_int_eq(mix_adjusted_mutual_info(a, b, 4, &v), MIX_OK);
    assert_rel(v, 4.0 / 7.0, REL_TOL, "AMI");
    /* Independent: MI = 0 exactly, NMI 0 (scikit-learn's rule). */
    ck_assert_int_eq(mix_normalized_mutual_info(a, cross, 4, &v), MIX_OK);
    ck_assert_double_eq(v, 0.0);
    ck_assert_int_eq(mix_rand_index(a, cross, 4, &v), MIX_OK);
    assert_rel(v, 2.0 / 6.0, REL_TOL, "RI independent"); /* {0,3}, {1,2} apart in both */
    /* One cluster against several: MI = EMI = 0, NMI = AMI = 0. */
    ck_assert_int_eq(mix_normalized_mutual_info(zeros, apart, 4, &v), MIX_OK);
    ck_assert_double_eq(v, 0.0);
    ck_assert_int_eq(mix_adjusted_mutual_info(zeros, apart, 4, &v), MIX_OK);
    ck_assert_double_eq(v, 0.0);
    /* scikit-learn's special cases: both unsplit, and n = 1. */
    for (size_t n = 1; n <= 4; n += 3) {
        ck_assert_int_eq(mix_normalized_mutual_info(zeros, zeros, n, &v), MIX_OK);
        ck_assert_double_eq(v, 1.0);
        ck_assert_int_eq(mix_adjusted_mutual_info(zeros, zeros, n, &v), MIX_OK);
        ck_assert_double_eq(v, 1.0);
        ck_assert_int_eq(mix_rand_index(zeros, zeros, n, &v), MIX_OK);
        ck_assert_double_eq(v, 1.0);
    }
    /* Every item alone in both: AMI's formula is 0 / 0; identical
     * partitions score 1. */
    ck_assert_int_eq(mix_adjusted_mutual_info(apart, apart, 4, &v), MIX_OK);
    ck_assert_double_eq(v, 1.0);
}
END_TEST

/* ---- scikit-learn's values -------------------------------------------------- */

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

START_TEST(labels_reference)
{
    const label_case *c = &label_cases[_i];
    double ari, ri, nmi, ami;
    ck_assert_int_eq(mix_adjusted_rand_index(c->a, c->b, c->n, &ari), MIX_OK);
    ck_assert_int_eq(mix_rand_index(c->a, c->b, c->n, &ri), MIX_OK);
    ck_assert_int_eq(mix_normalized_mutual_info(c->a, c->b, c->n, &nmi), MIX_OK);
    ck_assert_int_eq(mix_adjusted_mutual_info(c->a, c->b, c->n, &ami), MIX_OK);
    assert_rel(ari, c->ari, REL_TOL, c->name);
    assert_rel(ri, c->ri, REL_TOL, c->name);
    ck_assert_msg(fabs(nmi - c->nmi) <= c->nmi_tol, "%s: NMI %.17g vs %.17g", c->name, nmi, c->nmi);
    ck_assert_msg(fabs(ami - c->ami) <= c->ami_tol, "%s: AMI %.17g vs %.17g", c->name, ami, c->ami);
    /* Symmetric in the two labelings: the pair counts exactly; the
     * information scores up to the order of their sums (1e-12 absolute:
     * they are scores of order 1, and near 0 the relative digits of AMI
     * are lost to the cancellation of MI and EMI). */
    double sym;
    ck_assert_int_eq(mix_adjusted_rand_index(c->b, c->a, c->n, &sym), MIX_OK);
    ck_assert(sym == ari);
    ck_assert_int_eq(mix_rand_index(c->b, c->a, c->n, &sym), MIX_OK);
    ck_assert(sym == ri);
    ck_assert_int_eq(mix_adjusted_mutual_info(c->b, c->a, c->n, &sym), MIX_OK);
    ck_assert_double_eq_tol(sym, ami, 1e-12);
    ck_assert_int_eq(mix_normalized_mutual_info(c->b, c->a, c->n, &sym), MIX_OK);
    ck_assert_double_eq_tol(sym, nmi, 1e-12);
}
END_TEST

/* ---- status codes ------------------------------------------------------------ */

typedef int (*label_fn)(const int32_t *, const int32_t *, size_t, double *);

static const label_fn label_fns[] = {mix_adjusted_rand_index, mix_rand_index,
                                     mix_normalized_mutual_info, mix_adjusted_mutual_info};

START_TEST(label_errors)
{
    label_fn fn = label_fns[_i];
    const int32_t a[] = {0, 1, -1, 5};
    double out = 9;
    ck_assert_int_eq(fn(NULL, a, 4, &out), MIX_EINVAL);
    ck_assert_int_eq(fn(a, NULL, 4, &out), MIX_EINVAL);
    ck_assert_int_eq(fn(a, a, 4, NULL), MIX_EINVAL);
    ck_assert_int_eq(fn(a, a, 0, &out), MIX_EDIM);
    /* Refused before anything is read. */
    ck_assert_int_eq(fn(a, a, MIX__METRICS_MAX_N + 1, &out), MIX_EDIM);
    ck_assert_int_eq(fn(a, a, SIZE_MAX, &out), MIX_EDIM);
    ck_assert(out == 9);
}
END_TEST

Suite *metrics_suite(void)
{
    Suite *s = suite_create("metrics");
    TCase *tc = tcase_create("closed_form");
    tcase_add_test(tc, ari_closed_form);
    tcase_add_test(tc, negative_labels);
    tcase_add_test(tc, partitions_closed_form);
    suite_add_tcase(s, tc);
    tc = tcase_create("reference");
    tcase_add_test(tc, ari_reference);
    tcase_add_loop_test(tc, labels_reference, 0, (int)LABEL_N_CASES);
    suite_add_tcase(s, tc);
    tc = tcase_create("errors");
    tcase_add_loop_test(tc, label_errors, 0, 4);
    suite_add_tcase(s, tc);
    return s;
}
