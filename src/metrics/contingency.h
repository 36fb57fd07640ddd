/*
 * Private to metrics/: labelings as scikit-learn sees them. Labels are any
 * int32 values; like np.unique / LabelEncoder, the clusters are numbered
 * 0 .. k-1 in increasing order of their label, which fixes the order of
 * every sum over clusters. Grouping is done by sorting (an LSD radix sort
 * on the label's bytes, O(n) per byte that varies), never by comparing
 * every item with every cluster.
 */
#ifndef MIX__METRICS_CONTINGENCY_H
#define MIX__METRICS_CONTINGENCY_H

#include "metrics/metrics.h"

#include <math.h>

typedef struct mix__partition {
    size_t n, k;
    uint32_t *code;  /* n: the cluster of each item, 0 .. k-1 in label order */
    uint32_t *order; /* n: the items by cluster, each cluster's in index order */
    size_t *start;   /* k + 1: cluster c is order[start[c]] .. order[start[c+1] - 1] */
} mix__partition;

/* The partition given by n labels (1 <= n <= MIX__METRICS_MAX_N). MIX_OK or
 * MIX_ENOMEM (then nothing is allocated). */
int mix__partition_make(mix__partition *p, const int32_t *labels, size_t n);
void mix__partition_free(mix__partition *p);

/* Number of items in cluster c. */
static inline size_t mix__partition_size(const mix__partition *p, size_t c)
{
    return p->start[c + 1] - p->start[c];
}

/*
 * The contingency table of two labelings (rows: clusters of a, columns:
 * clusters of b), its nonzero cells in scikit-learn's order (that of
 * scipy.sparse.find on the table: by column, then by row) and its
 * marginals.
 */
typedef struct mix__contingency {
    size_t n, rows, cols, nnz;
    uint32_t *row, *col, *count; /* nnz cells */
    uint32_t *a, *b;             /* rows and cols: the clusters' sizes */
} mix__contingency;

int mix__contingency_make(mix__contingency *t, const int32_t *labels_a, const int32_t *labels_b,
                          size_t n);
void mix__contingency_free(mix__contingency *t);

/* log(p / q) for integers 0 < p, q < 2^63: log1p of the exact difference
 * over q where the ratio is not far below 1 (near 1, a difference of two
 * logarithms would lose the digits that matter), else the logarithm of the
 * rounded ratio (then large, and the rounding relatively small). */
static inline double mix__log_ratio(uint64_t p, uint64_t q)
{
    if (p < q / 2)
        return log((double)p / (double)q);
    return log1p((double)((int64_t)p - (int64_t)q) / (double)q);
}

/* The expected mutual information of labelings with the table's marginals
 * (emi.c). MIX_OK or MIX_ENOMEM. */
int mix__expected_mutual_info(const mix__contingency *t, double *emi);

#endif /* MIX__METRICS_CONTINGENCY_H */
