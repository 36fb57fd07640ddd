/*
 * A mixture handle saved and read back (docs/format.md, kinds 2 and 3): the
 * Gaussian and the Bernoulli mixtures share one encoding, MOPT's family
 * field naming the covariance type. Records: MOPT (the options), the given
 * arrays GWGT, GMEA, GCOV, and when the handle holds a model MFIT (its
 * scalars) then the parameters in the engine's units as the model holds
 * them (SHFT, WGHT, LWGT, MEAU, COVU, PRCU, LDET and, for full and tied
 * covariances, FACT: the covariance factors sampling uses) and in the
 * data's units (MEAN; COVD and PRCD only when they do not follow exactly
 * from the engine's by the format's rule, which is how a fit computes
 * them). A model read back predicts, scores, samples and refits bit for bit
 * as the original: the rest of what the E-step precomputes is computed from
 * these by the family, as the fit computed it. Format version 2 adds MONL
 * (stepwise EM's kappa and t0) after the options and, for a model that
 * made stepwise steps, MSTP (their count, the running statistics and their
 * reference points), so that mix_gmm_partial_fit continues as it would
 * have.
 */
#include "io/mixture_io.h"

#include "bmm/bmm.h"
#include "core/limits.h"
#include "engine/em.h"
#include "gmm/gmm.h"
#include "io/check.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>

#define REC MIX__FMT_RECORD_LEN

/* Bytes of a record of n doubles. */
static uint64_t array_len(uint64_t n)
{
    return REC + 8 * n;
}

static int same_bits(double a, double b)
{
    uint64_t x, y;
    memcpy(&x, &a, sizeof x);
    memcpy(&y, &b, sizeof y);
    return x == y;
}

/* The data-unit arrays that do not follow exactly from the engine-unit ones
 * by the rule mix__mmodel_export applies (a model made from given
 * parameters keeps them as given; rounding at the edge of the range of a
 * double): those are stored. */
static unsigned stored_flags(const mix__mixture_state *s)
{
    if (!s->fitted || !gaussian(s->kind))
        return 0;
    const mix__mmodel *m = &s->model;
    const size_t cl = mix__cov_len(s->fam, s->k, m->d);
    const double scale = 1.0 / m->inv_scale; /* exact: a power of two */
    unsigned flags = 0;
    for (size_t i = 0; i < cl; i++) {
        if (!same_bits(m->cov[i], m->u.cov[i] * scale * scale))
            flags |= STORED_COVD;
        if (!same_bits(m->prec_chol[i], m->u.prec_chol[i] * m->inv_scale))
            flags |= STORED_PRCD;
    }
    return flags;
}

/* Bytes of MFIT and the model's arrays. */
static uint64_t model_len(const mix__family *fam, int gauss, uint64_t k, uint64_t d,
                          unsigned stored)
{
    const uint64_t kd = k * d, cl = mix__cov_len(fam, (size_t)k, (size_t)d);
    uint64_t len = REC + MFIT_LEN + array_len(d) + 3 * array_len(k) + 2 * array_len(kd);
    if (gauss)
        len += 2 * array_len(cl);
    if (fam->cov_factor != NULL)
        len += array_len(cl);
    if (stored & STORED_COVD)
        len += array_len(cl);
    if (stored & STORED_PRCD)
        len += array_len(cl);
    return len;
}

/* MSTP's doubles: the steps, the running statistics, their reference
 * points. */
static uint64_t online_len(const mix__mixture_state *s)
{
    return 1 + mix__em_online_len(s->fam, s->k, s->model.d) + (uint64_t)s->k * s->model.d;
}

static void plan(const void *state, mix__plan *p)
{
    const mix__mixture_state *s = state;
    const mix__mixture_opts *o = &s->opt;
    p->flags = stored_flags(s);
    p->len = REC + MOPT_LEN + (gaussian(s->kind) ? REC + MONL_LEN : 0);
    if (o->given_weights)
        p->len += array_len(s->k);
    if (o->given_means)
        p->len += array_len((uint64_t)s->k * o->given_d);
    if (o->given_cov)
        p->len += array_len(mix__cov_len(s->fam, s->k, o->given_d));
    if (s->fitted)
        p->len += model_len(s->fam, gaussian(s->kind), s->k, s->model.d, p->flags);
    if (s->fitted && s->model.online != NULL)
        p->len += array_len(online_len(s));
}

static void encode_options(mix__writer *w, const mix__mixture_state *s)
{
    const mix__mixture_opts *o = &s->opt;
    const unsigned given = (o->given_weights ? GIVEN_WEIGHTS : 0) |
                           (o->given_means ? GIVEN_MEANS : 0) | (o->given_cov ? GIVEN_COV : 0);
    mix__wr_record(w, TAG_MOPT, MOPT_LEN);
    mix__wr_u64(w, s->k);
    mix__wr_u64(w, gaussian(s->kind) ? (uint64_t)s->fam->type : 0);
    mix__wr_u64(w, (uint64_t)o->init);
    mix__wr_i64(w, o->n_init);
    mix__wr_i64(w, o->max_iter);
    mix__wr_f64(w, o->tol);
    mix__wr_f64(w, o->reg);
    mix__wr_u64(w, o->seed);
    mix__wr_u64(w, (uint64_t)o->warm_start);
    mix__wr_i64(w, o->threads);
    mix__wr_u64(w, (uint64_t)o->method);
    mix__wr_f64(w, o->adam.lr);
    mix__wr_f64(w, o->adam.beta1);
    mix__wr_f64(w, o->adam.beta2);
    mix__wr_f64(w, o->adam.eps);
    mix__wr_u64(w, o->batch_size);
    mix__wr_u64(w, given ? o->given_d : 0);
    mix__wr_u64(w, given);
    if (o->given_weights)
        mix__wr_array(w, TAG_GWGT, o->given_weights, s->k);
    if (o->given_means)
        mix__wr_array(w, TAG_GMEA, o->given_means, s->k * o->given_d);
    if (o->given_cov)
        mix__wr_array(w, TAG_GCOV, o->given_cov, mix__cov_len(s->fam, s->k, o->given_d));
    if (gaussian(s->kind)) {
        mix__wr_record(w, TAG_MONL, MONL_LEN);
        mix__wr_f64(w, o->online_kappa);
        mix__wr_f64(w, o->online_t0);
    }
}

static void encode(mix__writer *w, const void *state, const mix__plan *p)
{
    const mix__mixture_state *s = state;
    encode_options(w, s);
    if (!s->fitted)
        return;
    const mix__mmodel *m = &s->model;
    const size_t k = s->k, d = m->d, cl = mix__cov_len(s->fam, k, d);
    mix__wr_record(w, TAG_MFIT, MFIT_LEN);
    mix__wr_u64(w, d);
    mix__wr_i64(w, m->n_iter);
    mix__wr_u64(w, (uint64_t)m->converged);
    mix__wr_f64(w, m->lower_bound);
    mix__wr_f64(w, m->inv_scale);
    mix__wr_u64(w, p->flags);
    mix__wr_array(w, TAG_SHFT, m->shift, d);
    mix__wr_array(w, TAG_WGHT, m->u.weights, k);
    mix__wr_array(w, TAG_LWGT, m->u.log_weights, k);
    mix__wr_array(w, TAG_MEAU, m->u.means, k * d);
    if (gaussian(s->kind)) {
        mix__wr_array(w, TAG_COVU, m->u.cov, cl);
        mix__wr_array(w, TAG_PRCU, m->u.prec_chol, cl);
    }
    mix__wr_array(w, TAG_LDET, m->u.log_det, k);
    if (s->fam->cov_factor != NULL)
        mix__wr_array(w, TAG_FACT, s->fam->cov_factor(&m->u), cl);
    mix__wr_array(w, TAG_MEAN, m->means, k * d);
    if (p->flags & STORED_COVD)
        mix__wr_array(w, TAG_COVD, m->cov, cl);
    if (p->flags & STORED_PRCD)
        mix__wr_array(w, TAG_PRCD, m->prec_chol, cl);
    if (m->online != NULL) {
        const size_t len = mix__em_online_len(s->fam, k, d);
        mix__wr_record(w, TAG_MSTP, 8 * online_len(s));
        mix__wr_f64(w, m->online_t);
        for (size_t i = 0; i < len; i++)
            mix__wr_f64(w, m->online[i]);
        for (size_t i = 0; i < k * d; i++)
            mix__wr_f64(w, m->online_ref[i]);
    }
}

/* --- reading ----------------------------------------------------------------- */

/* d with k components: k d d doubles addressable (every family's
 * covariances fit in that), so that mix__cov_len cannot overflow. */
static int shape(mix__reader *r, size_t k, uint64_t d, const char *name)
{
    size_t kd, kdd;
    if (d == 0 || d > SIZE_MAX || mix__mul_overflow(k, (size_t)d, &kd) ||
        mix__mul_overflow(kd, (size_t)d, &kdd) || kdd > SIZE_MAX / 8)
        return mix__rd_fail(r, "%s = %" PRIu64 " with k = %zu is not a valid shape", name, d, k);
    return MIX_OK;
}

/* A model's k x d means and (Gaussian) covariances are in the bytes left,
 * so that the sum of its arrays' sizes (model_len) cannot wrap. */
static int model_fits(mix__reader *r, const mix__mixture_state *s, uint64_t d)
{
    const uint64_t left = (r->end - r->pos) / 8;
    if (s->k * (size_t)d > left ||
        (gaussian(s->kind) && mix__cov_len(s->fam, s->k, (size_t)d) > left))
        return mix__rd_fail(r, "a model of k = %zu, d = %" PRIu64 " needs more than the %" PRIu64
                               " bytes left", s->k, d, r->end - r->pos);
    return MIX_OK;
}

/* A given array of n doubles (bit `bit` of MOPT's given field). */
static int read_given(mix__reader *r, uint32_t tag, size_t n, double **a)
{
    char name[16];
    int rc = mix__rd_room(r, array_len(n), "the given parameters");
    if (rc != MIX_OK)
        return rc;
    *a = mix__alloc_array(n, sizeof(double));
    if (*a == NULL)
        return mix__fail(r->err, MIX_ENOMEM, "out of memory for %zu given values (%s)", n,
                         mix__tag_name(tag, name));
    return mix__rd_array(r, tag, *a, n);
}

static int read_given_arrays(mix__reader *r, mix__mixture_state *s, uint64_t given_d,
                             uint64_t given)
{
    mix__mixture_opts *o = &s->opt;
    int rc = given ? shape(r, s->k, given_d, "the given parameters' d") : MIX_OK;
    if (rc != MIX_OK)
        return rc;
    o->given_d = (size_t)given_d;
    if (given & GIVEN_WEIGHTS)
        rc = read_given(r, TAG_GWGT, s->k, &o->given_weights);
    if (rc == MIX_OK && (given & GIVEN_MEANS))
        rc = read_given(r, TAG_GMEA, s->k * o->given_d, &o->given_means);
    if (rc == MIX_OK && (given & GIVEN_COV))
        rc = read_given(r, TAG_GCOV, mix__cov_len(s->fam, s->k, o->given_d), &o->given_cov);
    return rc;
}

/* The family MOPT names, for the kind asked for. */
static int family(mix__reader *r, mix__mixture_state *s, uint64_t code)
{
    if (gaussian(s->kind))
        s->fam = code <= MIX_COV_SPHERICAL ? mix__family_of((mix_covariance)code) : NULL;
    else
        s->fam = code == 0 ? &mix__family_bernoulli : NULL;
    if (s->fam == NULL)
        return mix__rd_fail(r, "covariance type %" PRIu64 " is not one of %s", code,
                            gaussian(s->kind) ? "0 to 3" : "a Bernoulli mixture's (0)");
    return MIX_OK;
}

/* MONL (format version 2): stepwise EM's step, kappa in (0.5, 1] and t0
 * >= 0 as mix_gmm_set_online() accepts them; a version 1 file has the
 * defaults. */
static int read_online_options(mix__reader *r, mix__mixture_state *s)
{
    mix__mixture_opts *o = &s->opt;
    if (!gaussian(s->kind)) /* a Bernoulli mixture makes no stepwise steps */
        return MIX_OK;
    o->online_kappa = MIX__GMM_DEFAULT_ONLINE_KAPPA;
    o->online_t0 = MIX__GMM_DEFAULT_ONLINE_T0;
    if (r->tag != TAG_MONL && r->version < 2)
        return MIX_OK;
    int rc = mix__rd_expect(r, TAG_MONL, MONL_LEN);
    rc = rc ? rc : mix__rd_f64(r, &o->online_kappa);
    rc = rc ? rc : mix__rd_f64(r, &o->online_t0);
    if (rc == MIX_OK && !(o->online_kappa > 0.5 && o->online_kappa <= 1.0))
        rc = mix__rd_fail(r, "option kappa = %g is out of range (0.5, 1]", o->online_kappa);
    rc = rc ? rc : mix__chk_nonneg(r, "t0", o->online_t0);
    return rc ? rc : mix__rd_next(r);
}

/* MOPT's integers: each within the range its setter accepts. */
typedef struct mopt_ints {
    uint64_t k, fam, init, seed, warm, method, batch, given_d, given;
    int64_t n_init, max_iter, threads;
} mopt_ints;

static int check_ints(mix__reader *r, const mix__mixture_state *s, const mopt_ints *v)
{
    const int64_t last_init = gaussian(s->kind) ? MIX_INIT_HIERARCHICAL : MIX_INIT_RANDOM_FROM_DATA;
    const uint64_t all_given = GIVEN_WEIGHTS | GIVEN_MEANS | (gaussian(s->kind) ? GIVEN_COV : 0);
    int rc = mix__chk_int(r, "init", mix__chk_as_i64(v->init), 0, last_init);
    if (rc == MIX_OK)
        rc = mix__chk_int(r, "n_init", v->n_init, 1, MIX__MAX_N_INIT);
    if (rc == MIX_OK)
        rc = mix__chk_int(r, "max_iter", v->max_iter, 0, MIX__MAX_MAX_ITER);
    if (rc == MIX_OK)
        rc = mix__chk_int(r, "warm_start", mix__chk_as_i64(v->warm), 0, 1);
    if (rc == MIX_OK)
        rc = mix__chk_int(r, "threads", v->threads, 0, MIX__MAX_THREADS);
    if (rc == MIX_OK)
        rc = mix__chk_int(r, "method", mix__chk_as_i64(v->method), 0, 1);
    if (rc == MIX_OK && v->batch > SIZE_MAX)
        rc = mix__rd_fail(r, "option batch_size = %" PRIu64 " does not fit a size_t", v->batch);
    if (rc == MIX_OK && ((v->given & ~all_given) != 0 || (v->given == 0) != (v->given_d == 0)))
        rc = mix__rd_fail(r, "given parameters: flags 0x%" PRIx64 " with d = %" PRIu64
                             " are not valid here", v->given, v->given_d);
    return rc;
}

static int read_options(mix__reader *r, mix__mixture_state *s)
{
    mopt_ints v;
    mix__mixture_opts *o = &s->opt;
    int rc = mix__rd_expect(r, TAG_MOPT, MOPT_LEN);
    rc = rc ? rc : mix__rd_u64(r, &v.k);
    rc = rc ? rc : mix__rd_u64(r, &v.fam);
    rc = rc ? rc : mix__rd_u64(r, &v.init);
    rc = rc ? rc : mix__rd_i64(r, &v.n_init);
    rc = rc ? rc : mix__rd_i64(r, &v.max_iter);
    rc = rc ? rc : mix__rd_f64(r, &o->tol);
    rc = rc ? rc : mix__rd_f64(r, &o->reg);
    rc = rc ? rc : mix__rd_u64(r, &v.seed);
    rc = rc ? rc : mix__rd_u64(r, &v.warm);
    rc = rc ? rc : mix__rd_i64(r, &v.threads);
    rc = rc ? rc : mix__rd_u64(r, &v.method);
    rc = rc ? rc : mix__rd_f64(r, &o->adam.lr);
    rc = rc ? rc : mix__rd_f64(r, &o->adam.beta1);
    rc = rc ? rc : mix__rd_f64(r, &o->adam.beta2);
    rc = rc ? rc : mix__rd_f64(r, &o->adam.eps);
    rc = rc ? rc : mix__rd_u64(r, &v.batch);
    rc = rc ? rc : mix__rd_u64(r, &v.given_d);
    rc = rc ? rc : mix__rd_u64(r, &v.given);
    rc = rc ? rc : mix__chk_int(r, "k", mix__chk_as_i64(v.k), 1, INT32_MAX);
    rc = rc ? rc : family(r, s, v.fam);
    rc = rc ? rc : check_ints(r, s, &v);
    rc = rc ? rc : mix__chk_nonneg(r, "tol", o->tol);
    rc = rc ? rc : mix__chk_nonneg(r, gaussian(s->kind) ? "reg_covar" : "alpha", o->reg);
    rc = rc ? rc : mix__chk_adam(r, o->adam.lr, o->adam.beta1, o->adam.beta2, o->adam.eps);
    if (rc != MIX_OK)
        return rc;
    s->k = (size_t)v.k;
    o->init = (mix_init)v.init;
    o->n_init = (int)v.n_init;
    o->max_iter = (int)v.max_iter;
    o->seed = v.seed;
    o->warm_start = (int)v.warm;
    o->threads = (int)v.threads;
    o->method = (mix_method)v.method;
    o->batch_size = (size_t)v.batch;
    rc = mix__rd_next(r);
    rc = rc ? rc : read_given_arrays(r, s, v.given_d, v.given);
    return rc ? rc : read_online_options(r, s);
}

/* The data-unit arrays not stored, by the rule that made them; whether
 * they are finite (checked in the same pass, for finish). */
static int derive(mix__mixture_state *s, unsigned stored)
{
    mix__mmodel *m = &s->model;
    const size_t cl = mix__cov_len(s->fam, s->k, m->d);
    const double scale = 1.0 / m->inv_scale;
    int finite = 1;
    for (size_t i = 0; i < cl && !(stored & STORED_COVD); i++) {
        m->cov[i] = m->u.cov[i] * scale * scale;
        finite &= isfinite(m->cov[i]) != 0;
    }
    for (size_t i = 0; i < cl && !(stored & STORED_PRCD); i++) {
        m->prec_chol[i] = m->u.prec_chol[i] * m->inv_scale;
        finite &= isfinite(m->prec_chol[i]) != 0;
    }
    return finite;
}

/* MSTP's R, the running weights of the components: each in [0, 1], their
 * sum positive and at most 1 (rows whose density underflows are lost from
 * it), so that the next step's weights are too. */
static int check_online_weights(mix__reader *r, const double *R, size_t k)
{
    double sum = 0;
    int rc = mix__chk_within(r, R, k, 0.0, 1.0, "stepwise EM's weights (MSTP)");
    for (size_t j = 0; rc == MIX_OK && j < k; j++)
        sum += R[j];
    if (rc == MIX_OK && !(sum > 0 && sum <= 1.0 + MIX__GMM_WEIGHT_SUM_TOL))
        rc = mix__rd_fail(r, "stepwise EM's weights (MSTP) sum to %.17g, not within (0, 1]",
                          sum);
    return rc;
}

/* MSTP (format version 2): stepwise EM's steps (a whole number >= 1), its
 * running statistics and reference points, all finite. */
static int read_online_state(mix__reader *r, mix__mixture_state *s)
{
    mix__mmodel *m = &s->model;
    const size_t len = mix__em_online_len(s->fam, s->k, m->d), kd = s->k * m->d;
    if (!gaussian(s->kind))
        return mix__rd_fail(r, "record MSTP at byte %" PRIu64 ": a Bernoulli mixture has no "
                               "stepwise state", r->at);
    int rc = mix__rd_expect(r, TAG_MSTP, 8 * online_len(s));
    if (rc != MIX_OK)
        return rc;
    m->online = mix__alloc_array(len, sizeof(double));
    m->online_ref = mix__alloc_array(kd, sizeof(double));
    if (!m->online || !m->online_ref)
        return mix__fail(r->err, MIX_ENOMEM, "out of memory for stepwise EM's state");
    rc = mix__rd_f64(r, &m->online_t);
    for (size_t i = 0; rc == MIX_OK && i < len; i++)
        rc = mix__rd_f64(r, &m->online[i]);
    for (size_t i = 0; rc == MIX_OK && i < kd; i++)
        rc = mix__rd_f64(r, &m->online_ref[i]);
    if (rc == MIX_OK && !(m->online_t >= 1 && m->online_t <= 9007199254740992.0 &&
                          m->online_t == floor(m->online_t)))
        rc = mix__rd_fail(r, "stepwise EM's step count (MSTP) = %g is not a whole number >= 1",
                          m->online_t);
    rc = rc ? rc : mix__chk_finite(r, m->online, len, "stepwise EM's statistics (MSTP)");
    rc = rc ? rc : mix__chk_finite(r, m->online_ref, kd, "stepwise EM's reference (MSTP)");
    rc = rc ? rc : check_online_weights(r, m->online, s->k);
    return rc ? rc : mix__rd_next(r);
}

/* The arrays, in their order, straight into the model. */
static int read_arrays(mix__reader *r, loading *L)
{
    mix__mixture_state *s = L->s;
    const unsigned stored = L->stored;
    mix__mmodel *m = &s->model;
    const size_t k = s->k, d = m->d, cl = mix__cov_len(s->fam, k, d);
    int rc = mix__rd_array(r, TAG_SHFT, m->shift, d);
    rc = rc ? rc : mix__rd_array(r, TAG_WGHT, m->u.weights, k);
    rc = rc ? rc : mix__rd_array(r, TAG_LWGT, m->u.log_weights, k);
    rc = rc ? rc : mix__rd_array(r, TAG_MEAU, m->u.means, k * d);
    if (gaussian(s->kind)) {
        rc = rc ? rc : mix__rd_array(r, TAG_COVU, m->u.cov, cl);
        rc = rc ? rc : mix__rd_array(r, TAG_PRCU, m->u.prec_chol, cl);
    }
    rc = rc ? rc : mix__rd_array(r, TAG_LDET, m->u.log_det, k);
    if (s->fam->cov_factor != NULL)
        rc = rc ? rc : mix__rd_array(r, TAG_FACT, s->fam->cov_factor(&m->u), cl);
    rc = rc ? rc : mix__rd_array(r, TAG_MEAN, m->means, k * d);
    if (stored & STORED_COVD)
        rc = rc ? rc : mix__rd_array(r, TAG_COVD, m->cov, cl);
    if (stored & STORED_PRCD)
        rc = rc ? rc : mix__rd_array(r, TAG_PRCD, m->prec_chol, cl);
    if (rc == MIX_OK)
        L->derived_finite = derive(s, stored);
    return rc == MIX_OK && r->tag == TAG_MSTP ? read_online_state(r, s) : rc;
}

static int read_model(mix__reader *r, loading *L)
{
    mix__mixture_state *s = L->s;
    uint64_t d, converged, stored;
    int64_t n_iter;
    double lower_bound, inv_scale;
    const uint64_t all_stored = gaussian(s->kind) ? STORED_COVD | STORED_PRCD : 0;
    int rc = mix__rd_expect(r, TAG_MFIT, MFIT_LEN);
    rc = rc ? rc : mix__rd_u64(r, &d);
    rc = rc ? rc : mix__rd_i64(r, &n_iter);
    rc = rc ? rc : mix__rd_u64(r, &converged);
    rc = rc ? rc : mix__rd_f64(r, &lower_bound);
    rc = rc ? rc : mix__rd_f64(r, &inv_scale);
    rc = rc ? rc : mix__rd_u64(r, &stored);
    rc = rc ? rc : shape(r, s->k, d, "d");
    rc = rc ? rc : model_fits(r, s, d);
    rc = rc ? rc : mix__chk_int(r, "n_iter", n_iter, 0, MIX__MAX_MAX_ITER);
    rc = rc ? rc : mix__chk_int(r, "converged", mix__chk_as_i64(converged), 0, 1);
    if (rc == MIX_OK && (stored & ~all_stored) != 0)
        rc = mix__rd_fail(r, "MFIT's stored flags 0x%" PRIx64 " are not valid here", stored);
    rc = rc ? rc : mix__rd_next(r);
    rc = rc ? rc : mix__rd_room(r, model_len(s->fam, gaussian(s->kind), s->k, d, (unsigned)stored) -
                                       REC - MFIT_LEN, "the model's arrays");
    if (rc != MIX_OK)
        return rc;
    if (mix__mmodel_alloc(&s->model, s->fam, s->k, (size_t)d) != MIX_OK)
        return mix__fail(r->err, MIX_ENOMEM, "out of memory for a model of k = %zu, d = %zu",
                         s->k, (size_t)d);
    s->fitted = 1;
    s->model.n_iter = (int)n_iter;
    s->model.converged = (int)converged;
    s->model.lower_bound = lower_bound;
    s->model.inv_scale = inv_scale;
    L->stored = (unsigned)stored;
    return read_arrays(r, L);
}

static int decode(mix__reader *r, void *state)
{
    loading *L = state;
    mix__mixture_state *s = L->s;
    const mix__io_kind kind = s->kind;
    memset(s, 0, sizeof *s);
    s->kind = kind;
    s->model.lower_bound = NAN; /* as an unfitted handle has it */
    int rc = read_options(r, s);
    if (rc == MIX_OK && r->tag == TAG_MFIT)
        rc = read_model(r, L);
    if (rc != MIX_OK)
        mix__mixture_state_free(s);
    return rc;
}

void mix__mixture_state_free(mix__mixture_state *s)
{
    mix__mmodel_free(&s->model);
    mix__free(s->opt.given_weights);
    mix__free(s->opt.given_means);
    mix__free(s->opt.given_cov);
    const mix__io_kind kind = s->kind;
    memset(s, 0, sizeof *s);
    s->kind = kind;
}

static void discard(void *state)
{
    mix__mixture_state_free(((loading *)state)->s);
}

static const mix__codec gmm_codec = {
    .kind = MIX__IO_GMM,
    .name = "a Gaussian mixture",
    .plan = plan,
    .encode = encode,
    .decode = decode,
    .finish = mix__mixture_finish,
    .discard = discard,
};

static const mix__codec bmm_codec = {
    .kind = MIX__IO_BMM,
    .name = "a Bernoulli mixture",
    .plan = plan,
    .encode = encode,
    .decode = decode,
    .finish = mix__mixture_finish,
    .discard = discard,
};

static const mix__codec *codec_of(mix__io_kind kind)
{
    return gaussian(kind) ? &gmm_codec : &bmm_codec;
}

int mix__mixture_save(const mix__mixture_state *s, const char *path, mix__err *err)
{
    return mix__save_file(codec_of(s->kind), s, path, err);
}

int mix__mixture_save_buffer(const mix__mixture_state *s, void *buf, size_t capacity,
                             size_t *size, mix__err *err)
{
    return mix__save_buffer(codec_of(s->kind), s, buf, capacity, size, err);
}

int mix__mixture_load(mix__mixture_state *s, mix__io_kind kind, const char *path, mix__err *err)
{
    loading L = {s, 0, 1};
    s->kind = kind;
    return mix__load_file(codec_of(kind), &L, path, err);
}

int mix__mixture_load_buffer(mix__mixture_state *s, mix__io_kind kind, const void *buf,
                             size_t size, mix__err *err)
{
    loading L = {s, 0, 1};
    s->kind = kind;
    return mix__load_buffer(codec_of(kind), &L, buf, size, err);
}
