/* The init methods as starts of EM; see start.h. */
#include "mixture/start.h"

#include "kmeans/init.h"

static int fill(void *ctx, const mix__data *data, size_t k, int threads, int run, uint64_t seed,
                int32_t *labels, double *centers, size_t *rows, mix__err *err)
{
    const mix_init init = *(const mix_init *)ctx;
    int rc;
    if (init == MIX_INIT_HIERARCHICAL && run == 0)
        return mix__hc_start(data, k, seed, labels, centers, err);
    if (init == MIX_INIT_KMEANS || init == MIX_INIT_HIERARCHICAL) {
        rc = mix__kmeans_partition(data, k, threads, seed, labels, centers);
        return rc == MIX_OK ? rc
                            : mix__fail(err, rc, "out of memory in the K-means initialisation");
    }
    rc = mix__kmeans_seed_rows(data, k, threads, init, seed, rows);
    return rc == MIX_OK ? rc : mix__fail(err, rc, "out of memory in the initialisation");
}

mix__em_start mix__mixture_start(const mix_init *init)
{
    mix__em_start s = {.fill = fill, .ctx = (void *)init};
    switch (*init) {
    case MIX_INIT_KMEANS:
    case MIX_INIT_HIERARCHICAL:
        s.kind = MIX__START_LABELS;
        break;
    case MIX_INIT_RANDOM:
        s.kind = MIX__START_RANDOM;
        break;
    default: /* k-means++ or random rows: one row per component */
        s.kind = MIX__START_ROWS;
        break;
    }
    return s;
}
