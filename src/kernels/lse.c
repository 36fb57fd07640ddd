/* Row-wise log-sum-exp of a block; see lse.h. */
#include "kernels/lse.h"

#include "core/simd.h"
#include "kernels/vexp.h"

#include <math.h>

/* Adds the log weights to each row and takes its largest value: a loop
 * over one row that vectorises (a maximum is the same in any order; no
 * index is tracked here). */
MIX__TARGET_CLONES_512 MIX__VECTORIZE MIX__NOINLINE static void
add_weights(double *logp, const double *log_w, size_t rows, size_t k, double *top)
{
    for (size_t i = 0; i < rows; i++) {
        double *l = logp + i * k, t = -INFINITY;
        for (size_t j = 0; j < k; j++) {
            const double v = l[j] + log_w[j];
            l[j] = v;
            t = v > t ? v : t;
        }
        top[i] = t;
    }
}

/* Each row less its largest value. A row no component gives a density
 * (every value -inf) keeps its -inf values: they exponentiate to 0 and the
 * sum is 0 (-inf - -inf would be NaN). */
MIX__TARGET_CLONES_512 MIX__VECTORIZE MIX__NOINLINE static void
shift_rows(double *logp, size_t rows, size_t k, const double *top)
{
    for (size_t i = 0; i < rows; i++) {
        double *l = logp + i * k;
        const double shift = top[i] == -INFINITY ? 0.0 : top[i];
        for (size_t j = 0; j < k; j++)
            l[j] -= shift;
    }
}

void mix__lse_rows(double *logp, const double *log_w, size_t rows, size_t k, double *ex, double *top,
                   int32_t *best, double *sum)
{
    add_weights(logp, log_w, rows, k, top);
    for (size_t i = 0; best != NULL && i < rows; i++) {
        const double *l = logp + i * k; /* the first index of the largest value */
        size_t b = 0;
        while (b < k && !(l[b] == top[i]))
            b++;
        best[i] = (int32_t)(b < k ? b : 0);
    }
    shift_rows(logp, rows, k, top);
    mix__exp_shifted(logp, 0.0, ex, rows * k); /* x - 0 is x: the shift is done */
    for (size_t i = 0; i < rows; i++) {
        double s = 0;
        for (size_t j = 0; j < k; j++)
            s += ex[i * k + j];
        sum[i] = s;
    }
}
