/*
 * Lloyd's algorithm on the engine: K-means' "hard" family. One pass per
 * iteration assigns every row to its closest center and accumulates the
 * weighted sums of each cluster; the M-step averages them, moving empty
 * clusters to the farthest points first, exactly as scikit-learn 1.2.
 */
#include "kmeans_model.h"

#include "engine.h"
#include "fma_tile.h"
#include "simd.h"
#include "sqdist.h"

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

int mix__lloyd_init(mix__lloyd *L, const mix__data *data, size_t k, int threads,
                    mix_kmeans_algorithm algorithm, double rel_tol)
{
    const size_t n = data->n, d = data->d;
    memset(L, 0, sizeof *L);
    L->data = data;
    L->k = k;
    L->d = d;
    L->use_bounds = data->norm_bound > 0 &&
                    (algorithm == MIX_KMEANS_HAMERLY ||
                     (algorithm == MIX_KMEANS_AUTO && mix__bounds_pay(d, k)));
    L->scale = 1.0 / data->inv_scale;
    L->tol = rel_tol > 0 ? rel_tol * mix__mean_variance(data) : 0;
    mix__kmeans_blocking(d, k, &L->block, &L->group);
    L->n_trials = 2 + (size_t)log((double)k);
    size_t stats_len = LLOYD_STATS_LEN(L);
    if (stats_len < L->n_trials)
        stats_len = L->n_trials;
    size_t cols = L->group > L->n_trials ? L->group : L->n_trials;
    size_t scratch = mix__kmeans_scratch_len(L->block, cols) +
                     (L->use_bounds ? mix__bounds_scratch_len(L) : 0);
    int rc = mix__pass_init(&L->pass, data, L->block, stats_len, scratch, threads,
                            (double)d * (double)k);
    if (rc != MIX_OK)
        return rc;
    L->centers = mix__alloc_array(k * d, sizeof(double));
    L->centers_new = mix__alloc_array(k * d, sizeof(double));
    L->best_centers = mix__alloc_array(k * d, sizeof(double));
    L->c_norm2 = mix__alloc_array(k, sizeof(double));
    L->total = mix__alloc_array(stats_len, sizeof(double));
    L->cand = mix__alloc_array(L->n_trials * (d + 1), sizeof(double));
    L->labels = mix__alloc_array(n, sizeof(int32_t));
    L->best_labels = mix__alloc_array(n, sizeof(int32_t));
    L->closest = mix__alloc_array(n, sizeof(double));
    L->top = mix__alloc_array(k, sizeof(mix__topk_item));
    L->seed_rows = mix__alloc_array(k, sizeof(size_t));
    L->move = mix__alloc_array(k, sizeof(double));
    size_t layout_len = mix__argmin_layout_len(k, d); /* 0: no register kernel */
    if (layout_len > 0)
        L->layout = mix__alloc_array(layout_len, sizeof(double));
    if (!L->move || !L->centers || !L->centers_new || !L->best_centers || !L->c_norm2 || !L->total ||
        !L->cand || !L->labels || !L->best_labels || !L->closest || !L->top || !L->seed_rows ||
        (layout_len > 0 && !L->layout) || mix__bounds_alloc(L) != MIX_OK) {
        mix__lloyd_free(L);
        return MIX_ENOMEM;
    }
    return MIX_OK;
}

void mix__lloyd_free(mix__lloyd *L)
{
    mix__pass_free(&L->pass);
    mix__free(L->centers);
    mix__free(L->centers_new);
    mix__free(L->best_centers);
    mix__free(L->c_norm2);
    mix__free(L->total);
    mix__free(L->cand);
    mix__free(L->labels);
    mix__free(L->best_labels);
    mix__free(L->closest);
    mix__free(L->top);
    mix__free(L->seed_rows);
    mix__free(L->lower);
    mix__free(L->sep);
    mix__free(L->move);
    mix__free(L->layout);
    memset(L, 0, sizeof *L);
}

/* --- assignment pass ------------------------------------------------------ */

/* part and labels follow the distance sub-block D in the scratch. */
static double *scratch_part(const mix__lloyd *L, double *D)
{
    size_t cols = L->group > L->n_trials ? L->group : L->n_trials;
    return mix__kmeans_scratch_part(D, L->block, cols);
}

static int32_t *scratch_labels(const mix__lloyd *L, double *D)
{
    return (int32_t *)(void *)(scratch_part(L, D) + L->block);
}

/* Add each row, times its weight, to its cluster's sums; store the labels
 * and return how many changed. */
MIX_TARGET_CLONES MIX_VECTORIZE MIX_NOINLINE
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

static void lloyd_block(void *ctx, const mix__block *b, double *stats, double *D)
{
    mix__lloyd *L = ctx;
    const size_t k = L->k, d = L->d;
    double *part = scratch_part(L, D);
    int32_t *label = scratch_labels(L, D);
    if (L->use_bounds)
        mix__bounds_assign(L, b, D, label);
    else
        mix__sqdist_argmin(b->U, b->rows, d, L->centers, L->layout, L->c_norm2, k, L->group, D,
                           label, part,
                           NULL);
    stats[LLOYD_CHANGED(L)] += accumulate(L->data, b, label, L->labels + b->row0,
                                          stats + LLOYD_WSUM(L), stats + LLOYD_SUMS(L),
                                          stats + LLOYD_COUNT(L));
}

/* --- empty clusters ------------------------------------------------------- */

/* closest_i = ||u_i - center of its label||^2, by the direct formula. */
static void own_distance_block(void *ctx, const mix__block *b, double *stats, double *scratch)
{
    (void)stats;
    (void)scratch;
    mix__lloyd *L = ctx;
    for (size_t i = 0; i < b->rows; i++) {
        size_t r = b->row0 + i;
        L->closest[r] = mix__sqdist_direct(b->U + i * L->d,
                                           L->centers + (size_t)L->labels[r] * L->d, L->d);
    }
}

/*
 * Give each empty cluster (zero weight), in increasing index, the next of
 * the rows farthest from their own center; the row's weight and
 * contribution move from its old cluster, as scikit-learn does. Only rows
 * with a positive weight are moved: a zero-weight row could not fill the
 * cluster.
 */
static void relocate_empty(mix__lloyd *L, double *wsum, double *sums, double *count)
{
    const size_t k = L->k, d = L->d;
    size_t n_empty = 0;
    for (size_t j = 0; j < k; j++)
        n_empty += wsum[j] == 0;
    if (n_empty == 0)
        return;
    mix__pass_run(&L->pass, own_distance_block, L, 0, NULL);
    L->bounds_valid = 0; /* closest[] holds the upper bounds */
    mix__topk top;
    mix__topk_init(&top, L->top, n_empty);
    for (size_t i = 0; i < L->data->n; i++)
        if (mix__data_weight(L->data, i) > 0)
            mix__topk_push(&top, L->closest[i], i);
    size_t got = mix__topk_sort(&top), next = 0;
    double *u = L->cand; /* one row of scratch */
    for (size_t j = 0; j < k && next < got; j++) {
        if (wsum[j] != 0)
            continue;
        size_t far = L->top[next++].index;
        double w = mix__data_weight(L->data, far);
        size_t old = (size_t)L->labels[far];
        mix__data_load(L->data, far, 1, u);
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

/* --- engine operations ---------------------------------------------------- */

/* What the distance kernels read besides the centers. */
static void centers_changed(mix__lloyd *L)
{
    mix__row_norms2(L->centers, L->k, L->d, L->c_norm2);
    if (L->layout != NULL)
        mix__tile_layout(L->centers, L->k, L->d, L->layout);
}

static int lloyd_init_run(void *model, int run)
{
    (void)run;
    mix__lloyd *L = model;
    mix__kmeans_seed(L);
    centers_changed(L);
    for (size_t i = 0; i < L->data->n; i++)
        L->labels[i] = -1;
    L->strict = 0;
    mix__bounds_start(L);
    return MIX_OK;
}

static int lloyd_iterate(void *model, int iteration, double *objective, double *change,
                         int *converged)
{
    (void)iteration;
    mix__lloyd *L = model;
    const size_t k = L->k, d = L->d;
    double *T = L->total;
    mix__pass_run(&L->pass, lloyd_block, L, LLOYD_STATS_LEN(L), T);
    L->bounds_valid = L->use_bounds; /* every row's bounds were kept or reset */
    double *wsum = T + LLOYD_WSUM(L), *sums = T + LLOYD_SUMS(L);
    /* The inertia of this assignment for the callback, from the sums:
     * sum_j sum_{i in j} w ||u_i - c_j||^2 = sum_i w ||u_i||^2
     * - sum_j (2 c_j.S_j - W_j ||c_j||^2), with no per-row work. */
    double inertia = L->norm_total;
    for (size_t j = 0; j < k; j++) {
        double cs = 0;
        for (size_t t = 0; t < d; t++)
            cs += L->centers[j * d + t] * sums[j * d + t];
        inertia -= 2 * cs - wsum[j] * L->c_norm2[j];
    }
    relocate_empty(L, wsum, sums, T + LLOYD_COUNT(L));
    /* Average (scikit-learn multiplies by the reciprocal); a cluster still
     * empty keeps its zero sum, i.e. sits at the training mean. */
    double shift_tot = 0;
    for (size_t j = 0; j < k; j++) {
        double *c = L->centers_new + j * d;
        const double *s = sums + j * d;
        double alpha = wsum[j] > 0 ? 1.0 / wsum[j] : 1.0;
        if (isfinite(alpha))
            for (size_t t = 0; t < d; t++)
                c[t] = s[t] * alpha;
        else /* a subnormal cluster weight: its reciprocal overflows */
            for (size_t t = 0; t < d; t++)
                c[t] = s[t] / wsum[j];
        double shift = sqrt(mix__sqdist_direct(c, L->centers + j * d, d));
        shift_tot += shift * shift;
        L->move[j] = shift;
    }
    double *tmp = L->centers;
    L->centers = L->centers_new;
    L->centers_new = tmp;
    centers_changed(L);
    if (L->use_bounds)
        mix__bounds_update(L);

    L->strict = T[LLOYD_CHANGED(L)] == 0;
    *converged = L->strict || shift_tot <= L->tol;
    /* Squared quantities: times the scale twice, so that values beyond
     * double's range in the data's units become infinity, not NaN. */
    *objective = fmax(inertia, 0.0) * L->scale * L->scale / L->data->w_factor;
    *change = shift_tot * L->scale * L->scale;
    return MIX_OK;
}

typedef struct final_ctx {
    mix__lloyd *L;
    int relabel;
} final_ctx;

/* Inertia by the direct formula (as scikit-learn), after assigning rows to
 * the final centers when the run did not stop on unchanged labels. */
static void final_block(void *ctx, const mix__block *b, double *stats, double *D)
{
    final_ctx *f = ctx;
    mix__lloyd *L = f->L;
    const size_t d = L->d;
    if (f->relabel)
        mix__sqdist_argmin(b->U, b->rows, d, L->centers, L->layout, L->c_norm2, L->k, L->group, D,
                           L->labels + b->row0, scratch_part(L, D), NULL);
    for (size_t i = 0; i < b->rows; i++) {
        size_t r = b->row0 + i;
        stats[0] += mix__data_weight(L->data, r) *
                    mix__sqdist_direct(b->U + i * d, L->centers + (size_t)L->labels[r] * d, d);
    }
}

static int lloyd_finish_run(void *model, double *score)
{
    mix__lloyd *L = model;
    final_ctx f = {L, !L->strict};
    mix__pass_run(&L->pass, final_block, &f, 1, &L->inertia);
    *score = -L->inertia;
    return MIX_OK;
}

static void lloyd_keep(void *model)
{
    mix__lloyd *L = model;
    memcpy(L->best_centers, L->centers, L->k * L->d * sizeof(double));
    int32_t *tmp = L->best_labels;
    L->best_labels = L->labels;
    L->labels = tmp;
    L->best_inertia = L->inertia;
}

static void norm_block(void *ctx, const mix__block *b, double *stats, double *scratch)
{
    (void)scratch;
    const mix__lloyd *L = ctx;
    for (size_t i = 0; i < b->rows; i++) {
        stats[0] += mix__data_weight(L->data, b->row0 + i) * mix__norm2(b->U + i * L->d, L->d);
    }
}

static const mix__engine_ops lloyd_ops = {
    lloyd_init_run,
    lloyd_iterate,
    lloyd_finish_run,
    lloyd_keep,
};

int mix__lloyd_fit(mix__lloyd *L, int n_init, int max_iter, mix_iter_callback callback,
                   void *callback_data, int *n_iter, mix__err *err)
{
    mix__engine_opts opts = {n_init, max_iter, callback, callback_data};
    L->want_objective = callback != NULL;
    if (L->want_objective)
        mix__pass_run(&L->pass, norm_block, L, 1, &L->norm_total);
    mix__engine_result res;
    int rc = mix__engine_fit(&lloyd_ops, L, &opts, &res, err);
    *n_iter = res.n_iter;
    return rc;
}

int mix__lloyd_export(mix__lloyd *L, mix__kmodel *m, int n_iter)
{
    const size_t k = L->k, d = L->d;
    const double scale = 1.0 / m->inv_scale;
    m->inertia = L->best_inertia * scale * scale / L->data->w_factor;
    if (!isfinite(m->inertia))
        return MIX_EDATA;
    m->centers = mix__alloc_array(k * d, sizeof(double));
    m->centers_u = mix__alloc_array(k * d, sizeof(double));
    m->c_norm2 = mix__alloc_array(k, sizeof(double));
    if (!m->centers || !m->centers_u || !m->c_norm2)
        return MIX_ENOMEM;
    memcpy(m->centers_u, L->best_centers, k * d * sizeof(double));
    for (size_t j = 0; j < k; j++)
        for (size_t t = 0; t < d; t++)
            m->centers[j * d + t] = m->centers_u[j * d + t] * scale + m->shift[t];
    mix__row_norms2(m->centers_u, k, d, m->c_norm2);
    m->labels = L->best_labels; /* taken over */
    L->best_labels = NULL;
    m->n_iter = n_iter;
    return MIX_OK;
}

/* scikit-learn's KMeans defaults, as GaussianMixture uses them. */
#define KMEANS_DEFAULT_TOL 1e-4
#define KMEANS_DEFAULT_MAX_ITER 300

int mix__kmeans_partition(const mix__data *data, size_t k, int threads, uint64_t seed,
                          int32_t *labels, double *centers)
{
    mix__lloyd L;
    int rc = mix__lloyd_init(&L, data, k, threads, MIX_KMEANS_AUTO, KMEANS_DEFAULT_TOL);
    if (rc != MIX_OK)
        return rc;
    L.init = MIX_INIT_KMEANSPP;
    mix__rng_seed(&L.rng, seed);
    int n_iter;
    rc = mix__lloyd_fit(&L, 1, KMEANS_DEFAULT_MAX_ITER, NULL, NULL, &n_iter, NULL);
    if (rc == MIX_OK) {
        memcpy(labels, L.best_labels, data->n * sizeof(int32_t));
        memcpy(centers, L.best_centers, k * data->d * sizeof(double));
    }
    mix__lloyd_free(&L);
    return rc;
}

int mix__kmeans_seed_rows(const mix__data *data, size_t k, int threads, mix_init init,
                          uint64_t seed, size_t *rows)
{
    mix__lloyd L; /* seeding only: no bounds, no tolerance */
    int rc = mix__lloyd_init(&L, data, k, threads, MIX_KMEANS_LLOYD, 0);
    if (rc != MIX_OK)
        return rc;
    L.init = init;
    mix__rng_seed(&L.rng, seed);
    mix__kmeans_seed(&L);
    memcpy(rows, L.seed_rows, k * sizeof(size_t));
    mix__lloyd_free(&L);
    return MIX_OK;
}
