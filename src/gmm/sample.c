/*
 * Drawing from a mixture, as scikit-learn: multinomial component counts,
 * rows grouped by component in increasing order, each mu + L z with L the
 * covariance's Cholesky factor. The call has its own generator.
 */
#include "gmm/gmm.h"

#include "core/rng.h"

/* Standard normal by the polar method (Marsaglia), one value per call;
 * the spare is kept in *spare / *has_spare. */
static double normal(mix__rng *r, double *spare, int *has_spare)
{
    if (*has_spare) {
        *has_spare = 0;
        return *spare;
    }
    double u, v, s;
    do {
        u = 2.0 * mix__rng_uniform(r) - 1.0;
        v = 2.0 * mix__rng_uniform(r) - 1.0;
        s = u * u + v * v;
    } while (s >= 1.0 || s == 0.0);
    double f = sqrt(-2.0 * log(s) / s);
    *spare = v * f;
    *has_spare = 1;
    return u * f;
}

/* Component of one draw: the first j whose cumulative weight exceeds u. */
static size_t pick(const double *cum, size_t k, double u)
{
    size_t lo = 0, hi = k - 1;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cum[mid] > u)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

int mix__gmm_sample(const mix__mmodel *m, size_t n, uint64_t seed, double *X, int32_t *labels)
{
    const mix__params *p = &m->u;
    const size_t k = p->k, d = m->d;
    size_t *count = mix__calloc(k, sizeof *count);
    double *cum = mix__alloc_array(k, sizeof *cum);
    if (count == NULL || cum == NULL) {
        mix__free(count);
        mix__free(cum);
        return MIX_ENOMEM;
    }
    double total = 0;
    for (size_t j = 0; j < k; j++)
        cum[j] = total += p->weights[j];
    mix__rng r;
    mix__rng_seed(&r, seed);
    for (size_t i = 0; i < n; i++)
        count[pick(cum, k, mix__rng_uniform(&r) * total)]++;

    const double scale = 1.0 / m->inv_scale;
    double spare = 0;
    int has_spare = 0;
    size_t row = 0;
    for (size_t j = 0; j < k; j++) {
        double *Z = X + row * d;
        for (size_t i = 0; i < count[j] * d; i++)
            Z[i] = normal(&r, &spare, &has_spare);
        p->fam->correlate(p, j, Z, count[j]);
        for (size_t i = 0; i < count[j]; i++) {
            for (size_t t = 0; t < d; t++)
                Z[i * d + t] = (Z[i * d + t] + p->means[j * d + t]) * scale + m->shift[t];
            if (labels != NULL)
                labels[row + i] = (int32_t)j;
        }
        row += count[j];
    }
    mix__free(count);
    mix__free(cum);
    return MIX_OK;
}
