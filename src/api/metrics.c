/* The clustering metrics: argument checks, then metrics/ (which leaves the
 * output alone unless it succeeds). */
#include "core/common.h"
#include "metrics/metrics.h"

typedef int (*label_metric)(const int32_t *, const int32_t *, size_t, double *);

static int compare(label_metric fn, const int32_t *a, const int32_t *b, size_t n, double *out)
{
    if (a == NULL || b == NULL || out == NULL)
        return MIX_EINVAL;
    if (n == 0 || n > MIX__METRICS_MAX_N)
        return MIX_EDIM;
    return fn(a, b, n, out);
}

int mix_adjusted_rand_index(const int32_t *labels_a, const int32_t *labels_b, size_t n,
                            double *ari)
{
    return compare(mix__adjusted_rand, labels_a, labels_b, n, ari);
}

int mix_rand_index(const int32_t *a, const int32_t *b, size_t n, double *out)
{
    return compare(mix__rand, a, b, n, out);
}

int mix_adjusted_mutual_info(const int32_t *a, const int32_t *b, size_t n, double *out)
{
    return compare(mix__adjusted_mutual_info, a, b, n, out);
}

int mix_normalized_mutual_info(const int32_t *a, const int32_t *b, size_t n, double *out)
{
    return compare(mix__normalized_mutual_info, a, b, n, out);
}
