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
    st.changed = k + k * d;
    st.count = st.changed + 1;
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

int mix__lloyd_init(mix__lloyd *lw, const mix__data *data, size_t k, int threads,
                    mix_kmeans_algorithm algorithm, double rel_tol)
{
    const size_t n = data->n, d = data->d;
    memset(lw, 0, sizeof *lw);
    lw->data = data;
    lw->k = k;
    lw->d = d;
    lw->use_bounds = data->norm_bound > 0 &&
                    (algorithm == MIX_KMEANS_HAMERLY ||
                     (algorithm == MIX_KMEANS_AUTO && mix__bounds_pay(d, k)));
    lw->scale = 1.0 / data->inv_scale;
    lw->tol = rel_tol > 0 ? rel_tol * mix__mean_variance(data) : 0;
    mix__kmeans_blocking(d, k, &lw->block, &lw->group);
    lw->n_trials = 2 + (size_t)log((double)k);
    lw->st = stats_layout(k, d);
    size_t stats_len = lw->st.len; /* also holds the seeding's candidate potentials */
    if (stats_len < lw->n_trials)
        stats_len = lw->n_trials;
    lw->cols = lw->group > lw->n_trials ? lw->group : lw->n_trials;
    size_t scratch = mix__kscratch_len(lw->block, lw->cols, d, lw->use_bounds);
    int rc = mix__pass_init(&lw->pass, data, lw->block, stats_len, scratch, threads,
                            (double)d * (double)k);
    if (rc != MIX_OK)
        return rc;
    lw->centers = mix__alloc_array(k * d, sizeof(double));
    lw->centers_new = mix__alloc_array(k * d, sizeof(double));
    lw->best_centers = mix__alloc_array(k * d, sizeof(double));
    lw->c_norm2 = mix__alloc_array(k, sizeof(double));
    lw->total = mix__alloc_array(stats_len, sizeof(double));
    lw->cand = mix__alloc_array(lw->n_trials * (d + 1), sizeof(double));
    lw->labels = mix__alloc_array(n, sizeof(int32_t));
    lw->best_labels = mix__alloc_array(n, sizeof(int32_t));
    lw->closest = mix__alloc_array(n, sizeof(double));
    lw->top = mix__alloc_array(k, sizeof(mix__topk_item));
    lw->seed_rows = mix__alloc_array(k, sizeof(size_t));
    lw->move = mix__alloc_array(k, sizeof(double));
    size_t layout_len = mix__argmin_layout_len(k, d); /* 0: no register kernel */
    if (layout_len > 0)
        lw->layout = mix__alloc_array(layout_len, sizeof(double));
    if (!lw->move || !lw->centers || !lw->centers_new || !lw->best_centers || !lw->c_norm2 || !lw->total ||
        !lw->cand || !lw->labels || !lw->best_labels || !lw->closest || !lw->top || !lw->seed_rows ||
        (layout_len > 0 && !lw->layout) || mix__bounds_alloc(lw) != MIX_OK) {
        mix__lloyd_free(lw);
        return MIX_ENOMEM;
    }
    return MIX_OK;
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
    mix__free(lw->labels);
    mix__free(lw->best_labels);
    mix__free(lw->closest);
    mix__free(lw->top);
    mix__free(lw->seed_rows);
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
 * and return how many changed. */
MIX__TARGET_CLONES MIX__VECTORIZE MIX__NOINLINE
static double accumulate(const mix__data *data, const mix__block *b, const int32_t *label,
                         int32_t *labels, double *wsum, double *sums, double *count)
{
    const size_t d = data->d;
    double changed = 0;
    for (size_t i = 0; i < b->rows; i++) {
        const int32_t j = label[i];
        const double *u = b->U + i * d;
        const double w = mix__data_weight(data, b->row0 + i);
        changed += labels[i] != j;
        labels[i] = j;
        wsum[j] += w;
        count[j] += w > 0; /* members that carry weight */
        double *s = sums + (size_t)j * d;
        for (size_t t = 0; t < d; t++)
            s[t] += u[t] * w;
    }
    return changed;
}

static void lloyd_block(void *ctx, const mix__block *b, double *stats, double *scratch)
{
    mix__lloyd *lw = ctx;
    const size_t k = lw->k, d = lw->d;
    const mix__kscratch S = scratch_of(lw, scratch);
    if (lw->use_bounds)
        mix__bounds_assign(lw, b, &S, S.label);
    else
        mix__sqdist_argmin(b->U, b->rows, d, lw->centers, lw->layout, lw->c_norm2, k, lw->group,
                           S.D, S.label, S.part, NULL);
    stats[lw->st.changed] += accumulate(lw->data, b, S.label, lw->labels + b->row0,
                                        stats + lw->st.wsum, stats + lw->st.sums,
                                        stats + lw->st.count);
}

/* --- empty clusters ------------------------------------------------------- */

/* closest_i = ||u_i - center of its label||^2, by the direct formula. */
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

/*
 * Give each empty cluster (zero weight), in increasing index, the next of
 * the rows farthest from their own center; the row's weight and
 * contribution move from its old cluster, as scikit-learn does. Only rows
 * with a positive weight are moved: a zero-weight row could not fill the
 * cluster.
 */
static void relocate_empty(mix__lloyd *lw, double *wsum, double *sums, double *count)
{
    const size_t k = lw->k, d = lw->d;
    size_t n_empty = 0;
    for (size_t j = 0; j < k; j++)
        n_empty += wsum[j] == 0;
    if (n_empty == 0)
        return;
    mix__pass_run(&lw->pass, own_distance_block, lw, 0, NULL);
    lw->bounds_valid = 0; /* closest[] holds the upper bounds */
    mix__topk top;
    mix__topk_init(&top, lw->top, n_empty);
    for (size_t i = 0; i < lw->data->n; i++)
        if (mix__data_weight(lw->data, i) > 0)
            mix__topk_push(&top, lw->closest[i], i);
    size_t got = mix__topk_sort(&top), next = 0;
    double *u = lw->cand; /* one row of scratch */
    for (size_t j = 0; j < k && next < got; j++) {
        if (wsum[j] != 0)
            continue;
        size_t far = lw->top[next++].index;
        double w = mix__data_weight(lw->data, far);
        size_t old = (size_t)lw->labels[far];
        mix__data_load(lw->data, far, 1, u);
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
    mix__kmeans_seed(lw);
    mix__lloyd_centers_changed(lw);
    for (size_t i = 0; i < lw->data->n; i++)
        lw->labels[i] = -1;
    lw->strict = 0;
    mix__bounds_start(lw);
    return MIX_OK;
}

static int lloyd_iterate(void *method, double *objective, double *change, int *converged)
{
    mix__lloyd *lw = method;
    const size_t k = lw->k, d = lw->d;
    double *T = lw->total;
    mix__pass_run(&lw->pass, lloyd_block, lw, lw->st.len, T);
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
    relocate_empty(lw, wsum, sums, T + lw->st.count);
    /* Average (scikit-learn multiplies by the reciprocal); a cluster still
     * empty keeps its zero sum, i.e. sits at the training mean. */
    double shift_tot = 0;
    for (size_t j = 0; j < k; j++) {
        double *c = lw->centers_new + j * d;
        const double *s = sums + j * d;
        double alpha = wsum[j] > 0 ? 1.0 / wsum[j] : 1.0;
        if (isfinite(alpha))
            for (size_t t = 0; t < d; t++)
                c[t] = s[t] * alpha;
        else /* a subnormal cluster weight: its reciprocal overflows */
            for (size_t t = 0; t < d; t++)
                c[t] = s[t] / wsum[j];
        double shift = sqrt(mix__sqdist_direct(c, lw->centers + j * d, d));
        shift_tot += shift * shift;
        lw->move[j] = shift;
    }
    double *tmp = lw->centers;
    lw->centers = lw->centers_new;
    lw->centers_new = tmp;
    mix__lloyd_centers_changed(lw);
    if (lw->use_bounds)
        mix__bounds_update(lw);

    lw->strict = T[lw->st.changed] == 0;
    *converged = lw->strict || shift_tot <= lw->tol;
    /* Squared quantities: times the scale twice, so that values beyond
     * double's range in the data's units become infinity, not NaN. */
    *objective = fmax(inertia, 0.0) * lw->scale * lw->scale / lw->data->w_factor;
    *change = shift_tot * lw->scale * lw->scale;
    return MIX_OK;
}

typedef struct final_ctx {
    mix__lloyd *lw;
    int relabel;
} final_ctx;

/* Inertia by the direct formula (as scikit-learn), after assigning rows to
 * the final centers when the run did not stop on unchanged labels. */
static void final_block(void *ctx, const mix__block *b, double *stats, double *scratch)
{
    final_ctx *f = ctx;
    mix__lloyd *lw = f->lw;
    const size_t d = lw->d;
    if (f->relabel) {
        const mix__kscratch S = scratch_of(lw, scratch);
        mix__sqdist_argmin(b->U, b->rows, d, lw->centers, lw->layout, lw->c_norm2, lw->k,
                           lw->group, S.D, lw->labels + b->row0, S.part, NULL);
    }
    for (size_t i = 0; i < b->rows; i++) {
        size_t r = b->row0 + i;
        stats[0] += mix__data_weight(lw->data, r) *
                    mix__sqdist_direct(b->U + i * d, lw->centers + (size_t)lw->labels[r] * d, d);
    }
}

int mix__lloyd_finish_run(void *method, double *score)
{
    mix__lloyd *lw = method;
    final_ctx f = {lw, !lw->strict};
    mix__pass_run(&lw->pass, final_block, &f, 1, &lw->inertia);
    *score = -lw->inertia;
    return MIX_OK;
}

void mix__lloyd_keep(void *method)
{
    mix__lloyd *lw = method;
    memcpy(lw->best_centers, lw->centers, lw->k * lw->d * sizeof(double));
    int32_t *tmp = lw->best_labels;
    lw->best_labels = lw->labels;
    lw->labels = tmp;
    lw->best_inertia = lw->inertia;
}

static void norm_block(void *ctx, const mix__block *b, double *stats, double *scratch)
{
    (void)scratch;
    const mix__lloyd *lw = ctx;
    for (size_t i = 0; i < b->rows; i++) {
        stats[0] += mix__data_weight(lw->data, b->row0 + i) * mix__norm2(b->U + i * lw->d, lw->d);
    }
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
        .callback_data = callback_data,
    };
    if (callback != NULL) /* it reads each iteration's inertia */
        mix__pass_run(&lw->pass, norm_block, lw, 1, &lw->norm_total);
    mix__restart_result res;
    int rc = mix__restarts(&lloyd_ops, lw, &opts, &res, err);
    *n_iter = res.n_iter;
    return rc;
}
