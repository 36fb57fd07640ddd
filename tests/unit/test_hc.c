/*
 * Model-based hierarchical agglomeration (src/hc_vvv.c) against R's mclust
 * 6.0.0 (tests/ref/mclust_ref.h, made by tests/gen_mclust_reference.R):
 * hclass(hc(X, "VVV", "SVD"), G) must come out exactly, labels included
 * (ours are mclust's minus one), from the raw data and from mclust's own
 * transformed data. Exact agreement is what we get, so that is what is
 * asserted. At G = 2..9 the partitions do not hinge on rounding: the merges
 * that make them win by at least 0.119 (iris) and 0.331 (faithful) in cost,
 * and in R relative perturbations of 1e-14 of the transformed data
 * (duplicates kept) leave every one of them unchanged. Finer levels can
 * hinge on it: pairs whose rows differ by the same steps of the data's
 * 0.1 grid tie mathematically. From the raw data our whole trees equal
 * mclust's (every level of iris and faithful). From mclust's transformed
 * iris data, merge 57 compares rows 58+94 and 117+138 (differences
 * (0.1, -0.1, 0, 0) and (-0.1, 0.1, 0, 0)): from the raw data we get
 * -1.2446953348353613 for both, an exact tie that the order of positions
 * gives to 58+94, as mclust merges them; on mclust's Z we get -1.2446953348353622
 * for 117+138, one unit in the last place lower, and merge it first. Levels G = 93 and 92 differ, the
 * trees join again at G = 91. Those levels are not asserted.
 *
 * Then degenerate data (duplicates, constant columns, d > n, k == n,
 * k == 1), errors, and mclust's fitted mixtures (the table the GMM parity
 * will use) checked for consistency with our own density code.
 */
#include "testutil.h"

#include "mixture/hc_vvv.h"
#include "ref/mclust_ref.h"

#define N_DATASETS (sizeof mref_datasets / sizeof mref_datasets[0])
#define N_FITS (sizeof mref_fits / sizeof mref_fits[0])
#define G_CASES 8 /* G = 2..9 per data set (fewer for small ones) */

/* hclass's numbering: label 0 at row 0, each new label one more than the
 * largest so far, exactly k of them. */
static void assert_numbering(const int32_t *labels, size_t n, size_t k)
{
    int32_t top = -1;
    for (size_t i = 0; i < n; i++) {
        ck_assert_msg(labels[i] >= 0 && labels[i] <= top + 1, "row %zu: label %d after top %d", i,
                      labels[i], top);
        if (labels[i] > top)
            top = labels[i];
    }
    ck_assert_int_eq(top + 1, (int32_t)k);
}

/* The rows where labels differ from mclust's (minus one). */
static size_t mismatches(const int32_t *labels, const int32_t *ref, size_t n)
{
    size_t bad = 0;
    for (size_t i = 0; i < n; i++)
        bad += labels[i] != ref[i] - 1;
    return bad;
}

/* Case _i: data set _i / G_CASES at G = 2 + _i % G_CASES, if it has it. */
static const mref_data *data_case(int i, size_t *k, const int32_t **ref)
{
    const mref_data *m = &mref_datasets[i / G_CASES];
    *k = 2 + (size_t)(i % G_CASES);
    if (*k > m->g_hi)
        return NULL;
    *ref = m->hclass + (*k - m->g_lo) * m->n;
    return m;
}

START_TEST(partitions_from_raw_data)
{
    size_t k;
    const int32_t *ref;
    const mref_data *m = data_case(_i, &k, &ref);
    if (m == NULL)
        return;
    int32_t *labels = malloc(m->n * sizeof *labels);
    ck_assert_int_eq(mix__hc_vvv(m->X, m->n, m->d, k, labels), MIX_OK);
    ck_assert_msg(mismatches(labels, ref, m->n) == 0, "%s, G = %zu: %zu rows differ from mclust",
                  m->name, k, mismatches(labels, ref, m->n));
    assert_numbering(labels, m->n, k);
    free(labels);
}
END_TEST

START_TEST(partitions_from_mclust_transformed_data)
{
    size_t k;
    const int32_t *ref;
    const mref_data *m = data_case(_i, &k, &ref);
    if (m == NULL)
        return;
    int32_t *labels = malloc(m->n * sizeof *labels);
    ck_assert_int_eq(mix__hc_vvv_transformed(m->Z, m->n, m->q, k, labels), MIX_OK);
    ck_assert_msg(mismatches(labels, ref, m->n) == 0, "%s, G = %zu: %zu rows differ from mclust",
                  m->name, k, mismatches(labels, ref, m->n));
    free(labels);
}
END_TEST

static const mref_data *find_data(const char *name)
{
    for (size_t i = 0; i < N_DATASETS; i++)
        if (strcmp(mref_datasets[i].name, name) == 0)
            return &mref_datasets[i];
    ck_abort_msg("no data set %s", name);
    return NULL;
}

/* Columns of one value are dropped (mclust's dropCols): faithful with a
 * constant column before and after its two gives faithful's partitions. */
START_TEST(constant_columns_are_dropped)
{
    const mref_data *m = find_data("faithful");
    size_t n = m->n, d = m->d + 2;
    double *X = malloc(n * d * sizeof *X);
    for (size_t i = 0; i < n; i++) {
        X[i * d] = 42.5;
        memcpy(X + i * d + 1, m->X + i * m->d, m->d * sizeof *X);
        X[i * d + d - 1] = -1e300;
    }
    int32_t *labels = malloc(n * sizeof *labels);
    for (size_t k = m->g_lo; k <= m->g_hi; k++) {
        ck_assert_int_eq(mix__hc_vvv(X, n, d, k, labels), MIX_OK);
        ck_assert_uint_eq(mismatches(labels, m->hclass + (k - m->g_lo) * n, n), 0);
    }
    free(X);
    free(labels);
}
END_TEST

/* The caller's units do not matter: columns scaled by powers of two give
 * the same transformed data bit for bit (the whole tree agrees), even into
 * subnormal numbers (waiting in units of 2^-1074) or near overflow, and
 * faithful in seconds and hours with an offset, whose rounding differs,
 * still gives mclust's partitions at G = 2..9. */
START_TEST(units_do_not_matter)
{
    const mref_data *m = find_data("faithful");
    size_t n = m->n, d = m->d;
    double *A = malloc(n * d * sizeof *A), *B = malloc(n * d * sizeof *B);
    for (size_t i = 0; i < n; i++) {
        A[i * d] = m->X[i * d] * 0x1p+1000;
        A[i * d + 1] = m->X[i * d + 1] * 0x1p-1074; /* integers: exact subnormals */
        B[i * d] = m->X[i * d] * 60 + 1000;
        B[i * d + 1] = m->X[i * d + 1] / 60;
    }
    int32_t *la = malloc(n * sizeof *la), *lb = malloc(n * sizeof *lb);
    for (size_t k = 2; k < n; k += k < 20 ? 1 : 17) {
        ck_assert_int_eq(mix__hc_vvv(m->X, n, d, k, la), MIX_OK);
        ck_assert_int_eq(mix__hc_vvv(A, n, d, k, lb), MIX_OK);
        ck_assert_msg(memcmp(la, lb, n * sizeof *la) == 0, "k = %zu", k);
    }
    for (size_t k = m->g_lo; k <= m->g_hi; k++) {
        ck_assert_int_eq(mix__hc_vvv(B, n, d, k, lb), MIX_OK);
        ck_assert_uint_eq(mismatches(lb, m->hclass + (k - m->g_lo) * n, n), 0);
    }
    free(A);
    free(B);
    free(la);
    free(lb);
}
END_TEST

/* Every row equal (all columns constant), and duplicates only: valid
 * labels for every k, no NaN path, deterministic. */
START_TEST(all_rows_equal)
{
    enum { n = 12, d = 3 };
    double X[n * d];
    for (size_t i = 0; i < n * d; i++)
        X[i] = (double)(i % d) - 0.5;
    int32_t labels[n], again[n];
    for (size_t k = 1; k <= n; k++) {
        ck_assert_int_eq(mix__hc_vvv(X, n, d, k, labels), MIX_OK);
        assert_numbering(labels, n, k);
        ck_assert_int_eq(mix__hc_vvv(X, n, d, k, again), MIX_OK);
        ck_assert(memcmp(labels, again, sizeof labels) == 0);
    }
}
END_TEST

/*
 * Every row twice: the first merge joins the last pair of twins (rows 17
 * and 35: the least possible cost, tied between all twins, and the last
 * pair in the order (j, i) wins). Twins are not guaranteed to end together:
 * a cluster may take one of them before they meet, as mclust does on these
 * data (row 24 joins rows 3 and 21 at k = 18 while its twin 6 is still
 * alone, mclust's hclass identical at k = 3 and 18). iris30x3 checks
 * duplicates against mclust.
 */
START_TEST(duplicate_rows)
{
    enum { n = 36, d = 2 };
    double X[n * d];
    uint64_t seed = 11;
    for (size_t i = 0; i < n / 2; i++) {
        double cx = (double)(i % 3) * 100, x = cx + tu_normal(&seed), y = tu_normal(&seed);
        X[i * d] = X[(i + n / 2) * d] = x;
        X[i * d + 1] = X[(i + n / 2) * d + 1] = y;
    }
    int32_t labels[n];
    for (size_t k = 1; k <= n; k++) {
        ck_assert_int_eq(mix__hc_vvv(X, n, d, k, labels), MIX_OK);
        assert_numbering(labels, n, k);
    }
    ck_assert_int_eq(mix__hc_vvv(X, n, d, n - 1, labels), MIX_OK);
    for (size_t i = 0; i < n; i++)
        ck_assert_int_eq(labels[i], i == 35 ? 17 : (int32_t)i);
    static const int32_t k18[n] = {0, 1, 2,  3, 1, 4,  5, 1, 6,  7, 1, 8,  0, 1, 9,  0, 10, 11,
                                   0, 1, 12, 3, 1, 13, 3, 1, 14, 15, 1, 16, 0, 1, 17, 0, 10, 11};
    ck_assert_int_eq(mix__hc_vvv(X, n, d, 18, labels), MIX_OK);
    ck_assert(memcmp(labels, k18, sizeof k18) == 0);
}
END_TEST

/* d > n (rank n - 1 after centring) and collinear columns: finite, valid,
 * deterministic; collinear copies of columns change nothing that the
 * criterion sees beyond rounding. */
START_TEST(rank_deficient_data)
{
    enum { n = 5, d = 9 };
    double X[n * d];
    uint64_t seed = 5;
    for (size_t i = 0; i < n * d; i++)
        X[i] = tu_normal(&seed);
    int32_t labels[n];
    for (size_t k = 1; k <= n; k++) {
        ck_assert_int_eq(mix__hc_vvv(X, n, d, k, labels), MIX_OK);
        assert_numbering(labels, n, k);
    }
    /* iris with its first column repeated twice (scaled): q = 4 of 6. */
    const mref_data *m = find_data("iris");
    size_t dd = m->d + 2;
    double *Y = malloc(m->n * dd * sizeof *Y);
    int32_t *lab = malloc(m->n * sizeof *lab);
    for (size_t i = 0; i < m->n; i++) {
        memcpy(Y + i * dd, m->X + i * m->d, m->d * sizeof *Y);
        Y[i * dd + m->d] = 2 * m->X[i * m->d];
        Y[i * dd + m->d + 1] = -3 * m->X[i * m->d];
    }
    for (size_t k = 1; k <= 9; k++) {
        ck_assert_int_eq(mix__hc_vvv(Y, m->n, dd, k, lab), MIX_OK);
        assert_numbering(lab, m->n, k);
    }
    free(Y);
    free(lab);
}
END_TEST

START_TEST(trivial_k)
{
    const mref_data *m = find_data("iris");
    int32_t *labels = malloc(m->n * sizeof *labels);
    ck_assert_int_eq(mix__hc_vvv(m->X, m->n, m->d, m->n, labels), MIX_OK);
    for (size_t i = 0; i < m->n; i++)
        ck_assert_int_eq(labels[i], (int32_t)i);
    ck_assert_int_eq(mix__hc_vvv(m->X, m->n, m->d, 1, labels), MIX_OK);
    for (size_t i = 0; i < m->n; i++)
        ck_assert_int_eq(labels[i], 0);
    /* n - 1: one merge, mclust's first (a pair of duplicate rows). */
    ck_assert_int_eq(mix__hc_vvv(m->X, m->n, m->d, m->n - 1, labels), MIX_OK);
    assert_numbering(labels, m->n, m->n - 1);
    ck_assert_int_eq(labels[101], labels[142]);
    double one = 3;
    ck_assert_int_eq(mix__hc_vvv(&one, 1, 1, 1, labels), MIX_OK);
    ck_assert_int_eq(labels[0], 0);
    /* Two rows, one column, k = 1 and 2; n = 3 in one column. */
    const double two[] = {1, 2, 10};
    ck_assert_int_eq(mix__hc_vvv(two, 3, 1, 2, labels), MIX_OK);
    ck_assert_int_eq(labels[0], 0);
    ck_assert_int_eq(labels[1], 0);
    ck_assert_int_eq(labels[2], 1);
    free(labels);
}
END_TEST

START_TEST(errors)
{
    const double X[] = {1, 2, 3, 4, 5, 7};
    int32_t labels[3] = {-7, -7, -7};
    ck_assert_int_eq(mix__hc_vvv(NULL, 3, 2, 2, labels), MIX_EINVAL);
    ck_assert_int_eq(mix__hc_vvv(X, 3, 2, 2, NULL), MIX_EINVAL);
    ck_assert_int_eq(mix__hc_vvv(X, 3, 2, 0, labels), MIX_EDIM);
    ck_assert_int_eq(mix__hc_vvv(X, 3, 2, 4, labels), MIX_EDIM);
    ck_assert_int_eq(mix__hc_vvv(X, 0, 2, 1, labels), MIX_EDIM);
    ck_assert_int_eq(mix__hc_vvv(X, 3, 0, 1, labels), MIX_EDIM);
    ck_assert_int_eq(mix__hc_vvv(X, SIZE_MAX / 2, 2, 2, labels), MIX_EDIM);
    double Y[] = {1, 2, 3, NAN, 5, 7};
    ck_assert_int_eq(mix__hc_vvv(Y, 3, 2, 2, labels), MIX_EDATA);
    ck_assert_int_eq(mix__hc_vvv(Y, 3, 2, 3, labels), MIX_EDATA);
    Y[3] = -INFINITY;
    ck_assert_int_eq(mix__hc_vvv(Y, 3, 2, 1, labels), MIX_EDATA);
    ck_assert_int_eq(mix__hc_vvv_transformed(Y, 3, 2, 2, labels), MIX_EDATA);
    for (int i = 0; i < 3; i++)
        ck_assert_int_eq(labels[i], -7); /* written only on success */
}
END_TEST

/*
 * mclust's fitted mixtures (the reference for starting EM from this
 * agglomeration) in our shapes: our log-likelihood of the data under
 * mclust's parameters is mclust's (estep's; Mclust's own loglik is the
 * previous iteration's, lower by less than its tolerance), and our BIC is
 * mclust's with the opposite sign once that lag is accounted for: the
 * parameter counts of VVV, EEE, VVI and VII are those of full, tied, diag
 * and spherical.
 */
START_TEST(mclust_fits_are_consistent)
{
    const mref_fit *f = &mref_fits[_i];
    const mref_data *m = &mref_datasets[f->data];
    size_t k = f->k, d = m->d;
    double *cov = malloc(k * d * d * sizeof *cov);
    size_t len = 0;
    for (size_t c = 0; c < k; c++) {
        const double *S = f->sigma + c * d * d;
        switch (f->cov_type) {
        case MIX_COV_FULL:
            memcpy(cov + len, S, d * d * sizeof *cov);
            len += d * d;
            break;
        case MIX_COV_TIED:
            for (size_t t = 0; t < d * d; t++)
                ck_assert_double_eq(S[t], f->sigma[t]); /* one shared matrix */
            if (c == 0) {
                memcpy(cov, S, d * d * sizeof *cov);
                len = d * d;
            }
            break;
        case MIX_COV_DIAG:
            for (size_t t = 0; t < d; t++)
                cov[len++] = S[t * d + t];
            break;
        default:
            for (size_t t = 1; t < d; t++)
                ck_assert_double_eq(S[t * d + t], S[0]);
            cov[len++] = S[0];
        }
    }
    gmm_t *g = mix_gmm_create(k, (mix_covariance)f->cov_type);
    ck_assert_int_eq(mix_gmm_set_params(g, d, f->pro, f->mean, cov), MIX_OK);
    double ll, bic;
    ck_assert_int_eq(mix_gmm_loglik(g, m->X, m->n, d, &ll), MIX_OK);
    ck_assert_int_eq(mix_gmm_bic(g, m->X, m->n, d, &bic), MIX_OK);
    ck_assert_msg(fabs(ll - f->loglik_params) <= 1e-10 * fabs(f->loglik),
                  "%s %s G=%zu: %.17g vs %.17g", m->name, f->model, k, ll, f->loglik_params);
    /* EM's last step raised the log-likelihood, by less than mclust's tol. */
    ck_assert(f->loglik <= f->loglik_params);
    ck_assert(f->loglik_params - f->loglik <= 1e-5 * (1 + fabs(f->loglik)));
    double expect = -f->bic + 2 * (f->loglik - f->loglik_params);
    ck_assert_msg(fabs(bic - expect) <= 1e-10 * fabs(f->bic), "%s %s G=%zu: BIC %.17g vs %.17g",
                  m->name, f->model, k, bic, expect);
    ck_assert_int_ge(f->n_iter, 1);
    mix_gmm_free(g);
    free(cov);
}
END_TEST

Suite *hc_suite(void)
{
    Suite *s = suite_create("hc_vvv");
    TCase *tc = tcase_create("mclust");
    tcase_add_loop_test(tc, partitions_from_raw_data, 0, (int)(N_DATASETS * G_CASES));
    tcase_add_loop_test(tc, partitions_from_mclust_transformed_data, 0,
                        (int)(N_DATASETS * G_CASES));
    tcase_add_loop_test(tc, mclust_fits_are_consistent, 0, (int)N_FITS);
    suite_add_tcase(s, tc);
    TCase *dg = tcase_create("degenerate");
    tcase_add_test(dg, constant_columns_are_dropped);
    tcase_add_test(dg, units_do_not_matter);
    tcase_add_test(dg, all_rows_equal);
    tcase_add_test(dg, duplicate_rows);
    tcase_add_test(dg, rank_deficient_data);
    tcase_add_test(dg, trivial_k);
    tcase_add_test(dg, errors);
    suite_add_tcase(s, dg);
    return s;
}
