/*
 * The EM engine for Gaussian mixtures, written once for every covariance
 * family.
 *
 * One pass over the data per iteration, block by block: the family's
 * log-densities (rows x k), plus log weights, row-wise log-sum-exp (the
 * per-row log-likelihood), responsibilities, and the sufficient statistics
 * (sum w r, sum w r u, and the family's second moments) accumulated in the
 * same pass. No n x k array exists at any time. The M-step turns the
 * statistics into parameters exactly as scikit-learn's
 * _estimate_gaussian_parameters does (N_k floored by 10 eps, weights
 * N_k / sum N_k), with sample weights multiplying every row's contribution.
 */
#include "gmm_model.h"

#include "engine.h"
#include "gauss.h"
#include "kmeans_model.h"
#include "linalg.h"
#include "threads.h"

#include <float.h>
#include <string.h>

typedef struct mix__em {
    const mix__family *fam;
    const mix__data *data;
    const mix__em_opts *o;
    size_t k, d, mlen, stats_len;
    double reg;       /* reg_covar in engine units */
    double ll_offset; /* engine -> data units for log-densities */
    mix__pass pass;
    mix__gparams cur, best, user;
    double *shift;   /* k x d: points the second moments are about */
    double *total;   /* reduced statistics */
    double *nk;      /* k */
    double *fixed;   /* family statistics of the whole data, or NULL */
    int32_t *labels; /* n: K-means partition for the default init */
    size_t *rows;    /* k: seeding rows */
    mix__rng rng;
    uint64_t run_seed;
    int init_kind; /* what init_block does */
    int iterated;  /* iterations in the current run */
    double lb, prev_lb;
    mix__err *err;
} mix__em;

/* Layout of the statistics: R (k) | S1 (k x d) | loglik | weight sum |
 * rows without a finite density | moments. */
#define ST_S1(E) ((E)->k)
#define ST_LL(E) ((E)->k + (E)->k * (E)->d)
#define ST_WS(E) (ST_LL(E) + 1)
#define ST_LOST(E) (ST_WS(E) + 1)
#define ST_M(E) (ST_LOST(E) + 1)

enum { INIT_LABELS, INIT_RANDOM };

/* Scratch of a block: L (B x k) | wr (B x k) | w (B: the fixed pass's
 * weights, the E-step's row maxima) | sum (B) | family scratch. */
static double *scratch_L(mix__em *E, double *s) { (void)E; return s; }
static double *scratch_wr(mix__em *E, double *s) { return s + MIX_BLOCK_ROWS * E->k; }
static double *scratch_w(mix__em *E, double *s) { return s + 2 * MIX_BLOCK_ROWS * E->k; }
static double *scratch_sum(mix__em *E, double *s) { return scratch_w(E, s) + MIX_BLOCK_ROWS; }
static double *scratch_fam(mix__em *E, double *s) { return scratch_sum(E, s) + MIX_BLOCK_ROWS; }

/* R += column sums of wr; S1 += wr^T U; the family's moments. */
static void accumulate_rows(mix__em *E, const double *U, size_t rows, const double *wr,
                            double *stats, double *fs)
{
    const size_t k = E->k, d = E->d;
    for (size_t i = 0; i < rows; i++)
        for (size_t j = 0; j < k; j++)
            stats[j] += wr[i * k + j];
    mix__gemm(1, 0, k, d, rows, 1.0, wr, k, U, d, 1.0, stats + ST_S1(E), d);
    if (E->fam->accumulate != NULL)
        E->fam->accumulate(k, d, E->shift, U, rows, wr, stats + ST_M(E), fs);
}

static void estep_block(void *ctx, const mix__block *b, double *stats, double *scratch)
{
    mix__em *E = ctx;
    const size_t k = E->k;
    double *L = scratch_L(E, scratch), *wr = scratch_wr(E, scratch);
    double *fs = scratch_fam(E, scratch);
    E->fam->log_prob(&E->cur, b->U, b->rows, L, fs);
    /* r = exp(l - top) / sum is exp(l - lse) with one exponential. */
    double *tops = scratch_w(E, scratch), *sums = scratch_sum(E, scratch);
    mix__gauss_block_exp(L, E->cur.log_weights, b->rows, k, wr, tops, NULL, sums);
    double ll = 0, ws = 0, lost = 0;
    for (size_t i = 0; i < b->rows; i++) {
        double *r = wr + i * k, top = tops[i], sum = sums[i];
        double w = mix__data_weight(E->data, b->row0 + i), scale = w / sum;
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
    stats[ST_LL(E)] += ll;
    stats[ST_WS(E)] += ws;
    stats[ST_LOST(E)] += lost;
    accumulate_rows(E, b->U, b->rows, wr, stats, fs);
}

/* Responsibilities of an initialisation: one-hot K-means labels, or
 * uniform random rows normalised to 1 (scikit-learn's "random"), drawn from
 * a generator seeded by the run and the block's first row, so that they do
 * not depend on which thread draws them. */
static void init_block(void *ctx, const mix__block *b, double *stats, double *scratch)
{
    mix__em *E = ctx;
    const size_t k = E->k;
    double *wr = scratch_wr(E, scratch);
    mix__rng r;
    if (E->init_kind == INIT_RANDOM)
        mix__rng_seed(&r, E->run_seed ^ ((uint64_t)b->row0 * 0x9e3779b97f4a7c15u));
    for (size_t i = 0; i < b->rows; i++) {
        double w = mix__data_weight(E->data, b->row0 + i), *row = wr + i * k;
        stats[ST_WS(E)] += w;
        if (E->init_kind == INIT_LABELS) {
            for (size_t j = 0; j < k; j++)
                row[j] = 0;
            row[E->labels[b->row0 + i]] = w;
            continue;
        }
        double sum = 0;
        for (size_t j = 0; j < k; j++)
            sum += row[j] = mix__rng_uniform(&r);
        for (size_t j = 0; j < k; j++)
            row[j] = w * (row[j] / sum);
    }
    accumulate_rows(E, b->U, b->rows, wr, stats, scratch_fam(E, scratch));
}

static void fixed_block(void *ctx, const mix__block *b, double *stats, double *scratch)
{
    mix__em *E = ctx;
    double *w = scratch_w(E, scratch);
    for (size_t i = 0; i < b->rows; i++)
        w[i] = mix__data_weight(E->data, b->row0 + i);
    E->fam->accumulate_fixed(E->d, b->U, b->rows, w, stats, scratch_fam(E, scratch));
}

/* prec_chol, log_det, pre and log weights of cur; MIX_ENUMERIC naming the
 * component whose covariance is not positive definite. */
static int finish_params(mix__em *E)
{
    long bad = E->fam->precompute(&E->cur);
    if (bad >= 0) {
        if (E->fam->shared)
            return mix__fail(E->err, MIX_ENUMERIC,
                             "the tied covariance is not positive definite after reg_covar=%g; "
                             "increase reg_covar",
                             E->o->reg);
        return mix__fail(E->err, MIX_ENUMERIC,
                         "component %ld: %s covariance is not positive definite after "
                         "reg_covar=%g; increase reg_covar",
                         bad, E->fam->name, E->o->reg);
    }
    mix__gparams_log_weights(&E->cur);
    return MIX_OK;
}

/* Weights, means and covariances from E->total (precisions not yet). The
 * weights are N_k / sum N_k, also after the initialisation, where
 * scikit-learn divides by the number of samples: for its k-means++ and
 * random-row starts that leaves weights summing to k / n, which a model kept
 * with max_iter = 0 would carry. */
static void estimate_params(mix__em *E)
{
    const size_t k = E->k, d = E->d;
    const double *T = E->total;
    double sum_nk = 0;
    for (size_t j = 0; j < k; j++) {
        E->nk[j] = T[j] + 10 * DBL_EPSILON;
        sum_nk += E->nk[j];
    }
    for (size_t j = 0; j < k; j++) {
        E->cur.weights[j] = E->nk[j] / sum_nk;
        for (size_t t = 0; t < d; t++)
            E->cur.means[j * d + t] = T[ST_S1(E) + j * d + t] / E->nk[j];
    }
    mix__gstats st = {T, T + ST_S1(E), T + ST_M(E), E->shift, E->fixed, E->nk};
    E->fam->covariances(&E->cur, &st, E->reg);
}

static int m_step(mix__em *E)
{
    estimate_params(E);
    return finish_params(E);
}

/* Statistics of the k seeding rows alone (scikit-learn's k-means++ and
 * random_from_data inits give each component one row): processed in groups
 * of block size with the first worker's buffers, outside any pass. */
static void accumulate_seed_rows(mix__em *E)
{
    const size_t k = E->k, d = E->d;
    double *U = E->pass.work, *scratch = U + E->pass.block * d;
    double *wr = scratch_wr(E, scratch);
    memset(E->total, 0, E->stats_len * sizeof(double));
    for (size_t j = 0; j < k; j++)
        mix__data_load(E->data, E->rows[j], 1, E->shift + j * d);
    for (size_t i = 0; i < E->data->n; i++)
        E->total[ST_WS(E)] += mix__data_weight(E->data, i);
    for (size_t j0 = 0; j0 < k; j0 += MIX_BLOCK_ROWS) {
        size_t rows = k - j0 < MIX_BLOCK_ROWS ? k - j0 : MIX_BLOCK_ROWS;
        memcpy(U, E->shift + j0 * d, rows * d * sizeof(double));
        memset(wr, 0, rows * k * sizeof(double));
        for (size_t i = 0; i < rows; i++)
            wr[i * k + j0 + i] = mix__data_weight(E->data, E->rows[j0 + i]);
        accumulate_rows(E, U, rows, wr, E->total, scratch_fam(E, scratch));
    }
}

/* Starting weights, means and covariances from the initialisation method;
 * the caller replaces the given ones before the precisions are computed (an
 * estimate that is replaced must not fail the fit). */
static int initialise(mix__em *E)
{
    const mix__em_opts *o = E->o;
    const size_t k = E->k, d = E->d;
    int threads = E->pass.n_workers;
    int rc = MIX_OK;
    switch (o->init) {
    case MIX_INIT_KMEANS:
        rc = mix__kmeans_partition(E->data, k, threads, E->run_seed, E->labels, E->shift);
        if (rc != MIX_OK)
            return mix__fail(E->err, rc, "out of memory in the K-means initialisation");
        E->init_kind = INIT_LABELS;
        mix__pass_run(&E->pass, init_block, E, E->stats_len, E->total);
        break;
    case MIX_INIT_RANDOM:
        memset(E->shift, 0, k * d * sizeof(double));
        E->init_kind = INIT_RANDOM;
        mix__pass_run(&E->pass, init_block, E, E->stats_len, E->total);
        break;
    default: /* k-means++ or random rows: one row per component */
        rc = mix__kmeans_seed_rows(E->data, k, threads, o->init, E->run_seed, E->rows);
        if (rc != MIX_OK)
            return mix__fail(E->err, rc, "out of memory in the initialisation");
        accumulate_seed_rows(E);
        break;
    }
    estimate_params(E);
    return MIX_OK;
}

/* --- engine operations ---------------------------------------------------- */

static int em_init_run(void *model, int run)
{
    (void)run;
    mix__em *E = model;
    const size_t k = E->k, d = E->d, cl = E->fam->cov_len(k, d);
    const mix__em_opts *o = E->o;
    E->iterated = 0;
    E->prev_lb = -INFINITY;
    E->run_seed = mix__rng_next(&E->rng);
    if (o->warm != NULL) {
        mix__gparams_copy(&E->cur, &o->warm->u);
        mix__gparams_rescale(&E->cur, o->warm->shift, o->warm->inv_scale, E->data->shift,
                             E->data->inv_scale);
        if (!isnan(o->warm->lower_bound))
            E->prev_lb = o->warm->lower_bound - E->ll_offset;
        return finish_params(E);
    }
    const int *has = o->user_has;
    if (!(has[0] && has[1] && has[2])) {
        int rc = initialise(E);
        if (rc != MIX_OK)
            return rc;
    }
    if (o->user != NULL) {
        if (has[0])
            memcpy(E->cur.weights, E->user.weights, k * sizeof(double));
        if (has[1])
            memcpy(E->cur.means, E->user.means, k * d * sizeof(double));
        if (has[2])
            memcpy(E->cur.cov, E->user.cov, cl * sizeof(double));
    }
    return finish_params(E);
}

/* The E-step pass: statistics of the current parameters and their mean
 * log-likelihood. MIX_ENUMERIC if some row has no finite density under any
 * component (parameters far from the data, e.g. given ones). */
static int e_step(mix__em *E)
{
    memcpy(E->shift, E->cur.means, E->k * E->d * sizeof(double));
    mix__pass_run(&E->pass, estep_block, E, E->stats_len, E->total);
    if (E->total[ST_LOST(E)] > 0)
        return mix__fail(E->err, MIX_ENUMERIC,
                         "%.0f rows have zero density under every component: the parameters "
                         "are too far from the data (check the given means and covariances)",
                         E->total[ST_LOST(E)]);
    E->lb = E->total[ST_LL(E)] / E->total[ST_WS(E)];
    return MIX_OK;
}

static int em_iterate(void *model, int iteration, double *objective, double *change,
                      int *converged)
{
    (void)iteration;
    mix__em *E = model;
    int rc = e_step(E);
    if (rc != MIX_OK)
        return rc;
    rc = m_step(E);
    if (rc != MIX_OK)
        return rc;
    E->iterated++;
    *change = E->lb - E->prev_lb;
    *converged = fabs(*change) < E->o->tol;
    *objective = E->lb + E->ll_offset;
    E->prev_lb = E->lb;
    return MIX_OK;
}

static int em_finish_run(void *model, double *score)
{
    mix__em *E = model;
    if (E->iterated == 0) { /* max_iter 0: the starting parameters' likelihood */
        int rc = e_step(E);
        if (rc != MIX_OK)
            return rc;
    }
    *score = E->lb;
    return MIX_OK;
}

static void em_keep(void *model)
{
    mix__em *E = model;
    mix__gparams_copy(&E->best, &E->cur);
}

static const mix__engine_ops em_ops = {em_init_run, em_iterate, em_finish_run, em_keep};

/* --- set-up --------------------------------------------------------------- */

static void em_free(mix__em *E)
{
    mix__pass_free(&E->pass);
    mix__gparams_free(&E->cur);
    mix__gparams_free(&E->best);
    mix__gparams_free(&E->user);
    mix__free(E->shift);
    mix__free(E->total);
    mix__free(E->nk);
    mix__free(E->fixed);
    mix__free(E->labels);
    mix__free(E->rows);
}

static int em_alloc(mix__em *E)
{
    const size_t k = E->k, d = E->d, n = E->data->n;
    const mix__family *fam = E->fam;
    size_t fixed_len = fam->fixed_len(d);
    E->mlen = fam->moments_len(k, d);
    E->stats_len = ST_M(E) + E->mlen;
    size_t slot = E->stats_len > fixed_len ? E->stats_len : fixed_len;
    size_t scratch = 2 * MIX_BLOCK_ROWS * k + 2 * MIX_BLOCK_ROWS +
                     fam->scratch_len(k, d, MIX_BLOCK_ROWS);
    double work = 2.0 * fam->row_work(k, d); /* E-step and M-step */
    if (mix__pass_init(&E->pass, E->data, MIX_BLOCK_ROWS, slot, scratch,
                       mix__threads_resolve(E->o->threads), work) != MIX_OK)
        return MIX_ENOMEM;
    if (mix__gparams_alloc(&E->cur, fam, k, d) != MIX_OK ||
        mix__gparams_alloc(&E->best, fam, k, d) != MIX_OK)
        return MIX_ENOMEM;
    E->shift = mix__alloc_array(k * d, sizeof(double));
    E->total = mix__alloc_array(slot, sizeof(double));
    E->nk = mix__alloc_array(k, sizeof(double));
    E->rows = mix__alloc_array(k, sizeof(size_t));
    if (!E->shift || !E->total || !E->nk || !E->rows)
        return MIX_ENOMEM;
    if (fixed_len > 0 && (E->fixed = mix__alloc_array(fixed_len, sizeof(double))) == NULL)
        return MIX_ENOMEM;
    if (E->o->init == MIX_INIT_KMEANS && E->o->warm == NULL &&
        (E->labels = mix__alloc_array(n, sizeof(int32_t))) == NULL)
        return MIX_ENOMEM;
    if (E->o->user != NULL) {
        if (mix__gparams_alloc(&E->user, fam, k, d) != MIX_OK)
            return MIX_ENOMEM;
        const mix__gparams *u = E->o->user;
        if (E->o->user_has[0])
            memcpy(E->user.weights, u->weights, k * sizeof(double));
        if (E->o->user_has[1])
            memcpy(E->user.means, u->means, k * d * sizeof(double));
        if (E->o->user_has[2])
            memcpy(E->user.cov, u->cov, fam->cov_len(k, d) * sizeof(double));
        mix__gparams_rescale(&E->user, NULL, 1.0, E->data->shift, E->data->inv_scale);
    }
    return MIX_OK;
}

int mix__em_fit(const mix__family *fam, size_t k, const mix__data *data,
                const mix__em_opts *opts, mix__gmodel *m, mix__err *err)
{
    mix__em E;
    memset(&E, 0, sizeof E);
    E.fam = fam;
    E.data = data;
    E.o = opts;
    E.k = k;
    E.d = data->d;
    E.err = err;
    E.reg = opts->reg * data->inv_scale * data->inv_scale;
    E.ll_offset = mix__log_jacobian(data->d, data->inv_scale);
    mix__rng_seed(&E.rng, opts->seed);
    int rc = em_alloc(&E);
    if (rc != MIX_OK) {
        em_free(&E);
        return mix__fail(err, MIX_ENOMEM, "out of memory for n = %zu, d = %zu, k = %zu", data->n,
                         data->d, k);
    }
    if (E.fixed != NULL) {
        mix__pass_run(&E.pass, fixed_block, &E, fam->fixed_len(E.d), E.total);
        memcpy(E.fixed, E.total, fam->fixed_len(E.d) * sizeof(double));
    }
    mix__engine_opts eo = {opts->warm ? 1 : opts->n_init, opts->max_iter, opts->callback,
                           opts->callback_data};
    mix__engine_result res;
    rc = mix__engine_fit(&em_ops, &E, &eo, &res, err);
    if (rc == MIX_OK) {
        if (mix__gparams_alloc(&m->u, fam, k, E.d) != MIX_OK) {
            rc = mix__fail(err, MIX_ENOMEM, "out of memory storing the model");
        } else {
            mix__gparams_copy(&m->u, &E.best);
            m->lower_bound = res.score + E.ll_offset; /* the kept run's */
            m->converged = res.converged_any;
            m->n_iter = res.n_iter;
        }
    }
    em_free(&E);
    return rc;
}
