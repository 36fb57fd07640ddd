/* Checks of values read back; see check.h. */
#include "io/check.h"

#include "core/linalg.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>

int mix__chk_finite(mix__reader *r, const double *a, size_t n, const char *what)
{
    for (size_t i = 0; i < n; i++)
        if (!isfinite(a[i]))
            return mix__rd_fail(r, "%s[%zu] = %g is not finite", what, i, a[i]);
    return MIX_OK;
}

int mix__chk_within(mix__reader *r, const double *a, size_t n, double lo, double hi,
                    const char *what)
{
    for (size_t i = 0; i < n; i++)
        if (!(a[i] >= lo && a[i] <= hi))
            return mix__rd_fail(r, "%s[%zu] = %g is outside [%g, %g]", what, i, a[i], lo, hi);
    return MIX_OK;
}

int mix__chk_positive(mix__reader *r, const double *a, size_t n, const char *what)
{
    for (size_t i = 0; i < n; i++)
        if (!(a[i] > 0) || !isfinite(a[i]))
            return mix__rd_fail(r, "%s[%zu] = %g is not finite and positive", what, i, a[i]);
    return MIX_OK;
}

int mix__chk_weights(mix__reader *r, const double *w, size_t k, double tol, const char *what)
{
    int rc = mix__chk_within(r, w, k, 0.0, 1.0, what);
    double sum = 0;
    for (size_t j = 0; rc == MIX_OK && j < k; j++)
        sum += w[j];
    if (rc == MIX_OK && !(fabs(sum - 1.0) <= tol))
        return mix__rd_fail(r, "%s sum to %.17g, not 1", what, sum);
    return rc;
}

int mix__chk_int(mix__reader *r, const char *name, int64_t v, int64_t lo, int64_t hi)
{
    if (v < lo || v > hi)
        return mix__rd_fail(r, "option %s = %" PRId64 " is out of range [%" PRId64 ", %" PRId64
                               "]", name, v, lo, hi);
    return MIX_OK;
}

int mix__chk_nonneg(mix__reader *r, const char *name, double v)
{
    if (!(v >= 0) || !isfinite(v))
        return mix__rd_fail(r, "option %s = %g must be finite and >= 0", name, v);
    return MIX_OK;
}

int mix__chk_adam(mix__reader *r, double lr, double beta1, double beta2, double eps)
{
    if (!(lr > 0) || !isfinite(lr))
        return mix__rd_fail(r, "option learning_rate = %g must be finite and > 0", lr);
    if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1))
        return mix__rd_fail(r, "options beta1 = %g, beta2 = %g must be in [0, 1)", beta1, beta2);
    return mix__chk_nonneg(r, "epsilon", eps);
}

int mix__chk_inv_scale(mix__reader *r, double inv_scale)
{
    int e;
    if (!(inv_scale > 0) || !isfinite(inv_scale) || frexp(inv_scale, &e) != 0.5 || e - 1 > 1022 ||
        e - 1 < -1022)
        return mix__rd_fail(r, "inv_scale = %g is not a power of two within [2^-1022, 2^1022]",
                            inv_scale);
    return MIX_OK;
}

int mix__chk_triangular(mix__reader *r, const double *a, size_t d, size_t m, int upper,
                        const char *what)
{
    for (size_t q = 0; q < m; q++)
        for (size_t i = 0; i < d; i++)
            for (size_t j = 0; j < d; j++) {
                const double v = a[(q * d + i) * d + j];
                const int zero = upper ? j < i : j > i;
                if (i == j ? !(v > 0) || !isfinite(v) : zero ? v != 0 : !isfinite(v))
                    return mix__rd_fail(r, "%s: matrix %zu has %g at (%zu, %zu); it must be %s "
                                           "triangular with a positive diagonal",
                                        what, q, v, i, j, upper ? "upper" : "lower");
            }
    return MIX_OK;
}

/* To numpy's allclose (rtol 1e-5, atol 1e-8), as given covariances are. */
static int symmetric(mix__reader *r, const double *c, size_t d, size_t q, const char *what)
{
    for (size_t i = 0; i < d; i++)
        for (size_t j = i + 1; j < d; j++)
            if (!(fabs(c[i * d + j] - c[j * d + i]) <= 1e-8 + 1e-5 * fabs(c[j * d + i])))
                return mix__rd_fail(r, "%s: matrix %zu is not symmetric at (%zu, %zu)", what, q,
                                    i, j);
    return MIX_OK;
}

int mix__chk_positive_definite(mix__reader *r, const double *a, size_t d, size_t m,
                               const char *what)
{
    double *chol = mix__alloc_array(d * d, sizeof(double));
    if (chol == NULL)
        return mix__fail(r->err, MIX_ENOMEM, "out of memory checking %zu x %zu covariances", d,
                         d);
    int rc = MIX_OK;
    for (size_t q = 0; rc == MIX_OK && q < m; q++) { /* one matrix at a time, in cache */
        const double *c = a + q * d * d;
        rc = mix__chk_finite(r, c, d * d, what);
        if (rc == MIX_OK)
            rc = symmetric(r, c, d, q, what);
        if (rc != MIX_OK)
            break;
        memcpy(chol, c, d * d * sizeof(double));
        const int minor = mix__cholesky_lower(chol, d);
        if (minor != 0)
            rc = mix__rd_fail(r, "%s: matrix %zu is not positive definite (its leading minor of "
                                 "order %d is not positive)", what, q, minor);
    }
    mix__free(chol);
    return rc;
}
