/*
 * EM for a mixture over any family; see em.h. The workspace (em_int.h) is
 * shared with gradient fitting (adam.c), which starts its runs as EM does.
 *
 * The M-step turns the statistics into parameters exactly as
 * scikit-learn's _estimate_gaussian_parameters does (N_k floored by 10 eps,
 * weights N_k / sum N_k), with sample weights multiplying every row's
 * contribution. The start of each run comes from the model layer
 * (mix__em_start); EM only turns it into statistics.
 */
#include "engine/em_int.h"

#include "core/linalg.h"
#include "core/threads.h"
#include "kernels/sqdist.h"

#include <float.h>
#include <string.h>

static mix__em_stats stats_layout(size_t k, size_t d, size_t moments, size_t fixed)
{
    mix__em_stats st;
    st.s1 = k;
    st.ll = k + k * d;
    st.ws = st.ll + 1;
    st.lost = st.ws + 1;
    st.m = st.lost + 1;
    st.fixed = st.m + moments;
    st.len = st.fixed + fixed;
    return st;
}

static mix__estep_scratch scratch_of(const mix__em *em, double *scratch)
{
    return mix__estep_scratch_at(scratch, em->k, 1);
}

/* What a pass's block function needs besides the workspace. */
typedef struct pass_ctx {
    mix__em *em;
    const mix__data *data; /* the rows' weights */
    int with_fixed;        /* accumulate the family's fixed statistics too */
} pass_ctx;

/* R += column sums of wr; S1 += wr^T U; the family's moments. */
static void accumulate_rows(const mix__em *em, const double *U, size_t rows, const double *wr,
                            double *stats, double *fam_scratch)
{
    const size_t k = em->k, d = em->d;
    for (size_t i = 0; i < rows; i++)
        for (size_t j = 0; j < k; j++)
            stats[j] += wr[i * k + j];
    mix__gemm(1, 0, k, d, rows, 1.0, wr, k, U, d, 1.0, stats + em->st.s1, d);
    if (em->fam->accumulate != NULL)
        em->fam->accumulate(k, d, em->shift, U, rows, wr, stats + em->st.m, fam_scratch);
}

static void fixed_rows(const mix__em *em, const mix__block *b, double *fixed,
                       const mix__estep_scratch *S)
{
    for (size_t i = 0; i < b->rows; i++)
        S->w[i] = mix__block_weight(b, i);
    em->fam->accumulate_fixed(em->d, b->U, b->rows, S->w, fixed, S->fam);
}

static void estep_block(void *ctx, const mix__block *b, double *stats, double *scratch)
{
    const pass_ctx *c = ctx;
    mix__em *em = c->em;
    const size_t k = em->k;
    mix__estep_scratch S = scratch_of(em, scratch);
    /* r = exp(l - top) / sum is exp(l - lse) with one exponential. */
    mix__estep_rows(&em->cur, b->U, b->rows, &S, S.resp, NULL);
    double ll = 0, ws = 0, lost = 0;
    for (size_t i = 0; i < b->rows; i++) {
        double *r = S.resp + i * k, top = S.top[i], sum = S.sum[i];
        double w = mix__block_weight(b, i), scale = w / sum;
        if (!isfinite(top)) { /* no component gives the row a density */
            lost += 1;
            scale = 0;
        } else {
            ll += w * (log(sum) + top);
        }
        ws += w;
        for (size_t j = 0; j < k; j++)
            r[j] *= scale;
    }
    stats[em->st.ll] += ll;
    stats[em->st.ws] += ws;
    stats[em->st.lost] += lost;
    accumulate_rows(em, b->U, b->rows, S.resp, stats, S.fam);
    if (c->with_fixed)
        fixed_rows(em, b, stats + em->st.fixed, &S);
}

/* The label of row g (global index) of a start that partitions a subset
 * of the rows: its place in the subset, or -1. */
static int32_t subset_label(const mix__em_start_out *o, size_t g)
{
    size_t lo = 0, hi = o->n_sub;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (o->sub[mid] < g)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < o->n_sub && o->sub[lo] == g ? o->sub_labels[lo] : -1;
}

/* The closest of the k centers (direct distances, the first on ties). */
static int32_t closest_center(const double *centers, size_t k, size_t d, const double *u)
{
    size_t best = 0;
    double best_d = mix__sqdist_direct(u, centers, d);
    for (size_t j = 1; j < k; j++) {
        const double dist = mix__sqdist_direct(u, centers + j * d, d);
        if (dist < best_d) {
            best_d = dist;
            best = j;
        }
    }
    return (int32_t)best;
}

/* Responsibilities of a start: one-hot labels (none for a row left out of
 * the start), or uniform random rows normalised to 1 (scikit-learn's
 * "random"), each row's drawn from a generator seeded by the run and the
 * row's global index, so that they do not depend on which thread, block or
 * rank draws them. */
static void start_block(void *ctx, const mix__block *b, double *stats, double *scratch)
{
    mix__em *em = ((const pass_ctx *)ctx)->em;
    const size_t k = em->k, d = em->d;
    mix__estep_scratch S = scratch_of(em, scratch);
    const int random = em->o->start.kind == MIX__START_RANDOM;
    for (size_t i = 0; i < b->rows; i++) {
        double w = mix__block_weight(b, i), *row = S.resp + i * k;
        stats[em->st.ws] += w;
        if (!random) {
            const int32_t label = em->start.n_sub > 0
                                      ? subset_label(&em->start, b->gid + i)
                                      : closest_center(em->shift, k, d, b->U + i * d);
            for (size_t j = 0; j < k; j++)
                row[j] = 0;
            if (label >= 0)
                row[label] = w;
            continue;
        }
        mix__rng r;
        mix__rng_seed(&r, mix__rng_mix(em->run_seed, b->gid + i));
        double sum = 0;
        for (size_t j = 0; j < k; j++)
            sum += row[j] = mix__rng_uniform(&r);
        for (size_t j = 0; j < k; j++)
            row[j] = w * (row[j] / sum);
    }
    accumulate_rows(em, b->U, b->rows, S.resp, stats, S.fam);
}

static void fixed_block(void *ctx, const mix__block *b, double *stats, double *scratch)
{
    const pass_ctx *c = ctx;
    const mix__estep_scratch S = scratch_of(c->em, scratch);
    fixed_rows(c->em, b, stats, &S);
}

/* prec_chol, log_det, pre and log weights of cur; MIX_ENUMERIC naming the
 * component whose covariance is not positive definite. `given`: the
 * covariances are the caller's, not an estimate with reg_covar added (they
 * were checked when given; scaling them to the data can still push
 * extreme values out of range). */
int mix__em_finish_params(mix__em *em, int given)
{
    long bad = em->fam->precompute(&em->cur, MIX__FROM_COV);
    if (bad >= 0 && given)
        return mix__fail(em->err, MIX_ENUMERIC,
                         "component %ld: the given %s covariance is not positive definite once "
                         "scaled to the data (values too close to the limits of a double)",
                         em->fam->shared ? 0 : bad, em->fam->name);
    if (bad >= 0) {
        if (em->fam->shared)
            return mix__fail(em->err, MIX_ENUMERIC,
                             "the tied covariance is not positive definite after reg_covar=%g; "
                             "increase reg_covar",
                             em->o->reg);
        return mix__fail(em->err, MIX_ENUMERIC,
                         "component %ld: %s covariance is not positive definite after "
                         "reg_covar=%g; increase reg_covar",
                         bad, em->fam->name, em->o->reg);
    }
    mix__params_log_weights(&em->cur);
    return MIX_OK;
}

mix__suffstats mix__em_suffstats(const mix__em *em, int with_fixed)
{
    const double *T = em->total;
    mix__suffstats st = {
        .R = T,
        .S1 = T + em->st.s1,
        .M = T + em->st.m,
        .shift = em->shift,
        .fixed = with_fixed ? T + em->st.fixed : em->fixed,
        .nk = em->nk,
    };
    return st;
}

/* Weights, means and covariances from em->total (precisions not yet). The
 * weights are N_k / sum N_k, also after the initialisation, where
 * scikit-learn divides by the number of samples: for its k-means++ and
 * random-row starts that leaves weights summing to k / n, which a model kept
 * with max_iter = 0 would carry. */
void mix__em_estimate(mix__em *em, int with_fixed)
{
    const size_t k = em->k, d = em->d;
    const double *T = em->total;
    double sum_nk = 0;
    for (size_t j = 0; j < k; j++) {
        em->nk[j] = T[j] + 10 * DBL_EPSILON;
        sum_nk += em->nk[j];
    }
    for (size_t j = 0; j < k; j++) {
        em->cur.weights[j] = em->nk[j] / sum_nk;
        for (size_t t = 0; t < d; t++)
            em->cur.means[j * d + t] = T[em->st.s1 + j * d + t] / em->nk[j];
    }
    const mix__suffstats st = mix__em_suffstats(em, with_fixed);
    em->fam->m_step(&em->cur, &st, em->reg);
}

static int m_step(mix__em *em)
{
    mix__em_estimate(em, 0);
    return mix__em_finish_params(em, 0);
}

/* Statistics of the k start rows alone (scikit-learn's k-means++ and
 * random_from_data inits give each component one row): processed in groups
 * of block size with the first worker's buffers, outside any pass (every
 * rank has the rows). */
static void accumulate_start_rows(mix__em *em)
{
    const size_t k = em->k, d = em->d;
    double *U, *scratch;
    mix__pass_buffers(&em->pass, 0, &U, &scratch);
    mix__estep_scratch S = scratch_of(em, scratch);
    memset(em->total, 0, em->st.len * sizeof(double));
    for (size_t j0 = 0; j0 < k; j0 += MIX__BLOCK_ROWS) {
        size_t rows = k - j0 < MIX__BLOCK_ROWS ? k - j0 : MIX__BLOCK_ROWS;
        memcpy(U, em->shift + j0 * d, rows * d * sizeof(double));
        memset(S.resp, 0, rows * k * sizeof(double));
        for (size_t i = 0; i < rows; i++)
            S.resp[i * k + j0 + i] = em->start.weights[j0 + i];
        accumulate_rows(em, U, rows, S.resp, em->total, S.fam);
    }
}

/* Starting weights, means and covariances of a run; the caller replaces the
 * given ones before the precisions are computed (an estimate that is
 * replaced must not fail the fit). */
static int start_params(mix__em *em)
{
    const mix__em_start *s = &em->o->start;
    const size_t k = em->k, d = em->d;
    pass_ctx c = {em, em->data, 0};
    int rc = MIX_OK;
    em->start.n_sub = 0;
    switch (s->kind) {
    case MIX__START_LABELS:
        rc = s->fill(s->ctx, em->data, k, em->pass.n_workers, em->run, em->run_seed, &em->start,
                     em->err);
        if (rc == MIX_OK)
            rc = mix__pass_run(&em->pass, start_block, &c, em->st.len, em->total, em->err);
        break;
    case MIX__START_RANDOM:
        memset(em->shift, 0, k * d * sizeof(double));
        rc = mix__pass_run(&em->pass, start_block, &c, em->st.len, em->total, em->err);
        break;
    case MIX__START_ROWS:
        rc = s->fill(s->ctx, em->data, k, em->pass.n_workers, em->run, em->run_seed, &em->start,
                     em->err);
        if (rc == MIX_OK)
            accumulate_start_rows(em);
        break;
    }
    if (rc == MIX_OK)
        mix__em_estimate(em, 0);
    return rc;
}

int mix__em_start_run(mix__em *em)
{
    const size_t k = em->k, d = em->d;
    const mix__em_opts *o = em->o;
    em->run++;
    em->iterated = 0;
    em->prev_lb = -INFINITY;
    em->run_seed = mix__rng_next(&em->rng);
    if (o->warm != NULL) {
        mix__params_copy(&em->cur, o->warm->params);
        mix__params_rescale(&em->cur, o->warm->shift, o->warm->inv_scale, em->data->shift,
                            em->data->inv_scale);
        if (!isnan(o->warm->lower_bound))
            em->prev_lb = o->warm->lower_bound - em->ll_offset;
        return mix__em_finish_params(em, 0);
    }
    if (!(o->given_weights && o->given_means && o->given_cov)) {
        int rc = start_params(em);
        if (rc != MIX_OK)
            return rc;
    }
    if (o->given_weights)
        memcpy(em->cur.weights, em->given.weights, k * sizeof(double));
    if (o->given_means)
        memcpy(em->cur.means, em->given.means, k * d * sizeof(double));
    if (o->given_cov)
        memcpy(em->cur.cov, em->given.cov, mix__cov_len(em->fam, k, d) * sizeof(double));
    return mix__em_finish_params(em, o->given_cov);
}

int mix__em_e_step(mix__em *em, mix__pass *pass, const mix__data *data, int with_fixed)
{
    pass_ctx c = {em, data, with_fixed && em->fam->accumulate_fixed != NULL};
    if (!em->keep_shift)
        memcpy(em->shift, em->cur.means, em->k * em->d * sizeof(double));
    int rc = mix__pass_run(pass, estep_block, &c, em->st.len, em->total, em->err);
    if (rc != MIX_OK)
        return rc;
    if (em->total[em->st.lost] > 0)
        return mix__fail(em->err, MIX_ENUMERIC,
                         "%.0f rows have zero density under every component: the parameters "
                         "are too far from the data (check the given means and covariances)",
                         em->total[em->st.lost]);
    em->lb = em->total[em->st.ll] / em->total[em->st.ws];
    return MIX_OK;
}

/* --- EM's operations for the restart loop ------------------------------------ */

static int em_init_run(void *method)
{
    return mix__em_start_run(method);
}

static int em_iterate(void *method, double *objective, double *change, int *converged)
{
    mix__em *em = method;
    int rc = mix__em_e_step(em, &em->pass, em->data, 0);
    if (rc != MIX_OK)
        return rc;
    rc = m_step(em);
    if (rc != MIX_OK)
        return rc;
    em->iterated++;
    *change = em->lb - em->prev_lb;
    *converged = fabs(*change) < em->o->tol;
    *objective = em->lb + em->ll_offset;
    em->prev_lb = em->lb;
    return MIX_OK;
}

static int em_finish_run(void *method, double *score)
{
    mix__em *em = method;
    if (em->iterated == 0) { /* max_iter 0: the starting parameters' likelihood */
        int rc = mix__em_e_step(em, &em->pass, em->data, 0);
        if (rc != MIX_OK)
            return rc;
    }
    *score = em->lb;
    return MIX_OK;
}

static void em_keep(void *method)
{
    mix__em *em = method;
    mix__params_copy(&em->best, &em->cur);
}

static const mix__restart_ops em_ops = {
    .init_run = em_init_run,
    .iterate = em_iterate,
    .finish_run = em_finish_run,
    .keep = em_keep,
};

/* --- set-up --------------------------------------------------------------- */

void mix__em_free(mix__em *em)
{
    mix__adam_free(em);
    mix__pass_free(&em->pass);
    mix__params_free(&em->cur);
    mix__params_free(&em->best);
    mix__params_free(&em->given);
    mix__free(em->shift);
    mix__free(em->total);
    mix__free(em->nk);
    mix__free(em->fixed);
    mix__free(em->start.weights);
    mix__free(em->start.sub);
    mix__free(em->start.sub_labels);
}

/* The given parameters in the engine units of the data. */
static int copy_given(mix__em *em)
{
    const mix__em_opts *o = em->o;
    const size_t k = em->k, d = em->d;
    if (o->given == NULL)
        return MIX_OK;
    if (mix__params_alloc(&em->given, em->fam, k, d) != MIX_OK)
        return MIX_ENOMEM;
    if (o->given_weights)
        memcpy(em->given.weights, o->given->weights, k * sizeof(double));
    if (o->given_means)
        memcpy(em->given.means, o->given->means, k * d * sizeof(double));
    if (o->given_cov)
        memcpy(em->given.cov, o->given->cov, mix__cov_len(em->fam, k, d) * sizeof(double));
    mix__params_rescale(&em->given, NULL, 1.0, em->data->shift, em->data->inv_scale);
    return MIX_OK;
}

static int em_alloc(mix__em *em, unsigned flags)
{
    const int with_fixed = (flags & MIX__EM_FIXED_IN_PASS) != 0;
    const size_t k = em->k, d = em->d, cap = em->o->start.sub_cap;
    const mix__family_sizes fs = mix__family_sizes_of(em->fam, k, d, MIX__BLOCK_ROWS);
    em->st = stats_layout(k, d, fs.moments, with_fixed ? fs.fixed : 0);
    size_t slot = em->st.len > fs.fixed ? em->st.len : fs.fixed;
    double work = 2.0 * fs.row_work; /* E-step and M-step */
    if (mix__pass_init(&em->pass, em->data, MIX__BLOCK_ROWS, slot,
                       mix__estep_scratch_len(em->fam, k, d, 1),
                       mix__threads_resolve(em->o->threads), work) != MIX_OK)
        return MIX_ENOMEM;
    if (mix__params_alloc(&em->cur, em->fam, k, d) != MIX_OK ||
        mix__params_alloc(&em->best, em->fam, k, d) != MIX_OK)
        return MIX_ENOMEM;
    em->shift = mix__alloc_array(k * d, sizeof(double));
    em->total = mix__alloc_array(slot, sizeof(double));
    em->nk = mix__alloc_array(k, sizeof(double));
    em->start.centers = em->shift;
    em->start.weights = mix__alloc_array(k, sizeof(double));
    if (!em->shift || !em->total || !em->nk || !em->start.weights)
        return MIX_ENOMEM;
    if (cap > 0) {
        em->start.sub = mix__alloc_array(cap, sizeof(size_t));
        em->start.sub_labels = mix__alloc_array(cap, sizeof(int32_t));
        if (!em->start.sub || !em->start.sub_labels)
            return MIX_ENOMEM;
    }
    if (fs.fixed > 0 && !(flags & MIX__EM_NO_WHOLE_FIXED) &&
        (em->fixed = mix__alloc_array(fs.fixed, sizeof(double))) == NULL)
        return MIX_ENOMEM;
    if (em->o->method == MIX_METHOD_ADAM && mix__adam_alloc(em) != MIX_OK)
        return MIX_ENOMEM;
    return copy_given(em);
}

int mix__em_setup(mix__em *em, const mix__family *fam, size_t k, const mix__data *data,
                  const mix__em_opts *opts, unsigned flags, mix__err *err)
{
    memset(em, 0, sizeof *em);
    em->fam = fam;
    em->data = data;
    em->o = opts;
    em->k = k;
    em->d = data->d;
    em->err = err;
    em->run = -1;
    em->reg = opts->reg * data->inv_scale * data->inv_scale;
    em->ll_offset = mix__log_jacobian(data->d, data->inv_scale);
    mix__rng_seed(&em->rng, opts->seed);
    int rc = em_alloc(em, flags) == MIX_OK
                 ? MIX_OK
                 : mix__fail(err, MIX_ENOMEM, "out of memory for n = %zu, d = %zu, k = %zu",
                             data->n, data->d, k);
    /* Every rank knows its workspace is there before the first pass. */
    rc = mix__dist_status(data->dist, rc, err);
    if (rc == MIX_OK && em->fixed != NULL) {
        size_t fixed_len = mix__family_sizes_of(fam, k, em->d, 0).fixed;
        pass_ctx c = {em, data, 0};
        rc = mix__pass_run(&em->pass, fixed_block, &c, fixed_len, em->total, err);
        memcpy(em->fixed, em->total, fixed_len * sizeof(double));
    }
    if (rc != MIX_OK)
        mix__em_free(em);
    return rc;
}

int mix__em_fit(const mix__family *fam, size_t k, const mix__data *data,
                const mix__em_opts *opts, mix__params *best, mix__em_result *res,
                mix__err *err)
{
    mix__em em;
    const int adam = opts->method == MIX_METHOD_ADAM;
    int rc = mix__em_setup(&em, fam, k, data, opts,
                           adam && opts->batch_size > 0 ? MIX__EM_FIXED_IN_PASS : 0, err);
    if (rc != MIX_OK)
        return rc;
    mix__restart_opts ro = {
        .n_init = opts->warm ? 1 : opts->n_init,
        .max_iter = opts->max_iter,
        .callback = opts->callback,
        .callback_data = opts->callback_data,
        .dist = data->dist,
    };
    mix__restart_result rr;
    rc = mix__restarts(adam ? &mix__adam_ops : &em_ops, &em, &ro, &rr, err);
    if (rc == MIX_OK) {
        if (mix__params_alloc(best, fam, k, em.d) != MIX_OK) {
            rc = mix__fail(err, MIX_ENOMEM, "out of memory storing the model");
        } else {
            mix__params_copy(best, &em.best);
            res->lower_bound = rr.score + em.ll_offset; /* the kept run's */
            res->converged = rr.converged_any;
            res->n_iter = rr.n_iter;
        }
    }
    mix__em_free(&em);
    return rc;
}
