/* Input validation, column statistics and block loading; see data.h. */
#include "core/data.h"

#include "core/simd.h"

#include <math.h>
#include <string.h>

/* Scale only data whose spread is outside [2^-250, 2^250]: squares and
 * sums of squares of anything in that window stay far from the limits of
 * double, and leaving the scale at 1 keeps results bit-identical to
 * unscaled arithmetic for ordinary data. */
#define SCALE_EXP_LIMIT 250

/* Every pass streams the data through here: the AVX2 clone moves twice as
 * many values per instruction (the arithmetic is the same). */
MIX__TARGET_CLONES MIX__VECTORIZE
void mix__data_load(const mix__data *v, size_t row0, size_t rows, double *U)
{
    const size_t d = v->d;
    const double *x = v->X + row0 * d;
    const double *s = v->shift;
    const double c = v->inv_scale;
    if (c == 1.0) {
        for (size_t i = 0; i < rows; i++, x += d, U += d)
            for (size_t j = 0; j < d; j++)
                U[j] = x[j] - s[j];
    } else {
        /* x*c - s*c equals (x - s)*c exactly (c is a power of two) and
         * cannot overflow where x - s would. */
        for (size_t i = 0; i < rows; i++, x += d, U += d)
            for (size_t j = 0; j < d; j++)
                U[j] = x[j] * c - s[j] * c;
    }
}

int mix__check_shape(mix__err *err, const void *X, size_t n, size_t d, const char *what)
{
    size_t cells, bytes;
    if (X == NULL)
        return mix__fail(err, MIX_EINVAL, "%s is NULL", what);
    if (n == 0)
        return mix__fail(err, MIX_EDIM, "%s has no rows (n = 0)", what);
    if (d == 0)
        return mix__fail(err, MIX_EDIM, "%s has no columns (d = 0)", what);
    if (mix__mul_overflow(n, d, &cells) || mix__mul_overflow(cells, sizeof(double), &bytes))
        return mix__fail(err, MIX_EDIM, "%s: n * d = %zu * %zu overflows the address space", what,
                         n, d);
    return MIX_OK;
}

int mix__check_finite(mix__err *err, const double *X, size_t n, size_t d, const char *what)
{
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < d; j++)
            if (!isfinite(X[i * d + j]))
                return mix__fail(err, MIX_EDATA, "%s[%zu][%zu] is %s", what, i, j,
                                 isnan(X[i * d + j]) ? "NaN" : "infinite");
    return MIX_OK;
}

int mix__scan_rows(mix__err *err, const double *X, size_t n, size_t d, const double *shift,
                   double inv_scale, double *max_abs_u)
{
    double m = 0;
    for (size_t i = 0; i < n; i++) {
        const double *x = X + i * d;
        for (size_t j = 0; j < d; j++) {
            if (!isfinite(x[j]))
                return mix__fail(err, MIX_EDATA, "X[%zu][%zu] is %s", i, j,
                                 isnan(x[j]) ? "NaN" : "infinite");
            m = fmax(m, fabs(x[j] * inv_scale - shift[j] * inv_scale));
        }
    }
    *max_abs_u = m;
    return MIX_OK;
}

int mix__check_weights(mix__err *err, const double *w, size_t n, int allow_zero_sum,
                       size_t *n_positive, double *factor)
{
    *factor = 1.0;
    if (w == NULL) {
        *n_positive = n;
        return MIX_OK;
    }
    size_t pos = 0;
    double top = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(w[i]))
            return mix__fail(err, MIX_EDATA, "sample_weight[%zu] is %s", i,
                             isnan(w[i]) ? "NaN" : "infinite");
        if (w[i] < 0)
            return mix__fail(err, MIX_EINVAL, "sample_weight[%zu] = %g is negative", i, w[i]);
        pos += w[i] > 0;
        top = w[i] > top ? w[i] : top;
    }
    if (top > 0) {
        int e;
        frexp(top, &e);
        if (e > 64 || e < -64) /* a finite, normal factor even for 5e-324 */
            *factor = ldexp(1.0, e > 1022 ? -1022 : e < -1022 ? 1022 : -e);
    }
    if (pos == 0 && !allow_zero_sum)
        return mix__fail(err, MIX_EINVAL, "all %zu sample weights are zero", n);
    *n_positive = pos;
    return MIX_OK;
}

/* Half the largest deviation from the column mean, computed without
 * overflow even when max - mean exceeds DBL_MAX. */
static double half_spread(double lo, double hi, double mean)
{
    return fmax(0.5 * hi - 0.5 * mean, 0.5 * mean - 0.5 * lo);
}

int mix__check_query_data(mix__err *err, const double *X, size_t n, size_t d, size_t model_d,
                          const void *out, const char *out_name, const double *shift,
                          double inv_scale, double *max_abs_u)
{
    int rc = mix__check_shape(err, X, n, d, "X");
    if (rc != MIX_OK)
        return rc;
    if (d != model_d)
        return mix__fail(err, MIX_EDIM, "X has %zu features but the model has %zu", d, model_d);
    if (out == NULL)
        return mix__fail(err, MIX_EINVAL, "%s is NULL", out_name);
    return mix__scan_rows(err, X, n, d, shift, inv_scale, max_abs_u);
}

int mix__check_cells(mix__err *err, size_t n, size_t k)
{
    size_t cells;
    if (mix__mul_overflow(n, k, &cells) || cells > SIZE_MAX / sizeof(double))
        return mix__fail(err, MIX_EDIM, "n * k = %zu * %zu overflows", n, k);
    return MIX_OK;
}

int mix__check_fit_data(mix__err *err, const double *X, size_t n, size_t d, const double *w,
                        size_t k, const char *what, double *factor)
{
    int rc = mix__check_shape(err, X, n, d, "X");
    if (rc != MIX_OK)
        return rc;
    if (n < k)
        return mix__fail(err, MIX_EDIM, "n_samples = %zu should be >= %s = %zu", n, what, k);
    size_t n_positive;
    rc = mix__check_weights(err, w, n, 0, &n_positive, factor);
    if (rc != MIX_OK)
        return rc;
    if (n_positive < k)
        return mix__fail(err, MIX_EDIM,
                         "only %zu samples have a positive weight; %s = %zu needs as many",
                         n_positive, what, k);
    return MIX_OK;
}

int mix__scan_columns(mix__err *err, const double *X, size_t n, size_t d, double *shift,
                      double *inv_scale, double *norm_bound)
{
    /* shift doubles as the running sum; lo/hi are kept per column. */
    double *lo = mix__alloc_array(2 * d, sizeof(double));
    if (lo == NULL)
        return mix__fail(err, MIX_ENOMEM, "out of memory scanning %zu columns", d);
    double *hi = lo + d;
    memcpy(lo, X, d * sizeof(double));
    memcpy(hi, X, d * sizeof(double));
    memset(shift, 0, d * sizeof(double));
    for (size_t i = 0; i < n; i++) {
        const double *x = X + i * d;
        for (size_t j = 0; j < d; j++) {
            double v = x[j];
            if (!isfinite(v)) {
                mix__free(lo);
                return mix__fail(err, MIX_EDATA, "X[%zu][%zu] is %s", i, j,
                                 isnan(v) ? "NaN" : "infinite");
            }
            shift[j] += v;
            lo[j] = v < lo[j] ? v : lo[j];
            hi[j] = v > hi[j] ? v : hi[j];
        }
    }
    const double inv_n = 1.0 / (double)n;
    double spread = 0;
    for (size_t j = 0; j < d; j++) {
        double m = shift[j] / (double)n;
        if (!isfinite(m)) { /* the sum overflowed: sum scaled values */
            m = 0;
            for (size_t i = 0; i < n; i++)
                m += X[i * d + j] * inv_n;
        }
        shift[j] = fmin(fmax(m, lo[j]), hi[j]);
        spread = fmax(spread, half_spread(lo[j], hi[j], shift[j]));
    }
    *inv_scale = mix__scale_for_spread(spread);
    /* Each |u_j| is at most its column's half spread times 2 inv_scale. */
    double sum = 0;
    for (size_t j = 0; j < d; j++) {
        double h = half_spread(lo[j], hi[j], shift[j]) * 2.0 * *inv_scale;
        sum += h * h;
    }
    *norm_bound = sqrt(sum) * (1.0 + 1e-12);
    mix__free(lo);
    return MIX_OK;
}

double mix__scale_for_spread(double half_spread)
{
    if (!(half_spread > 0) || !isfinite(half_spread))
        return 1.0;
    int e;
    frexp(half_spread, &e);
    e += 1; /* exponent of the whole spread */
    if (e <= SCALE_EXP_LIMIT && e >= -SCALE_EXP_LIMIT)
        return 1.0;
    /* Bring the spread to the top of the window, not to 1: the rows far
     * below the largest deviation (an outlier among ordinary points) then
     * keep their squares normal as long as the data's dynamic range allows.
     * Both the scale and its inverse must be normal numbers: converting a
     * result back to the data's units then overflows to infinity at worst,
     * never to 0 x infinity. */
    e = SCALE_EXP_LIMIT - e;
    e = e > 1022 ? 1022 : e < -1022 ? -1022 : e;
    return ldexp(1.0, e);
}

#define REG_EXP_LIMIT 600

double mix__scale_for_reg(double inv_scale, double *norm_bound, double reg)
{
    if (!(reg > 0))
        return inv_scale;
    int e_reg, e_inv, e_norm;
    frexp(reg, &e_reg);
    frexp(inv_scale, &e_inv);
    frexp(*norm_bound > 0 ? *norm_bound : 1.0, &e_norm);
    e_inv -= 1; /* inv_scale = 2^e_inv exactly */
    int target = e_inv, e_ru = e_reg + 2 * e_inv;
    if (e_ru > REG_EXP_LIMIT) /* reg would overflow: shrink the scale */
        target = (REG_EXP_LIMIT - e_reg) / 2 - 1;
    else if (e_ru < -REG_EXP_LIMIT) { /* raise it as far as the data allow */
        target = (-REG_EXP_LIMIT - e_reg) / 2 + 1;
        int data_max = e_inv + (SCALE_EXP_LIMIT - e_norm);
        target = target < data_max ? target : data_max;
    }
    target = target > 1022 ? 1022 : target < -1022 ? -1022 : target;
    if (target == e_inv)
        return inv_scale;
    *norm_bound = ldexp(*norm_bound, target - e_inv);
    return ldexp(1.0, target);
}

double mix__mean_variance(const mix__data *v)
{
    const size_t n = v->n, d = v->d;
    double u[64];
    double sum_var = 0;
    /* Two passes per group of up to 64 columns: mean, then squared
     * deviations, like numpy's var. */
    for (size_t j0 = 0; j0 < d; j0 += 64) {
        size_t nj = d - j0 < 64 ? d - j0 : 64;
        double mean[64] = {0}, ss[64] = {0};
        const double c = v->inv_scale;
        for (size_t i = 0; i < n; i++) {
            const double *x = v->X + i * d + j0;
            for (size_t j = 0; j < nj; j++)
                mean[j] += x[j] * c - v->shift[j0 + j] * c;
        }
        for (size_t j = 0; j < nj; j++)
            mean[j] /= (double)n;
        for (size_t i = 0; i < n; i++) {
            const double *x = v->X + i * d + j0;
            for (size_t j = 0; j < nj; j++) {
                u[j] = (x[j] * c - v->shift[j0 + j] * c) - mean[j];
                ss[j] += u[j] * u[j];
            }
        }
        for (size_t j = 0; j < nj; j++)
            sum_var += ss[j] / (double)n;
    }
    return sum_var / (double)d;
}
