/* The init methods as starts of EM; see start.h. */
#include "mixture/start.h"

#include "kmeans/init.h"
#include "mixture/hc_vvv.h"

static int fill(void *ctx, const mix__data *data, size_t k, int threads, int run, uint64_t seed,
                mix__em_start_out *out, mix__err *err)
{
    const mix_init init = *(const mix_init *)ctx;
    if (init == MIX_INIT_HIERARCHICAL && run == 0)
        return mix__hc_start(data, k, threads, seed, out, err);
    if (init == MIX_INIT_KMEANS || init == MIX_INIT_HIERARCHICAL)
        return mix__kmeans_partition(data, k, threads, seed, out->centers, err);
    return mix__kmeans_seed_rows(data, k, threads, init, seed, out->centers, out->weights, err);
}

mix__em_start mix__mixture_start(const mix_init *init)
{
    mix__em_start s = {.fill = fill, .ctx = (void *)init};
    switch (*init) {
    case MIX_INIT_KMEANS:
        s.kind = MIX__START_LABELS;
        break;
    case MIX_INIT_HIERARCHICAL:
        s.kind = MIX__START_LABELS;
        s.sub_cap = MIX__HC_SUBSET;
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
