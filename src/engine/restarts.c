/* Restarts, iterations, convergence and callbacks; see restarts.h. */
#include "engine/restarts.h"

int mix__restarts(const mix__restart_ops *ops, void *method, const mix__restart_opts *opts,
                  mix__restart_result *res, mix__err *err)
{
    res->converged_any = 0;
    res->best_run = -1;
    res->n_iter = 0;
    for (int run = 0; run < opts->n_init; run++) {
        int rc = ops->init_run(method);
        if (rc != MIX_OK)
            return rc;
        int n_iter = 0;
        for (int it = 1; it <= opts->max_iter; it++) {
            double objective = 0, change = 0;
            int converged = 0;
            rc = ops->iterate(method, &objective, &change, &converged);
            if (rc != MIX_OK)
                return rc;
            n_iter = it;
            if (opts->callback != NULL) {
                rc = opts->callback(opts->callback_data, run, it, objective, change) == 0
                         ? MIX_OK
                         : mix__fail(err, MIX_ECANCELED,
                                     "fit canceled by the iteration callback (run %d, iteration "
                                     "%d); the model is unchanged",
                                     run, it);
                rc = mix__dist_status(opts->dist, rc, err);
                if (rc != MIX_OK)
                    return rc;
            }
            if (converged) {
                res->converged_any = 1;
                break;
            }
        }
        double score;
        rc = ops->finish_run(method, &score);
        if (rc != MIX_OK)
            return rc;
        /* The first run is always kept, later ones only when strictly
         * better, as scikit-learn does. */
        if (res->best_run < 0 || score > res->score) {
            res->score = score;
            res->n_iter = n_iter;
            res->best_run = run;
            ops->keep(method);
        }
    }
    return MIX_OK;
}
