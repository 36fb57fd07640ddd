/*
 * The mean silhouette coefficient (scikit-learn's silhouette_score,
 * euclidean): for item i in cluster c, a_i the mean distance to the other
 * items of c, b_i the smallest mean distance to the items of another
 * cluster, s_i = (b_i - a_i) / max(a_i, b_i) (0 for a singleton, and
 * where scikit-learn divides 0 by 0), and the score the mean of s_i.
 *
 * Everything rests on S[i][c], the sum of the distances from item i to
 * the items of cluster c, for every i and c. The points are sorted by
 * cluster (items in index order within a cluster) and cut into blocks of
 * BLOCK; a tile is a pair of blocks, its distances computed exactly
 * (kernels/dist_panel.h) four rows at a time into a small buffer, and
 * summed straight into S: the clusters of a block are runs of consecutive
 * points, so each row's distances to a cluster are one contiguous sum.
 *
 * When k <= BLOCK, S (n x k doubles) is kept whole and each distance is
 * computed once for both of its points: tile (I, J) adds its rows' sums
 * to S of I and its columns' sums to S of J. The pairs of blocks are
 * scheduled as a round-robin tournament: the tiles of one round touch
 * distinct blocks, so threads never write the same S, and every S entry
 * receives its terms in the same order, whatever the number of threads.
 * With more clusters than that, S would outgrow O(BLOCK n), so each block
 * of rows is done alone against every block (each distance computed
 * twice), with its own BLOCK x k slice of S.
 *
 * The s_i are then added in the items' order as numpy's mean does. Memory
 * O(n d + BLOCK n); time O(n^2 d / 2), spread over the threads.
 */
#include "metrics/clusters.h"

#include "core/simd.h"
#include "core/threads.h"
#include "kernels/dist_panel.h"
#include "kernels/sum.h"

#include <math.h>
#include <string.h>

#define BLOCK 256 /* points per block: a multiple of MIX__PANEL and of 4 */

typedef struct sil {
    const mix__partition *p;
    size_t n, d, k, n_blocks;
    const double *P;   /* the points in cluster order, in panels */
    uint32_t *cl;      /* cluster of each sorted point */
    double *S;         /* n x k (whole), or per worker BLOCK x k (by blocks) */
    double *work;      /* per worker: 4 x BLOCK distances, BLOCK column sums */
    size_t round;      /* the tournament's current round */
    double *s;         /* s_i, in the items' order */
} sil;

static size_t block_end(const sil *g, size_t b)
{
    size_t e = (b + 1) * BLOCK;
    return e < g->n ? e : g->n;
}

/* The runs of one cluster among columns J0 .. J0 + w - 1: run r is
 * [start[r], start[r + 1]), of cluster cl[J0 + start[r]]. */
static size_t runs_of(const sil *g, size_t J0, size_t w, uint32_t *start)
{
    size_t n_runs = 0;
    for (size_t j = 0; j < w; j++)
        if (j == 0 || g->cl[J0 + j] != g->cl[J0 + j - 1])
            start[n_runs++] = (uint32_t)j;
    start[n_runs] = (uint32_t)w;
    return n_runs;
}

/* S_r[cluster of run r] += the sum of D over run r, in eight interleaved
 * partial sums (one or two vectors; the same order for every CPU). */
MIX__TARGET_CLONES MIX__VECTORIZE MIX__NOINLINE
static void add_runs(double *S_r, const double *D, const uint32_t *start, size_t n_runs,
                     const uint32_t *cl)
{
    for (size_t r = 0; r < n_runs; r++) {
        size_t j = start[r], e = start[r + 1];
        double s[8] = {0, 0, 0, 0, 0, 0, 0, 0};
        for (; j + 8 <= e; j += 8)
            for (int l = 0; l < 8; l++)
                s[l] += D[j + l];
        for (; j < e; j++)
            s[0] += D[j];
        S_r[cl[start[r]]] += ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
    }
}

/* col[j] += D[j], j < w. */
MIX__TARGET_CLONES MIX__VECTORIZE MIX__NOINLINE
static void add_columns(double *col, const double *D, size_t w)
{
    for (size_t j = 0; j < w; j++)
        col[j] += D[j];
}

/* The column sums of the rows of one cluster, into S of the columns. */
static void flush_columns(const sil *g, double *col, size_t J0, size_t w, uint32_t c)
{
    for (size_t j = 0; j < w; j++) {
        g->S[(J0 + j) * g->k + c] += col[j];
        col[j] = 0;
    }
}

/*
 * Tile (I, J): rows of block I against columns of block J. Row sums go to
 * S_rows (row r of block I at S_rows[(r - I0) k]); if `both`, column sums
 * go to S of J's points, gathered per run of rows of one cluster.
 */
static void tile(const sil *g, size_t I, size_t J, double *S_rows, int both, double *work)
{
    size_t I0 = I * BLOCK, I1 = block_end(g, I), J0 = J * BLOCK, J1 = block_end(g, J);
    size_t w = J1 - J0, p0 = J0 / MIX__PANEL, p1 = (J1 + MIX__PANEL - 1) / MIX__PANEL;
    double *D = work, *col = work + 4 * BLOCK;
    uint32_t start[BLOCK + 1], run = g->cl[I0];
    size_t n_runs = runs_of(g, J0, w, start);
    for (size_t r0 = I0; r0 < I1; r0 += 4) {
        mix__dist_four_panels(g->P, g->d, r0, p0, p1, D, BLOCK);
        for (size_t q = 0; q < 4 && r0 + q < I1; q++) {
            const double *Dq = D + q * BLOCK;
            add_runs(S_rows + (r0 + q - I0) * g->k, Dq, start, n_runs, g->cl + J0);
            if (!both)
                continue;
            if (g->cl[r0 + q] != run) {
                flush_columns(g, col, J0, w, run);
                run = g->cl[r0 + q];
            }
            add_columns(col, Dq, w);
        }
    }
    if (both)
        flush_columns(g, col, J0, w, run);
}

/* Worker w's scratch. */
static double *scratch(const sil *g, int worker)
{
    return g->work + (size_t)worker * 5 * BLOCK;
}

/* Round 0 of the tournament: every block against itself, rows only. */
static void diagonal_task(void *ctx, size_t b, int worker)
{
    sil *g = ctx;
    tile(g, b, b, g->S + b * BLOCK * g->k, 0, scratch(g, worker));
}

/* Pair t of round r (1 .. m - 1) of the circle method over m blocks (m
 * even): block m - 1 meets block r - 1, and the others pair up around it;
 * over the rounds every two blocks meet exactly once. */
static void pair_of(size_t m, size_t r, size_t t, size_t *i, size_t *j)
{
    size_t a = r - 1, b;
    if (t == 0)
        b = m - 1;
    else {
        b = (a + m - 1 - t) % (m - 1);
        a = (a + t) % (m - 1);
    }
    *i = a < b ? a : b;
    *j = a < b ? b : a;
}

static void pair_task(void *ctx, size_t t, int worker)
{
    sil *g = ctx;
    size_t m = g->n_blocks + g->n_blocks % 2, i, j;
    pair_of(m, g->round, t, &i, &j);
    if (j < g->n_blocks) /* else a bye: the dummy block of an odd count */
        tile(g, i, j, g->S + i * BLOCK * g->k, 1, scratch(g, worker));
}

/* s_i of sorted point r from its row of S, as scikit-learn: a = S_c /
 * (n_c - 1) (0 / 0 for a singleton), b = min over c' != c of S_c' / n_c',
 * (b - a) / max(a, b), and NaN (0 / 0) counted as 0. */
static double coefficient(const sil *g, const double *S_r, uint32_t c)
{
    size_t own = mix__partition_size(g->p, c);
    double b = INFINITY;
    for (size_t c2 = 0; c2 < g->k; c2++)
        if (c2 != c) {
            double m = S_r[c2] / (double)mix__partition_size(g->p, c2);
            b = m < b ? m : b;
        }
    if (own == 1)
        return 0.0;
    double a = S_r[c] / (double)(own - 1), top = a > b ? a : b;
    return top > 0 ? (b - a) / top : 0.0;
}

static void coefficients(sil *g, const double *S, size_t r0, size_t r1)
{
    for (size_t r = r0; r < r1; r++)
        g->s[g->p->order[r]] = coefficient(g, S + (r - r0) * g->k, g->cl[r]);
}

/* With many clusters: block b of rows against every block, in order. */
static void rows_task(void *ctx, size_t b, int worker)
{
    sil *g = ctx;
    double *S = g->S + (size_t)worker * BLOCK * g->k;
    memset(S, 0, BLOCK * g->k * sizeof *S);
    for (size_t J = 0; J < g->n_blocks; J++)
        tile(g, b, J, S, 0, scratch(g, worker));
    coefficients(g, S, b * BLOCK, block_end(g, b));
}

static void run(sil *g, mix__pool *pool, int whole)
{
    if (!whole) {
        mix__pool_run(pool, g->n_blocks, rows_task, g);
        return;
    }
    mix__pool_run(pool, g->n_blocks, diagonal_task, g);
    size_t m = g->n_blocks + g->n_blocks % 2;
    for (g->round = 1; g->round < m; g->round++)
        mix__pool_run(pool, m / 2, pair_task, g);
    coefficients(g, g->S, 0, g->n);
}

static int prepare(sil *g, const double *X, int workers, int whole)
{
    size_t n_pad = (g->n + MIX__PANEL - 1) / MIX__PANEL * MIX__PANEL;
    double *P = mix__alloc_array(n_pad, g->d * sizeof(double));
    g->cl = mix__alloc_array(g->n, sizeof *g->cl);
    g->S = mix__calloc(whole ? g->n : (size_t)workers * BLOCK, g->k * sizeof(double));
    g->work = mix__alloc_array((size_t)workers * 5, BLOCK * sizeof(double));
    g->s = mix__alloc_array(g->n, sizeof *g->s);
    g->P = P;
    if (!P || !g->cl || !g->S || !g->work || !g->s)
        return MIX_ENOMEM;
    mix__panel_layout(X, g->p->order, g->n, g->d, mix__metrics_scale(X, g->n, g->d), P);
    for (size_t r = 0; r < g->n; r++)
        g->cl[r] = g->p->code[g->p->order[r]];
    memset(g->work, 0, (size_t)workers * 5 * BLOCK * sizeof(double));
    return MIX_OK;
}

static void release(sil *g)
{
    mix__free((void *)g->P);
    mix__free(g->cl);
    mix__free(g->S);
    mix__free(g->work);
    mix__free(g->s);
}

/* Below this many flops the threads would cost more than they save. */
#define MIN_PARALLEL_WORK 2e6

int mix__silhouette(const double *X, size_t n, size_t d, const int32_t *labels, int threads,
                    double *out)
{
    mix__partition p;
    int rc = mix__partition_make(&p, labels, n);
    if (rc != MIX_OK)
        return rc;
    if (p.k < 2 || p.k >= n) { /* scikit-learn: 2 <= labels <= n - 1 */
        mix__partition_free(&p);
        return MIX_EINVAL;
    }
    sil g = {.p = &p, .n = n, .d = d, .k = p.k, .n_blocks = (n + BLOCK - 1) / BLOCK};
    int whole = g.k <= BLOCK;
    if ((double)n * (double)n * (double)d < MIN_PARALLEL_WORK)
        threads = 1;
    int workers = threads < (int)g.n_blocks ? threads : (int)g.n_blocks;
    rc = prepare(&g, X, workers, whole);
    if (rc == MIX_OK) {
        mix__pool *pool = mix__pool_create(workers);
        run(&g, pool, whole);
        mix__pool_destroy(pool);
        double mean = mix__sum_numpy(g.s, n) / (double)n;
        if (isfinite(mean))
            *out = mean;
        else
            rc = MIX_EDATA;
    }
    release(&g);
    mix__partition_free(&p);
    return rc;
}
