/* How far from a Gaussian mixture rows may lie for their densities to stay
 * representable; see gmm.h. */
#include "gmm/gmm.h"

#include "kernels/sqdist.h"

/* Beyond this squared Mahalanobis distance a density is not representable. */
#define MAHA_LIMIT 1e300

/*
 * A bound on every squared Mahalanobis distance: ||(u - mu) U|| is at most
 * (|u| sqrt(d) + |mu|) times the Frobenius norm of U, and the sum of the
 * squares of all precision factors bounds each one's (times d for the
 * spherical family's scalar factors).
 */
int mix__gmm_check_reach(const mix__mmodel *m, double max_abs_u)
{
    const mix__params *p = &m->u;
    const size_t k = p->k, d = p->d, cl = mix__cov_len(p->fam, k, d);
    double prec2 = 0, mu = 0;
    for (size_t i = 0; i < cl; i++)
        prec2 += p->prec_chol[i] * p->prec_chol[i];
    for (size_t j = 0; j < k; j++)
        mu = fmax(mu, sqrt(mix__norm2(p->means + j * d, d)));
    double reach = max_abs_u * sqrt((double)d) + mu;
    return reach * reach * prec2 * (double)d < MAHA_LIMIT ? MIX_OK : MIX_EDATA;
}
