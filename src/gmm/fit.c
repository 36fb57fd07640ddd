/*
 * A Gaussian mixture fit (the data's units: centred, scaled for
 * reg_covar; then the mixtures' common fit), and the likelihood's gradient
 * at a theta.
 */
#include "gmm/gmm.h"

#include "core/data.h"
#include "engine/em.h"

#include <string.h>

mix__mixture_opts mix__gmm_default_opts(void)
{
    mix__mixture_opts o = {
        .method = MIX_METHOD_EM,
        .adam = {MIX__ADAM_DEFAULT_LR, MIX__ADAM_DEFAULT_BETA1, MIX__ADAM_DEFAULT_BETA2,
                 MIX__ADAM_DEFAULT_EPS},
        .init = MIX__GMM_DEFAULT_INIT,
        .n_init = MIX__GMM_DEFAULT_N_INIT,
        .max_iter = MIX__GMM_DEFAULT_MAX_ITER,
        .tol = MIX__GMM_DEFAULT_TOL,
        .reg = MIX__GMM_DEFAULT_REG_COVAR,
        .online_kappa = MIX__GMM_DEFAULT_ONLINE_KAPPA,
        .online_t0 = MIX__GMM_DEFAULT_ONLINE_T0,
    };
    return o;
}

int mix__gmm_fit(const mix__family *fam, size_t k, const mix__mixture_opts *o,
                 const mix__mmodel *warm, const mix__source *src, mix__mmodel *m, mix__err *err)
{
    memset(m, 0, sizeof *m);
    m->d = src->d;
    m->shift = mix__alloc_array(src->d, sizeof(double));
    int rc = m->shift ? MIX_OK : mix__fail(err, MIX_ENOMEM, "out of memory");
    rc = mix__dist_status(src->dist, rc, err);
    const mix__scan_opts so = {.k = k, .what = "n_components", .centre = 1};
    mix__data data;
    if (rc == MIX_OK)
        rc = mix__data_open(&data, src, m->shift, &so, err);
    if (rc != MIX_OK) {
        mix__mmodel_free(m);
        return rc;
    }
    m->inv_scale = mix__scale_for_reg(data.inv_scale, &data.norm_bound, o->reg);
    data.inv_scale = m->inv_scale;
    return mix__mixture_fit(fam, k, o, warm, &data, m, err);
}

int mix__gmm_nll_grad(const mix__family *fam, size_t k, int threads, const double *X, size_t n,
                      size_t d, const double *w, double w_factor, const double *theta,
                      double *nll, double *grad, mix__err *err)
{
    double *shift = mix__alloc_array(d, sizeof(double));
    if (shift == NULL)
        return mix__fail(err, MIX_ENOMEM, "out of memory");
    double inv_scale, norm_bound;
    int rc = mix__scan_columns(err, X, n, d, shift, &inv_scale, &norm_bound);
    if (rc == MIX_OK) {
        mix__data data = {.X = X, .n = n, .d = d, .w = w, .n_all = n, .shift = shift,
                          .inv_scale = inv_scale, .norm_bound = norm_bound,
                          .w_factor = w_factor};
        rc = mix__em_nll_grad(fam, k, &data, threads, theta, nll, grad, err);
    }
    mix__free(shift);
    return rc;
}
