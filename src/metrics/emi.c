/*
 * The expected mutual information of two labelings under the permutation
 * model (Vinh, Epps and Bailey 2010), computed as scikit-learn 1.2.1 does
 * (sklearn/metrics/cluster/_expected_mutual_info_fast.pyx): for every
 * pair of cluster sizes (a, b) and every possible overlap m,
 *
 *   (m / N) log(N m / (a b)) P(m),
 *   P(m) = a! b! (N - a)! (N - b)! / (N! m! (a - m)! (b - m)! (N - a - b + m)!),
 *
 * P from logarithms of factorials. Those logarithms are of order N log N
 * and their sum is small, so P carries a relative rounding error of about
 * N log N times machine epsilon (1e-9 at N = 1e6), and the adjusted score
 * of nearly independent labelings, a small difference of the mutual
 * information and this expectation, inherits it. To give scikit-learn's
 * values and not merely values as good as its, P is computed with the very
 * functions and additions it uses: log m! and the marginals' factorials as
 * scipy.special.gammaln computes them (Cephes' lgam, reproduced below), the
 * three others by the C library's lgamma (lgamma_r: lgamma writes a
 * global), the exponential by the C library's exp, the additions in its
 * order, the sum in its order (i, j, m). Only log(N m / (a b)) is taken
 * more accurately, from the exact integer difference (scikit-learn's
 * differences of logarithms are good to about 1e-15 absolute; numpy's own
 * log differs between CPUs in the last place anyway).
 *
 * Cost: O(R C + sum over cells of the overlaps' range), at most
 * O(R C min(N, max a, max b)) evaluations of lgamma and exp, on one
 * thread; memory O(R + C + max cluster size).
 */
#define _DEFAULT_SOURCE /* lgamma_r */
#include "metrics/contingency.h"

#include <math.h>

/* log Gamma(x) for integers 1 <= x <= 2^31 + 1 as scipy.special.gammaln
 * gives it (Cephes' lgam, by Stephen L. Moshier; its coefficients): below
 * 13 the logarithm of the exact factorial, above Stirling's series, with
 * Cephes' minimax coefficients below 1000 and the plain series' first
 * three terms from 1000 to 1e8. Checked bit for bit against scipy on
 * every integer up to 3e6 and 2e6 random ones up to 2^31. */
static double lgam(double x)
{
    if (x < 13.0) {
        double z = 1.0;
        for (double u = x - 1.0; u >= 2.0; u -= 1.0)
            z *= u;
        return log(z);
    }
    static const double A[] = {8.11614167470508450300E-4, -5.95061904284301438324E-4,
                               7.93650340457716943945E-4, -2.77777777730099687205E-3,
                               8.33333333333331927722E-2};
    const double ls2pi = 0.91893853320467274178; /* log(sqrt(2 pi)) */
    double q = (x - 0.5) * log(x) - x + ls2pi;
    if (x > 1.0e8)
        return q;
    double p = 1.0 / (x * x);
    if (x >= 1000.0)
        return q + ((7.9365079365079365079365e-4 * p - 2.7777777777777777777778e-3) * p +
                    0.0833333333333333333333) /
                       x;
    return q + ((((A[0] * p + A[1]) * p + A[2]) * p + A[3]) * p + A[4]) / x;
}

static double libc_lgamma(double x)
{
    int sign;
    return lgamma_r(x, &sign);
}

/* What depends on the sizes alone: per cluster log a! and log (N - a)!
 * (scipy's), per overlap log m! (scipy's) and log Gamma(m) (the C
 * library's, for (a - m)! and (b - m)!). */
typedef struct emi_tables {
    double N, gln_N;
    double *gln_a, *gln_Na, *gln_b, *gln_Nb; /* rows, rows, cols, cols */
    double *gln_m, *lg;                      /* top + 1 each */
} emi_tables;

static void tables_free(emi_tables *e)
{
    mix__free(e->gln_a);
    mix__free(e->gln_Na);
    mix__free(e->gln_b);
    mix__free(e->gln_Nb);
    mix__free(e->gln_m);
    mix__free(e->lg);
}

static uint32_t largest(const uint32_t *v, size_t k)
{
    uint32_t top = 0;
    for (size_t i = 0; i < k; i++)
        top = v[i] > top ? v[i] : top;
    return top;
}

static int tables_make(emi_tables *e, const mix__contingency *t)
{
    uint32_t ta = largest(t->a, t->rows), tb = largest(t->b, t->cols);
    size_t top = ta > tb ? ta : tb;
    e->N = (double)t->n;
    e->gln_N = lgam(e->N + 1);
    e->gln_a = mix__alloc_array(t->rows, sizeof(double));
    e->gln_Na = mix__alloc_array(t->rows, sizeof(double));
    e->gln_b = mix__alloc_array(t->cols, sizeof(double));
    e->gln_Nb = mix__alloc_array(t->cols, sizeof(double));
    e->gln_m = mix__alloc_array(top + 1, sizeof(double));
    e->lg = mix__alloc_array(top + 1, sizeof(double));
    if (!e->gln_a || !e->gln_Na || !e->gln_b || !e->gln_Nb || !e->gln_m || !e->lg) {
        tables_free(e);
        return MIX_ENOMEM;
    }
    for (size_t i = 0; i < t->rows; i++) {
        e->gln_a[i] = lgam((double)t->a[i] + 1);
        e->gln_Na[i] = lgam(e->N - t->a[i] + 1);
    }
    for (size_t j = 0; j < t->cols; j++) {
        e->gln_b[j] = lgam((double)t->b[j] + 1);
        e->gln_Nb[j] = lgam(e->N - t->b[j] + 1);
    }
    e->gln_m[0] = 0; /* scikit-learn's nijs[0] = 1: never used */
    e->lg[0] = 0;
    for (size_t m = 1; m <= top; m++) {
        e->gln_m[m] = lgam((double)m + 1);
        e->lg[m] = libc_lgamma((double)m);
    }
    return MIX_OK;
}

/* The sum over the overlaps m of cell (i, j), added to emi in order. */
static double cell(const emi_tables *e, size_t i, size_t j, int64_t a, int64_t b, int64_t n,
                   double emi)
{
    int64_t start = a + b - n > 1 ? a + b - n : 1, end = (a < b ? a : b) + 1;
    for (int64_t m = start; m < end; m++) {
        double term2 = mix__log_ratio((uint64_t)(n * m), (uint64_t)(a * b));
        double gln = e->gln_a[i] + e->gln_b[j] + e->gln_Na[i] + e->gln_Nb[j] - e->gln_N -
                     e->gln_m[m] - e->lg[a - m + 1] - e->lg[b - m + 1] -
                     libc_lgamma((double)(n - a - b + m + 1));
        double term3 = exp(gln);
        emi += ((double)m / e->N) * term2 * term3;
    }
    return emi;
}

int mix__expected_mutual_info(const mix__contingency *t, double *out)
{
    if (t->rows == 1 || t->cols == 1) { /* zero entropy: nothing to expect */
        *out = 0.0;
        return MIX_OK;
    }
    emi_tables e;
    if (tables_make(&e, t) != MIX_OK)
        return MIX_ENOMEM;
    double emi = 0.0;
    for (size_t i = 0; i < t->rows; i++)
        for (size_t j = 0; j < t->cols; j++)
            emi = cell(&e, i, j, t->a[i], t->b[j], (int64_t)t->n, emi);
    tables_free(&e);
    *out = emi;
    return MIX_OK;
}
