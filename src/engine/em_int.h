/*
 * Inside the mixtures' fitting (private to engine/): the workspace of one
 * fit, shared by EM's iterations (em.c) and gradient fitting (adam.c), and
 * the passes both make.
 */
#ifndef MIX__ENGINE_EM_INT_H
#define MIX__ENGINE_EM_INT_H

#include "core/pass.h"
#include "core/rng.h"
#include "engine/em.h"
#include "engine/optim.h"
#include "engine/restarts.h"

/* Layout of a pass's statistics, in one place: R (k) | S1 (k x d) |
 * loglik | weight sum | rows without a finite density | moments | the
 * family's fixed statistics (only in workspaces that accumulate them in
 * the E-step: gradients of mini-batches and mix__em_nll_grad). */
typedef struct mix__em_stats {
    size_t s1, ll, ws, lost, m, fixed, len;
} mix__em_stats;

typedef struct mix__em {
    const mix__family *fam;
    const mix__data *data;
    const mix__em_opts *o;
    size_t k, d;
    double reg;       /* reg_covar in engine units */
    double ll_offset; /* engine -> data units for log-densities */
    mix__pass pass;
    mix__params cur, best, given;
    double *shift;   /* k x d: points the second moments are about */
    int keep_shift;  /* E-steps keep them (stepwise EM); else they are the means */
    double *total;   /* reduced statistics */
    double *nk;      /* k */
    double *fixed;   /* family statistics of the whole data, or NULL */
    mix__em_start_out start; /* the run's start (its centers are em->shift) */
    mix__rng rng;
    uint64_t run_seed;
    int run;      /* index of the current run */
    int iterated; /* iterations in the current run */
    double lb, prev_lb;
    mix__em_stats st;
    mix__err *err;

    /* Gradient fitting (adam.c); allocated for MIX_METHOD_ADAM only. */
    double *theta; /* the optimised parameters, data units */
    double *grad;  /* its gradient */
    double *work;  /* mix__theta_grad's scratch */
    mix__adam adam;
    size_t *perm;      /* n: the rows in this epoch's order (mini-batches) */
    double *Xb, *wb;   /* a mini-batch's rows (batch x d) and weights */
    mix__data bdata;   /* the mini-batch as data */
    mix__pass bpass;   /* passes over a mini-batch */
    mix__rng shuffle;  /* the run's shuffles */
} mix__em;

/* What a workspace computes besides EM's statistics. */
enum {
    MIX__EM_FIXED_IN_PASS = 1, /* E-steps may accumulate the fixed statistics of their rows */
    MIX__EM_NO_WHOLE_FIXED = 2 /* no pass for the whole data's fixed statistics (no start) */
};

/* Set the workspace up for opts on data (with the whole data's fixed
 * statistics unless MIX__EM_NO_WHOLE_FIXED); MIX_OK, or MIX_ENOMEM with the
 * message set. */
int mix__em_setup(mix__em *em, const mix__family *fam, size_t k, const mix__data *data,
                  const mix__em_opts *opts, unsigned flags, mix__err *err);
void mix__em_free(mix__em *em);

/* em->cur := the start of the next run (warm, given, or from the start
 * method), its precisions computed. */
int mix__em_start_run(mix__em *em);

/* The E-step pass at em->cur over data (em->data with em->pass, or a
 * mini-batch with em->bpass): the statistics into em->total, their mean
 * log-likelihood (engine units) into em->lb. with_fixed also accumulates
 * the family's fixed statistics (the layout must hold them).
 * MIX_ENUMERIC if some row has no finite density under any component. */
int mix__em_e_step(mix__em *em, mix__pass *pass, const mix__data *data, int with_fixed);

/* A view of the reduced statistics of the last E-step at em->cur; fixed is
 * the fit's precomputed one, or the pass's when it accumulated them. */
mix__suffstats mix__em_suffstats(const mix__em *em, int with_fixed);

/* Weights, means and covariances of em->cur from em->total (precisions
 * not yet); with_fixed: the family's fixed statistics are in em->total. */
void mix__em_estimate(mix__em *em, int with_fixed);

/* Precisions of em->cur from its covariances (given: the caller's, see
 * em.c); MIX_ENUMERIC naming the component. */
int mix__em_finish_params(mix__em *em, int given);

/* The restart loop's operations of gradient fitting (adam.c). */
extern const mix__restart_ops mix__adam_ops;
int mix__adam_alloc(mix__em *em);
void mix__adam_free(mix__em *em);

#endif /* MIX__ENGINE_EM_INT_H */
