/*
 * Mutual information, entropies, and the two normalised scores built on
 * them, with scikit-learn's special cases.
 *
 * scikit-learn writes each term p log(p / (p_a p_b)) as a difference of
 * logarithms of large numbers (log n_ab - log N + log N + log N -
 * log(a b)): for labelings close to independent, where every ratio is
 * near 1 and the score near 0, that costs up to 1e-10 of the score at
 * n = 1e6. Here each ratio is formed in integers, N n_ab against a b, and
 * its logarithm taken as log1p of the exact difference over a b: every
 * term is good to a few units in the last place. The terms are then added
 * in scikit-learn's order and numpy's way (kernels/sum.h), and its rules
 * kept: terms below machine epsilon count as 0, the sum is clipped at 0.
 */
#include "metrics/contingency.h"

#include "kernels/sum.h"

#include <float.h>
#include <math.h>

/* Term c of the mutual information, zeroed as scikit-learn does. */
static double mi_term(const mix__contingency *t, size_t c)
{
    uint64_t n = t->n, nab = t->count[c];
    double p = (double)nab / (double)n;
    double v = p * mix__log_ratio(nab * n, (uint64_t)t->a[t->row[c]] * t->b[t->col[c]]);
    return fabs(v) < DBL_EPSILON ? 0.0 : v;
}

static void fill_mi(void *ctx, size_t first, size_t count, double *buf)
{
    for (size_t i = 0; i < count; i++)
        buf[i] = mi_term(ctx, first + i);
}

/* scikit-learn's mutual_info_score (natural logarithm). */
static double mutual_info(const mix__contingency *t)
{
    if (t->rows == 1 || t->cols == 1) /* one labeling has zero entropy */
        return 0.0;
    double mi = mix__sum_numpy_fill(t->nnz, fill_mi, (void *)t);
    return mi > 0.0 ? mi : 0.0;
}

typedef struct sizes {
    const uint32_t *size;
    size_t n;
} sizes;

static void fill_entropy(void *ctx, size_t first, size_t count, double *buf)
{
    const sizes *s = ctx;
    for (size_t i = 0; i < count; i++) {
        uint64_t c = s->size[first + i];
        buf[i] = ((double)c / (double)s->n) * mix__log_ratio(c, s->n);
    }
}

/* scikit-learn's entropy of a labeling with k clusters of these sizes. */
static double entropy(const uint32_t *size, size_t k, size_t n)
{
    if (k == 1)
        return 0.0;
    sizes s = {size, n};
    return -mix__sum_numpy_fill(k, fill_entropy, &s);
}

/* np.mean([h_a, h_b]), the "arithmetic" average. */
static double mean_entropy(const mix__contingency *t)
{
    return (entropy(t->a, t->rows, t->n) + entropy(t->b, t->cols, t->n)) / 2;
}

int mix__normalized_mutual_info(const int32_t *labels_a, const int32_t *labels_b, size_t n,
                                double *out)
{
    mix__contingency t;
    int rc = mix__contingency_make(&t, labels_a, labels_b, n);
    if (rc != MIX_OK)
        return rc;
    double nmi;
    if (t.rows == 1 && t.cols == 1) /* both unsplit: a perfect match */
        nmi = 1.0;
    else {
        double mi = mutual_info(&t);
        nmi = mi == 0.0 ? 0.0 : mi / mean_entropy(&t);
    }
    mix__contingency_free(&t);
    *out = nmi;
    return MIX_OK;
}

/* (mi - emi) / (mean entropy - emi), the denominator kept away from 0 with
 * its sign, as scikit-learn does. */
static double adjusted(double mi, double emi, double normalizer)
{
    double den = normalizer - emi;
    if (den < 0)
        den = den < -DBL_EPSILON ? den : -DBL_EPSILON;
    else
        den = den > DBL_EPSILON ? den : DBL_EPSILON;
    return (mi - emi) / den;
}

int mix__adjusted_mutual_info(const int32_t *labels_a, const int32_t *labels_b, size_t n,
                              double *out)
{
    mix__contingency t;
    int rc = mix__contingency_make(&t, labels_a, labels_b, n);
    if (rc != MIX_OK)
        return rc;
    /* 1 when both are unsplit (scikit-learn's rule), and when both put
     * every item alone: the formula is then 0 / 0 (MI = EMI = the mean
     * entropy); 1 is the value of identical partitions, which scikit-learn's
     * rounding gives too, except for n = 2 and 4 (0.0). */
    double ami = 1.0, emi;
    int unsplit = t.rows == 1 && t.cols == 1, apart = t.rows == n && t.cols == n;
    if (!unsplit && !apart) {
        rc = mix__expected_mutual_info(&t, &emi);
        if (rc == MIX_OK)
            ami = adjusted(mutual_info(&t), emi, mean_entropy(&t));
    }
    mix__contingency_free(&t);
    if (rc == MIX_OK)
        *out = ami;
    return rc;
}
