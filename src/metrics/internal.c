/*
 * Two internal indices (scikit-learn's calinski_harabasz_score and
 * davies_bouldin_score): a partition of data judged by its dispersion.
 *
 * Calinski-Harabasz is computed as scikit-learn does, in numpy's order
 * (kernels/sum.h, clusters.h), so the values agree bit for bit.
 * Davies-Bouldin takes its distances exactly, from the differences
 * (mix__sqdist_direct), where scikit-learn expands ||x||^2 - 2 x.c +
 * ||c||^2: the two differ where distances are small against the points'
 * norms (scikit-learn then keeps only the first digits of a distance, and
 * a pair of clusters with the same centroid may get a small distance
 * instead of 0); the distances are computed in parallel, the sums in
 * numpy's order.
 */
#include "metrics/clusters.h"

#include "core/threads.h"
#include "kernels/sqdist.h"
#include "kernels/sum.h"

#include <math.h>
#include <string.h>

typedef struct dispersion {
    const double *X, *mean;
    const uint32_t *rows;
    size_t d;
    double scale;
} dispersion;

/* Element e of the flattened (rows x d) array (x - mean)^2. */
static void fill_dispersion(void *ctx, size_t first, size_t count, double *buf)
{
    const dispersion *s = ctx;
    for (size_t e = first; e < first + count; e++) {
        double v = s->X[(size_t)s->rows[e / s->d] * s->d + e % s->d] * s->scale - s->mean[e % s->d];
        buf[e - first] = v * v;
    }
}

/* np.sum((mean_c - mean) ** 2) */
static double sum_sq_diff(const double *a, const double *b, size_t d, double *buf)
{
    for (size_t t = 0; t < d; t++)
        buf[t] = (a[t] - b[t]) * (a[t] - b[t]);
    return mix__sum_numpy(buf, d);
}

/* extra * (n - k) / (intra * (k - 1)), or 1 if intra is 0 (scikit-learn). */
static double ch_ratio(double extra, double intra, size_t n, size_t k)
{
    return intra == 0.0 ? 1.0 : extra * (double)(n - k) / (intra * ((double)k - 1.0));
}

int mix__calinski_harabasz(const double *X, size_t n, size_t d, const int32_t *labels,
                           double *out)
{
    mix__partition p;
    int rc = mix__partition_make(&p, labels, n);
    if (rc != MIX_OK)
        return rc;
    double *mean = mix__alloc_array(3 * d, sizeof *mean), *mean_c = mean + d, *buf = mean_c + d;
    if (p.k < 2 || p.k >= n || mean == NULL) { /* scikit-learn: 2 <= labels <= n - 1 */
        rc = mean == NULL ? MIX_ENOMEM : MIX_EINVAL;
        mix__free(mean);
        mix__partition_free(&p);
        return rc;
    }
    double scale = mix__metrics_scale(X, n, d), extra = 0.0, intra = 0.0;
    mix__rows_mean(X, d, NULL, n, scale, mean, buf);
    for (size_t c = 0; c < p.k; c++) {
        size_t size = mix__partition_size(&p, c);
        const uint32_t *rows = p.order + p.start[c];
        mix__rows_mean(X, d, rows, size, scale, mean_c, buf);
        extra += (double)size * sum_sq_diff(mean_c, mean, d, buf);
        dispersion s = {X, mean_c, rows, d, scale};
        intra += mix__sum_numpy_fill(size * d, fill_dispersion, &s);
    }
    double ch = ch_ratio(extra, intra, n, p.k);
    mix__free(mean);
    mix__partition_free(&p);
    if (!isfinite(ch))
        return MIX_EDATA;
    *out = ch;
    return MIX_OK;
}

/* ---- Davies-Bouldin -------------------------------------------------- */

#define ROWS_PER_TASK 1024

typedef struct db {
    const double *X;
    const mix__partition *p;
    size_t n, d, k;
    double scale;
    const double *centroids; /* k x d */
    double *dist;            /* n: each item's distance to its centroid */
    double *intra;           /* k: mean distance within each cluster */
    double *score, *far;     /* k: the worst ratio, the largest centroid distance */
    double *buf;             /* per worker: d */
} db;

static void distance_task(void *ctx, size_t t, int worker)
{
    db *g = ctx;
    size_t i1 = (t + 1) * ROWS_PER_TASK < g->n ? (t + 1) * ROWS_PER_TASK : g->n;
    for (size_t i = t * ROWS_PER_TASK; i < i1; i++) {
        const double *x = mix__scaled_row(g->X, g->d, i, g->scale, g->buf + (size_t)worker * g->d);
        const double *c = g->centroids + (size_t)g->p->code[i] * g->d;
        g->dist[i] = sqrt(mix__sqdist_direct(x, c, g->d));
    }
}

typedef struct gather {
    const double *dist;
    const uint32_t *rows;
} gather;

static void fill_gather(void *ctx, size_t first, size_t count, double *buf)
{
    const gather *s = ctx;
    for (size_t r = 0; r < count; r++)
        buf[r] = s->dist[s->rows[first + r]];
}

/* Centroid c against every centroid: max (s_c + s_c2) / d(c, c2), where a
 * distance of 0 (the diagonal, equal centroids) gives 0, as scikit-learn's
 * replacement of 0 by infinity does. */
static void score_task(void *ctx, size_t c, int worker)
{
    (void)worker;
    db *g = ctx;
    double worst = 0.0, far = 0.0;
    for (size_t c2 = 0; c2 < g->k; c2++) {
        double dc = sqrt(mix__sqdist_direct(g->centroids + c * g->d, g->centroids + c2 * g->d, g->d));
        double r = dc == 0.0 ? 0.0 : (g->intra[c] + g->intra[c2]) / dc;
        worst = r > worst ? r : worst;
        far = dc > far ? dc : far;
    }
    g->score[c] = worst;
    g->far[c] = far;
}

/* scikit-learn returns 0 when np.allclose(intra, 0) or np.allclose(centroid
 * distances, 0): every value at most 1e-8 (absolute, in the data's units). */
static int all_small(const double *v, size_t k, double scale)
{
    for (size_t c = 0; c < k; c++)
        if (!(v[c] <= 1e-8 * scale))
            return 0;
    return 1;
}

static void db_run(db *g, mix__pool *pool)
{
    mix__pool_run(pool, (g->n + ROWS_PER_TASK - 1) / ROWS_PER_TASK, distance_task, g);
    for (size_t c = 0; c < g->k; c++) { /* np.average: numpy's sum, then / size */
        gather s = {g->dist, g->p->order + g->p->start[c]};
        size_t size = mix__partition_size(g->p, c);
        g->intra[c] = mix__sum_numpy_fill(size, fill_gather, &s) / (double)size;
    }
    mix__pool_run(pool, g->k, score_task, g);
}

int mix__davies_bouldin(const double *X, size_t n, size_t d, const int32_t *labels, int threads,
                        double *out)
{
    mix__partition p;
    int rc = mix__partition_make(&p, labels, n);
    if (rc != MIX_OK)
        return rc;
    if (p.k < 2 || p.k >= n) {
        mix__partition_free(&p);
        return MIX_EINVAL;
    }
    if ((double)n * (double)d + (double)p.k * (double)p.k * (double)d < 2e5)
        threads = 1;
    db g = {X, &p, n, d, p.k, mix__metrics_scale(X, n, d), NULL, NULL, NULL, NULL, NULL, NULL};
    double *centroids = mix__alloc_array(p.k, d * sizeof(double));
    g.dist = mix__alloc_array(n, sizeof(double));
    g.intra = mix__alloc_array(3 * p.k, sizeof(double));
    g.buf = mix__alloc_array((size_t)threads + 1, d * sizeof(double));
    if (centroids == NULL || g.dist == NULL || g.intra == NULL || g.buf == NULL)
        rc = MIX_ENOMEM;
    else {
        g.score = g.intra + p.k;
        g.far = g.score + p.k;
        mix__cluster_means(X, d, &p, g.scale, centroids, g.buf);
        g.centroids = centroids;
        mix__pool *pool = mix__pool_create(threads);
        db_run(&g, pool);
        mix__pool_destroy(pool);
        double v = all_small(g.intra, p.k, g.scale) || all_small(g.far, p.k, g.scale)
                       ? 0.0
                       : mix__sum_numpy(g.score, p.k) / (double)p.k;
        if (isfinite(v))
            *out = v;
        else
            rc = MIX_EDATA;
    }
    mix__free(centroids);
    mix__free(g.dist);
    mix__free(g.intra);
    mix__free(g.buf);
    mix__partition_free(&p);
    return rc;
}
