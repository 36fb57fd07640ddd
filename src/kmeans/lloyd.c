/*
 * Lloyd's algorithm through the restart loop (engine/restarts.h). One pass
 * per iteration assigns every row to its closest center and accumulates the
 * weighted sums of each cluster; the M-step averages them, moving empty
 * clusters to the farthest points first, exactly as scikit-learn 1.2.
 */
#include "kmeans/lloyd.h"

#include "core/simd.h"
#include "engine/restarts.h"
#include "kernels/fma_tile.h"
#include "kernels/sqdist.h"

#include <math.h>
#include <string.h>

/* OpenBLAS's single-thread size (see linalg.c), and the block bounds. */
#define GEMM_SIZE 262144
#define MIN_ROWS 256
#define MAX_ROWS 2048
#define CENTER_GROUP 64

void mix__kmeans_blocking(size_t d, size_t k, size_t *rows, size_t *group)
{
    *group = k < CENTER_GROUP ? k : CENTER_GROUP;
    size_t r = GEMM_SIZE / (d * *group);
    r = r < MIN_ROWS ? MIN_ROWS : r > MAX_ROWS ? MAX_ROWS : r;
    *rows = r & ~(size_t)63;
}

static mix__lloyd_stats stats_layout(size_t k, size_t d)
{
    mix__lloyd_stats st;
    st.wsum = 0;
    st.sums = k;
    st.count = k + k * d;
    st.len = st.count + k;
    return st;
}

size_t mix__kscratch_len(size_t rows, size_t cols, size_t d, int bounds)
{
    return rows * (cols + 1) + 2 * rows + (bounds ? rows * (3 + d) : 0);
}

mix__kscratch mix__kscratch_at(double *scratch, size_t rows, size_t cols, size_t d, int bounds)
{
    mix__kscratch S = {0};
    S.D = scratch;
    S.part = S.D + rows * (cols + 1);
    S.label = (int32_t *)(void *)(S.part + rows);
    if (bounds) {
        S.part2 = S.part + 2 * rows;
        S.lab_c = (int32_t *)(void *)(S.part2 + rows);
        S.Uc = S.part2 + 2 * rows;
        S.idx = (size_t *)(void *)(S.Uc + rows * d);
    }
    return S;
}

/* Statistics of the first pass: sum of weights | sum_i w_i ||u_i||^2 |
 * column sums of u (d). */
#define FIRST_W 0
#define FIRST_N2 1
#define FIRST_COLS 2

static void first_block(void *ctx, const mix__block *b, double *stats, double *scratch)
{
    (void)scratch;
    const size_t d = ((const mix__lloyd *)ctx)->d;
    for (size_t i = 0; i < b->rows; i++) {
        const double *u = b->U + i * d, w = mix__block_weight(b, i);
        stats[FIRST_W] += w;
        stats[FIRST_N2] += w * mix__norm2(u, d);
        for (size_t t = 0; t < d; t++)
            stats[FIRST_COLS + t] += u[t];
    }
}

static void variance_block(void *ctx, const mix__block *b, double *stats, double *scratch)
{
    (void)scratch;
    const mix__lloyd *lw = ctx;
    const size_t d = lw->d;
    const double *mean = lw->centers_new; /* the column means, for the time of the pass */
    for (size_t i = 0; i < b->rows; i++)
        for (size_t t = 0; t < d; t++) {
            const double e = b->U[i * d + t] - mean[t];
            stats[t] += e * e;
        }
}

/* The totals of the rows, made once per workspace by the first that needs
 * them: the weights' total (k-means++ draws from it), sum w ||u||^2 (the
 * callback's inertia) and the column sums (the variance behind tol). */
int mix__lloyd_totals(mix__lloyd *lw)
{
    if (lw->have_totals)
        return MIX_OK;
    double *T = lw->total;
    int rc = mix__pass_run(&lw->pass, first_block, lw, FIRST_COLS + lw->d, T, lw->err);
    if (rc != MIX_OK)
        return rc;
    lw->w_total = T[FIRST_W];
    lw->w_local = mix__pass_local(&lw->pass, FIRST_W);
    lw->norm_total = T[FIRST_N2];
    lw->have_totals = 1;
    return MIX_OK;
}

/* scikit-learn's tol is relative to the mean of the columns' (unweighted,
 * biased) variances, numpy's X.var(axis=0).mean(): two passes, the column
 * sums (with the totals), then the squared deviations. */
static int first_passes(mix__lloyd *lw, double rel_tol)
{
    const size_t d = lw->d;
    const double n = (double)lw->data->n_all;
    double *T = lw->total;
    if (!(rel_tol > 0))
        return MIX_OK;
    lw->have_totals = 0;
    int rc = mix__lloyd_totals(lw);
    if (rc != MIX_OK)
        return rc;
    for (size_t t = 0; t < d; t++)
        lw->centers_new[t] = T[FIRST_COLS + t] / n;
    rc = mix__pass_run(&lw->pass, variance_block, lw, d, T, lw->err);
    if (rc != MIX_OK)
        return rc;
    double sum_var = 0;
    for (size_t t = 0; t < d; t++)
        sum_var += T[t] / n;
    lw->tol = rel_tol * (sum_var / (double)d);
    return MIX_OK;
}

static int lloyd_alloc(mix__lloyd *lw, int threads, size_t stats_len)
{
    const size_t n = lw->data->n, d = lw->d, k = lw->k;
    const size_t picks = k > lw->n_trials ? k : lw->n_trials;
    const size_t ranks = (size_t)mix__dist_size(lw->data->dist);
    size_t scratch = mix__kscratch_len(lw->block, lw->cols, d, lw->use_bounds);
    if (mix__pass_init(&lw->pass, lw->data, lw->block, stats_len, scratch, threads,
                       (double)d * (double)k) != MIX_OK)
        return MIX_ENOMEM;
    lw->centers = mix__alloc_array(k * d, sizeof(double));
    lw->centers_new = mix__alloc_array(k * d > d ? k * d : d, sizeof(double));
    lw->best_centers = mix__alloc_array(k * d, sizeof(double));
    lw->c_norm2 = mix__alloc_array(k, sizeof(double));
    lw->total = mix__alloc_array(stats_len, sizeof(double));
    lw->cand = mix__alloc_array(lw->n_trials * d, sizeof(double));
    lw->seed_w = mix__alloc_array(k, sizeof(double));
    lw->run_w = mix__alloc_array(k, sizeof(double));
    lw->best_w = mix__alloc_array(k, sizeof(double));
    lw->top = mix__alloc_array(k, sizeof(mix__topk_item));
    lw->move = mix__alloc_array(k, sizeof(double));
    lw->picks = mix__alloc_array(3 * picks, sizeof(size_t));
    lw->gather = mix__alloc_array(ranks * (1 + 2 * k) + MIX__DIST_STATUS, sizeof(double));
    lw->bcast = mix__alloc_array(picks * (d + 3) + MIX__DIST_STATUS, sizeof(double));
    if (!lw->centers || !lw->centers_new || !lw->best_centers || !lw->c_norm2 || !lw->total ||
        !lw->cand || !lw->seed_w || !lw->run_w || !lw->best_w || !lw->top || !lw->move ||
        !lw->picks || !lw->gather || !lw->bcast)
        return MIX_ENOMEM;
    if (lw->in_memory) {
        lw->labels = mix__alloc_array(n, sizeof(int32_t));
        lw->best_labels = mix__alloc_array(n, sizeof(int32_t));
        lw->closest = mix__alloc_array(n, sizeof(double));
        if (!lw->labels || !lw->best_labels || !lw->closest)
            return MIX_ENOMEM;
    }
    size_t layout_len = mix__argmin_layout_len(k, d); /* 0: no register kernel */
    if (layout_len > 0 && (lw->layout = mix__alloc_array(layout_len, sizeof(double))) == NULL)
        return MIX_ENOMEM;
    return mix__bounds_alloc(lw);
}

int mix__lloyd_init(mix__lloyd *lw, const mix__data *data, size_t k, int threads,
                    mix_kmeans_algorithm algorithm, double rel_tol, mix__err *err)
{
    const size_t d = data->d;
    memset(lw, 0, sizeof *lw);
    lw->data = data;
    lw->err = err;
    lw->in_memory = data->read == NULL;
    lw->k = k;
    lw->d = d;
    /* Bounds are per-row state: rows in memory only. */
    lw->use_bounds = lw->in_memory && data->norm_bound > 0 &&
                    (algorithm == MIX_KMEANS_HAMERLY ||
                     (algorithm == MIX_KMEANS_AUTO && mix__bounds_pay(d, k)));
    lw->scale = 1.0 / data->inv_scale;
    mix__kmeans_blocking(d, k, &lw->block, &lw->group);
    lw->n_trials = 2 + (size_t)log((double)k);
    lw->st = stats_layout(k, d);
    /* The slots also hold the first pass's and the seeding's sums. */
    size_t stats_len = lw->st.len;
    stats_len = stats_len > lw->n_trials ? stats_len : lw->n_trials;
    stats_len = stats_len > FIRST_COLS + d ? stats_len : FIRST_COLS + d;
    stats_len = stats_len > 1 + k ? stats_len : 1 + k;
    lw->cols = lw->group;
    int rc = lloyd_alloc(lw, threads, stats_len) == MIX_OK
                 ? MIX_OK
                 : mix__fail(err, MIX_ENOMEM, "out of memory for n = %zu, d = %zu, k = %zu",
                             data->n, d, k);
    /* Every rank knows its workspace is there before the first pass. */
    rc = mix__dist_status(data->dist, rc, err);
    if (rc == MIX_OK)
        rc = first_passes(lw, rel_tol);
    if (rc != MIX_OK)
        mix__lloyd_free(lw);
    return rc;
}

void mix__lloyd_free(mix__lloyd *lw)
{
    mix__pass_free(&lw->pass);
    mix__free(lw->centers);
    mix__free(lw->centers_new);
    mix__free(lw->best_centers);
    mix__free(lw->c_norm2);
    mix__free(lw->total);
    mix__free(lw->cand);
    mix__free(lw->seed_w);
    mix__free(lw->run_w);
    mix__free(lw->best_w);
    mix__free(lw->labels);
    mix__free(lw->best_labels);
    mix__free(lw->closest);
    mix__free(lw->top);
    mix__free(lw->picks);
    mix__free(lw->gather);
    mix__free(lw->bcast);
    mix__free(lw->lower);
    mix__free(lw->sep);
    mix__free(lw->move);
    mix__free(lw->layout);
    memset(lw, 0, sizeof *lw);
}

/* --- assignment pass ------------------------------------------------------ */

static mix__kscratch scratch_of(const mix__lloyd *lw, double *scratch)
{
    return mix__kscratch_at(scratch, lw->block, lw->cols, lw->d, lw->use_bounds);
}

/* Add each row, times its weight, to its cluster's sums; store the labels
 * (rows in memory: labels not NULL). */
MIX__TARGET_CLONES MIX__VECTORIZE MIX__NOINLINE
static void accumulate(size_t d, const mix__block *b, const int32_t *label, int32_t *labels,
                       double *wsum, double *sums, double *count)
{
    for (size_t i = 0; i < b->rows; i++) {
        const int32_t j = label[i];
        const double *u = b->U + i * d;
        const double w = mix__block_weight(b, i);
        if (labels != NULL)
            labels[i] = j;
        wsum[j] += w;
        count[j] += w > 0; /* members that carry weight */
        double *s = sums + (size_t)j * d;
        for (size_t t = 0; t < d; t++)
            s[t] += u[t] * w;
    }
}

/* The closest center of each row of a block, as every pass computes it. */
static void assign_rows(const mix__lloyd *lw, const mix__block *b, const mix__kscratch *S)
{
    mix__sqdist_argmin(b->U, b->rows, lw->d, lw->centers, lw->layout, lw->c_norm2, lw->k,
                       lw->group, S->D, S->label, S->part, NULL);
}

static void lloyd_block(void *ctx, const mix__block *b, double *stats, double *scratch)
{
    mix__lloyd *lw = ctx;
    const mix__kscratch S = scratch_of(lw, scratch);
    if (lw->use_bounds)
        mix__bounds_assign(lw, b, &S, S.label);
    else
        assign_rows(lw, b, &S);
    accumulate(lw->d, b, S.label, lw->labels ? lw->labels + b->row0 : NULL, stats + lw->st.wsum,
               stats + lw->st.sums, stats + lw->st.count);
}

/* --- empty clusters ------------------------------------------------------- */

/* closest_i = ||u_i - center of its label||^2, by the direct formula
 * (rows in memory, labelled by the last pass). */
static void own_distance_block(void *ctx, const mix__block *b, double *stats, double *scratch)
{
    (void)stats;
    (void)scratch;
    mix__lloyd *lw = ctx;
    for (size_t i = 0; i < b->rows; i++) {
        size_t r = b->row0 + i;
        lw->closest[r] = mix__sqdist_direct(b->U + i * lw->d,
                                           lw->centers + (size_t)lw->labels[r] * lw->d, lw->d);
    }
}

typedef struct far_ctx {
    mix__lloyd *lw;
    mix__topk top;
    const size_t *pairs; /* the chosen rows of this rank: (local row, place), by row */
    size_t m, next;
} far_ctx;

/* Streamed rows: the labels the last pass gave (the same kernel on the
 * same block), then the distance to the own center. */
static void far_scan_block(void *ctx, const mix__block *b, double *stats, double *scratch)
{
    (void)stats;
    far_ctx *f = ctx;
    mix__lloyd *lw = f->lw;
    const mix__kscratch S = scratch_of(lw, scratch);
    assign_rows(lw, b, &S);
    for (size_t i = 0; i < b->rows; i++)
        if (mix__block_weight(b, i) > 0)
            mix__topk_push(&f->top,
                           mix__sqdist_direct(b->U + i * lw->d,
                                              lw->centers + (size_t)S.label[i] * lw->d, lw->d),
                           b->gid + i);
}

/* This rank's rows of positive weight farthest from their own centers,
 * the m largest into lw->top. */
static int local_farthest(mix__lloyd *lw, size_t m, size_t *got)
{
    far_ctx f = {.lw = lw};
    mix__topk_init(&f.top, lw->top, m);
    int rc = MIX_OK;
    if (lw->in_memory) {
        mix__pass_run(&lw->pass, own_distance_block, lw, 0, NULL, NULL);
        lw->bounds_valid = 0; /* closest[] holds the upper bounds */
        const mix__data *v = lw->data;
        for (size_t i = 0; i < v->n; i++)
            if (mix__data_weight_at(v, i) > 0)
                mix__topk_push(&f.top, lw->closest[i], v->row0 + i);
    } else {
        rc = mix__pass_scan(&lw->pass, far_scan_block, &f, lw->err);
    }
    *got = mix__topk_sort(&f.top);
    return rc;
}

/* The m farthest rows of all ranks (their keys and global indices) into
 * lw->top, best first; *got how many. */
static int global_farthest(mix__lloyd *lw, size_t m, size_t *got)
{
    size_t mine;
    int rc = local_farthest(lw, m, &mine);
    return mix__topk_gather(lw->data->dist, lw->top, mine, m, lw->bcast, lw->gather, got, rc,
                            lw->err);
}

/* Streamed: the chosen rows of a block, with the labels the last pass
 * gave them: u (d), weight, label into slot `slot` of lw->bcast. */
static void far_fetch_block(void *ctx, const mix__block *b, double *stats, double *scratch)
{
    (void)stats;
    far_ctx *f = ctx;
    mix__lloyd *lw = f->lw;
    const size_t d = lw->d;
    if (f->next >= f->m || f->pairs[2 * f->next] >= b->row0 + b->rows)
        return;
    const mix__kscratch S = scratch_of(lw, scratch);
    assign_rows(lw, b, &S);
    for (; f->next < f->m && f->pairs[2 * f->next] < b->row0 + b->rows; f->next++) {
        const size_t i = f->pairs[2 * f->next] - b->row0;
        double *o = lw->bcast + f->pairs[2 * f->next + 1] * (d + 2);
        memcpy(o, b->U + i * d, d * sizeof(double));
        o[d] = mix__block_weight(b, i);
        o[d + 1] = S.label[i];
    }
}

/* The chosen rows (lw->top[0 .. got)) to every rank: u, weight and the
 * label the last pass gave, in lw->bcast (got x (d + 2)). */
static int share_farthest(mix__lloyd *lw, size_t got)
{
    const mix__data *v = lw->data;
    const size_t d = lw->d, picks = lw->k > lw->n_trials ? lw->k : lw->n_trials;
    size_t *global = lw->picks, *pairs = lw->picks + picks;
    for (size_t q = 0; q < got; q++)
        global[q] = lw->top[q].index;
    const size_t m = mix__pass_local_picks(v, global, got, pairs);
    memset(lw->bcast, 0, got * (d + 2) * sizeof(double));
    int rc = MIX_OK;
    if (lw->in_memory) {
        for (size_t q = 0; q < m; q++) {
            const size_t r = pairs[2 * q];
            double *o = lw->bcast + pairs[2 * q + 1] * (d + 2);
            mix__data_load(v, r, 1, o);
            o[d] = mix__data_weight_at(v, r);
            o[d + 1] = lw->labels[r];
        }
    } else {
        far_ctx f = {.lw = lw, .pairs = pairs, .m = m};
        rc = mix__pass_scan(&lw->pass, far_fetch_block, &f, lw->err);
    }
    return mix__dist_sum(v->dist, lw->bcast, got * (d + 2), rc, lw->err);
}

/*
 * Give each empty cluster (zero weight), in increasing index, the next of
 * the rows farthest from their own center; the row's weight and
 * contribution move from its old cluster, as scikit-learn does. Only rows
 * with a positive weight are moved: a zero-weight row could not fill the
 * cluster. Over several ranks, the farthest rows of all of them.
 */
static int relocate_empty(mix__lloyd *lw, double *wsum, double *sums, double *count)
{
    const size_t k = lw->k, d = lw->d;
    size_t n_empty = 0, got;
    for (size_t j = 0; j < k; j++)
        n_empty += wsum[j] == 0;
    if (n_empty == 0)
        return MIX_OK;
    int rc = global_farthest(lw, n_empty, &got);
    if (rc == MIX_OK)
        rc = share_farthest(lw, got);
    if (rc != MIX_OK)
        return rc;
    size_t next = 0;
    for (size_t j = 0; j < k && next < got; j++) {
        if (wsum[j] != 0)
            continue;
        const double *row = lw->bcast + (next++) * (d + 2), *u = row, w = row[d];
        const size_t old = (size_t)row[d + 1];
        for (size_t t = 0; t < d; t++) {
            sums[old * d + t] -= u[t] * w;
            sums[j * d + t] = u[t] * w;
        }
        wsum[j] = w;
        wsum[old] -= w;
        count[j] = 1;
        /* A cluster whose last row left is empty: exactly, not the rounding
         * residue of its weights (dividing its sums by that would throw its
         * center far outside the data). */
        if (--count[old] == 0) {
            wsum[old] = 0;
            for (size_t t = 0; t < d; t++)
                sums[old * d + t] = 0;
        }
    }
    return MIX_OK;
}

/* --- the restart loop's operations ------------------------------------------ */

/* What the distance kernels read besides the centers. */
void mix__lloyd_centers_changed(mix__lloyd *lw)
{
    mix__row_norms2(lw->centers, lw->k, lw->d, lw->c_norm2);
    if (lw->layout != NULL)
        mix__tile_layout(lw->centers, lw->k, lw->d, lw->layout);
}

static int lloyd_init_run(void *method)
{
    mix__lloyd *lw = method;
    int rc = mix__kmeans_seed(lw);
    if (rc != MIX_OK)
        return rc;
    mix__lloyd_centers_changed(lw);
    if (lw->labels != NULL)
        for (size_t i = 0; i < lw->data->n; i++)
            lw->labels[i] = -1;
    lw->strict = 0;
    mix__bounds_start(lw);
    return MIX_OK;
}

/*
 * One iteration. scikit-learn stops on labels equal to the last
 * iteration's ("strict convergence"); equal labels give bit-equal sums and
 * so centers equal to the last ones, and the other way round, so the test
 * here is on the centers, which needs no labels of the rows (streamed rows
 * keep none). A relocated row is the one exception: the iteration after a
 * relocation may keep the labels and still move a center; it then stops
 * one iteration later than scikit-learn, at the same centers.
 */
static int lloyd_iterate(void *method, double *objective, double *change, int *converged)
{
    mix__lloyd *lw = method;
    const size_t k = lw->k, d = lw->d;
    double *T = lw->total;
    int rc = mix__pass_run(&lw->pass, lloyd_block, lw, lw->st.len, T, lw->err);
    if (rc != MIX_OK)
        return rc;
    lw->bounds_valid = lw->use_bounds; /* every row's bounds were kept or reset */
    double *wsum = T + lw->st.wsum, *sums = T + lw->st.sums;
    /* The inertia of this assignment for the callback, from the sums:
     * sum_j sum_{i in j} w ||u_i - c_j||^2 = sum_i w ||u_i||^2
     * - sum_j (2 c_j.S_j - W_j ||c_j||^2), with no per-row work. */
    double inertia = lw->norm_total;
    for (size_t j = 0; j < k; j++) {
        double cs = 0;
        for (size_t t = 0; t < d; t++)
            cs += lw->centers[j * d + t] * sums[j * d + t];
        inertia -= 2 * cs - wsum[j] * lw->c_norm2[j];
    }
    rc = relocate_empty(lw, wsum, sums, T + lw->st.count);
    if (rc != MIX_OK)
        return rc;
    /* Average (scikit-learn multiplies by the reciprocal); a cluster still
     * empty keeps its zero sum, i.e. sits at the training mean. */
    double shift_tot = 0;
    int same = 1;
    for (size_t j = 0; j < k; j++) {
        double *c = lw->centers_new + j * d;
        const double *s = sums + j * d, *old = lw->centers + j * d;
        double alpha = wsum[j] > 0 ? 1.0 / wsum[j] : 1.0;
        if (isfinite(alpha))
            for (size_t t = 0; t < d; t++)
                c[t] = s[t] * alpha;
        else /* a subnormal cluster weight: its reciprocal overflows */
            for (size_t t = 0; t < d; t++)
                c[t] = s[t] / wsum[j];
        for (size_t t = 0; t < d; t++)
            same &= c[t] == old[t];
        double shift = sqrt(mix__sqdist_direct(c, old, d));
        shift_tot += shift * shift;
        lw->move[j] = shift;
    }
    double *tmp = lw->centers;
    lw->centers = lw->centers_new;
    lw->centers_new = tmp;
    mix__lloyd_centers_changed(lw);
    if (lw->use_bounds)
        mix__bounds_update(lw);

    lw->strict = same;
    *converged = same || shift_tot <= lw->tol;
    /* Squared quantities: times the scale twice, so that values beyond
     * double's range in the data's units become infinity, not NaN. */
    *objective = fmax(inertia, 0.0) * lw->scale * lw->scale / lw->data->w_factor;
    *change = shift_tot * lw->scale * lw->scale;
    return MIX_OK;
}

/* Inertia by the direct formula (as scikit-learn), and the clusters'
 * weights, after assigning the rows to the final centers, unless they are
 * those the last pass assigned them to (rows in memory keep its labels). */
static void final_block(void *ctx, const mix__block *b, double *stats, double *scratch)
{
    mix__lloyd *lw = ctx;
    const size_t d = lw->d;
    const mix__kscratch S = scratch_of(lw, scratch);
    const int32_t *label = S.label;
    if (lw->labels != NULL && lw->strict) {
        label = lw->labels + b->row0;
    } else {
        assign_rows(lw, b, &S);
        if (lw->labels != NULL)
            memcpy(lw->labels + b->row0, S.label, b->rows * sizeof(int32_t));
    }
    for (size_t i = 0; i < b->rows; i++) {
        const double w = mix__block_weight(b, i);
        stats[0] += w * mix__sqdist_direct(b->U + i * d, lw->centers + (size_t)label[i] * d, d);
        stats[1 + label[i]] += w;
    }
}

int mix__lloyd_finish_run(void *method, double *score)
{
    mix__lloyd *lw = method;
    double *T = lw->total;
    if (lw->centers_only) { /* one run, whose centers are all that is asked */
        *score = 0;
        return MIX_OK;
    }
    int rc = mix__pass_run(&lw->pass, final_block, lw, 1 + lw->k, T, lw->err);
    if (rc != MIX_OK)
        return rc;
    lw->inertia = T[0];
    memcpy(lw->run_w, T + 1, lw->k * sizeof(double));
    *score = -lw->inertia;
    return MIX_OK;
}

void mix__lloyd_keep(void *method)
{
    mix__lloyd *lw = method;
    memcpy(lw->best_centers, lw->centers, lw->k * lw->d * sizeof(double));
    memcpy(lw->best_w, lw->run_w, lw->k * sizeof(double));
    int32_t *tmp = lw->best_labels;
    lw->best_labels = lw->labels;
    lw->labels = tmp;
    lw->best_inertia = lw->inertia;
}

static const mix__restart_ops lloyd_ops = {
    .init_run = lloyd_init_run,
    .iterate = lloyd_iterate,
    .finish_run = mix__lloyd_finish_run,
    .keep = mix__lloyd_keep,
};

int mix__lloyd_fit(mix__lloyd *lw, int n_init, int max_iter, mix_iter_callback callback,
                   void *callback_data, int *n_iter, mix__err *err)
{
    mix__restart_opts opts = {
        .n_init = n_init, .max_iter = max_iter, .callback = callback,
        .callback_data = callback_data, .dist = lw->data->dist,
    };
    mix__restart_result res;
    int rc = callback != NULL ? mix__lloyd_totals(lw) : MIX_OK; /* the inertia it reads */
    if (rc == MIX_OK)
        rc = mix__restarts(&lloyd_ops, lw, &opts, &res, err);
    else
        res.n_iter = 0;
    *n_iter = res.n_iter;
    return rc;
}
