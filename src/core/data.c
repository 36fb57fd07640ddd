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
void mix__data_rows(const mix__data *v, const double *x, size_t rows, double *U)
{
    const size_t d = v->d;
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

int mix__weights_scan(mix__err *err, const double *w, size_t row0, size_t n, size_t *n_positive,
                      double *top)
{
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(w[i]))
            return mix__fail(err, MIX_EDATA, "sample_weight[%zu] is %s", row0 + i,
                             isnan(w[i]) ? "NaN" : "infinite");
        if (w[i] < 0)
            return mix__fail(err, MIX_EINVAL, "sample_weight[%zu] = %g is negative", row0 + i,
                             w[i]);
        *n_positive += w[i] > 0;
        *top = w[i] > *top ? w[i] : *top;
    }
    return MIX_OK;
}

double mix__weight_factor(double top)
{
    int e;
    if (!(top > 0))
        return 1.0;
    frexp(top, &e);
    if (e > 64 || e < -64) /* a finite, normal factor even for 5e-324 */
        return ldexp(1.0, e > 1022 ? -1022 : e < -1022 ? 1022 : -e);
    return 1.0;
}

int mix__check_weights(mix__err *err, const double *w, size_t n, int allow_zero_sum,
                       size_t *n_positive, double *factor)
{
    *factor = 1.0;
    *n_positive = w == NULL ? n : 0;
    if (w == NULL)
        return MIX_OK;
    double top = 0;
    int rc = mix__weights_scan(err, w, 0, n, n_positive, &top);
    if (rc != MIX_OK)
        return rc;
    *factor = mix__weight_factor(top);
    if (*n_positive == 0 && !allow_zero_sum)
        return mix__fail(err, MIX_EINVAL, "all %zu sample weights are zero", n);
    return MIX_OK;
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

int mix__check_fit_rows(mix__err *err, const double *X, size_t n, size_t d, int distributed)
{
    /* A shard of a distributed fit may be empty (n = 0, X NULL). */
    if (n == 0 && distributed)
        return d == 0 ? mix__fail(err, MIX_EDIM, "X has no columns (d = 0)") : MIX_OK;
    return mix__check_shape(err, X, n, d, "X");
}

int mix__check_reader(mix__err *err, size_t d, mix_read_fn read)
{
    if (read == NULL)
        return mix__fail(err, MIX_EINVAL, "read is NULL");
    if (d == 0)
        return mix__fail(err, MIX_EDIM, "d = 0");
    if (d > SIZE_MAX / sizeof(double) / 4096)
        return mix__fail(err, MIX_EDIM, "d = %zu is too large for a block of rows", d);
    return MIX_OK;
}
