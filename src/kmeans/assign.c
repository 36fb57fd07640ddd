/* Questions to a fitted K-means model about new data: closest centers,
 * distances, inertia. Called by the const functions of api/kmeans.c. */
#include "kmeans/kmeans.h"
#include "kmeans/lloyd.h"

#include "kernels/fma_tile.h"
#include "kernels/sqdist.h"

#include <math.h>

typedef struct assign_ctx {
    const mix__kmodel *m;
    size_t k, group, block;
    int32_t *labels; /* n, or NULL */
    double *dist;    /* n x k, or NULL */
    double scale;    /* engine -> data units for distances */
    const double *layout; /* the centers for the register kernel, or NULL */
} assign_ctx;

static void assign_block(void *ctx, const mix__block *b, double *stats, double *scratch)
{
    assign_ctx *a = ctx;
    const mix__kmodel *m = a->m;
    const size_t k = a->k, d = m->d;
    if (a->dist != NULL) {
        double *out = a->dist + b->row0 * k;
        mix__sqdist_partial(b->U, b->rows, d, m->centers_u, m->c_norm2, k, out);
        mix__sqdist_complete(b->U, b->rows, d, k, out);
        for (size_t i = 0; i < b->rows * k; i++)
            out[i] = sqrt(out[i]) * a->scale;
        return;
    }
    const mix__kscratch S = mix__kscratch_at(scratch, a->block, a->group, d, 0);
    int32_t *label = a->labels ? a->labels + b->row0 : S.label;
    mix__sqdist_argmin(b->U, b->rows, d, m->centers_u, a->layout, m->c_norm2, k, a->group, S.D,
                       label, S.part, NULL);
    for (size_t i = 0; i < b->rows; i++)
        stats[0] += mix__block_weight(b, i) *
                    mix__sqdist_direct(b->U + i * d, m->centers_u + (size_t)label[i] * d, d);
}

int mix__kmeans_assign(const mix__kmodel *m, size_t k, const double *X, size_t n,
                       const double *w, double w_factor, int threads, int32_t *labels,
                       double *dist, double *inertia)
{
    mix__data data = {.X = X, .n = n, .d = m->d, .w = w, .n_all = n, .shift = m->shift,
                      .inv_scale = m->inv_scale, .w_factor = w_factor};
    size_t block, group;
    mix__kmeans_blocking(m->d, k, &block, &group);
    size_t layout_len = dist ? 0 : mix__argmin_layout_len(k, m->d);
    double *layout = NULL;
    if (layout_len > 0) {
        if ((layout = mix__alloc_array(layout_len, sizeof(double))) == NULL)
            return MIX_ENOMEM;
        mix__tile_layout(m->centers_u, k, m->d, layout);
    }
    mix__pass pass;
    int rc = mix__pass_init(&pass, &data, block, 1, dist ? 0 : mix__kscratch_len(block, group, m->d, 0),
                            threads, (double)m->d * (double)k);
    if (rc != MIX_OK) {
        mix__free(layout);
        return rc;
    }
    double scale = 1.0 / m->inv_scale;
    assign_ctx a = {m, k, group, block, labels, dist, scale, layout};
    double total = 0;
    mix__pass_run(&pass, assign_block, &a, 1, &total, NULL);
    mix__pass_free(&pass);
    mix__free(layout);
    if (inertia != NULL)
        *inertia = total * scale * scale / w_factor;
    return MIX_OK;
}
