/* What is Gaussian about given parameters: covariances checked as a model
 * can use them, theta turned into them, and the family of each type. */
#include "gmm/gmm.h"

#include "core/linalg.h"
#include "engine/theta.h"
#include "gmm/families.h"

#include <string.h>

/* Symmetric to numpy's allclose (rtol 1e-5, atol 1e-8), as scikit-learn
 * checks given precisions. */
static int check_symmetric(const double *c, size_t d, size_t m, mix__err *err)
{
    for (size_t r = 0; r < d; r++)
        for (size_t s = r + 1; s < d; s++) {
            double a = c[r * d + s], b = c[s * d + r];
            if (fabs(a - b) > 1e-8 + 1e-5 * fabs(b))
                return mix__fail(err, MIX_EINVAL, "covariance %zu is not symmetric at (%zu, %zu)",
                                 m, r, s);
        }
    return MIX_OK;
}

int mix__gmm_check_covariances(const mix__family *fam, size_t k, size_t d, const double *cov,
                               mix__err *err)
{
    const size_t len = mix__cov_len(fam, k, d);
    for (size_t i = 0; i < len; i++)
        if (!isfinite(cov[i]))
            return mix__fail(err, MIX_EDATA, "covariances[%zu] is not finite", i);
    if (!fam->matrices) {
        const size_t per = len / k; /* d variances (diagonal) or 1 (spherical) */
        for (size_t i = 0; i < len; i++)
            if (!(cov[i] > 0))
                return mix__fail(err, MIX_EINVAL,
                                 "covariances: component %zu has variance %g%s; variances must "
                                 "be positive",
                                 i / per, cov[i], per > 1 ? " on a feature" : "");
        return MIX_OK;
    }
    double *chol = mix__alloc_array(d * d, sizeof(double));
    if (chol == NULL)
        return mix__fail(err, MIX_ENOMEM, "out of memory checking %zu x %zu covariances", d, d);
    int rc = MIX_OK;
    for (size_t m = 0; rc == MIX_OK && m < len / (d * d); m++) {
        const double *c = cov + m * d * d;
        rc = check_symmetric(c, d, m, err);
        if (rc != MIX_OK)
            break;
        memcpy(chol, c, d * d * sizeof(double));
        int minor = mix__cholesky_lower(chol, d);
        if (minor == 0)
            continue;
        if (fam->shared)
            rc = mix__fail(err, MIX_EINVAL,
                           "the given tied covariance is not positive definite (its leading "
                           "minor of order %d is not positive)",
                           minor);
        else
            rc = mix__fail(err, MIX_EINVAL,
                           "component %zu: the given %s covariance is not positive definite (its "
                           "leading minor of order %d is not positive)",
                           m, fam->name, minor);
    }
    mix__free(chol);
    return rc;
}

const mix__family *mix__family_of(mix_covariance type)
{
    switch ((int)type) {
    case MIX_COV_FULL:
        return &mix__family_full;
    case MIX_COV_TIED:
        return &mix__family_tied;
    case MIX_COV_DIAG:
        return &mix__family_diag;
    case MIX_COV_SPHERICAL:
        return &mix__family_spherical;
    default:
        return NULL;
    }
}

int mix__gmm_params_of_theta(const mix__family *fam, size_t k, size_t d, const double *theta,
                             double *weights, double *means, double *cov, mix__err *err)
{
    const size_t len = mix__theta_len(fam, k, d);
    for (size_t i = 0; i < len; i++)
        if (!isfinite(theta[i]))
            return mix__fail(err, MIX_EDATA, "theta[%zu] is %s", i,
                             isnan(theta[i]) ? "NaN" : "infinite");
    mix__params p;
    if (mix__params_alloc(&p, fam, k, d) != MIX_OK)
        return mix__fail(err, MIX_ENOMEM, "out of memory converting theta");
    double *zero = mix__calloc(d, sizeof(double));
    int rc = MIX_OK;
    if (zero == NULL)
        rc = mix__fail(err, MIX_ENOMEM, "out of memory converting theta");
    else if (mix__params_from_theta(&p, theta, zero, 1.0) >= 0)
        rc = mix__fail(err, MIX_EDATA,
                       "theta describes no usable mixture: a weight or a covariance is not "
                       "representable (a log-diagonal entry of a precision factor is too large "
                       "or too small)");
    if (rc == MIX_OK) {
        memcpy(weights, p.weights, k * sizeof(double));
        memcpy(means, p.means, k * d * sizeof(double));
        memcpy(cov, p.cov, mix__cov_len(fam, k, d) * sizeof(double));
    }
    mix__free(zero);
    mix__params_free(&p);
    return rc;
}
