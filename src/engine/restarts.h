/*
 * The restart loop every fit runs: n_init restarts, the iterations of each,
 * convergence, the user's callback, and keeping the best run. A method
 * plugs in through a table of four functions; what one iteration does (a
 * Lloyd step, an EM step over a mixture family) is the method's part.
 */
#ifndef MIX__ENGINE_RESTARTS_H
#define MIX__ENGINE_RESTARTS_H

#include "core/common.h"
#include "core/dist.h"

typedef struct mix__restart_ops {
    /* Set the starting parameters of the next run. */
    int (*init_run)(void *method);
    /* One iteration: fill *objective and *change for the callback (in the
     * units of the caller's data) and set *converged to stop. */
    int (*iterate)(void *method, double *objective, double *change, int *converged);
    /* After the last iteration of a run: final passes, and the run's score
     * (higher is better) into *score. */
    int (*finish_run)(void *method, double *score);
    /* Keep the current run as the best so far (its state may be moved). */
    void (*keep)(void *method);
} mix__restart_ops;

typedef struct mix__restart_opts {
    int n_init;   /* >= 1 */
    int max_iter; /* >= 0; 0 evaluates the starting parameters */
    mix_iter_callback callback;
    void *callback_data;
    /* The ranks of a distributed fit, or NULL: a callback that stops the
     * fit on one rank stops it on all (its verdict crosses every iteration). */
    const mix__dist *dist;
} mix__restart_opts;

typedef struct mix__restart_result {
    double score;      /* best run's score */
    int n_iter;        /* iterations of the best run */
    int converged_any; /* some run converged (scikit-learn's converged_) */
    int best_run;
} mix__restart_result;

/* Run the restarts. Returns MIX_OK, the first error of an op, or
 * MIX_ECANCELED when the callback asks to stop. */
int mix__restarts(const mix__restart_ops *ops, void *method, const mix__restart_opts *opts,
                  mix__restart_result *res, mix__err *err);

#endif /* MIX__ENGINE_RESTARTS_H */
