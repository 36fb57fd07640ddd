/* Row-wise log-sum-exp of a block; see lse.h. */
#include "kernels/lse.h"

#include "kernels/vexp.h"

#include <math.h>

void mix__lse_rows(double *logp, const double *log_w, size_t rows, size_t k, double *ex, double *top,
                   int32_t *best, double *sum)
{
    for (size_t i = 0; i < rows; i++) {
        double *l = logp + i * k, t = -INFINITY;
        size_t b = 0;
        for (size_t j = 0; j < k; j++) {
            l[j] += log_w[j];
            if (l[j] > t) {
                t = l[j];
                b = j;
            }
        }
        /* A row no component gives a density (every value -inf) keeps its
         * -inf values: they exponentiate to 0 and the sum is 0 (-inf - -inf
         * would be NaN). */
        const double shift = t == -INFINITY ? 0.0 : t;
        for (size_t j = 0; j < k; j++)
            l[j] -= shift;
        top[i] = t;
        if (best != NULL)
            best[i] = (int32_t)b;
    }
    mix__exp_shifted(logp, 0.0, ex, rows * k); /* x - 0 is x: the shift is done */
    for (size_t i = 0; i < rows; i++) {
        double s = 0;
        for (size_t j = 0; j < k; j++)
            s += ex[i * k + j];
        sum[i] = s;
    }
}
