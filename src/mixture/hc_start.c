/*
 * The hierarchical start (MIX_INIT_HIERARCHICAL): mclust's agglomeration
 * (hc_vvv.c) of the rows, or of MIX__HC_SUBSET of them drawn uniformly in
 * data order when there are more, as labels for EM's first M-step; the
 * rows left out of the agglomeration are left out of that M-step (label
 * -1), as Mclust M-steps on its subset.
 */
#include "mixture/start.h"

#include "core/rng.h"
#include "mixture/hc_vvv.h"

#include <string.h>

/* m of the n rows by selection sampling (Knuth's Algorithm S): each kept
 * with probability (m - kept) / (n - i), in increasing order. */
static void draw_subset(size_t n, size_t m, uint64_t seed, size_t *rows)
{
    mix__rng rng;
    mix__rng_seed(&rng, seed);
    size_t kept = 0;
    for (size_t i = 0; i < n && kept < m; i++)
        if (mix__rng_below(&rng, n - i) < m - kept)
            rows[kept++] = i;
}

int mix__hc_start(const mix__data *data, size_t k, uint64_t seed, int32_t *labels,
                  double *centers, mix__err *err)
{
    const size_t n = data->n, d = data->d, m = n < MIX__HC_SUBSET ? n : MIX__HC_SUBSET;
    size_t *rows = mix__alloc_array(m, sizeof(size_t));
    double *X = mix__alloc_array(m * d, sizeof(double)), *u = mix__alloc_array(d, sizeof(double));
    int32_t *sub = mix__alloc_array(m, sizeof(int32_t));
    double *count = mix__calloc(k, sizeof(double));
    int rc = MIX_OK;
    if (!rows || !X || !u || !sub || !count) {
        rc = mix__fail(err, MIX_ENOMEM, "out of memory in the hierarchical initialisation");
        goto done;
    }
    if (m < n)
        draw_subset(n, m, seed, rows);
    else
        for (size_t i = 0; i < n; i++)
            rows[i] = i;
    for (size_t i = 0; i < m; i++)
        memcpy(X + i * d, data->X + rows[i] * d, d * sizeof(double));
    rc = mix__hc_vvv(X, m, d, k, sub);
    if (rc != MIX_OK) {
        rc = mix__fail(err, rc,
                       rc == MIX_ENOMEM ? "out of memory in the hierarchical initialisation"
                                        : "the hierarchical initialisation failed (%s)",
                       mix_strerror(rc));
        goto done;
    }
    /* The partition's labels, and its means in engine units (the points the
     * first M-step's moments are taken about). */
    for (size_t i = 0; i < n; i++)
        labels[i] = -1;
    memset(centers, 0, k * d * sizeof(double));
    for (size_t i = 0; i < m; i++) {
        const size_t j = (size_t)sub[i];
        labels[rows[i]] = sub[i];
        mix__data_load(data, rows[i], 1, u);
        count[j] += 1;
        for (size_t t = 0; t < d; t++)
            centers[j * d + t] += u[t];
    }
    for (size_t j = 0; j < k; j++)
        for (size_t t = 0; t < d; t++)
            centers[j * d + t] /= count[j];
done:
    mix__free(rows);
    mix__free(X);
    mix__free(u);
    mix__free(sub);
    mix__free(count);
    return rc;
}
