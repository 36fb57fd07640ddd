/*
 * The hierarchical start (MIX_INIT_HIERARCHICAL): mclust's agglomeration
 * (hc_vvv.c) of the rows, or of MIX__HC_SUBSET of them drawn uniformly
 * when there are more, as the partition of EM's first M-step; the rows
 * left out of the agglomeration are left out of that M-step, as Mclust
 * M-steps on its subset.
 *
 * The subset is the rows with the largest counter-based keys u(seed, g) of
 * their global index g (a uniform draw without replacement that does not
 * depend on blocks, threads or ranks), taken in data order so that ties
 * break as on the full data. Every rank gets the subset's rows and
 * agglomerates them alike.
 */
#include "mixture/start.h"

#include "core/pass.h"
#include "core/rng.h"
#include "core/topk.h"
#include "mixture/hc_vvv.h"

#include <stdlib.h>
#include <string.h>

typedef struct hc_work {
    mix__pass pass;
    mix__topk_item *top; /* m */
    double *gather;      /* ranks x (1 + 2 m) */
    double *X, *w, *buf; /* the subset's rows (m x d), weights, the sharing's buffer */
    double *u, *count;   /* a row in engine units (d); the partition's sizes (k) */
} hc_work;

static void hc_free(hc_work *h)
{
    mix__pass_free(&h->pass);
    mix__free(h->top);
    mix__free(h->gather);
    mix__free(h->X);
    mix__free(h->w);
    mix__free(h->buf);
    mix__free(h->u);
    mix__free(h->count);
}

static int hc_alloc(hc_work *h, const mix__data *data, size_t m, size_t k, int threads)
{
    const size_t d = data->d, ranks = (size_t)mix__dist_size(data->dist);
    memset(h, 0, sizeof *h);
    if (mix__pass_init(&h->pass, data, MIX__BLOCK_ROWS, 1, 0, threads, 1.0) != MIX_OK)
        return MIX_ENOMEM;
    h->top = mix__alloc_array(m, sizeof(mix__topk_item));
    h->gather = mix__alloc_array(ranks * (1 + 2 * m) + MIX__DIST_STATUS, sizeof(double));
    h->X = mix__alloc_array(m * d, sizeof(double));
    h->w = mix__alloc_array(m, sizeof(double));
    h->buf = mix__alloc_array(m * (d + 1) + MIX__DIST_STATUS, sizeof(double));
    h->u = mix__alloc_array(d, sizeof(double));
    h->count = mix__calloc(k, sizeof(double));
    return h->top && h->gather && h->X && h->w && h->buf && h->u && h->count ? MIX_OK
                                                                               : MIX_ENOMEM;
}

static int increasing(const void *a, const void *b)
{
    const size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

typedef struct draw_ctx {
    mix__topk top;
    uint64_t seed;
} draw_ctx;

static void draw_block(void *ctx, const mix__block *b, double *stats, double *scratch)
{
    (void)stats;
    (void)scratch;
    draw_ctx *c = ctx;
    for (size_t i = 0; i < b->rows; i++)
        mix__topk_push(&c->top, mix__rng_uniform_at(c->seed, b->gid + i), b->gid + i);
}

/* The subset's global indices, increasing, into rows (m). */
static int draw_subset(hc_work *h, const mix__data *data, size_t m, uint64_t seed, size_t *rows,
                       mix__err *err)
{
    if (m == data->n_all) {
        for (size_t i = 0; i < m; i++)
            rows[i] = i;
        return MIX_OK;
    }
    draw_ctx c = {.seed = seed};
    mix__topk_init(&c.top, h->top, m);
    int rc = mix__pass_scan(&h->pass, draw_block, &c, err);
    size_t got = mix__topk_sort(&c.top);
    rc = mix__topk_gather(data->dist, h->top, got, m, h->buf, h->gather, &got, rc, err);
    if (rc != MIX_OK)
        return rc;
    /* The m kept rows in data order. */
    for (size_t q = 0; q < m; q++)
        rows[q] = h->top[q].index;
    qsort(rows, m, sizeof *rows, increasing);
    return MIX_OK;
}

int mix__hc_start(const mix__data *data, size_t k, int threads, uint64_t seed,
                  mix__em_start_out *out, mix__err *err)
{
    const size_t d = data->d, m = data->n_all < MIX__HC_SUBSET ? data->n_all : MIX__HC_SUBSET;
    hc_work h;
    int rc = hc_alloc(&h, data, m, k, threads) == MIX_OK
                 ? MIX_OK
                 : mix__fail(err, MIX_ENOMEM, "out of memory in the hierarchical initialisation");
    rc = mix__dist_status(data->dist, rc, err);
    if (rc == MIX_OK)
        rc = draw_subset(&h, data, m, seed, out->sub, err);
    if (rc == MIX_OK)
        rc = mix__pass_share(&h.pass, out->sub, m, h.X, h.w, h.buf, err);
    if (rc != MIX_OK) {
        hc_free(&h);
        return rc;
    }
    /* The same rows on every rank: the same agglomeration, unless memory
     * runs short on one of them. */
    rc = mix__dist_status(data->dist, mix__hc_vvv(h.X, m, d, k, out->sub_labels), err);
    if (rc != MIX_OK) {
        hc_free(&h);
        if (rc == MIX_ENOMEM)
            return mix__fail(err, rc, "out of memory in the hierarchical initialisation");
        return mix__fail(err, rc, "the hierarchical initialisation failed (%s)",
                         mix__strerror(rc));
    }
    out->n_sub = m;
    /* The partition's means in engine units (the points the first M-step's
     * moments are taken about). */
    double *centers = out->centers;
    memset(centers, 0, k * d * sizeof(double));
    for (size_t i = 0; i < m; i++) {
        const size_t j = (size_t)out->sub_labels[i];
        mix__data_rows(data, h.X + i * d, 1, h.u);
        h.count[j] += 1;
        for (size_t t = 0; t < d; t++)
            centers[j * d + t] += h.u[t];
    }
    for (size_t j = 0; j < k; j++)
        for (size_t t = 0; t < d; t++)
            centers[j * d + t] /= h.count[j];
    hc_free(&h);
    return MIX_OK;
}
