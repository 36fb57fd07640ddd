/*
 * A K-means fit (the data's units, the workspace, the restarts, the model in
 * the units of the data), and K-means as the mixtures' initialisation
 * (init.h).
 */
#include "kmeans/init.h"
#include "kmeans/kmeans.h"
#include "kmeans/lloyd.h"

#include "core/threads.h"
#include "engine/optim.h"
#include "kernels/sqdist.h"

#include <math.h>
#include <string.h>

mix__kmeans_opts mix__kmeans_default_opts(void)
{
    mix__kmeans_opts o = {
        .method = MIX_METHOD_EM,
        .adam_lr = MIX__ADAM_DEFAULT_LR,
        .adam_beta1 = MIX__ADAM_DEFAULT_BETA1,
        .adam_beta2 = MIX__ADAM_DEFAULT_BETA2,
        .adam_eps = MIX__ADAM_DEFAULT_EPS,
        .init = MIX__KMEANS_DEFAULT_INIT,
        .max_iter = MIX__KMEANS_DEFAULT_MAX_ITER,
        .tol = MIX__KMEANS_DEFAULT_TOL,
    };
    return o;
}

void mix__kmodel_free(mix__kmodel *m)
{
    mix__free(m->centers);
    mix__free(m->centers_u);
    mix__free(m->c_norm2);
    mix__free(m->shift);
    mix__free(m->labels);
    memset(m, 0, sizeof *m);
}

int mix__kmodel_from_centers(mix__kmodel *m, size_t k, size_t d, const double *centers)
{
    memset(m, 0, sizeof *m);
    m->d = d;
    m->inertia = NAN;
    m->shift = mix__calloc(d, sizeof(double));
    m->centers = mix__alloc_array(k * d, sizeof(double));
    m->centers_u = mix__alloc_array(k * d, sizeof(double));
    m->c_norm2 = mix__alloc_array(k, sizeof(double));
    if (!m->shift || !m->centers || !m->centers_u || !m->c_norm2) {
        mix__kmodel_free(m);
        return MIX_ENOMEM;
    }
    /* Units as a fit on data spread like the centers would choose. */
    for (size_t j = 0; j < k; j++)
        for (size_t t = 0; t < d; t++)
            m->shift[t] += centers[j * d + t] / (double)k;
    double half = 0;
    for (size_t i = 0; i < k * d; i++)
        half = fmax(half, fabs(0.5 * centers[i] - 0.5 * m->shift[i % d]));
    m->inv_scale = mix__scale_for_spread(half);
    memcpy(m->centers, centers, k * d * sizeof(double));
    for (size_t i = 0; i < k * d; i++)
        m->centers_u[i] = centers[i] * m->inv_scale - m->shift[i % d] * m->inv_scale;
    mix__row_norms2(m->centers_u, k, d, m->c_norm2);
    return MIX_OK;
}

/* Fill m (whose d, n, shift and inv_scale are set) from the best run:
 * centers in both units, their norms, labels (taken from lw), inertia in
 * data units. MIX_EDATA if the inertia overflows in data units, MIX_ENOMEM. */
static int export_model(mix__lloyd *lw, mix__kmodel *m, int n_iter)
{
    const size_t k = lw->k, d = lw->d;
    const double scale = 1.0 / m->inv_scale;
    m->inertia = lw->best_inertia * scale * scale / lw->data->w_factor;
    if (!isfinite(m->inertia))
        return MIX_EDATA;
    m->centers = mix__alloc_array(k * d, sizeof(double));
    m->centers_u = mix__alloc_array(k * d, sizeof(double));
    m->c_norm2 = mix__alloc_array(k, sizeof(double));
    if (!m->centers || !m->centers_u || !m->c_norm2)
        return MIX_ENOMEM;
    memcpy(m->centers_u, lw->best_centers, k * d * sizeof(double));
    for (size_t j = 0; j < k; j++)
        for (size_t t = 0; t < d; t++)
            m->centers[j * d + t] = m->centers_u[j * d + t] * scale + m->shift[t];
    mix__row_norms2(m->centers_u, k, d, m->c_norm2);
    m->labels = lw->best_labels; /* taken over */
    lw->best_labels = NULL;
    m->n_iter = n_iter;
    return MIX_OK;
}


/* The model from the best run of lw. */
static int commit(size_t k, mix__kmodel *m, mix__lloyd *lw, int n_iter, mix__err *err)
{
    int rc = export_model(lw, m, n_iter);
    if (rc == MIX_EDATA)
        return mix__fail(err, rc,
                         "the inertia (%g in scaled units) overflows a double in the units of "
                         "the data; rescale X",
                         lw->best_inertia);
    if (rc != MIX_OK)
        return mix__fail(err, rc, "out of memory storing %zu x %zu centers", k, m->d);
    return MIX_OK;
}

int mix__kmeans_fit(size_t k, const mix__kmeans_opts *o, const double *X, size_t n, size_t d,
                    const double *w, double w_factor, mix__kmodel *m, mix__err *err)
{
    mix__lloyd lw;
    double *init_u = NULL;
    memset(m, 0, sizeof *m);
    m->d = d;
    m->n = n;
    m->shift = mix__alloc_array(d, sizeof(double));
    if (m->shift == NULL)
        return mix__fail(err, MIX_ENOMEM, "out of memory");
    double norm_bound;
    int rc = mix__scan_columns(err, X, n, d, m->shift, &m->inv_scale, &norm_bound);
    if (rc != MIX_OK) {
        mix__kmodel_free(m);
        return rc;
    }
    mix__data data = {X, n, d, w, m->shift, m->inv_scale, norm_bound, w_factor};
    /* Hamerly's bounds follow Lloyd's moves; Adam's steps run without them. */
    const int adam = o->method == MIX_METHOD_ADAM;
    if (mix__lloyd_init(&lw, &data, k, mix__threads_resolve(o->threads),
                        adam ? MIX_KMEANS_LLOYD : o->algorithm, o->tol) != MIX_OK) {
        mix__kmodel_free(m);
        return mix__fail(err, MIX_ENOMEM, "out of memory for n = %zu, d = %zu, k = %zu", n, d, k);
    }
    if (o->init_centers != NULL) {
        init_u = mix__alloc_array(k * d, sizeof(double));
        if (init_u == NULL) {
            rc = mix__fail(err, MIX_ENOMEM, "out of memory");
            goto done;
        }
        for (size_t i = 0; i < k * d; i++)
            init_u[i] = o->init_centers[i] * m->inv_scale - m->shift[i % d] * m->inv_scale;
    }
    lw.init = o->init;
    lw.init_centers = init_u;
    mix__rng_seed(&lw.rng, o->seed);

    int n_init = o->init_centers ? 1 : o->n_init ? o->n_init : MIX__KMEANS_DEFAULT_N_INIT;
    int n_iter = 0;
    if (adam) {
        const mix__kmeans_adam_opts ao = {
            .n_init = n_init, .max_iter = o->max_iter,
            .lr = o->adam_lr, .beta1 = o->adam_beta1, .beta2 = o->adam_beta2,
            .eps = o->adam_eps, .batch_size = o->batch_size,
            .callback = o->callback, .callback_data = o->callback_data,
        };
        rc = mix__kmeans_adam_fit(&lw, &ao, &n_iter, err);
    } else {
        rc = mix__lloyd_fit(&lw, n_init, o->max_iter, o->callback, o->callback_data, &n_iter,
                            err);
    }
    if (rc == MIX_OK)
        rc = commit(k, m, &lw, n_iter, err);
    if (rc == MIX_ENOMEM)
        mix__fail(err, MIX_ENOMEM, "out of memory fitting n = %zu, d = %zu, k = %zu", n, d, k);
done:
    mix__free(init_u);
    mix__lloyd_free(&lw);
    if (rc != MIX_OK)
        mix__kmodel_free(m);
    return rc;
}

int mix__kmeans_partition(const mix__data *data, size_t k, int threads, uint64_t seed,
                          int32_t *labels, double *centers)
{
    mix__lloyd lw;
    int rc = mix__lloyd_init(&lw, data, k, threads, MIX_KMEANS_AUTO, MIX__KMEANS_DEFAULT_TOL);
    if (rc != MIX_OK)
        return rc;
    lw.init = MIX__KMEANS_DEFAULT_INIT;
    mix__rng_seed(&lw.rng, seed);
    int n_iter;
    rc = mix__lloyd_fit(&lw, 1, MIX__KMEANS_DEFAULT_MAX_ITER, NULL, NULL, &n_iter, NULL);
    if (rc == MIX_OK) {
        memcpy(labels, lw.best_labels, data->n * sizeof(int32_t));
        memcpy(centers, lw.best_centers, k * data->d * sizeof(double));
    }
    mix__lloyd_free(&lw);
    return rc;
}

int mix__kmeans_seed_rows(const mix__data *data, size_t k, int threads, mix_init init,
                          uint64_t seed, size_t *rows)
{
    mix__lloyd lw; /* seeding only: no bounds, no tolerance */
    int rc = mix__lloyd_init(&lw, data, k, threads, MIX_KMEANS_LLOYD, 0);
    if (rc != MIX_OK)
        return rc;
    lw.init = init;
    mix__rng_seed(&lw.rng, seed);
    mix__kmeans_seed(&lw);
    memcpy(rows, lw.seed_rows, k * sizeof(size_t));
    mix__lloyd_free(&lw);
    return MIX_OK;
}
