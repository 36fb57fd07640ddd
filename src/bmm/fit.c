/* A Bernoulli mixture fit: 0/1 rows as they are (no centring: the
 * family's densities are not shift-invariant), then the mixtures' common
 * fit; and the checks of its data and parameters. */
#include "bmm/bmm.h"

#include "core/data.h"
#include "engine/optim.h"

#include <math.h>
#include <string.h>

mix__mixture_opts mix__bmm_default_opts(void)
{
    mix__mixture_opts o = {
        .method = MIX_METHOD_EM,
        .adam = {MIX__ADAM_DEFAULT_LR, MIX__ADAM_DEFAULT_BETA1, MIX__ADAM_DEFAULT_BETA2,
                 MIX__ADAM_DEFAULT_EPS},
        .init = MIX__BMM_DEFAULT_INIT,
        .n_init = MIX__BMM_DEFAULT_N_INIT,
        .max_iter = MIX__BMM_DEFAULT_MAX_ITER,
        .tol = MIX__BMM_DEFAULT_TOL,
        .reg = MIX__BMM_DEFAULT_ALPHA,
    };
    return o;
}

int mix__bmm_check_binary(mix__err *err, const double *X, size_t n, size_t d, const char *what)
{
    for (size_t i = 0; i < n; i++)
        for (size_t t = 0; t < d; t++) {
            const double v = X[i * d + t];
            if (v != 0.0 && v != 1.0)
                return mix__fail(err, MIX_EDATA, "%s[%zu][%zu] = %g is not 0 or 1", what, i, t,
                                 v);
        }
    return MIX_OK;
}

int mix__bmm_check_probs(mix__err *err, const double *probs, size_t k, size_t d)
{
    for (size_t j = 0; j < k; j++)
        for (size_t t = 0; t < d; t++) {
            const double p = probs[j * d + t];
            if (!isfinite(p))
                return mix__fail(err, MIX_EDATA, "probs[%zu][%zu] is not finite", j, t);
            if (!(p >= 0 && p <= 1))
                return mix__fail(err, MIX_EINVAL,
                                 "probs[%zu][%zu] = %g is outside [0, 1] (component %zu)", j, t,
                                 p, j);
        }
    return MIX_OK;
}

int mix__bmm_fit(size_t k, const mix__mixture_opts *o, const mix__mmodel *warm,
                 const mix__source *src, mix__mmodel *m, mix__err *err)
{
    memset(m, 0, sizeof *m);
    m->d = src->d;
    m->inv_scale = 1.0;
    m->shift = mix__alloc_array(src->d, sizeof(double));
    int rc = m->shift ? MIX_OK : mix__fail(err, MIX_ENOMEM, "out of memory");
    rc = mix__dist_status(src->dist, rc, err);
    /* 0/1 rows as they are: no centring (the family's densities are not
     * shift-invariant); norms at most sqrt(d). */
    const mix__scan_opts so = {.k = k, .what = "n_components", .binary = 1};
    mix__data data;
    if (rc == MIX_OK)
        rc = mix__data_open(&data, src, m->shift, &so, err);
    if (rc != MIX_OK) {
        mix__mmodel_free(m);
        return rc;
    }
    return mix__mixture_fit(&mix__family_bernoulli, k, o, warm, &data, m, err);
}
