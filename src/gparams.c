/* Mixture parameters: storage, copies, change of units; and the model a
 * handle holds. */
#include "gmm_model.h"

#include <float.h>
#include <string.h>

int mix__gparams_alloc(mix__gparams *p, const mix__family *fam, size_t k, size_t d)
{
    memset(p, 0, sizeof *p);
    p->fam = fam;
    p->k = k;
    p->d = d;
    size_t cl = fam->cov_len(k, d);
    p->weights = mix__alloc_array(k, sizeof(double));
    p->log_weights = mix__alloc_array(k, sizeof(double));
    p->means = mix__alloc_array(k * d, sizeof(double));
    p->cov = mix__alloc_array(cl, sizeof(double));
    p->prec_chol = mix__alloc_array(cl, sizeof(double));
    p->log_det = mix__alloc_array(k, sizeof(double));
    p->pre = mix__alloc_array(fam->pre_len(k, d), sizeof(double));
    if (!p->weights || !p->log_weights || !p->means || !p->cov || !p->prec_chol ||
        !p->log_det || !p->pre) {
        mix__gparams_free(p);
        return MIX_ENOMEM;
    }
    return MIX_OK;
}

void mix__gparams_free(mix__gparams *p)
{
    mix__free(p->weights);
    mix__free(p->log_weights);
    mix__free(p->means);
    mix__free(p->cov);
    mix__free(p->prec_chol);
    mix__free(p->log_det);
    mix__free(p->pre);
    memset(p, 0, sizeof *p);
}

void mix__gparams_copy(mix__gparams *dst, const mix__gparams *src)
{
    const size_t k = src->k, d = src->d, cl = src->fam->cov_len(k, d);
    memcpy(dst->weights, src->weights, k * sizeof(double));
    memcpy(dst->log_weights, src->log_weights, k * sizeof(double));
    memcpy(dst->means, src->means, k * d * sizeof(double));
    memcpy(dst->cov, src->cov, cl * sizeof(double));
    memcpy(dst->prec_chol, src->prec_chol, cl * sizeof(double));
    memcpy(dst->log_det, src->log_det, k * sizeof(double));
    memcpy(dst->pre, src->pre, src->fam->pre_len(k, d) * sizeof(double));
}

void mix__gparams_rescale(mix__gparams *p, const double *from_shift, double from_inv,
                          const double *to_shift, double to_inv)
{
    const size_t k = p->k, d = p->d, cl = p->fam->cov_len(k, d);
    const double ratio = to_inv / from_inv; /* a power of two */
    for (size_t j = 0; j < k; j++)
        for (size_t t = 0; t < d; t++) {
            double offset = (from_shift ? from_shift[t] : 0) - (to_shift ? to_shift[t] : 0);
            p->means[j * d + t] = p->means[j * d + t] * ratio + offset * to_inv;
        }
    for (size_t i = 0; i < cl; i++)
        p->cov[i] *= ratio * ratio;
}

void mix__gparams_log_weights(mix__gparams *p)
{
    for (size_t j = 0; j < p->k; j++)
        p->log_weights[j] = log(p->weights[j]);
}

size_t mix__gparams_n_parameters(const mix__gparams *p)
{
    return p->fam->cov_params(p->k, p->d) + p->k * p->d + p->k - 1;
}

void mix__gmodel_free(mix__gmodel *m)
{
    mix__gparams_free(&m->u);
    mix__free(m->shift);
    mix__free(m->means);
    mix__free(m->cov);
    mix__free(m->prec_chol);
    memset(m, 0, sizeof *m);
}

int mix__gmodel_export(mix__gmodel *m)
{
    const mix__gparams *u = &m->u;
    const size_t k = u->k, d = u->d, cl = u->fam->cov_len(k, d);
    const double scale = 1.0 / m->inv_scale;
    m->means = mix__alloc_array(k * d, sizeof(double));
    m->cov = mix__alloc_array(cl, sizeof(double));
    m->prec_chol = mix__alloc_array(cl, sizeof(double));
    if (!m->means || !m->cov || !m->prec_chol)
        return MIX_ENOMEM;
    for (size_t j = 0; j < k; j++)
        for (size_t t = 0; t < d; t++)
            m->means[j * d + t] = u->means[j * d + t] * scale + m->shift[t];
    /* Both scale exactly by powers of two: no refactorisation. */
    for (size_t i = 0; i < cl; i++) {
        m->cov[i] = u->cov[i] * scale * scale;
        m->prec_chol[i] = u->prec_chol[i] * m->inv_scale;
    }
    if (mix__check_finite(NULL, m->means, k, d, "means") != MIX_OK ||
        mix__check_finite(NULL, m->cov, cl, 1, "covariances") != MIX_OK ||
        mix__check_finite(NULL, m->prec_chol, cl, 1, "precisions") != MIX_OK)
        return MIX_EDATA;
    return MIX_OK;
}

int mix__gmodel_from_params(mix__gmodel *m, const mix__family *fam, size_t k, size_t d,
                            const double *w, const double *mu, const double *cov, long *bad)
{
    const size_t cl = fam->cov_len(k, d);
    memset(m, 0, sizeof *m);
    m->d = d;
    m->lower_bound = NAN;
    m->shift = mix__calloc(d, sizeof(double));
    if (m->shift == NULL || mix__gparams_alloc(&m->u, fam, k, d) != MIX_OK) {
        mix__gmodel_free(m);
        return MIX_ENOMEM;
    }
    /* Centre on the mixture's mean; scale like data spread as the means and
     * standard deviations are. */
    double half = 0;
    for (size_t j = 0; j < k; j++)
        for (size_t t = 0; t < d; t++)
            m->shift[t] += w[j] * mu[j * d + t];
    for (size_t j = 0; j < k; j++)
        for (size_t t = 0; t < d; t++)
            half = fmax(half, fabs(0.5 * mu[j * d + t] - 0.5 * m->shift[t]));
    for (size_t i = 0; i < cl; i++)
        half = fmax(half, 0.5 * sqrt(fabs(cov[i])));
    m->inv_scale = mix__scale_for_spread(half);
    memcpy(m->u.weights, w, k * sizeof(double));
    memcpy(m->u.means, mu, k * d * sizeof(double));
    memcpy(m->u.cov, cov, cl * sizeof(double));
    mix__gparams_rescale(&m->u, NULL, 1.0, m->shift, m->inv_scale);
    int rc = MIX_OK;
    *bad = fam->precompute(&m->u);
    if (*bad >= 0)
        rc = MIX_ENUMERIC;
    if (rc == MIX_OK) {
        mix__gparams_log_weights(&m->u);
        rc = mix__gmodel_export(m);
    }
    if (rc != MIX_OK) {
        mix__gmodel_free(m);
        return rc;
    }
    memcpy(m->means, mu, k * d * sizeof(double)); /* exactly what was given */
    memcpy(m->cov, cov, cl * sizeof(double));
    return MIX_OK;
}

const mix__family *mix__family_of(mix_covariance type)
{
    switch ((int)type) {
    case MIX_COV_FULL:
        return &mix__family_full;
    case MIX_COV_TIED:
        return &mix__family_tied;
    case MIX_COV_DIAG:
        return &mix__family_diag;
    case MIX_COV_SPHERICAL:
        return &mix__family_spherical;
    default:
        return NULL;
    }
}
