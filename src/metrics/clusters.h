/*
 * Private to metrics/: what the metrics on data share. Sums follow numpy's
 * order (kernels/sum.h) so that scikit-learn's means come out bit for bit:
 * X[labels == c].mean(axis=0) adds the cluster's rows one after another
 * (row order) for d >= 2, and for d = 1 sums the column numpy's way.
 */
#ifndef MIX__METRICS_CLUSTERS_H
#define MIX__METRICS_CLUSTERS_H

#include "metrics/contingency.h"

/*
 * The power of two by which the data are multiplied before anything is
 * squared: 1 for ordinary data, else the factor that brings the largest
 * |x| near 2^250, so that squares of differences and their sums neither
 * overflow nor underflow. The metrics do not depend on the scale, and a
 * power of two changes no digit: results are those of the unscaled
 * computation wherever that does not overflow.
 */
double mix__metrics_scale(const double *X, size_t n, size_t d);

/* Row i of X times scale, into buf (d values); X's own row if scale is 1. */
const double *mix__scaled_row(const double *X, size_t d, size_t i, double scale, double *buf);

/*
 * Means (d values each) of the rows (times scale) listed in rows[0 ..
 * count - 1], in numpy's order; the global mean with rows NULL (rows 0 ..
 * count - 1). Uses buf (d values) as scratch.
 */
void mix__rows_mean(const double *X, size_t d, const uint32_t *rows, size_t count, double scale,
                    double *mean, double *buf);

/* Every cluster's mean, k x d, in the clusters' order. */
void mix__cluster_means(const double *X, size_t d, const mix__partition *p, double scale,
                        double *means, double *buf);

#endif /* MIX__METRICS_CLUSTERS_H */
