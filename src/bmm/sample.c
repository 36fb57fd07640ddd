/* Drawing from a Bernoulli mixture; see bmm.h. */
#include "bmm/bmm.h"

#include "core/rng.h"

int mix__bmm_sample(const mix__mmodel *m, size_t n, uint64_t seed, double *X, int32_t *labels)
{
    const mix__params *p = &m->u;
    const size_t k = p->k, d = m->d;
    size_t *count = mix__calloc(k, sizeof *count);
    if (count == NULL)
        return MIX_ENOMEM;
    mix__rng r;
    mix__rng_seed(&r, seed);
    /* Component counts by inverse transform on the cumulative weights. */
    for (size_t i = 0; i < n; i++) {
        double u = mix__rng_uniform(&r), cum = 0;
        size_t j = 0;
        while (j + 1 < k && (cum += p->weights[j]) <= u)
            j++;
        count[j]++;
    }
    size_t row = 0;
    for (size_t j = 0; j < k; j++)
        for (size_t c = 0; c < count[j]; c++, row++) {
            for (size_t t = 0; t < d; t++)
                X[row * d + t] = mix__rng_uniform(&r) < p->means[j * d + t] ? 1.0 : 0.0;
            if (labels != NULL)
                labels[row] = (int32_t)j;
        }
    mix__free(count);
    return MIX_OK;
}
