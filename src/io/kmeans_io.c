/*
 * A K-means handle saved and read back (docs/format.md, kind 1): KOPT (the
 * options), ICEN (initial centers, when given), and when the handle holds a
 * model KFIT (its scalars) then SHFT, CENT, CENU, CNRM: the engine units'
 * shift, the centers in both units and the squared norms the assignment
 * uses, all as the model holds them, so that a model read back assigns,
 * transforms and scores bit for bit as the original; and (format version 2)
 * KCNT, the clusters' weights a fit or partial_fit leaves, so that
 * mix_kmeans_partial_fit continues as it would have.
 */
#include "io/io.h"

#include "core/limits.h"
#include "io/check.h"

#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <string.h>

#define REC MIX__FMT_RECORD_LEN

static void plan(const void *state, mix__plan *p)
{
    const mix__kmeans_state *s = state;
    const uint64_t k = s->k, d = s->model.d, id = s->opt.init_centers ? s->opt.init_d : 0;
    p->flags = 0;
    p->len = REC + KOPT_LEN;
    if (id > 0)
        p->len += REC + 8 * k * id;
    if (s->fitted)
        p->len += REC + KFIT_LEN + 4 * REC + 8 * (d + 2 * k * d + k);
    if (s->fitted && s->model.counts != NULL)
        p->len += REC + 8 * k;
}

static void encode(mix__writer *w, const void *state, const mix__plan *p)
{
    (void)p;
    const mix__kmeans_state *s = state;
    const mix__kmeans_opts *o = &s->opt;
    const size_t id = o->init_centers ? o->init_d : 0;
    mix__wr_record(w, TAG_KOPT, KOPT_LEN);
    mix__wr_u64(w, s->k);
    mix__wr_u64(w, (uint64_t)o->init);
    mix__wr_i64(w, o->n_init);
    mix__wr_i64(w, o->max_iter);
    mix__wr_f64(w, o->tol);
    mix__wr_u64(w, o->seed);
    mix__wr_i64(w, o->threads);
    mix__wr_u64(w, (uint64_t)o->algorithm);
    mix__wr_u64(w, (uint64_t)o->method);
    mix__wr_f64(w, o->adam_lr);
    mix__wr_f64(w, o->adam_beta1);
    mix__wr_f64(w, o->adam_beta2);
    mix__wr_f64(w, o->adam_eps);
    mix__wr_u64(w, o->batch_size);
    mix__wr_u64(w, id);
    if (id > 0)
        mix__wr_array(w, TAG_ICEN, o->init_centers, s->k * id);
    if (!s->fitted)
        return;
    const mix__kmodel *m = &s->model;
    mix__wr_record(w, TAG_KFIT, KFIT_LEN);
    mix__wr_u64(w, m->d);
    mix__wr_i64(w, m->n_iter);
    mix__wr_f64(w, m->inertia);
    mix__wr_f64(w, m->inv_scale);
    mix__wr_array(w, TAG_SHFT, m->shift, m->d);
    mix__wr_array(w, TAG_CENT, m->centers, s->k * m->d);
    mix__wr_array(w, TAG_CENU, m->centers_u, s->k * m->d);
    mix__wr_array(w, TAG_CNRM, m->c_norm2, s->k);
    if (m->counts != NULL)
        mix__wr_array(w, TAG_KCNT, m->counts, s->k);
}

/* k and a second dimension (d, or the initial centers' columns): k * d
 * doubles addressable. */
static int shape(mix__reader *r, size_t k, uint64_t d, const char *name, size_t *kd)
{
    if (d == 0 || d > SIZE_MAX || mix__mul_overflow(k, (size_t)d, kd) || *kd > SIZE_MAX / 8)
        return mix__rd_fail(r, "%s = %" PRIu64 " with k = %zu is not a valid shape", name, d, k);
    /* k x d doubles must be there: later sums of sizes then cannot wrap */
    if (*kd > (r->end - r->pos) / 8)
        return mix__rd_fail(r, "%s = %" PRIu64 " with k = %zu needs more than the %" PRIu64
                               " bytes left", name, d, k, r->end - r->pos);
    return MIX_OK;
}

/* The options' enumerations and ranges, as the setters check them. */
static int check_options(mix__reader *r, uint64_t init, int64_t n_init, int64_t max_iter,
                         int64_t threads, uint64_t algorithm, uint64_t method)
{
    int rc = mix__chk_int(r, "init", mix__chk_as_i64(init), MIX_INIT_KMEANSPP,
                          MIX_INIT_RANDOM_FROM_DATA);
    if (rc == MIX_OK && n_init != 0) /* 0: scikit-learn's default */
        rc = mix__chk_int(r, "n_init", n_init, 1, MIX__MAX_N_INIT);
    rc = rc ? rc : mix__chk_int(r, "max_iter", max_iter, 1, MIX__MAX_MAX_ITER);
    rc = rc ? rc : mix__chk_int(r, "threads", threads, 0, MIX__MAX_THREADS);
    rc = rc ? rc : mix__chk_int(r, "algorithm", mix__chk_as_i64(algorithm), MIX_KMEANS_AUTO,
                                MIX_KMEANS_HAMERLY);
    return rc ? rc : mix__chk_int(r, "method", mix__chk_as_i64(method), MIX_METHOD_EM,
                                  MIX_METHOD_ADAM);
}

/* ICEN, allocated once the record is known to hold its shape. */
static int read_init_centers(mix__reader *r, mix__kmeans_state *s, uint64_t id)
{
    size_t kd = 0;
    int rc = shape(r, s->k, id, "initial centers' d", &kd);
    rc = rc ? rc : mix__rd_room(r, REC + 8 * (uint64_t)kd, "the initial centers");
    if (rc != MIX_OK)
        return rc;
    s->opt.init_centers = mix__alloc_array(kd, sizeof(double));
    if (s->opt.init_centers == NULL)
        return mix__fail(r->err, MIX_ENOMEM, "out of memory for %zu x %" PRIu64 " initial centers",
                         s->k, id);
    s->opt.init_d = (size_t)id;
    return mix__rd_array(r, TAG_ICEN, s->opt.init_centers, kd);
}

/* KOPT (and ICEN): the options, allocating the initial centers. */
static int read_options(mix__reader *r, mix__kmeans_state *s)
{
    uint64_t k, init, seed, algorithm, method, batch, id;
    int64_t n_init, max_iter, threads;
    mix__kmeans_opts *o = &s->opt;
    int rc = mix__rd_expect(r, TAG_KOPT, KOPT_LEN);
    rc = rc ? rc : mix__rd_u64(r, &k);
    rc = rc ? rc : mix__rd_u64(r, &init);
    rc = rc ? rc : mix__rd_i64(r, &n_init);
    rc = rc ? rc : mix__rd_i64(r, &max_iter);
    rc = rc ? rc : mix__rd_f64(r, &o->tol);
    rc = rc ? rc : mix__rd_u64(r, &seed);
    rc = rc ? rc : mix__rd_i64(r, &threads);
    rc = rc ? rc : mix__rd_u64(r, &algorithm);
    rc = rc ? rc : mix__rd_u64(r, &method);
    rc = rc ? rc : mix__rd_f64(r, &o->adam_lr);
    rc = rc ? rc : mix__rd_f64(r, &o->adam_beta1);
    rc = rc ? rc : mix__rd_f64(r, &o->adam_beta2);
    rc = rc ? rc : mix__rd_f64(r, &o->adam_eps);
    rc = rc ? rc : mix__rd_u64(r, &batch);
    rc = rc ? rc : mix__rd_u64(r, &id);
    rc = rc ? rc : mix__chk_int(r, "k", mix__chk_as_i64(k), 1, INT32_MAX);
    rc = rc ? rc : check_options(r, init, n_init, max_iter, threads, algorithm, method);
    rc = rc ? rc : mix__chk_nonneg(r, "tol", o->tol);
    rc = rc ? rc : mix__chk_adam(r, o->adam_lr, o->adam_beta1, o->adam_beta2, o->adam_eps);
    if (rc == MIX_OK && batch > SIZE_MAX)
        rc = mix__rd_fail(r, "option batch_size = %" PRIu64 " does not fit a size_t", batch);
    if (rc != MIX_OK)
        return rc;
    s->k = (size_t)k;
    o->init = (mix_init)init;
    o->n_init = (int)n_init;
    o->max_iter = (int)max_iter;
    o->seed = seed;
    o->threads = (int)threads;
    o->algorithm = (mix_kmeans_algorithm)algorithm;
    o->method = (mix_method)method;
    o->batch_size = (size_t)batch;
    rc = mix__rd_next(r);
    return rc == MIX_OK && id > 0 ? read_init_centers(r, s, id) : rc;
}

/* KFIT and the model's arrays, allocated once the records are known to
 * hold them. */
static int read_model(mix__reader *r, mix__kmeans_state *s)
{
    mix__kmodel *m = &s->model;
    uint64_t d;
    int64_t n_iter;
    size_t kd = 0;
    int rc = mix__rd_expect(r, TAG_KFIT, KFIT_LEN);
    rc = rc ? rc : mix__rd_u64(r, &d);
    rc = rc ? rc : mix__rd_i64(r, &n_iter);
    rc = rc ? rc : mix__rd_f64(r, &m->inertia);
    rc = rc ? rc : mix__rd_f64(r, &m->inv_scale);
    rc = rc ? rc : mix__chk_int(r, "n_iter", n_iter, 0, MIX__MAX_MAX_ITER);
    rc = rc ? rc : shape(r, s->k, d, "d", &kd);
    rc = rc ? rc : mix__rd_next(r);
    /* d, k <= kd <= the bytes left / 8: no overflow here */
    rc = rc ? rc : mix__rd_room(r, 4 * REC + 8 * ((uint64_t)d + 2 * (uint64_t)kd + s->k),
                                "the model's arrays");
    if (rc != MIX_OK)
        return rc;
    m->d = (size_t)d;
    m->n_iter = (int)n_iter;
    m->shift = mix__alloc_array(m->d, sizeof(double));
    m->centers = mix__alloc_array(kd, sizeof(double));
    m->centers_u = mix__alloc_array(kd, sizeof(double));
    m->c_norm2 = mix__alloc_array(s->k, sizeof(double));
    if (!m->shift || !m->centers || !m->centers_u || !m->c_norm2)
        return mix__fail(r->err, MIX_ENOMEM, "out of memory for a model of %zu x %zu centers",
                         s->k, m->d);
    s->fitted = 1;
    rc = mix__rd_array(r, TAG_SHFT, m->shift, m->d);
    rc = rc ? rc : mix__rd_array(r, TAG_CENT, m->centers, kd);
    rc = rc ? rc : mix__rd_array(r, TAG_CENU, m->centers_u, kd);
    rc = rc ? rc : mix__rd_array(r, TAG_CNRM, m->c_norm2, s->k);
    if (rc != MIX_OK || r->tag != TAG_KCNT) /* version 1, or a model of given centers */
        return rc;
    rc = mix__rd_room(r, REC + 8 * (uint64_t)s->k, "the clusters' weights");
    if (rc == MIX_OK && (m->counts = mix__alloc_array(s->k, sizeof(double))) == NULL)
        rc = mix__fail(r->err, MIX_ENOMEM, "out of memory for %zu cluster weights", s->k);
    return rc ? rc : mix__rd_array(r, TAG_KCNT, m->counts, s->k);
}

static int decode(mix__reader *r, void *state)
{
    mix__kmeans_state *s = state;
    memset(s, 0, sizeof *s);
    int rc = read_options(r, s);
    if (rc == MIX_OK && r->tag == TAG_KFIT)
        rc = read_model(r, s);
    if (rc != MIX_OK)
        mix__kmeans_state_free(s);
    return rc;
}

/* The squared norms the assignment uses must be those of the centers
 * (to rounding: the reader need not sum as the writer did). */
static int check_norms(mix__reader *r, const mix__kmodel *m, size_t k)
{
    for (size_t j = 0; j < k; j++) {
        double n2 = 0;
        for (size_t t = 0; t < m->d; t++)
            n2 += m->centers_u[j * m->d + t] * m->centers_u[j * m->d + t];
        /* both sums of d positive terms: each within d eps of the truth */
        if (!(fabs(m->c_norm2[j] - n2) <= 4.0 * (double)(m->d + 1) * DBL_EPSILON * n2 + 1e-300))
            return mix__rd_fail(r, "squared norms (CNRM)[%zu] = %g, but the center's is %g", j,
                                m->c_norm2[j], n2);
    }
    return MIX_OK;
}

static int finish(mix__reader *r, void *state)
{
    mix__kmeans_state *s = state;
    const mix__kmodel *m = &s->model;
    const size_t k = s->k, kd = k * m->d;
    int rc = MIX_OK;
    if (s->opt.init_centers != NULL)
        rc = mix__chk_finite(r, s->opt.init_centers, k * s->opt.init_d, "initial centers (ICEN)");
    if (rc != MIX_OK || !s->fitted)
        return rc;
    if (!isnan(m->inertia) && (!(m->inertia >= 0) || !isfinite(m->inertia)))
        return mix__rd_fail(r, "inertia = %g is neither NaN nor finite and >= 0", m->inertia);
    rc = mix__chk_inv_scale(r, m->inv_scale);
    rc = rc ? rc : mix__chk_finite(r, m->shift, m->d, "shift (SHFT)");
    rc = rc ? rc : mix__chk_finite(r, m->centers, kd, "centers (CENT)");
    rc = rc ? rc : mix__chk_finite(r, m->centers_u, kd, "centers in engine units (CENU)");
    rc = rc ? rc : mix__chk_within(r, m->c_norm2, k, 0, INFINITY, "squared norms (CNRM)");
    if (rc == MIX_OK && m->counts != NULL)
        rc = mix__chk_within(r, m->counts, k, 0, DBL_MAX, "the clusters' weights (KCNT)");
    return rc ? rc : check_norms(r, m, k);
}

static void discard(void *state)
{
    mix__kmeans_state_free(state);
}

static const mix__codec codec = {
    .kind = MIX__IO_KMEANS,
    .name = "a K-means model",
    .plan = plan,
    .encode = encode,
    .decode = decode,
    .finish = finish,
    .discard = discard,
};

void mix__kmeans_state_free(mix__kmeans_state *s)
{
    mix__kmodel_free(&s->model);
    mix__free(s->opt.init_centers);
    memset(s, 0, sizeof *s);
}

int mix__kmeans_save(const mix__kmeans_state *s, const char *path, mix__err *err)
{
    return mix__save_file(&codec, s, path, err);
}

int mix__kmeans_save_buffer(const mix__kmeans_state *s, void *buf, size_t capacity,
                            size_t *size, mix__err *err)
{
    return mix__save_buffer(&codec, s, buf, capacity, size, err);
}

int mix__kmeans_load(mix__kmeans_state *s, const char *path, mix__err *err)
{
    return mix__load_file(&codec, s, path, err);
}

int mix__kmeans_load_buffer(mix__kmeans_state *s, const void *buf, size_t size, mix__err *err)
{
    return mix__load_buffer(&codec, s, buf, size, err);
}
