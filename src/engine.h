/*
 * The fitting engine shared by every model: n_init restarts, the iteration
 * loop, convergence, the user's callback, and keeping the best run. A model
 * plugs in through a small table of functions; what an iteration does (a
 * Lloyd step, an EM step for some covariance family) is the model's part.
 */
#ifndef MIX_ENGINE_H
#define MIX_ENGINE_H

#include "common.h"

typedef struct mix__engine_ops {
    /* Set the starting parameters of restart `run`. */
    int (*init_run)(void *model, int run);
    /* One iteration (1-based): fill *objective and *change for the callback
     * (in the units of the caller's data) and set *converged to stop. */
    int (*iterate)(void *model, int iteration, double *objective, double *change,
                   int *converged);
    /* After the last iteration of a run: final passes, and the run's score
     * (higher is better) into *score. */
    int (*finish_run)(void *model, double *score);
    /* Keep the current run as the best so far (its state may be moved). */
    void (*keep)(void *model);
} mix__engine_ops;

typedef struct mix__engine_opts {
    int n_init;   /* >= 1 */
    int max_iter; /* >= 0; 0 evaluates the starting parameters */
    mix_iter_callback callback;
    void *callback_data;
} mix__engine_opts;

typedef struct mix__engine_result {
    double score;      /* best run's score */
    int n_iter;        /* iterations of the best run */
    int converged_any; /* some run converged (scikit-learn's converged_) */
    int best_run;
} mix__engine_result;

/* Run the restarts. Returns MIX_OK, the first error of an op, or
 * MIX_ECANCELED when the callback asks to stop. */
int mix__engine_fit(const mix__engine_ops *ops, void *model, const mix__engine_opts *opts,
                    mix__engine_result *res, mix__err *err);

#endif /* MIX_ENGINE_H */
