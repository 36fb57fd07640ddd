/*
 * libFuzzer target: the clustering metrics on arbitrary labels (any int32,
 * the extremes and -1 included) and data (NaN, infinities, 1e308,
 * subnormals, duplicates). Checks that every call returns a documented
 * code, that the output is written only on success, and that values stay
 * in their ranges: Rand index and NMI in [0, 1], ARI in [-1/2, 1], AMI at
 * most 1, silhouette in [-1, 1], Calinski-Harabasz and Davies-Bouldin
 * finite and >= 0; and that the partition comparisons are symmetric.
 */
#include "fuzz_input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define UNTOUCHED (-77.0)

/* Labels: mostly small values shifted by an offset, sometimes the int32
 * extremes and -1. */
static void fz_labels(fuzz_in *in, int32_t *l, size_t n)
{
    static const int32_t special[] = {INT32_MIN, INT32_MIN + 1, -1, 0, INT32_MAX - 1, INT32_MAX};
    int32_t k = 1 + fz_byte(in) % 12, offset = (int32_t)(fz_byte(in) % 7) - 3;
    for (size_t i = 0; i < n; i++) {
        uint8_t b = fz_byte(in);
        l[i] = b < 220 ? (int32_t)(b % k) + offset : special[b % 6];
    }
}

/* The second labeling: independent, the first renamed (an identical
 * partition), or the first with a few items moved. */
static void fz_second(fuzz_in *in, const int32_t *a, int32_t *b, size_t n)
{
    uint8_t how = fz_byte(in) % 3;
    if (how == 0) {
        fz_labels(in, b, n);
        return;
    }
    for (size_t i = 0; i < n; i++)
        b[i] = (int32_t)((uint32_t)a[i] * 2654435761u); /* a bijection of int32 */
    if (how == 2)
        for (size_t i = 0; i < n; i++)
            if (fz_byte(in) > 200)
                b[i] = (int32_t)fz_byte(in) - 100;
}

typedef int (*label_fn)(const int32_t *, const int32_t *, size_t, double *);

/* One comparison, both ways round; the value on success, else NAN. */
static double compare(label_fn fn, const int32_t *a, const int32_t *b, size_t n, double sym_tol)
{
    double ab = UNTOUCHED, ba = UNTOUCHED;
    int rc = fn(a, b, n, &ab);
    fz_require(rc == fn(b, a, n, &ba));
    fz_require(rc == (n == 0 ? MIX_EDIM : MIX_OK));
    if (rc != MIX_OK) {
        fz_require(ab == UNTOUCHED && ba == UNTOUCHED);
        return NAN;
    }
    fz_require(isfinite(ab) && isfinite(ba));
    /* AMI's expectation adds log-factorials in a's order before b's, as
     * scikit-learn does: swapping them changes its rounding (about
     * n log n eps). */
    fz_require(fabs(ab - ba) <= sym_tol);
    return ab;
}

static void partitions(fuzz_in *in)
{
    size_t n = fz_byte(in) % 80;
    if (fz_byte(in) > 240)
        n = 300 + fz_byte(in) * 4; /* a longer run now and then */
    int32_t *a = malloc((n ? n : 1) * sizeof *a), *b = malloc((n ? n : 1) * sizeof *b);
    fz_labels(in, a, n);
    fz_second(in, a, b, n);
    double ari = compare(mix_adjusted_rand_index, a, b, n, 0.0);
    double ri = compare(mix_rand_index, a, b, n, 0.0);
    double nmi = compare(mix_normalized_mutual_info, a, b, n, 1e-12);
    double ami = compare(mix_adjusted_mutual_info, a, b, n, 1e-9);
    if (n > 0) {
        fz_require(ari >= -0.5 - 1e-12 && ari <= 1.0);
        fz_require(ri >= 0.0 && ri <= 1.0);
        fz_require(nmi >= 0.0 && nmi <= 1.0 + 1e-12);
        fz_require(ami <= 1.0 + 1e-9);
        if (ri == 1.0) /* identical partitions */
            fz_require(ari == 1.0 && fabs(nmi - 1.0) <= 1e-12 && fabs(ami - 1.0) <= 1e-9);
    }
    free(a);
    free(b);
}

typedef int (*data_fn)(const double *, size_t, size_t, const int32_t *, double *);

static void judge(data_fn fn, const double *X, size_t n, size_t d, const int32_t *l, int finite,
                  size_t k, int is_silhouette)
{
    double v = UNTOUCHED;
    int rc = fn(X, n, d, l, &v);
    if (n == 0 || d == 0)
        fz_require(rc == MIX_EDIM);
    else if (!finite)
        fz_require(rc == MIX_EDATA);
    else if (k < 2 || k >= n)
        fz_require(rc == MIX_EINVAL);
    else /* overflow of a result is reported, never returned */
        fz_require(rc == MIX_OK || (rc == MIX_EDATA && !is_silhouette));
    if (rc != MIX_OK) {
        fz_require(v == UNTOUCHED);
        return;
    }
    fz_require(isfinite(v));
    if (is_silhouette)
        fz_require(v >= -1.0 && v <= 1.0);
    else
        fz_require(v >= 0.0);
}

/* Distinct values among n labels (n is small here). */
static size_t distinct(const int32_t *l, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        size_t j = 0;
        while (j < i && l[j] != l[i])
            j++;
        k += j == i;
    }
    return k;
}

static void data_metrics(fuzz_in *in)
{
    size_t n, d, unused;
    fz_shape(in, &n, &d, &unused);
    if (fz_byte(in) > 250)
        d = 0;
    uint64_t rng = fz_u32(in);
    double *X = fz_matrix(in, n, d, &rng);
    int32_t *l = malloc((n ? n : 1) * sizeof *l);
    fz_labels(in, l, n);
    int finite = 1;
    for (size_t i = 0; i < n * d; i++)
        finite &= isfinite(X[i]) != 0;
    size_t k = distinct(l, n);
    judge(mix_silhouette_score, X, n, d, l, finite, k, 1);
    judge(mix_calinski_harabasz, X, n, d, l, finite, k, 0);
    judge(mix_davies_bouldin, X, n, d, l, finite, k, 0);
    free(X);
    free(l);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_in in = {data, size};
    if (fz_byte(&in) & 1)
        partitions(&in);
    else
        data_metrics(&in);
    return 0;
}
