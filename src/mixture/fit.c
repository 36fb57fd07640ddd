/*
 * A mixture fit on EM's engine (engine/em.h): how each run starts (the
 * init method, start.h), EM or gradient fitting over the family, and the
 * model in the units of the data. The model folder (gmm/, bmm/) prepares
 * the data's units.
 */
#include "mixture/mixture.h"

#include "engine/em.h"
#include "mixture/start.h"

#include <string.h>

int mix__mixture_fit(const mix__family *fam, size_t k, const mix__mixture_opts *o,
                     const mix__mmodel *warm, const mix__data *data, mix__mmodel *m,
                     mix__err *err)
{
    const size_t d = data->d;
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
        .start = mix__mixture_start(&init),
        .n_init = o->n_init,
        .max_iter = o->max_iter,
        .tol = o->tol,
        .reg = o->reg,
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
    int rc = mix__em_fit(fam, k, data, &eo, &m->u, &res, err);
    if (rc == MIX_OK) {
        m->lower_bound = res.lower_bound;
        m->converged = res.converged;
        m->n_iter = res.n_iter;
        rc = mix__mmodel_export(m);
        if (rc == MIX_EDATA)
            mix__fail(err, rc,
                      "the fitted parameters overflow a double in the units of the data; rescale X");
        else if (rc != MIX_OK)
            mix__fail(err, rc, "out of memory storing the model");
    }
    /* Every rank keeps the model, or none does. */
    rc = mix__dist_status(data->dist, rc, err);
    if (rc != MIX_OK)
        mix__mmodel_free(m);
    return rc;
}
