/*
 * The pair-counting indices (Rand, adjusted Rand) from the contingency
 * table, exactly: the pair counts are integers up to n^2 < 2^62, and the
 * products the adjusted index needs fit in 128 bits, where scikit-learn
 * uses Python's unbounded integers.
 */
#include "metrics/metrics.h"

#include "metrics/contingency.h"

__extension__ typedef __int128 i128;

/* scikit-learn's pair_confusion_matrix: ordered pairs of distinct items,
 * tn (apart in both), fp (together in b only), fn (together in a only),
 * tp (together in both). */
typedef struct pair_counts {
    int64_t tn, fp, fn, tp;
} pair_counts;

static int pairs_of(const int32_t *labels_a, const int32_t *labels_b, size_t n, pair_counts *pc)
{
    mix__contingency t;
    int rc = mix__contingency_make(&t, labels_a, labels_b, n);
    if (rc != MIX_OK)
        return rc;
    int64_t s_ab = 0, s_a = 0, s_b = 0, nn = (int64_t)n;
    for (size_t c = 0; c < t.nnz; c++)
        s_ab += (int64_t)t.count[c] * t.count[c];
    for (size_t r = 0; r < t.rows; r++)
        s_a += (int64_t)t.a[r] * t.a[r];
    for (size_t c = 0; c < t.cols; c++)
        s_b += (int64_t)t.b[c] * t.b[c];
    mix__contingency_free(&t);
    pc->tp = s_ab - nn;
    pc->fp = s_b - s_ab;
    pc->fn = s_a - s_ab;
    pc->tn = nn * nn - pc->fp - pc->fn - s_ab;
    return MIX_OK;
}

int mix__adjusted_rand(const int32_t *labels_a, const int32_t *labels_b, size_t n, double *out)
{
    pair_counts pc;
    int rc = pairs_of(labels_a, labels_b, n, &pc);
    if (rc != MIX_OK)
        return rc;
    if (pc.fn == 0 && pc.fp == 0) { /* identical partitions, n = 1 included */
        *out = 1.0;
        return MIX_OK;
    }
    i128 tn = pc.tn, fp = pc.fp, fn = pc.fn, tp = pc.tp;
    i128 num = 2 * (tp * tn - fn * fp);
    i128 den = (tp + fn) * (fn + tn) + (tp + fp) * (fp + tn);
    /* Python's 2.0 * int / int: each integer rounded once to double (the
     * factor 2 is exact), then one division. long double is avoided
     * because tools such as valgrind emulate it at double precision. */
    *out = (double)num / (double)den;
    return MIX_OK;
}

int mix__rand(const int32_t *labels_a, const int32_t *labels_b, size_t n, double *out)
{
    pair_counts pc;
    int rc = pairs_of(labels_a, labels_b, n, &pc);
    if (rc != MIX_OK)
        return rc;
    int64_t agree = pc.tp + pc.tn, pairs = pc.tp + pc.tn + pc.fp + pc.fn;
    /* scikit-learn's special cases: one item (no pairs), or every pair
     * classified alike; otherwise numpy's int64 / int64. */
    *out = agree == pairs || pairs == 0 ? 1.0 : (double)agree / (double)pairs;
    return MIX_OK;
}
