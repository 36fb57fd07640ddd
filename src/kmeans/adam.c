/*
 * K-means by gradient: Adam (engine/optim.h) on the distortion
 * J = sum_i w_i min_j ||x_i - c_j||^2 over the centers, in the units of the
 * data, so that a fit is torch.optim.Adam on the same centers and loss,
 * step for step. dJ/dc_j = 2 (W_j c_j - S_j) from one assignment pass (W_j
 * the weight and S_j the weighted sum of c_j's rows): an empty cluster gets
 * a zero gradient and no relocation. Runs start from the seeding as
 * Lloyd's do and end as Lloyd's (the rows assigned to the final centers).
 */
#include "kmeans/lloyd.h"

#include "engine/optim.h"
#include "engine/restarts.h"
#include "kernels/sqdist.h"

#include <math.h>
#include <string.h>

typedef struct kadam {
    mix__lloyd *lw;
    const mix__kmeans_adam_opts *o;
    mix__adam adam;
    double *theta, *grad; /* the centers (data units) and their gradient */
    size_t *perm;         /* n: the rows in this epoch's order (mini-batches) */
    double *Xb, *wb;      /* a mini-batch's rows and weights */
    mix__data bdata;
    mix__pass bpass;
    mix__rng shuffle;
    double prev;  /* the previous epoch's mean distortion, engine units */
    int iterated, run;
    mix__err *err;
} kadam;

/* Statistics of a pass: cluster weights (k) | sums (k x d) | inertia. */
#define KA_SUMS(k) (k)
#define KA_INERTIA(k, d) ((k) + (k) * (d))

typedef struct pass_ctx {
    kadam *ka;
    const mix__data *data;
} pass_ctx;

static void adam_block(void *ctx, const mix__block *b, double *stats, double *scratch)
{
    const pass_ctx *c = ctx;
    const mix__lloyd *lw = c->ka->lw;
    const size_t k = lw->k, d = lw->d;
    const mix__kscratch S = mix__kscratch_at(scratch, lw->block, lw->cols, d, 0);
    mix__sqdist_argmin(b->U, b->rows, d, lw->centers, lw->layout, lw->c_norm2, k, lw->group, S.D,
                       S.label, S.part, NULL);
    double inertia = 0;
    for (size_t i = 0; i < b->rows; i++) {
        const double *u = b->U + i * d, w = mix__block_weight(b, i);
        const size_t j = (size_t)S.label[i];
        double *s = stats + KA_SUMS(k) + j * d;
        stats[j] += w;
        for (size_t t = 0; t < d; t++)
            s[t] += u[t] * w;
        inertia += w * fmax(mix__norm2(u, d) + S.part[i], 0.0);
    }
    stats[KA_INERTIA(k, d)] += inertia;
}

/* Centers of the kernels from theta (data units -> engine units). */
static int centers_of_theta(kadam *ka)
{
    mix__lloyd *lw = ka->lw;
    const size_t k = lw->k, d = lw->d;
    const double inv = lw->data->inv_scale, *shift = lw->data->shift;
    for (size_t i = 0; i < k * d; i++) {
        if (!isfinite(ka->theta[i]))
            return mix__fail(ka->err, MIX_ENUMERIC,
                             "Adam diverged in epoch %d of run %d (a center is not finite); "
                             "lower the learning rate (mix_kmeans_set_adam)",
                             ka->iterated + 1, ka->run);
        lw->centers[i] = ka->theta[i] * inv - shift[i % d] * inv;
    }
    mix__lloyd_centers_changed(lw);
    return MIX_OK;
}

/* One step on the rows of pass/data; *inertia the rows' distortion
 * (engine units) at the centers before the step, *weight their weight. */
static int step(kadam *ka, mix__pass *pass, const mix__data *data, double *inertia,
                double *weight)
{
    mix__lloyd *lw = ka->lw;
    const size_t k = lw->k, d = lw->d;
    int rc = centers_of_theta(ka);
    if (rc != MIX_OK)
        return rc;
    pass_ctx c = {ka, data};
    double *T = lw->total;
    rc = mix__pass_run(pass, adam_block, &c, KA_INERTIA(k, d) + 1, T, ka->err);
    if (rc != MIX_OK)
        return rc;
    /* dJ/dc_data = 2 (W c_u - S) / inv_scale, the weights' factor divided out */
    const double f = 2.0 / (data->inv_scale * data->w_factor);
    double W = 0;
    for (size_t j = 0; j < k; j++) {
        W += T[j];
        for (size_t t = 0; t < d; t++)
            ka->grad[j * d + t] = (T[j] * lw->centers[j * d + t] - T[KA_SUMS(k) + j * d + t]) * f;
    }
    mix__adam_step(&ka->adam, ka->theta, ka->grad);
    *inertia = T[KA_INERTIA(k, d)];
    *weight = W;
    return MIX_OK;
}

static void shuffle_rows(kadam *ka)
{
    const size_t n = ka->lw->data->n;
    for (size_t i = 0; i < n; i++)
        ka->perm[i] = i;
    for (size_t i = n; i > 1; i--) {
        size_t j = (size_t)mix__rng_below(&ka->shuffle, i), t = ka->perm[i - 1];
        ka->perm[i - 1] = ka->perm[j];
        ka->perm[j] = t;
    }
}

static int epoch(kadam *ka, double *inertia, double *weight)
{
    const mix__data *v = ka->lw->data;
    if (ka->perm == NULL)
        return step(ka, &ka->lw->pass, v, inertia, weight);
    const size_t n = v->n, d = v->d, batch = ka->bpass.n_cap;
    *inertia = *weight = 0;
    shuffle_rows(ka);
    for (size_t b0 = 0; b0 < n; b0 += batch) {
        const size_t rows = n - b0 < batch ? n - b0 : batch;
        for (size_t i = 0; i < rows; i++) {
            const size_t r = ka->perm[b0 + i];
            memcpy(ka->Xb + i * d, v->X + r * d, d * sizeof(double));
            if (ka->wb != NULL)
                ka->wb[i] = v->w[r];
        }
        ka->bdata.n = rows;
        mix__pass_rebind(&ka->bpass, &ka->bdata);
        double in, w;
        int rc = step(ka, &ka->bpass, &ka->bdata, &in, &w);
        if (rc != MIX_OK)
            return rc;
        *inertia += in;
        *weight += w;
    }
    return MIX_OK;
}

static int ka_init_run(void *method)
{
    kadam *ka = method;
    mix__lloyd *lw = ka->lw;
    const size_t k = lw->k, d = lw->d;
    ka->run++;
    ka->iterated = 0;
    ka->prev = INFINITY;
    int rc = mix__kmeans_seed(lw);
    if (rc != MIX_OK)
        return rc;
    for (size_t i = 0; i < k * d; i++)
        ka->theta[i] = lw->centers[i] / lw->data->inv_scale + lw->data->shift[i % d];
    mix__adam_reset(&ka->adam);
    mix__rng_seed(&ka->shuffle, mix__rng_next(&lw->rng));
    return MIX_OK;
}

static int ka_iterate(void *method, double *objective, double *change, int *converged)
{
    kadam *ka = method;
    mix__lloyd *lw = ka->lw;
    double inertia, weight;
    int rc = epoch(ka, &inertia, &weight);
    if (rc != MIX_OK)
        return rc;
    if (!isfinite(inertia))
        return mix__fail(ka->err, MIX_ENUMERIC,
                         "Adam diverged in epoch %d of run %d (the distortion is not finite); "
                         "lower the learning rate (mix_kmeans_set_adam)",
                         ka->iterated + 1, ka->run);
    ka->iterated++;
    const double mean = inertia / weight;
    *converged = lw->tol > 0 && fabs(mean - ka->prev) < lw->tol;
    /* the first epoch's change is -infinity, as EM's first is +infinity */
    *change = isinf(ka->prev) ? -INFINITY : (mean - ka->prev) * lw->scale * lw->scale;
    ka->prev = mean;
    *objective = inertia * lw->scale * lw->scale / lw->data->w_factor;
    return MIX_OK;
}

/* Lloyd's end of a run at the final centers: every row assigned to them. */
static int ka_finish_run(void *method, double *score)
{
    kadam *ka = method;
    int rc = centers_of_theta(ka);
    if (rc != MIX_OK)
        return rc;
    ka->lw->strict = 0;
    return mix__lloyd_finish_run(ka->lw, score);
}

static void ka_keep(void *method)
{
    mix__lloyd_keep(((kadam *)method)->lw);
}

static const mix__restart_ops ka_ops = {
    .init_run = ka_init_run,
    .iterate = ka_iterate,
    .finish_run = ka_finish_run,
    .keep = ka_keep,
};

static void ka_free(kadam *ka)
{
    mix__free(ka->theta);
    mix__free(ka->grad);
    mix__free(ka->adam.m);
    mix__free(ka->adam.v);
    mix__free(ka->perm);
    mix__free(ka->Xb);
    mix__free(ka->wb);
    mix__pass_free(&ka->bpass);
}

static int ka_alloc(kadam *ka)
{
    const mix__lloyd *lw = ka->lw;
    const size_t k = lw->k, d = lw->d, n = lw->data->n;
    ka->theta = mix__alloc_array(k * d, sizeof(double));
    ka->grad = mix__alloc_array(k * d, sizeof(double));
    ka->adam.m = mix__alloc_array(k * d, sizeof(double));
    ka->adam.v = mix__alloc_array(k * d, sizeof(double));
    ka->adam.len = k * d;
    ka->adam.o = (mix__adam_opts){ka->o->lr, ka->o->beta1, ka->o->beta2, ka->o->eps};
    if (!ka->theta || !ka->grad || !ka->adam.m || !ka->adam.v)
        return MIX_ENOMEM;
    size_t batch = ka->o->batch_size;
    if (batch == 0)
        return MIX_OK;
    batch = batch < n ? batch : n;
    ka->perm = mix__alloc_array(n, sizeof(size_t));
    ka->Xb = mix__alloc_array(batch * d, sizeof(double));
    if (lw->data->w != NULL)
        ka->wb = mix__alloc_array(batch, sizeof(double));
    if (!ka->perm || !ka->Xb || (lw->data->w != NULL && !ka->wb))
        return MIX_ENOMEM;
    ka->bdata = *lw->data;
    ka->bdata.dist = NULL; /* a mini-batch is this process's rows (in memory, one rank) */
    ka->bdata.X = ka->Xb;
    ka->bdata.w = ka->wb;
    ka->bdata.n = batch;
    return mix__pass_init(&ka->bpass, &ka->bdata, lw->block, lw->pass.stats_len,
                          lw->pass.scratch_len, lw->pass.n_workers, (double)d * (double)k);
}

int mix__kmeans_adam_fit(mix__lloyd *lw, const mix__kmeans_adam_opts *o, int *n_iter,
                         mix__err *err)
{
    kadam ka;
    memset(&ka, 0, sizeof ka);
    ka.lw = lw;
    ka.o = o;
    ka.err = err;
    ka.run = -1;
    int rc = ka_alloc(&ka) == MIX_OK ? MIX_OK
                                     : mix__fail(err, MIX_ENOMEM, "out of memory for Adam's state");
    rc = mix__dist_status(lw->data->dist, rc, err); /* every rank has its state */
    if (rc != MIX_OK) {
        ka_free(&ka);
        return rc;
    }
    mix__restart_opts ro = {
        .n_init = o->n_init, .max_iter = o->max_iter, .callback = o->callback,
        .callback_data = o->callback_data, .dist = lw->data->dist,
    };
    mix__restart_result res;
    rc = mix__restarts(&ka_ops, &ka, &ro, &res, err);
    *n_iter = res.n_iter;
    ka_free(&ka);
    return rc;
}
