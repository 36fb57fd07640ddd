/*
 * Starting centers of a K-means run: greedy k-means++ as scikit-learn
 * defines it (weighted by sample weight), distinct rows drawn at random, or
 * the caller's centers.
 *
 * The same arithmetic serves rows in memory, streamed rows and the shards
 * of a distributed fit. Squared distances to the centers chosen so far
 * are direct ones (exact up to one rounding, and their minimum does not
 * depend on the order it is taken in), kept per row in memory and
 * recomputed for streamed rows. A draw over all rows first finds the rank
 * that holds the row from the ranks' totals, which then finds the row in
 * its shard and sends it to every rank. Draws that concern single rows
 * (random rows) are counter-based on the row's global index, so that no
 * rank draws more than another.
 */
#include "kmeans/lloyd.h"

#include "core/topk.h"
#include "kernels/sqdist.h"

#include <math.h>
#include <string.h>

/* --- draws proportional to a mass per row ------------------------------- */

/* A draw in progress: the first row whose running mass reaches r (numpy's
 * searchsorted, side "left", as scikit-learn's k-means++), in chunk
 * `chunk` of the last pass (whose chunk totals skipped the others), or if
 * rounding leaves r above the chunk's total, its last row with a mass (its
 * last row if none has). `strict`: the first row whose running mass
 * exceeds r and whose own mass is positive (the first center's draw by
 * weight). */
typedef struct draw {
    double r, run;
    size_t first, end; /* the chunk's rows */
    int strict, found, has_mass, taken;
    double *x, w; /* the answer so far: its values (d, as the caller gave them), weight */
} draw;

/* Row i (local index) with mass m; x its values, w its weight. */
static void draw_step(draw *q, size_t i, double m, const double *x, double w, size_t d)
{
    if (q->found || i < q->first || i >= q->end)
        return;
    q->run += m;
    int take = m > 0 || !q->has_mass;
    q->has_mass |= m > 0;
    if (q->strict ? q->run > q->r && m > 0 : q->run >= q->r)
        q->found = take = 1;
    if (take) {
        q->taken = 1;
        memcpy(q->x, x, d * sizeof(double));
        q->w = w;
    }
}

/* The rank whose rows hold mass r of the ranks' totals (lw->gather: each
 * rank's total and row count), the mass before it subtracted from *r; the
 * last rank with a mass when rounding leaves r beyond the sum; the first
 * rank with rows when no rank has any mass (as one process would take its
 * first row). */
static int owner_of(const mix__lloyd *lw, double *r)
{
    const int size = mix__dist_size(lw->data->dist);
    const double *g = lw->gather;
    double before = 0;
    int last = -1;
    for (int q = 0; q < size; q++) {
        const double t = g[2 * q];
        if (t > 0)
            last = q;
        if (t > 0 && before + t > *r) {
            *r -= before;
            return q;
        }
        before += t;
    }
    if (last < 0) {
        for (int q = 0; q < size; q++)
            if (g[2 * q + 1] > 0)
                return q;
        return 0;
    }
    double b = 0;
    for (int q = 0; q < last; q++)
        b += g[2 * q];
    *r -= b;
    return last;
}

/* --- k-means++ ---------------------------------------------------------- */

/* Squared distance of u to the closest of the first n centers (+infinity
 * for none). */
static double closest_of(const mix__lloyd *lw, const double *u, size_t n)
{
    double best = INFINITY;
    for (size_t c = 0; c < n; c++)
        best = fmin(best, mix__sqdist_direct(u, lw->centers + c * lw->d, lw->d));
    return best;
}

typedef struct seed_ctx {
    mix__lloyd *lw;
    size_t chosen;       /* centers chosen so far */
    const double *cand;  /* t candidates (engine units) */
    size_t t;
    draw *draws;         /* searches of this rank */
    size_t n_draws;
} seed_ctx;

/* slot[j] += w_i min(closest_i, ||u_i - cand_j||^2) for each candidate j. */
static void candidate_block(void *ctx, const mix__block *b, double *stats, double *scratch)
{
    (void)scratch;
    const seed_ctx *c = ctx;
    const mix__lloyd *lw = c->lw;
    const size_t d = lw->d;
    for (size_t i = 0; i < b->rows; i++) {
        const double *u = b->U + i * d, w = mix__block_weight(b, i);
        const double cl = c->chosen == 0 ? INFINITY
                          : lw->closest ? lw->closest[b->row0 + i]
                                        : closest_of(lw, u, c->chosen);
        for (size_t j = 0; j < c->t; j++)
            stats[j] += w * fmin(cl, mix__sqdist_direct(u, c->cand + j * d, d));
    }
}

/* Rows in memory: closest_i = min(closest_i, ||u_i - center||^2). */
static void update_block(void *ctx, const mix__block *b, double *stats, double *scratch)
{
    (void)stats;
    (void)scratch;
    const seed_ctx *c = ctx;
    mix__lloyd *lw = c->lw;
    const double *center = lw->centers + (c->chosen - 1) * lw->d;
    for (size_t i = 0; i < b->rows; i++) {
        const double dist = mix__sqdist_direct(b->U + i * lw->d, center, lw->d);
        double *cl = lw->closest + b->row0 + i;
        *cl = c->chosen == 1 ? dist : fmin(*cl, dist);
    }
}

/* Streamed rows: the draws' masses w_i closest_i in their chunks. */
static void search_block(void *ctx, const mix__block *b, double *stats, double *scratch)
{
    (void)stats;
    (void)scratch;
    seed_ctx *c = ctx;
    const mix__lloyd *lw = c->lw;
    const size_t d = lw->d;
    for (size_t i = 0; i < b->rows; i++) {
        const size_t r = b->row0 + i;
        double m = -1;
        for (size_t q = 0; q < c->n_draws; q++) {
            draw *dr = &c->draws[q];
            if (dr->found || r < dr->first || r >= dr->end)
                continue;
            if (m < 0) {
                const double w = mix__block_weight(b, i);
                m = dr->strict ? w : w * closest_of(lw, b->U + i * d, c->chosen);
            }
            draw_step(dr, r, m, b->x + i * d, mix__block_weight(b, i), d);
        }
    }
}

/* Rows in memory: a draw walks its chunk. */
static void search_memory(seed_ctx *c, draw *dr)
{
    const mix__lloyd *lw = c->lw;
    const mix__data *v = lw->data;
    for (size_t i = dr->first; i < dr->end && !dr->found; i++) {
        const double w = mix__data_weight_at(v, i);
        draw_step(dr, i, dr->strict ? w : w * lw->closest[i], v->X + i * v->d, w, v->d);
    }
}

/* Chunk of the last pass whose running total (of slot value `col`)
 * reaches r, r then taken from the chunk's start. */
static void place_draw(const mix__pass *p, size_t col, draw *dr)
{
    double prefix = 0;
    size_t c = 0;
    for (; c + 1 < p->n_chunks; c++) {
        double next = prefix + mix__pass_slot(p, c)[col];
        if (next >= dr->r)
            break;
        prefix = next;
    }
    dr->run = prefix;
    mix__pass_chunk_rows(p, c, &dr->first, &dr->end);
}

/*
 * m draws of rows with probability proportional to their mass: the draws
 * r[q] in [0, total) of the masses whose per-chunk totals are value `col`
 * of the last pass (strict: the weights, one chunk spanning this rank's
 * rows). Their values (engine units) into out (m x d), their weights into
 * w. Each rank's total first crosses to every rank; then the rank holding
 * each draw finds it and sends it.
 */
static int draw_rows(mix__lloyd *lw, seed_ctx *c, const double *r, size_t m, size_t col,
                     double local, int strict, double *out, double *w)
{
    const mix__data *v = lw->data;
    const size_t d = lw->d;
    const int me = mix__dist_rank(v->dist);
    const double mine[2] = {local, (double)v->n};
    int rc = mix__dist_gather(v->dist, mine, 2, lw->gather, MIX_OK, lw->err);
    if (rc != MIX_OK)
        return rc;
    draw draws[64]; /* m <= n_trials = 2 + ln k < 64 */
    double *slot = lw->bcast; /* per draw: its row (d), its weight */
    memset(slot, 0, m * (d + 1) * sizeof(double));
    size_t n_mine = 0;
    for (size_t q = 0; q < m; q++) {
        double rq = r[q];
        if (owner_of(lw, &rq) != me)
            continue;
        draw *dr = &draws[n_mine++];
        memset(dr, 0, sizeof *dr);
        dr->r = rq;
        dr->strict = strict;
        dr->x = slot + q * (d + 1);
        if (strict) {
            dr->first = 0;
            dr->end = v->n;
        } else {
            place_draw(&lw->pass, col, dr);
        }
    }
    c->draws = draws;
    c->n_draws = n_mine;
    if (n_mine > 0 && !lw->in_memory)
        rc = mix__pass_scan(&lw->pass, search_block, c, lw->err);
    else
        for (size_t q = 0; q < n_mine; q++)
            search_memory(c, &draws[q]);
    for (size_t q = 0; rc == MIX_OK && q < n_mine; q++) {
        if (!draws[q].taken) /* a rank with rows always has an answer */
            rc = mix__fail(lw->err, MIX_ENUMERIC, "internal error: a seeding draw found no row");
        draws[q].x[d] = draws[q].w;
    }
    rc = mix__dist_sum(v->dist, slot, m * (d + 1), rc, lw->err);
    if (rc != MIX_OK)
        return rc;
    for (size_t q = 0; q < m; q++) {
        mix__data_rows(v, slot + q * (d + 1), 1, out + q * d);
        w[q] = slot[q * (d + 1) + d];
    }
    return MIX_OK;
}

/* A pass over the candidates; pots[j] their potentials. */
static int candidate_pass(mix__lloyd *lw, seed_ctx *c, double *pots)
{
    return mix__pass_run(&lw->pass, candidate_block, c, c->t, pots, lw->err);
}

static int seed_kmeanspp(mix__lloyd *lw)
{
    const size_t k = lw->k, d = lw->d, t = lw->n_trials;
    double pots[64], r[64], cand_w[64];
    seed_ctx c = {.lw = lw};
    /* The first center: a row drawn by weight. */
    int rc = mix__lloyd_totals(lw);
    if (rc != MIX_OK)
        return rc;
    r[0] = mix__rng_uniform(&lw->rng) * lw->w_total;
    rc = draw_rows(lw, &c, r, 1, 0, lw->w_local, 1, lw->centers, lw->seed_w);
    if (rc != MIX_OK || k == 1)
        return rc;
    /* The potential of the first center alone: a pass with it as the only
     * candidate; later ones come from the chosen candidate's pass. */
    c.cand = lw->centers;
    c.t = 1;
    rc = candidate_pass(lw, &c, pots);
    size_t best = 0;
    for (size_t n = 1; rc == MIX_OK && n < k; n++) {
        c.chosen = n;
        if (lw->closest != NULL)
            mix__pass_run(&lw->pass, update_block, &c, 0, NULL, NULL);
        const double pot = pots[best];
        const double local = mix__pass_local(&lw->pass, best);
        for (size_t j = 0; j < t; j++)
            r[j] = mix__rng_uniform(&lw->rng) * pot;
        rc = draw_rows(lw, &c, r, t, best, local, 0, lw->cand, cand_w);
        if (rc != MIX_OK)
            break;
        c.cand = lw->cand;
        c.t = t;
        rc = candidate_pass(lw, &c, pots);
        if (rc != MIX_OK)
            break;
        best = 0;
        for (size_t j = 1; j < t; j++)
            if (pots[j] < pots[best])
                best = j;
        memcpy(lw->centers + n * d, lw->cand + best * d, d * sizeof(double));
        lw->seed_w[n] = cand_w[best];
    }
    return rc;
}

/* --- random rows ---------------------------------------------------------- */

typedef struct random_ctx {
    mix__topk top;
    uint64_t seed;
} random_ctx;

/* Row g's key log(u_g) / w_g, u_g in (0, 1] drawn for (seed, g). */
static void random_push(random_ctx *c, size_t g, double w)
{
    if (w > 0)
        mix__topk_push(&c->top, log(1.0 - mix__rng_uniform_at(c->seed, g)) / w, g);
}

static void random_block(void *ctx, const mix__block *b, double *stats, double *scratch)
{
    (void)stats;
    (void)scratch;
    random_ctx *c = ctx;
    for (size_t i = 0; i < b->rows; i++)
        random_push(c, b->gid + i, mix__block_weight(b, i));
}

/*
 * k distinct rows, drawn without replacement with probability proportional
 * to their weight (Efraimidis and Spirakis: the k largest log(u_i) / w_i).
 * Rows with zero weight are never drawn; the data's check made sure that
 * at least k rows have a positive weight.
 */
static int seed_random(mix__lloyd *lw)
{
    const mix__data *v = lw->data;
    const size_t k = lw->k;
    random_ctx c = {.seed = mix__rng_next(&lw->rng)};
    mix__topk_init(&c.top, lw->top, k);
    int rc = MIX_OK;
    if (lw->in_memory)
        for (size_t i = 0; i < v->n; i++)
            random_push(&c, v->row0 + i, mix__data_weight_at(v, i));
    else
        rc = mix__pass_scan(&lw->pass, random_block, &c, lw->err);
    size_t got = mix__topk_sort(&c.top);
    rc = mix__topk_gather(v->dist, lw->top, got, k, lw->bcast, lw->gather, &got, rc, lw->err);
    if (rc != MIX_OK)
        return rc;
    for (size_t q = 0; q < got; q++)
        lw->picks[q] = lw->top[q].index;
    rc = mix__pass_share(&lw->pass, lw->picks, got, lw->centers_new, lw->seed_w, lw->bcast,
                         lw->err);
    if (rc == MIX_OK)
        mix__data_rows(v, lw->centers_new, got, lw->centers);
    return rc;
}

int mix__kmeans_seed(mix__lloyd *lw)
{
    if (lw->init_centers != NULL) {
        memcpy(lw->centers, lw->init_centers, lw->k * lw->d * sizeof(double));
        return MIX_OK;
    }
    if (lw->init == MIX_INIT_KMEANSPP)
        return seed_kmeanspp(lw);
    return seed_random(lw);
}
