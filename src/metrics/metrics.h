/*
 * The clustering metrics (interface for api/): scikit-learn 1.2.1's
 * functions of the same names, on arguments the public layer has checked
 * (pointers not NULL, 1 <= n <= MIX__METRICS_MAX_N). Each returns MIX_OK
 * and writes *out, or MIX_ENOMEM and leaves *out alone.
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

#endif /* MIX__METRICS_METRICS_H */
