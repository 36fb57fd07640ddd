/*
 * Starting centers of a K-means run: greedy k-means++ as scikit-learn
 * defines it (weighted by sample weight), distinct rows drawn at random, or
 * the caller's centers.
 */
#include "kmeans/lloyd.h"

#include "core/topk.h"
#include "kernels/sqdist.h"

#include <math.h>
#include <string.h>

/* --- k-means++ ---------------------------------------------------------- */

typedef struct update_ctx {
    mix__lloyd *lw;
    const double *center; /* the center just chosen, engine units */
    int first;            /* closest[] holds nothing yet */
} update_ctx;

/* closest_i = min(closest_i, ||u_i - center||^2); slot[0] += w_i closest_i,
 * row by row, so that search() can walk a chunk in the same order. */
static void update_block(void *ctx, const mix__block *b, double *stats, double *scratch)
{
    (void)scratch;
    update_ctx *c = ctx;
    mix__lloyd *lw = c->lw;
    for (size_t i = 0; i < b->rows; i++) {
        size_t r = b->row0 + i;
        double dist = mix__sqdist_direct(b->U + i * lw->d, c->center, lw->d);
        if (c->first || dist < lw->closest[r])
            lw->closest[r] = dist;
        stats[0] += mix__data_weight(lw->data, r) * lw->closest[r];
    }
}

/* Potential after the new center: sum of w_i closest_i. */
static double update_closest(mix__lloyd *lw, const double *center, int first)
{
    update_ctx c = {lw, center, first};
    double pot;
    mix__pass_run(&lw->pass, update_block, &c, 1, &pot);
    return pot;
}

/* First row whose cumulative potential reaches r (numpy's searchsorted, side
 * "left"), using the chunk totals of the last update pass to skip chunks. */
static size_t search(const mix__lloyd *lw, double r)
{
    const mix__pass *p = &lw->pass;
    double prefix = 0;
    size_t c = 0;
    for (; c + 1 < p->n_chunks; c++) {
        double next = prefix + mix__pass_slot(p, c)[0];
        if (next >= r)
            break;
        prefix = next;
    }
    size_t first, end, last_mass = SIZE_MAX;
    mix__pass_chunk_rows(p, c, &first, &end);
    double run = prefix;
    for (size_t i = first; i < end; i++) {
        double m = mix__data_weight(lw->data, i) * lw->closest[i];
        run += m;
        if (m > 0)
            last_mass = i;
        if (run >= r)
            return i;
    }
    /* Rounding left r just above this chunk's total. */
    return last_mass != SIZE_MAX ? last_mass : end - 1;
}

typedef struct cand_ctx {
    mix__lloyd *lw;
    size_t t;
} cand_ctx;

/* slot[j] += w_i min(closest_i, ||u_i - cand_j||^2) for each candidate j. */
static void candidate_block(void *ctx, const mix__block *b, double *stats, double *D)
{
    cand_ctx *c = ctx;
    mix__lloyd *lw = c->lw;
    const size_t t = c->t, d = lw->d;
    mix__sqdist_partial(b->U, b->rows, d, lw->cand, lw->cand + t * d, t, D);
    mix__sqdist_complete(b->U, b->rows, d, t, D);
    for (size_t i = 0; i < b->rows; i++) {
        size_t r = b->row0 + i;
        double w = mix__data_weight(lw->data, r);
        for (size_t j = 0; j < t; j++)
            stats[j] += w * fmin(lw->closest[r], D[i * t + j]);
    }
}

/* Row with probability proportional to its weight: the first r with
 * cumulative weight above u * total. NULL weights are unit weights, drawn
 * the same way (their sums are exact integers), so that all-ones weights
 * pick the same row. */
static size_t draw_by_weight(mix__lloyd *lw)
{
    const mix__data *v = lw->data;
    double total = 0;
    for (size_t i = 0; i < v->n; i++)
        total += mix__data_weight(v, i);
    double r = mix__rng_uniform(&lw->rng) * total, run = 0;
    size_t last = 0;
    for (size_t i = 0; i < v->n; i++) {
        double w = mix__data_weight(v, i);
        if (w > 0)
            last = i;
        run += w;
        if (run > r && w > 0)
            return i;
    }
    return last;
}

static void seed_kmeanspp(mix__lloyd *lw)
{
    const size_t k = lw->k, d = lw->d, t = lw->n_trials;
    double *pots = lw->total; /* t <= stats length */
    lw->seed_rows[0] = draw_by_weight(lw);
    mix__data_load(lw->data, lw->seed_rows[0], 1, lw->centers);
    if (k == 1)
        return;
    double pot = update_closest(lw, lw->centers, 1);
    for (size_t c = 1; c < k; c++) {
        size_t rows[64]; /* t = 2 + ln k < 64 */
        for (size_t j = 0; j < t; j++) {
            rows[j] = search(lw, mix__rng_uniform(&lw->rng) * pot);
            mix__data_load(lw->data, rows[j], 1, lw->cand + j * d);
        }
        mix__row_norms2(lw->cand, t, d, lw->cand + t * d);
        cand_ctx cc = {lw, t};
        mix__pass_run(&lw->pass, candidate_block, &cc, t, pots);
        size_t best = 0;
        for (size_t j = 1; j < t; j++)
            if (pots[j] < pots[best])
                best = j;
        memcpy(lw->centers + c * d, lw->cand + best * d, d * sizeof(double));
        lw->seed_rows[c] = rows[best];
        if (c + 1 < k)
            pot = update_closest(lw, lw->centers + c * d, 0);
    }
}

/* --- random rows ---------------------------------------------------------- */

/*
 * k distinct rows, drawn without replacement with probability proportional
 * to their weight (Efraimidis and Spirakis: the k largest log(u_i) / w_i).
 * Rows with zero weight are never drawn; the caller checked that at least k
 * rows have a positive weight.
 */
static void seed_random(mix__lloyd *lw)
{
    const mix__data *v = lw->data;
    mix__topk top;
    mix__topk_init(&top, lw->top, lw->k);
    for (size_t i = 0; i < v->n; i++) {
        double u = 1.0 - mix__rng_uniform(&lw->rng); /* (0, 1] */
        double w = mix__data_weight(v, i);
        if (w > 0)
            mix__topk_push(&top, log(u) / w, i);
    }
    size_t got = mix__topk_sort(&top);
    for (size_t j = 0; j < got; j++) {
        lw->seed_rows[j] = top.heap[j].index;
        mix__data_load(v, top.heap[j].index, 1, lw->centers + j * lw->d);
    }
}

void mix__kmeans_seed(mix__lloyd *lw)
{
    if (lw->init_centers != NULL)
        memcpy(lw->centers, lw->init_centers, lw->k * lw->d * sizeof(double));
    else if (lw->init == MIX_INIT_KMEANSPP)
        seed_kmeanspp(lw);
    else
        seed_random(lw);
}
