/* The model a mixture handle holds: its public arrays in the units of the
 * data, and a model made from given parameters; see mixture.h. */
#include "mixture/mixture.h"

#include "core/data.h"
#include "engine/em.h"

#include <float.h>
#include <math.h>
#include <string.h>

void mix__mmodel_free(mix__mmodel *m)
{
    mix__params_free(&m->u);
    mix__free(m->shift);
    mix__free(m->means);
    mix__free(m->cov);
    mix__free(m->prec_chol);
    mix__free(m->online);
    mix__free(m->online_ref);
    memset(m, 0, sizeof *m);
}

static double *dup_array(const double *a, size_t n)
{
    double *c = a ? mix__alloc_array(n, sizeof(double)) : NULL;
    if (c != NULL)
        memcpy(c, a, n * sizeof(double));
    return c;
}

int mix__mmodel_copy(mix__mmodel *dst, const mix__mmodel *src)
{
    const mix__params *u = &src->u;
    const size_t k = u->k, d = u->d, cl = mix__cov_len(u->fam, k, d);
    const size_t len = mix__em_online_len(u->fam, k, d);
    *dst = *src;
    dst->shift = dup_array(src->shift, d);
    dst->means = dup_array(src->means, k * d);
    dst->cov = dup_array(src->cov, cl);
    dst->prec_chol = dup_array(src->prec_chol, cl);
    dst->online = dup_array(src->online, len);
    dst->online_ref = dup_array(src->online_ref, k * d);
    int ok = dst->shift && dst->means && (cl == 0 || (dst->cov && dst->prec_chol)) &&
             (!src->online || (dst->online && dst->online_ref));
    if (!ok || mix__params_alloc(&dst->u, u->fam, k, d) != MIX_OK) {
        memset(&dst->u, 0, sizeof dst->u);
        mix__mmodel_free(dst);
        return MIX_ENOMEM;
    }
    mix__params_copy(&dst->u, u);
    return MIX_OK;
}

int mix__mmodel_alloc(mix__mmodel *m, const mix__family *fam, size_t k, size_t d)
{
    const size_t cl = mix__cov_len(fam, k, d);
    memset(m, 0, sizeof *m);
    m->d = d;
    m->lower_bound = NAN;
    m->inv_scale = 1.0;
    m->shift = mix__alloc_array(d, sizeof(double));
    m->means = mix__alloc_array(k * d, sizeof(double));
    m->cov = mix__alloc_array(cl, sizeof(double));
    m->prec_chol = mix__alloc_array(cl, sizeof(double));
    if (!m->shift || !m->means || !m->cov || !m->prec_chol ||
        mix__params_alloc(&m->u, fam, k, d) != MIX_OK) {
        mix__mmodel_free(m);
        return MIX_ENOMEM;
    }
    return MIX_OK;
}

int mix__mmodel_export(mix__mmodel *m)
{
    const mix__params *u = &m->u;
    const size_t k = u->k, d = u->d, cl = mix__cov_len(u->fam, k, d);
    const double scale = 1.0 / m->inv_scale;
    m->means = mix__alloc_array(k * d, sizeof(double));
    m->cov = mix__alloc_array(cl, sizeof(double));
    m->prec_chol = mix__alloc_array(cl, sizeof(double));
    if (!m->means || !m->cov || !m->prec_chol)
        return MIX_ENOMEM;
    for (size_t j = 0; j < k; j++)
        for (size_t t = 0; t < d; t++)
            m->means[j * d + t] = mix__data_unit(u->means[j * d + t], scale, m->shift[t]);
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

int mix__mmodel_from_params(mix__mmodel *m, const mix__family *fam, size_t k, size_t d,
                            const double *w, const double *mu, const double *cov, long *bad)
{
    const size_t cl = mix__cov_len(fam, k, d);
    memset(m, 0, sizeof *m);
    m->d = d;
    m->lower_bound = NAN;
    m->shift = mix__calloc(d, sizeof(double));
    if (m->shift == NULL || mix__params_alloc(&m->u, fam, k, d) != MIX_OK) {
        mix__mmodel_free(m);
        return MIX_ENOMEM;
    }
    /* Centre on the mixture's mean and scale like data spread as the means
     * and standard deviations are, where the family allows units. */
    m->inv_scale = 1.0;
    if (fam->centred) {
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
    }
    memcpy(m->u.weights, w, k * sizeof(double));
    memcpy(m->u.means, mu, k * d * sizeof(double));
    if (cl > 0) /* a family without covariances is given none */
        memcpy(m->u.cov, cov, cl * sizeof(double));
    mix__params_rescale(&m->u, NULL, 1.0, m->shift, m->inv_scale);
    int rc = MIX_OK;
    *bad = fam->precompute(&m->u, MIX__FROM_COV);
    if (*bad >= 0)
        rc = MIX_ENUMERIC;
    if (rc == MIX_OK) {
        mix__params_log_weights(&m->u);
        rc = mix__mmodel_export(m);
    }
    if (rc != MIX_OK) {
        mix__mmodel_free(m);
        return rc;
    }
    memcpy(m->means, mu, k * d * sizeof(double)); /* exactly what was given */
    if (cl > 0)
        memcpy(m->cov, cov, cl * sizeof(double));
    return MIX_OK;
}

