/*
 * A Gaussian mixture fit: the data's units, how each run starts (the init
 * method, through K-means' initialisation interface), EM over the family,
 * and the model in the units of the data.
 */
#include "gmm/gmm.h"

#include "core/data.h"
#include "engine/em.h"
#include "gmm/start.h"

#include <string.h>

mix__gmm_opts mix__gmm_default_opts(void)
{
    mix__gmm_opts o = {
        .method = MIX_METHOD_EM,
        .adam = {MIX__ADAM_DEFAULT_LR, MIX__ADAM_DEFAULT_BETA1, MIX__ADAM_DEFAULT_BETA2,
                 MIX__ADAM_DEFAULT_EPS},
        .init = MIX__GMM_DEFAULT_INIT,
        .n_init = MIX__GMM_DEFAULT_N_INIT,
        .max_iter = MIX__GMM_DEFAULT_MAX_ITER,
        .tol = MIX__GMM_DEFAULT_TOL,
        .reg_covar = MIX__GMM_DEFAULT_REG_COVAR,
    };
    return o;
}

int mix__gmm_fit(const mix__family *fam, size_t k, const mix__gmm_opts *o,
                 const mix__gmodel *warm, const double *X, size_t n, size_t d, const double *w,
                 double w_factor, mix__gmodel *m, mix__err *err)
{
    memset(m, 0, sizeof *m);
    m->d = d;
    m->shift = mix__alloc_array(d, sizeof(double));
    if (m->shift == NULL)
        return mix__fail(err, MIX_ENOMEM, "out of memory");
    double norm_bound;
    int rc = mix__scan_columns(err, X, n, d, m->shift, &m->inv_scale, &norm_bound);
    if (rc != MIX_OK) {
        mix__gmodel_free(m);
        return rc;
    }
    m->inv_scale = mix__scale_for_reg(m->inv_scale, &norm_bound, o->reg_covar);
    mix__data data = {X, n, d, w, m->shift, m->inv_scale, norm_bound, w_factor};
    mix__params given = {
        .fam = fam, .k = k, .d = d,
        .weights = o->given_weights, .means = o->given_means, .cov = o->given_cov,
    };
    mix__em_warm warm_start;
    if (warm != NULL)
        warm_start = (mix__em_warm){&warm->u, warm->shift, warm->inv_scale, warm->lower_bound};
    const mix_init init = o->init;
    mix__em_opts eo = {
        .method = o->method,
        .adam = o->adam,
        .batch_size = o->batch_size,
        .start = mix__gmm_start(&init),
        .n_init = o->n_init,
        .max_iter = o->max_iter,
        .tol = o->tol,
        .reg = o->reg_covar,
        .seed = o->seed,
        .threads = o->threads,
        .callback = o->callback,
        .callback_data = o->callback_data,
        .given = o->given_d ? &given : NULL,
        .given_weights = o->given_weights != NULL,
        .given_means = o->given_means != NULL,
        .given_cov = o->given_cov != NULL,
        .warm = warm ? &warm_start : NULL,
    };
    mix__em_result res;
    rc = mix__em_fit(fam, k, &data, &eo, &m->u, &res, err);
    if (rc == MIX_OK) {
        m->lower_bound = res.lower_bound;
        m->converged = res.converged;
        m->n_iter = res.n_iter;
        rc = mix__gmodel_export(m);
        if (rc == MIX_EDATA)
            mix__fail(err, rc,
                      "the fitted parameters overflow a double in the units of the data; rescale X");
        else if (rc != MIX_OK)
            mix__fail(err, rc, "out of memory storing the model");
    }
    if (rc != MIX_OK)
        mix__gmodel_free(m);
    return rc;
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
        mix__data data = {X, n, d, w, shift, inv_scale, norm_bound, w_factor};
        rc = mix__em_nll_grad(fam, k, &data, threads, theta, nll, grad, err);
    }
    mix__free(shift);
    return rc;
}
