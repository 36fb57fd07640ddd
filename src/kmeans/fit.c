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
    mix__free(m->counts);
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
 * centers in both units, their norms, labels (taken from lw; none for
 * streamed rows), the clusters' weights, inertia in data units. MIX_EDATA
 * if the inertia overflows in data units, MIX_ENUMERIC if a center does
 * (Adam's steps can take a center far beyond the data), MIX_ENOMEM. */
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
    m->counts = mix__alloc_array(k, sizeof(double));
    if (!m->centers || !m->centers_u || !m->c_norm2 || !m->counts)
        return MIX_ENOMEM;
    memcpy(m->centers_u, lw->best_centers, k * d * sizeof(double));
    int finite = 1;
    for (size_t j = 0; j < k; j++)
        for (size_t t = 0; t < d; t++) {
            const double c = mix__data_unit(m->centers_u[j * d + t], scale, m->shift[t]);
            m->centers[j * d + t] = c;
            finite &= isfinite(c) != 0;
        }
    if (!finite)
        return MIX_ENUMERIC;
    mix__row_norms2(m->centers_u, k, d, m->c_norm2);
    for (size_t j = 0; j < k; j++)
        m->counts[j] = lw->best_w[j] / lw->data->w_factor;
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
    if (rc == MIX_ENUMERIC)
        return mix__fail(err, rc,
                         "a center overflows a double in the units of the data; lower Adam's "
                         "learning rate, or rescale X");
    if (rc != MIX_OK)
        return mix__fail(err, rc, "out of memory storing %zu x %zu centers", k, m->d);
    return MIX_OK;
}

/* The restarts of a fit on lw, by Lloyd or by Adam. */
static int run(mix__lloyd *lw, const mix__kmeans_opts *o, int n_init, int *n_iter,
               mix__err *err)
{
    if (o->method != MIX_METHOD_ADAM)
        return mix__lloyd_fit(lw, n_init, o->max_iter, o->callback, o->callback_data, n_iter,
                              err);
    const mix__kmeans_adam_opts ao = {
        .n_init = n_init, .max_iter = o->max_iter,
        .lr = o->adam_lr, .beta1 = o->adam_beta1, .beta2 = o->adam_beta2,
        .eps = o->adam_eps, .batch_size = o->batch_size,
        .callback = o->callback, .callback_data = o->callback_data,
    };
    return mix__kmeans_adam_fit(lw, &ao, n_iter, err);
}

int mix__kmeans_fit(size_t k, const mix__kmeans_opts *o, const mix__source *src,
                    mix__kmodel *m, mix__err *err)
{
    const size_t d = src->d;
    mix__lloyd lw;
    mix__data data;
    double *init_u = NULL;
    memset(m, 0, sizeof *m);
    m->d = d;
    m->shift = mix__alloc_array(d, sizeof(double));
    int rc = mix__dist_status(src->dist, m->shift ? MIX_OK : mix__fail(err, MIX_ENOMEM,
                                                                        "out of memory"), err);
    const mix__scan_opts so = {.k = k, .what = "n_clusters", .centre = 1};
    if (rc == MIX_OK)
        rc = mix__data_open(&data, src, m->shift, &so, err);
    if (rc != MIX_OK) {
        mix__kmodel_free(m);
        return rc;
    }
    m->n = data.n;
    m->inv_scale = data.inv_scale;
    /* Hamerly's bounds follow Lloyd's moves; Adam's steps run without them. */
    const int adam = o->method == MIX_METHOD_ADAM;
    rc = mix__lloyd_init(&lw, &data, k, mix__threads_resolve(o->threads),
                         adam ? MIX_KMEANS_LLOYD : o->algorithm, o->tol, err);
    if (rc != MIX_OK) {
        mix__kmodel_free(m);
        return rc;
    }
    if (o->init_centers != NULL) {
        init_u = mix__alloc_array(k * d, sizeof(double));
        rc = init_u ? MIX_OK : mix__fail(err, MIX_ENOMEM, "out of memory");
        rc = mix__dist_status(data.dist, rc, err);
        if (rc != MIX_OK)
            goto done;
        for (size_t i = 0; i < k * d; i++)
            init_u[i] = o->init_centers[i] * m->inv_scale - m->shift[i % d] * m->inv_scale;
    }
    lw.init = o->init;
    lw.init_centers = init_u;
    mix__rng_seed(&lw.rng, o->seed);

    int n_init = o->init_centers ? 1 : o->n_init ? o->n_init : MIX__KMEANS_DEFAULT_N_INIT;
    int n_iter = 0;
    rc = run(&lw, o, n_init, &n_iter, err);
    if (rc == MIX_OK)
        rc = commit(k, m, &lw, n_iter, err);
    if (rc == MIX_ENOMEM)
        mix__fail(err, MIX_ENOMEM, "out of memory fitting n = %zu, d = %zu, k = %zu", data.n, d,
                  k);
    /* Every rank keeps the model, or none does. */
    rc = mix__dist_status(data.dist, rc, err);
done:
    mix__free(init_u);
    mix__lloyd_free(&lw);
    if (rc != MIX_OK)
        mix__kmodel_free(m);
    return rc;
}

int mix__kmeans_partition(const mix__data *data, size_t k, int threads, uint64_t seed,
                          double *centers, mix__err *err)
{
    mix__lloyd lw;
    int rc = mix__lloyd_init(&lw, data, k, threads, MIX_KMEANS_AUTO, MIX__KMEANS_DEFAULT_TOL,
                             err);
    if (rc != MIX_OK)
        return rc;
    lw.init = MIX__KMEANS_DEFAULT_INIT;
    lw.centers_only = 1; /* the rows' labels are taken from the centers (em.c) */
    mix__rng_seed(&lw.rng, seed);
    int n_iter;
    rc = mix__lloyd_fit(&lw, 1, MIX__KMEANS_DEFAULT_MAX_ITER, NULL, NULL, &n_iter, err);
    if (rc == MIX_OK)
        memcpy(centers, lw.best_centers, k * data->d * sizeof(double));
    mix__lloyd_free(&lw);
    return rc;
}

int mix__kmeans_seed_rows(const mix__data *data, size_t k, int threads, mix_init init,
                          uint64_t seed, double *centers, double *weights, mix__err *err)
{
    mix__lloyd lw; /* seeding only: no bounds, no tolerance */
    int rc = mix__lloyd_init(&lw, data, k, threads, MIX_KMEANS_LLOYD, 0, err);
    if (rc != MIX_OK)
        return rc;
    lw.init = init;
    mix__rng_seed(&lw.rng, seed);
    rc = mix__kmeans_seed(&lw);
    if (rc == MIX_OK) {
        memcpy(centers, lw.centers, k * data->d * sizeof(double));
        memcpy(weights, lw.seed_w, k * sizeof(double));
    }
    mix__lloyd_free(&lw);
    return rc;
}
