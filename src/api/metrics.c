/* The clustering metrics: argument checks, then metrics/ (which leaves the
 * output alone unless it succeeds). */
#include "core/common.h"
#include "core/data.h"
#include "core/threads.h"
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

typedef int (*data_metric)(const double *, size_t, size_t, const int32_t *, int, double *);

/* The data metrics take every online core: their signatures have no
 * thread count and there is no handle to hold one. */
static int judge(data_metric fn, const double *X, size_t n, size_t d, const int32_t *labels,
                 double *out)
{
    if (X == NULL || labels == NULL || out == NULL)
        return MIX_EINVAL;
    int rc = mix__check_shape(NULL, X, n, d, "X");
    if (rc != MIX_OK)
        return rc;
    if (n > MIX__METRICS_MAX_N)
        return MIX_EDIM;
    rc = mix__check_finite(NULL, X, n, d, "X");
    if (rc != MIX_OK)
        return rc;
    return fn(X, n, d, labels, mix__threads_resolve(0), out);
}

int mix_silhouette_score(const double *X, size_t n, size_t d, const int32_t *labels, double *out)
{
    return judge(mix__silhouette, X, n, d, labels, out);
}

int mix_davies_bouldin(const double *X, size_t n, size_t d, const int32_t *labels, double *out)
{
    return judge(mix__davies_bouldin, X, n, d, labels, out);
}

/* Calinski-Harabasz is one pass over the data, in numpy's order: one thread. */
static int calinski_harabasz(const double *X, size_t n, size_t d, const int32_t *labels,
                             int threads, double *out)
{
    (void)threads;
    return mix__calinski_harabasz(X, n, d, labels, out);
}

int mix_calinski_harabasz(const double *X, size_t n, size_t d, const int32_t *labels, double *out)
{
    return judge(calinski_harabasz, X, n, d, labels, out);
}
