/*
 * The values of a mixture read back, once its checksum is verified: the
 * given parameters as the setters check them, the model's as the model
 * needs them (docs/format.md, "What a load checks"); then the rest of what
 * the E-step precomputes, by the family, from what was read.
 */
#include "io/mixture_io.h"

#include "gmm/gmm.h"
#include "io/check.h"

#include <math.h>
#include <stdio.h>

/* A check of gmm/ or bmm/ (the setters'), its failure restated as the
 * file's: MIX_EFORMAT with its message. */
static int as_format(mix__reader *r, int rc, const char *what)
{
    if (rc == MIX_OK || rc == MIX_ENOMEM)
        return rc;
    char msg[MIX__ERRMSG_LEN];
    snprintf(msg, sizeof msg, "%s", r->err->msg);
    return mix__rd_fail(r, "%s: %s", what, msg);
}

/* The given parameters, as mix_gmm_set_params / mix_bmm_set_params check them. */
static int check_given(mix__reader *r, const mix__mixture_state *s)
{
    const mix__mixture_opts *o = &s->opt;
    const size_t k = s->k, d = o->given_d;
    int rc = MIX_OK;
    if (o->given_weights)
        rc = mix__chk_weights(r, o->given_weights, k, MIX__GMM_WEIGHT_SUM_TOL,
                              "given weights (GWGT)");
    if (rc == MIX_OK && o->given_means)
        rc = gaussian(s->kind) ? mix__chk_finite(r, o->given_means, k * d, "given means (GMEA)")
                               : mix__chk_within(r, o->given_means, k * d, 0, 1,
                                                 "given probabilities (GMEA)");
    if (rc == MIX_OK && o->given_cov)
        rc = as_format(r, mix__gmm_check_covariances(s->fam, k, d, o->given_cov, r->err),
                       "given covariances (GCOV)");
    return rc;
}

/* log_det (LDET) is the log determinant of each precision factor: the sum
 * of the logs of its diagonal (to rounding: libm's log may differ from the
 * writer's); a Bernoulli mixture's is 0. */
static int check_log_det(mix__reader *r, const mix__mixture_state *s)
{
    const mix__params *u = &s->model.u;
    const size_t d = u->d;
    for (size_t j = 0; j < s->k; j++) {
        double sum = 0;
        if (!gaussian(s->kind))
            sum = 0;
        else if (s->fam->matrices) /* full: component j's factor; tied: the one factor */
            for (size_t t = 0; t < d; t++)
                sum += log(u->prec_chol[(s->fam->shared ? 0 : j) * d * d + t * d + t]);
        else if (s->fam->type == MIX_COV_SPHERICAL) /* one value for d features */
            sum = (double)d * log(u->prec_chol[j]);
        else
            for (size_t t = 0; t < d; t++)
                sum += log(u->prec_chol[j * d + t]);
        const double tol = gaussian(s->kind) ? 1e-12 * (fabs(sum) + (double)d) : 0;
        if (!(fabs(u->log_det[j] - sum) <= tol))
            return mix__rd_fail(r, "log determinants (LDET)[%zu] = %.17g, but the precision "
                                   "factor's is %.17g", j, u->log_det[j], sum);
    }
    return MIX_OK;
}

/* Covariances positive definite (or positive), precision and covariance
 * factors triangular with a positive diagonal, in the engine's units; the
 * data units' finite (they are the engine's times a power of two). */
static int check_gaussian(mix__reader *r, const loading *L)
{
    const mix__mixture_state *s = L->s;
    const mix__mmodel *m = &s->model;
    const size_t d = m->d, cl = mix__cov_len(s->fam, s->k, d), nm = cl / (d * d);
    int rc;
    if (s->fam->matrices) {
        rc = mix__chk_positive_definite(r, m->u.cov, d, nm, "covariances (COVU)");
        rc = rc ? rc : mix__chk_triangular(r, m->u.prec_chol, d, nm, 1, "precision factors (PRCU)");
        rc = rc ? rc : mix__chk_triangular(r, s->fam->cov_factor(&m->u), d, nm, 0,
                                           "covariance factors (FACT)");
        if (L->stored & STORED_COVD)
            rc = rc ? rc : mix__chk_positive_definite(r, m->cov, d, nm, "covariances (COVD)");
    } else {
        rc = mix__chk_positive(r, m->u.cov, cl, "covariances (COVU)");
        rc = rc ? rc : mix__chk_positive(r, m->u.prec_chol, cl, "precision factors (PRCU)");
        rc = rc ? rc : mix__chk_positive(r, m->cov, cl, "covariances (COVD)");
    }
    if (L->stored & STORED_PRCD)
        rc = rc ? rc : mix__chk_finite(r, m->prec_chol, cl, "precision factors (PRCD)");
    if (rc == MIX_OK && !L->derived_finite)
        rc = mix__rd_fail(r, "the parameters overflow in the data's units");
    return rc ? rc : check_log_det(r, s);
}

/* log_weights (LWGT) are the logs of the weights (-inf for a weight 0). */
static int check_log_weights(mix__reader *r, const mix__mixture_state *s)
{
    const mix__params *u = &s->model.u;
    for (size_t j = 0; j < s->k; j++) {
        const double lw = u->log_weights[j], want = log(u->weights[j]);
        if (!(lw == want || fabs(lw - want) <= 1e-12 * (1.0 + fabs(want))))
            return mix__rd_fail(r, "log weights (LWGT)[%zu] = %.17g, but the weight's log is "
                                   "%.17g", j, lw, want);
    }
    return MIX_OK;
}

static int check_model(mix__reader *r, const loading *L)
{
    const mix__mixture_state *s = L->s;
    const mix__mmodel *m = &s->model;
    const size_t k = s->k, kd = k * m->d;
    const int gauss = gaussian(s->kind);
    if (!isnan(m->lower_bound) && !isfinite(m->lower_bound))
        return mix__rd_fail(r, "lower_bound = %g is neither NaN nor finite", m->lower_bound);
    int rc = mix__chk_inv_scale(r, m->inv_scale);
    rc = rc ? rc : mix__chk_finite(r, m->shift, m->d, "shift (SHFT)");
    if (rc == MIX_OK && !s->fam->centred) /* its units are the data's */
        for (size_t t = 0; rc == MIX_OK && t <= m->d; t++)
            if (t == m->d ? m->inv_scale != 1 : m->shift[t] != 0)
                rc = mix__rd_fail(r, "a Bernoulli mixture's engine units must be the data's");
    rc = rc ? rc : mix__chk_weights(r, m->u.weights, k, MIX__GMM_WEIGHT_SUM_TOL, "weights (WGHT)");
    rc = rc ? rc : check_log_weights(r, s);
    rc = rc ? rc : gauss ? mix__chk_finite(r, m->u.means, kd, "means (MEAU)")
                         : mix__chk_within(r, m->u.means, kd, 0, 1, "probabilities (MEAU)");
    rc = rc ? rc : gauss ? mix__chk_finite(r, m->means, kd, "means (MEAN)")
                         : mix__chk_within(r, m->means, kd, 0, 1, "probabilities (MEAN)");
    return rc ? rc : gauss ? check_gaussian(r, L) : check_log_det(r, s);
}

int mix__mixture_finish(mix__reader *r, void *state)
{
    loading *L = state;
    mix__mixture_state *s = L->s;
    int rc = check_given(r, s);
    if (rc != MIX_OK || !s->fitted)
        return rc;
    rc = check_model(r, L);
    if (rc != MIX_OK)
        return rc;
    const long bad = s->fam->precompute(&s->model.u, MIX__FROM_LOADED);
    if (bad >= 0) /* the checks above rule this out; the family has the last word */
        return mix__rd_fail(r, "component %ld is not usable", bad);
    return MIX_OK;
}
