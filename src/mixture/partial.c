/* One step of stepwise EM for a mixture handle's model; see mixture.h
 * (mix__mixture_partial_fit) and engine/online.c. */
#include "mixture/mixture.h"

#include "core/threads.h"
#include "engine/em.h"

#include <math.h>

int mix__mixture_partial_fit(const mix__mmodel *cur, const mix__mixture_opts *o,
                             const double *X, size_t n, size_t d, const double *w,
                             double w_factor, mix__mmodel *m, mix__err *err)
{
    const mix__family *fam = cur->u.fam;
    const size_t k = cur->u.k;
    if (mix__mmodel_copy(m, cur) != MIX_OK)
        return mix__fail(err, MIX_ENOMEM, "out of memory");
    const int fresh = m->online == NULL;
    if (fresh) {
        m->online = mix__alloc_array(mix__em_online_len(fam, k, d), sizeof(double));
        m->online_ref = mix__alloc_array(k * d, sizeof(double));
        m->online_t = 0;
        if (!m->online || !m->online_ref) {
            mix__mmodel_free(m);
            return mix__fail(err, MIX_ENOMEM, "out of memory");
        }
    }
    /* The chunk in the model's units. */
    const mix__data chunk = {.X = X, .n = n, .d = d, .w = w, .n_all = n, .shift = m->shift,
                             .inv_scale = m->inv_scale, .w_factor = w_factor};
    const double rho = pow(m->online_t + 1.0 + o->online_t0, -o->online_kappa);
    double ll;
    int rc = mix__em_online_step(fam, &chunk, &m->u, m->online, m->online_ref, fresh, rho,
                                 o->reg, mix__threads_resolve(o->threads), &ll, err);
    if (rc == MIX_OK) {
        m->online_t += 1;
        m->lower_bound = ll + mix__log_jacobian(d, m->inv_scale);
        m->n_iter += 1;
        m->converged = 0;
        mix__free(m->means);
        mix__free(m->cov);
        mix__free(m->prec_chol);
        m->means = m->cov = m->prec_chol = NULL;
        rc = mix__mmodel_export(m);
        if (rc == MIX_EDATA)
            mix__fail(err, rc, "the parameters overflow a double in the units of the data");
        else if (rc != MIX_OK)
            mix__fail(err, rc, "out of memory storing the model");
    }
    if (rc != MIX_OK)
        mix__mmodel_free(m);
    return rc;
}
