/*
 * One step of mini-batch K-means on a chunk of rows, as scikit-learn's
 * MiniBatchKMeans.partial_fit with reassignment_ratio = 0 computes it: the
 * chunk's rows are assigned to the current centers; each center that
 * receives rows becomes the weighted mean of everything it has seen,
 * c <- (c W + sum_i w_i x_i) / (W + sum_i w_i) with W its past weight
 * (weight_sums), in the units of the data and in scikit-learn's order of
 * operations; the chunk's labels and inertia then refer to the new
 * centers. The first step starts from the given centers or from the
 * handle's seeding of the chunk.
 */
#include "kmeans/init.h"
#include "kmeans/kmeans.h"

#include "core/threads.h"
#include "kernels/sqdist.h"

#include <math.h>
#include <string.h>

/* Centers in engine units and their norms, from the centers in data
 * units; MIX_EDATA if a center is not finite. */
static int refresh(mix__kmodel *m, size_t k)
{
    const size_t d = m->d;
    for (size_t i = 0; i < k * d; i++) {
        if (!isfinite(m->centers[i]))
            return MIX_EDATA;
        m->centers_u[i] = m->centers[i] * m->inv_scale - m->shift[i % d] * m->inv_scale;
    }
    mix__row_norms2(m->centers_u, k, d, m->c_norm2);
    return MIX_OK;
}

/* Starting centers (data units) of the first step: seeded from the chunk
 * as the handle's init method seeds a fit. */
static int seed_chunk(size_t k, const mix__kmeans_opts *o, const double *X, size_t n, size_t d,
                      const double *w, double *centers, mix__err *err)
{
    double *shift = mix__alloc_array(d, sizeof(double));
    double *seed_w = mix__alloc_array(k, sizeof(double));
    int rc = shift && seed_w ? MIX_OK : mix__fail(err, MIX_ENOMEM, "out of memory");
    mix__data data;
    const mix__source src = {.X = X, .w = w, .n = n, .d = d};
    const mix__scan_opts so = {.k = k, .what = "n_clusters", .centre = 1};
    if (rc == MIX_OK)
        rc = mix__data_open(&data, &src, shift, &so, err);
    if (rc == MIX_OK) {
        /* the seeds of a fit's first run with the same seed */
        rc = mix__kmeans_seed_rows(&data, k, mix__threads_resolve(o->threads), o->init, o->seed,
                                   centers, seed_w, err);
    }
    if (rc == MIX_OK)
        for (size_t i = 0; i < k * d; i++)
            centers[i] = centers[i] / data.inv_scale + shift[i % d];
    mix__free(shift);
    mix__free(seed_w);
    return rc;
}

/* The model to step from: a copy of cur's centers and weights, or a new one
 * from the given or seeded centers with no past weight. */
static int start_model(const mix__kmodel *cur, size_t k, const mix__kmeans_opts *o,
                       const double *X, size_t n, size_t d, const double *w, mix__kmodel *m,
                       mix__err *err)
{
    const double *centers = cur ? cur->centers : o->init_centers;
    double *seeded = NULL;
    int rc = MIX_OK;
    memset(m, 0, sizeof *m);
    if (centers == NULL) {
        seeded = mix__alloc_array(k * d, sizeof(double));
        rc = seeded ? seed_chunk(k, o, X, n, d, w, seeded, err)
                    : mix__fail(err, MIX_ENOMEM, "out of memory");
        centers = seeded;
    }
    if (rc == MIX_OK && mix__kmodel_from_centers(m, k, d, centers) != MIX_OK)
        rc = mix__fail(err, MIX_ENOMEM, "out of memory");
    if (rc == MIX_OK) {
        m->counts = mix__calloc(k, sizeof(double));
        m->labels = mix__alloc_array(n, sizeof(int32_t));
        if (!m->counts || !m->labels)
            rc = mix__fail(err, MIX_ENOMEM, "out of memory");
    }
    if (rc == MIX_OK && cur != NULL) {
        /* the model's own units and engine-unit centers, so that the step
         * assigns the rows as the model predicts them */
        memcpy(m->shift, cur->shift, d * sizeof(double));
        m->inv_scale = cur->inv_scale;
        memcpy(m->centers_u, cur->centers_u, k * d * sizeof(double));
        memcpy(m->c_norm2, cur->c_norm2, k * sizeof(double));
        if (cur->counts != NULL)
            memcpy(m->counts, cur->counts, k * sizeof(double));
        m->n_iter = cur->n_iter;
    }
    mix__free(seeded);
    if (rc != MIX_OK)
        mix__kmodel_free(m);
    return rc;
}

int mix__kmeans_partial_fit(const mix__kmodel *cur, size_t k, const mix__kmeans_opts *o,
                            const double *X, size_t n, size_t d, const double *w,
                            double w_factor, mix__kmodel *m, mix__err *err)
{
    int rc = start_model(cur, k, o, X, n, d, w, m, err);
    if (rc != MIX_OK)
        return rc;
    const int threads = mix__threads_resolve(o->threads);
    double *sums = mix__calloc(k * d + k, sizeof(double)), *wsum = sums + k * d;
    rc = sums ? mix__kmeans_assign(m, k, X, n, NULL, 1.0, threads, m->labels, NULL, NULL)
              : MIX_ENOMEM;
    if (rc == MIX_OK) {
        /* scikit-learn's _minibatch_update_dense: per center, its weight
         * sum, then c W + the rows in order, W += the weight sum, times
         * 1 / W. */
        for (size_t i = 0; i < n; i++)
            wsum[m->labels[i]] += w ? w[i] : 1.0;
        for (size_t j = 0; j < k; j++)
            if (wsum[j] > 0)
                for (size_t t = 0; t < d; t++)
                    sums[j * d + t] = m->centers[j * d + t] * m->counts[j];
        for (size_t i = 0; i < n; i++) {
            const size_t j = (size_t)m->labels[i];
            const double wi = w ? w[i] : 1.0;
            if (wsum[j] > 0)
                for (size_t t = 0; t < d; t++)
                    sums[j * d + t] += X[i * d + t] * wi;
        }
        for (size_t j = 0; j < k; j++) {
            if (!(wsum[j] > 0))
                continue;
            m->counts[j] += wsum[j];
            const double alpha = 1.0 / m->counts[j];
            for (size_t t = 0; t < d; t++)
                m->centers[j * d + t] = sums[j * d + t] * alpha;
        }
        rc = refresh(m, k);
        if (rc == MIX_EDATA)
            mix__fail(err, rc, "a center overflows a double; rescale X");
    } else {
        mix__fail(err, MIX_ENOMEM, "out of memory");
    }
    /* The chunk's labels and inertia at the new centers (compute_labels). */
    if (rc == MIX_OK) {
        double inertia;
        rc = mix__kmeans_assign(m, k, X, n, w, w_factor, threads, m->labels, NULL, &inertia);
        if (rc != MIX_OK)
            mix__fail(err, rc, "out of memory");
        m->inertia = inertia;
        m->n = n;
        m->n_iter++;
    }
    mix__free(sums);
    if (rc != MIX_OK)
        mix__kmodel_free(m);
    return rc;
}
