/*
 * K-means as an initialisation of the mixtures: all that the mixture code
 * may call of K-means (it sees no K-means internals).
 */
#ifndef MIX__KMEANS_INIT_H
#define MIX__KMEANS_INIT_H

#include "core/data.h"

/* The centers of a K-means partition as scikit-learn's KMeans(n_init=1)
 * with its other defaults gives it (k-means++ seeding), on data already
 * opened (core/data.h): k x d, in the engine units of `data` (each row's
 * label is its closest center). MIX_OK, or a failure recorded in err. */
int mix__kmeans_partition(const mix__data *data, size_t k, int threads, uint64_t seed,
                          double *centers, mix__err *err);

/* Only the k rows that k-means++ (init MIX_INIT_KMEANSPP) or random-row
 * seeding (MIX_INIT_RANDOM_FROM_DATA) would start from: their values
 * (k x d, engine units) and weights (k, the factor applied). MIX_OK, or a
 * failure recorded in err. */
int mix__kmeans_seed_rows(const mix__data *data, size_t k, int threads, mix_init init,
                          uint64_t seed, double *centers, double *weights, mix__err *err);

#endif /* MIX__KMEANS_INIT_H */
