/*
 * EM over a mixture family: the iterations of one fit (through the restart
 * loop, restarts.h), and the E-step of a block, which the queries of a
 * fitted model share.
 *
 * One pass over the data per iteration, block by block: the family's
 * log-densities, plus log weights, the row-wise log-sum-exp (each row's
 * log-likelihood), the responsibilities, and the sufficient statistics
 * accumulated in the same pass. No n x k array exists at any time.
 */
#ifndef MIX__ENGINE_EM_H
#define MIX__ENGINE_EM_H

#include "core/data.h"
#include "engine/family.h"
#include "engine/optim.h"

/* How each run starts. The model layer chooses (mixture/start.c): EM only
 * knows these three shapes of a start, not the methods that produce them. */
typedef enum mix__em_start_kind {
    MIX__START_LABELS, /* a hard partition about k centers */
    MIX__START_RANDOM, /* random responsibilities (no call to fill) */
    MIX__START_ROWS    /* one row per component */
} mix__em_start_kind;

/* What a start gives EM. */
typedef struct mix__em_start_out {
    /* k x d, engine units: MIX__START_LABELS the partition's centers (the
     * points its first moments are taken about), MIX__START_ROWS the rows */
    double *centers;
    double *weights; /* k: MIX__START_ROWS, the rows' weights (factor applied) */
    /* MIX__START_LABELS: the partition of a subset of the rows (global
     * indices, increasing, and labels; n_sub of them, at most the start's
     * sub_cap; the other rows are left out of the first M-step); n_sub = 0
     * labels every row by its closest center (the first one on ties). */
    size_t *sub;
    int32_t *sub_labels;
    size_t n_sub;
} mix__em_start_out;

typedef struct mix__em_start {
    mix__em_start_kind kind;
    size_t sub_cap; /* room for a subset partition */
    /* The start of run `run` from its seed into out. Returns MIX_OK or a
     * failure recorded in err. On several ranks every rank calls it and
     * gets the same out. */
    int (*fill)(void *ctx, const mix__data *data, size_t k, int threads, int run,
                uint64_t seed, mix__em_start_out *out, mix__err *err);
    void *ctx;
} mix__em_start;

/* A model to continue from (warm start), in its own units. */
typedef struct mix__em_warm {
    const mix__params *params;
    const double *shift;
    double inv_scale;
    double lower_bound; /* data units; NaN if unknown */
} mix__em_warm;

typedef struct mix__em_opts {
    mix_method method;    /* EM, or Adam on theta (engine/theta.h) */
    mix__adam_opts adam;  /* Adam's step */
    size_t batch_size;    /* Adam: rows per step, 0 for all */
    mix__em_start start;
    int n_init, max_iter;
    double tol;
    double reg; /* reg_covar in data units */
    uint64_t seed;
    int threads;
    mix_iter_callback callback;
    void *callback_data;
    /* Given parameters in data units, each used when its flag is set
     * (NULL when nothing is given). */
    const mix__params *given;
    int given_weights, given_means, given_cov;
    const mix__em_warm *warm; /* or NULL */
} mix__em_opts;

typedef struct mix__em_result {
    double lower_bound; /* the kept run's, data units */
    int converged, n_iter;
} mix__em_result;

/* Fit on scanned data; on success best is allocated (mix__params_alloc)
 * and holds the kept run's parameters in the engine units of `data`. */
int mix__em_fit(const mix__family *fam, size_t k, const mix__data *data,
                const mix__em_opts *opts, mix__params *best, mix__em_result *res,
                mix__err *err);

/* The negative log-likelihood -sum_i w_i log p(x_i) at theta (data units,
 * engine/theta.h) and, if grad is not NULL, its gradient, in one pass over
 * the scanned data. MIX_ENUMERIC (theta not usable, or a row without
 * density), MIX_ENOMEM; outputs untouched on failure. */
int mix__em_nll_grad(const mix__family *fam, size_t k, const mix__data *data, int threads,
                     const double *theta, double *nll, double *grad, mix__err *err);

/* --- stepwise EM (online.c) ------------------------------------------------ */

/* Doubles of the running statistics s of stepwise EM. */
size_t mix__em_online_len(const mix__family *fam, size_t k, size_t d);

/*
 * One step of stepwise EM on a chunk of rows (opened in the units of p):
 * the chunk's statistics at p, blended into s with weight rho, and p
 * replaced by the M-step of s. fresh: s and ref (k x d) are made first,
 * from p (ref = its means, s = the statistics data distributed as p would
 * give). *ll gets the chunk's mean log-likelihood at the old p (engine
 * units). reg: reg_covar in data units. MIX_OK; MIX_EINVAL (the chunk has
 * no weight), MIX_ENUMERIC, MIX_ENOMEM; p and s are unchanged on failure
 * only where noted: s may be blended before an M-step fails.
 */
int mix__em_online_step(const mix__family *fam, const mix__data *chunk, mix__params *p,
                        double *s, double *ref, int fresh, double rho, double reg, int threads,
                        double *ll, mix__err *err);

/* --- the E-step of a block (estep.c) ---------------------------------------- */

/* Per-thread scratch of the E-step of up to MIX__BLOCK_ROWS rows, laid out
 * in one place for EM and the queries. */
typedef struct mix__estep_scratch {
    double *logp; /* rows x k: log-densities plus log weights, less each row's top */
    double *resp; /* rows x k: responsibilities (EM only; NULL for the queries) */
    double *top;  /* rows: each row's largest log-density plus log weight */
    double *sum;  /* rows: sum of the row's exponentials */
    double *w;    /* rows: the rows' sample weights */
    double *fam;  /* the family's own scratch */
} mix__estep_scratch;

size_t mix__estep_scratch_len(const mix__family *fam, size_t k, size_t d, int with_resp);
mix__estep_scratch mix__estep_scratch_at(double *scratch, size_t k, int with_resp);

/* Rows of a block: logp, top and sum of S for the parameters p, and the
 * exponentials exp(logp_ij - top_i) into ex (rows x k; may be S->logp),
 * so that row i's log-likelihood is log(sum_i) + top_i and its
 * responsibilities ex_ij / sum_i; best (if not NULL) gets each row's most
 * probable component. */
void mix__estep_rows(const mix__params *p, const double *U, size_t rows,
                     const mix__estep_scratch *S, double *ex, int32_t *best);

#endif /* MIX__ENGINE_EM_H */
