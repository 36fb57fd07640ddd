/*
 * The clustering metrics (interface for api/): scikit-learn 1.2.1's
 * functions of the same names, on arguments the public layer has checked
 * (pointers not NULL, 1 <= n <= MIX__METRICS_MAX_N, d >= 1, n d doubles
 * addressable, X finite). Each returns MIX_OK and writes *out, or an error
 * code and leaves *out alone: MIX_ENOMEM; MIX_EINVAL where scikit-learn
 * raises (fewer than 2, or n, distinct labels); MIX_EDATA where a result
 * would overflow.
 *
 * `threads` is a resolved thread count (>= 1); results do not depend on it.
 */
#ifndef MIX__METRICS_METRICS_H
#define MIX__METRICS_METRICS_H

#include "core/common.h"

/* The largest n the metrics take: indices fit in 32 bits and the pair
 * counts (up to n^2) in 64. */
#define MIX__METRICS_MAX_N ((size_t)1 << 31)

/* Partitions compared (pairs.c, mutual_info.c). */
int mix__adjusted_rand(const int32_t *labels_a, const int32_t *labels_b, size_t n, double *out);
int mix__rand(const int32_t *labels_a, const int32_t *labels_b, size_t n, double *out);
int mix__normalized_mutual_info(const int32_t *labels_a, const int32_t *labels_b, size_t n,
                                double *out);
int mix__adjusted_mutual_info(const int32_t *labels_a, const int32_t *labels_b, size_t n,
                              double *out);

/* A partition of data judged by the data alone (silhouette.c, internal.c). */
int mix__silhouette(const double *X, size_t n, size_t d, const int32_t *labels, int threads,
                    double *out);
int mix__calinski_harabasz(const double *X, size_t n, size_t d, const int32_t *labels,
                           double *out);
int mix__davies_bouldin(const double *X, size_t n, size_t d, const int32_t *labels, int threads,
                        double *out);

#endif /* MIX__METRICS_METRICS_H */
