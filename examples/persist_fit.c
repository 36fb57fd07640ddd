/*
 * Fit once, keep the model: a Gaussian mixture fitted to iris and saved to
 * a file, which examples/persist_predict.c (another process, another day)
 * loads to label new flowers without fitting again.
 *
 *   persist_fit [DATA.csv [MODEL]]
 *
 * Defaults: data/iris.csv, and iris.mixture beside this program (where
 * persist_predict looks for it). `make check` runs both, in this order.
 *
 * build: cc persist_fit.c $(pkg-config --cflags --libs mixture)
 */
#include "csv.h"

#include <mixture.h>
#include <stdio.h>
#include <string.h>

/* iris.mixture in the directory of the program (argv[0]). */
static void default_model_path(const char *argv0, char *path, size_t len)
{
    const char *slash = strrchr(argv0, '/');
    int dir = slash ? (int)(slash - argv0) : 1;
    snprintf(path, len, "%.*s/iris.mixture", dir, slash ? argv0 : ".");
}

int main(int argc, char **argv)
{
    const char *data = argc > 1 ? argv[1] : "data/iris.csv";
    char model[4096];
    if (argc > 2)
        snprintf(model, sizeof model, "%s", argv[2]);
    else
        default_model_path(argv[0], model, sizeof model);
    csv_table t;
    if (csv_read(data, &t) != 0)
        return 1;
    gmm_t *g = mix_gmm_create(3, MIX_COV_FULL);
    if (g == NULL)
        return 1;
    mix_gmm_set_n_init(g, 5);
    mix_gmm_set_seed(g, 2026);
    int rc = mix_gmm_fit(g, t.X, t.n, t.d, NULL);
    if (rc == MIX_OK)
        rc = mix_gmm_save(g, model); /* the options go along: a refit can continue */
    if (rc != MIX_OK) {
        fprintf(stderr, "%s: %s\n", mix_strerror(rc), mix_gmm_errmsg(g));
        mix_gmm_free(g);
        csv_free(&t);
        return 1;
    }
    size_t bytes = 0;
    double mean_logp = 0;
    mix_gmm_save_buffer(g, NULL, 0, &bytes); /* the size alone */
    mix_gmm_score(g, t.X, t.n, t.d, &mean_logp);
    printf("fitted %zu components (full covariances) to %zu rows of %s in %d iterations\n",
           mix_gmm_n_components(g), t.n, data, mix_gmm_n_iter(g));
    printf("saved to %s (%zu bytes)\n", model, bytes);
    printf("mean log-likelihood of the training rows: %.17g\n", mean_logp);
    mix_gmm_free(g);
    csv_free(&t);
    return 0;
}
