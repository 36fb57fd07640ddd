/*
 * The clustering metrics: closed-form values (hand-computed fractions),
 * scikit-learn's reference values (tests/ref/metrics_ref.h, made by
 * tests/gen_metrics_reference.py, whose comments justify each tolerance),
 * the status codes, and results that do not depend on the thread count.
 */
#include "testutil.h"

#include "metrics/metrics.h"
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

/* Points 0, 1 | 4, 5 on a line. Silhouette: a = 1 everywhere, b = 4.5 for
 * the outer points and 3.5 for the inner ones, s = 7/9 and 5/7: mean
 * 47/63. Calinski-Harabasz: B = 16, W = 1, n - k = 2, k - 1 = 1: 32.
 * Davies-Bouldin: s_C = 1/2, centroid distance 4: 1/4. */
START_TEST(data_closed_form)
{
    const double X[] = {0, 1, 4, 5};
    const int32_t lab[] = {-3, -3, 8, 8};
    double v;
    ck_assert_int_eq(mix_silhouette_score(X, 4, 1, lab, &v), MIX_OK);
    assert_rel(v, 47.0 / 63.0, REL_TOL, "silhouette");
    ck_assert_int_eq(mix_calinski_harabasz(X, 4, 1, lab, &v), MIX_OK);
    assert_rel(v, 32.0, REL_TOL, "Calinski-Harabasz");
    ck_assert_int_eq(mix_davies_bouldin(X, 4, 1, lab, &v), MIX_OK);
    assert_rel(v, 0.25, REL_TOL, "Davies-Bouldin");
    /* A singleton counts 0: 0, 1 | 5 gives (4/5 + 3/4 + 0) / 3 = 31/60. */
    const double Y[] = {0, 1, 5};
    const int32_t yl[] = {6, 6, 2};
    ck_assert_int_eq(mix_silhouette_score(Y, 3, 1, yl, &v), MIX_OK);
    assert_rel(v, 31.0 / 60.0, REL_TOL, "silhouette with a singleton");
    /* Clusters of duplicates: W = 0 gives 1 (scikit-learn's rule); every
     * s_C is 0, so Davies-Bouldin is 0; the silhouette is 1 exactly (the
     * distances within a cluster are exactly 0). */
    const double Z[] = {2, 7, 2, 7, 3, -1, 3, -1};
    const int32_t zl[] = {1, 1, 2, 2};
    ck_assert_int_eq(mix_calinski_harabasz(Z, 4, 2, zl, &v), MIX_OK);
    ck_assert_double_eq(v, 1.0);
    ck_assert_int_eq(mix_davies_bouldin(Z, 4, 2, zl, &v), MIX_OK);
    ck_assert_double_eq(v, 0.0);
    ck_assert_int_eq(mix_silhouette_score(Z, 4, 2, zl, &v), MIX_OK);
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

START_TEST(data_reference)
{
    const data_case *c = &data_cases[_i];
    double sil, ch, db;
    ck_assert_int_eq(mix_silhouette_score(c->X, c->n, c->d, c->labels, &sil), MIX_OK);
    ck_assert_int_eq(mix_calinski_harabasz(c->X, c->n, c->d, c->labels, &ch), MIX_OK);
    ck_assert_int_eq(mix_davies_bouldin(c->X, c->n, c->d, c->labels, &db), MIX_OK);
    /* Exact distances: the exact values to 1e-12, and scikit-learn's where
     * its expanded distances are good to 5e-13. */
    assert_rel(sil, c->sil_exact, REL_TOL, c->name);
    if (c->sil_sk_ok)
        assert_rel(sil, c->sil, REL_TOL, c->name);
    assert_rel(db, c->db_exact, REL_TOL, c->name);
    if (c->db_sk_ok)
        assert_rel(db, c->db, REL_TOL, c->name);
    /* numpy's order of operations: scikit-learn's value to the bit. */
    ck_assert_msg(ch == c->ch, "%s: Calinski-Harabasz %.17g vs %.17g", c->name, ch, c->ch);
}
END_TEST

/* ---- status codes ------------------------------------------------------------ */

typedef int (*label_fn)(const int32_t *, const int32_t *, size_t, double *);
typedef int (*data_fn)(const double *, size_t, size_t, const int32_t *, double *);

static const label_fn label_fns[] = {mix_adjusted_rand_index, mix_rand_index,
                                     mix_normalized_mutual_info, mix_adjusted_mutual_info};
static const data_fn data_fns[] = {mix_silhouette_score, mix_calinski_harabasz,
                                   mix_davies_bouldin};

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

START_TEST(data_errors)
{
    data_fn fn = data_fns[_i];
    double X[] = {0, 1, 2, 3, 4, 5, 6, 7}, out = 9;
    const int32_t lab[] = {0, 0, 1, 1}, one[] = {4, 4, 4, 4}, all[] = {0, 1, 2, 3};
    ck_assert_int_eq(fn(NULL, 4, 2, lab, &out), MIX_EINVAL);
    ck_assert_int_eq(fn(X, 4, 2, NULL, &out), MIX_EINVAL);
    ck_assert_int_eq(fn(X, 4, 2, lab, NULL), MIX_EINVAL);
    ck_assert_int_eq(fn(X, 0, 2, lab, &out), MIX_EDIM);
    ck_assert_int_eq(fn(X, 4, 0, lab, &out), MIX_EDIM);
    ck_assert_int_eq(fn(X, SIZE_MAX / 4, 3, lab, &out), MIX_EDIM); /* n d overflows */
    ck_assert_int_eq(fn(X, MIX__METRICS_MAX_N + 1, 1, lab, &out), MIX_EDIM);
    /* scikit-learn raises for 1 label and for n labels; n = 1 is both. */
    ck_assert_int_eq(fn(X, 4, 2, one, &out), MIX_EINVAL);
    ck_assert_int_eq(fn(X, 4, 2, all, &out), MIX_EINVAL);
    ck_assert_int_eq(fn(X, 1, 2, lab, &out), MIX_EINVAL);
    ck_assert_int_eq(fn(X, 2, 2, lab + 1, &out), MIX_EINVAL);
    X[5] = NAN;
    ck_assert_int_eq(fn(X, 4, 2, lab, &out), MIX_EDATA);
    X[5] = -INFINITY;
    ck_assert_int_eq(fn(X, 4, 2, lab, &out), MIX_EDATA);
    /* Bad data is reported before bad labels, as scikit-learn checks. */
    ck_assert_int_eq(fn(X, 4, 2, one, &out), MIX_EDATA);
    ck_assert(out == 9);
    X[5] = 5;
    ck_assert_int_eq(fn(X, 4, 2, lab, &out), MIX_OK);
    ck_assert(out != 9);
}
END_TEST

/* ---- threads ------------------------------------------------------------------ */

/* Labels 0 .. k-1 drawn at random, and normal data. */
static void random_problem(size_t n, size_t d, size_t k, uint64_t seed, double *X, int32_t *lab)
{
    for (size_t i = 0; i < n * d; i++)
        X[i] = tu_normal(&seed);
    for (size_t i = 0; i < n; i++)
        lab[i] = (int32_t)(tu_next(&seed) % k) - (int32_t)(k / 2);
}

/*
 * Bit-identical for 1, 2, 3 and 8 threads: with few clusters (the whole
 * table of sums, scheduled as a tournament of blocks, an odd number of
 * blocks included) and with many (blocks of rows alone).
 */
START_TEST(threads_do_not_change_results)
{
    const size_t shapes[][3] = {{1100, 3, 5}, {1300, 2, 700}, {700, 5, 2}};
    const size_t n = shapes[_i][0], d = shapes[_i][1], k = shapes[_i][2];
    double *X = malloc(n * d * sizeof *X);
    int32_t *lab = malloc(n * sizeof *lab);
    random_problem(n, d, k, 77 + _i, X, lab);
    double sil1, db1, sil, db;
    ck_assert_int_eq(mix__silhouette(X, n, d, lab, 1, &sil1), MIX_OK);
    ck_assert_int_eq(mix__davies_bouldin(X, n, d, lab, 1, &db1), MIX_OK);
    const int threads[] = {2, 3, 8};
    for (int t = 0; t < 3; t++) {
        ck_assert_int_eq(mix__silhouette(X, n, d, lab, threads[t], &sil), MIX_OK);
        ck_assert_int_eq(mix__davies_bouldin(X, n, d, lab, threads[t], &db), MIX_OK);
        ck_assert_msg(sil == sil1, "silhouette %d threads: %.17g vs %.17g", threads[t], sil, sil1);
        ck_assert_msg(db == db1, "Davies-Bouldin %d threads: %.17g vs %.17g", threads[t], db, db1);
    }
    ck_assert_double_ge(sil1, -1.0);
    ck_assert_double_le(sil1, 1.0);
    free(X);
    free(lab);
}
END_TEST

/* The silhouette's two strategies (the whole table of sums with each
 * distance once, or blocks of rows with each distance twice) sum in other
 * orders but agree to rounding: a problem just below and just above the
 * switch at 256 clusters, with the same distances. */
START_TEST(silhouette_strategies_agree)
{
    const size_t n = 900, d = 3;
    double *X = malloc(n * d * sizeof *X), a, b;
    int32_t *lab = malloc(n * sizeof *lab), *lab2 = malloc(n * sizeof *lab2);
    random_problem(n, d, 256, 5, X, lab);
    for (size_t i = 0; i < n; i++) /* every one of the 256 labels used */
        lab[i] = (int32_t)(i % 256);
    /* One more cluster: a single far item, which moves no other a_i, b_i
     * unless it is the closest cluster (it is not: it is far away). */
    memcpy(lab2, lab, n * sizeof *lab);
    for (size_t t = 0; t < d; t++)
        X[(n - 1) * d + t] = 1e3;
    lab[n - 1] = lab[0];
    lab2[n - 1] = 1000;
    ck_assert_int_eq(mix__silhouette(X, n, d, lab2, 2, &b), MIX_OK); /* 257 clusters */
    ck_assert_int_eq(mix__silhouette(X, n - 1, d, lab, 2, &a), MIX_OK); /* 256, without it */
    /* With it, its own s is 0 (a singleton): mean over n instead of n - 1. */
    ck_assert_double_eq_tol(b * (double)n / (double)(n - 1), a, 1e-13);
    free(X);
    free(lab);
    free(lab2);
}
END_TEST

Suite *metrics_suite(void)
{
    Suite *s = suite_create("metrics");
    TCase *tc = tcase_create("closed_form");
    tcase_add_test(tc, ari_closed_form);
    tcase_add_test(tc, negative_labels);
    tcase_add_test(tc, partitions_closed_form);
    tcase_add_test(tc, data_closed_form);
    suite_add_tcase(s, tc);
    tc = tcase_create("reference");
    tcase_add_test(tc, ari_reference);
    tcase_add_loop_test(tc, labels_reference, 0, (int)LABEL_N_CASES);
    tcase_add_loop_test(tc, data_reference, 0, (int)DATA_N_CASES);
    suite_add_tcase(s, tc);
    tc = tcase_create("errors");
    tcase_add_loop_test(tc, label_errors, 0, 4);
    tcase_add_loop_test(tc, data_errors, 0, 3);
    suite_add_tcase(s, tc);
    tc = tcase_create("threads");
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, threads_do_not_change_results, 0, 3);
    tcase_add_test(tc, silhouette_strategies_agree);
    suite_add_tcase(s, tc);
    return s;
}
