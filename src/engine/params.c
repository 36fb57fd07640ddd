/* Mixture parameters: storage, copies, change of units; see family.h. */
#include "engine/family.h"

#include <float.h>
#include <string.h>

int mix__params_alloc(mix__params *p, const mix__family *fam, size_t k, size_t d)
{
    memset(p, 0, sizeof *p);
    p->fam = fam;
    p->k = k;
    p->d = d;
    mix__family_sizes s = mix__family_sizes_of(fam, k, d, 0);
    p->weights = mix__alloc_array(k, sizeof(double));
    p->log_weights = mix__alloc_array(k, sizeof(double));
    p->means = mix__alloc_array(k * d, sizeof(double));
    p->cov = mix__alloc_array(s.cov, sizeof(double));
    p->prec_chol = mix__alloc_array(s.cov, sizeof(double));
    p->log_det = mix__alloc_array(k, sizeof(double));
    p->pre = mix__alloc_array(s.pre, sizeof(double));
    if (!p->weights || !p->log_weights || !p->means || !p->cov || !p->prec_chol ||
        !p->log_det || !p->pre) {
        mix__params_free(p);
        return MIX_ENOMEM;
    }
    return MIX_OK;
}

void mix__params_free(mix__params *p)
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

void mix__params_copy(mix__params *dst, const mix__params *src)
{
    const size_t k = src->k, d = src->d;
    const mix__family_sizes s = mix__family_sizes_of(src->fam, k, d, 0);
    memcpy(dst->weights, src->weights, k * sizeof(double));
    memcpy(dst->log_weights, src->log_weights, k * sizeof(double));
    memcpy(dst->means, src->means, k * d * sizeof(double));
    memcpy(dst->cov, src->cov, s.cov * sizeof(double));
    memcpy(dst->prec_chol, src->prec_chol, s.cov * sizeof(double));
    memcpy(dst->log_det, src->log_det, k * sizeof(double));
    memcpy(dst->pre, src->pre, s.pre * sizeof(double));
}

void mix__params_rescale(mix__params *p, const double *from_shift, double from_inv,
                          const double *to_shift, double to_inv)
{
    const size_t k = p->k, d = p->d, cl = mix__cov_len(p->fam, k, d);
    const double ratio = to_inv / from_inv; /* a power of two */
    for (size_t j = 0; j < k; j++)
        for (size_t t = 0; t < d; t++) {
            double offset = (from_shift ? from_shift[t] : 0) - (to_shift ? to_shift[t] : 0);
            p->means[j * d + t] = p->means[j * d + t] * ratio + offset * to_inv;
        }
    for (size_t i = 0; i < cl; i++)
        p->cov[i] *= ratio * ratio;
}

void mix__params_log_weights(mix__params *p)
{
    for (size_t j = 0; j < p->k; j++)
        p->log_weights[j] = log(p->weights[j]);
}

size_t mix__params_count(const mix__params *p)
{
    return mix__family_sizes_of(p->fam, p->k, p->d, 0).cov_params + p->k * p->d + p->k - 1;
}

