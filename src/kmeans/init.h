/*
 * K-means as an initialisation of the mixtures: all that the mixture code
 * may call of K-means (it sees no K-means internals).
 */
#ifndef MIX__KMEANS_INIT_H
#define MIX__KMEANS_INIT_H

#include "core/data.h"

/* A K-means partition as scikit-learn's KMeans(n_init=1) with its other
 * defaults gives it (k-means++ seeding), on data already scanned: labels
 * (n) and centers (k x d, in the engine units of `data`). MIX_OK or
 * MIX_ENOMEM. */
int mix__kmeans_partition(const mix__data *data, size_t k, int threads, uint64_t seed,
                          int32_t *labels, double *centers);

/* Only the k rows that k-means++ (init MIX_INIT_KMEANSPP) or random-row
 * seeding (MIX_INIT_RANDOM_FROM_DATA) would start from. MIX_OK or
 * MIX_ENOMEM. */
int mix__kmeans_seed_rows(const mix__data *data, size_t k, int threads, mix_init init,
                          uint64_t seed, size_t *rows);

#endif /* MIX__KMEANS_INIT_H */
