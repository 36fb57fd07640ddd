/* Vectorisable exp; see vexp.h. */
#include "kernels/vexp.h"

#include "core/simd.h"

#include <stdint.h>
#include <string.h>

/* Below log(2^-1022) the result would be subnormal: flushed to zero. */
#define EXP_MIN (-708.3964185322641)

/* exp(r) = 2^k e^f, k = round(r / ln 2), f = r - k ln 2 in [-0.35, 0.35]
 * (ln 2 split in two for an exact product), e^f by its Taylor series to
 * f^13 / 13! (truncation error below 1e-17), and 2^k put in the exponent
 * field. The rounding constant 1.5 * 2^52 leaves k in the low bits of t. */
MIX__TARGET_CLONES_512 MIX__VECTORIZE
void mix__exp_shifted(const double *x, double shift, double *y, size_t n)
{
    const double log2e = 1.4426950408889634, ln2_hi = 0.693147180369123816490,
                 ln2_lo = 1.90821492927058770002e-10, round = 0x1.8p52;
    for (size_t i = 0; i < n; i++) {
        const double r0 = x[i] - shift;
        /* Clamped so that the integer part below is always in range; a NaN
         * (which no compare lets through) is computed as EXP_MIN and given
         * back as NaN at the end. */
        double r = r0 >= EXP_MIN ? r0 : EXP_MIN;
        r = r > 709.0 ? 709.0 : r;
        double t = r * log2e + round;
        double kd = t - round;
        double f = (r - kd * ln2_hi) - kd * ln2_lo;
        double p = 1.0 / 6227020800.0;
        p = p * f + 1.0 / 479001600.0;
        p = p * f + 1.0 / 39916800.0;
        p = p * f + 1.0 / 3628800.0;
        p = p * f + 1.0 / 362880.0;
        p = p * f + 1.0 / 40320.0;
        p = p * f + 1.0 / 5040.0;
        p = p * f + 1.0 / 720.0;
        p = p * f + 1.0 / 120.0;
        p = p * f + 1.0 / 24.0;
        p = p * f + 1.0 / 6.0;
        p = p * f + 0.5;
        p = p * f + 1.0;
        p = p * f + 1.0;
        int64_t tb, k;
        memcpy(&tb, &t, sizeof tb);
        k = tb - (int64_t)0x4338000000000000; /* the bits of 1.5 * 2^52 */
        int64_t sb = (k + 1023) << 52;
        double scale;
        memcpy(&scale, &sb, sizeof scale);
        double v = p * scale;
        y[i] = r0 >= EXP_MIN ? v : r0 < EXP_MIN ? 0.0 : r0;
    }
}
