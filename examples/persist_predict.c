/*
 * Use a kept model: load the Gaussian mixture examples/persist_fit.c saved
 * and label flowers with it, without the training data or a fit. The
 * handle is created with any shape: the load brings the number of
 * components, the covariance type, the options and the parameters, and the
 * loaded model answers exactly as the fitted one did (compare the mean
 * log-likelihood both programs print).
 *
 *   persist_predict [MODEL [DATA.csv]]
 *
 * Defaults: iris.mixture beside this program, data/iris.csv.
 *
 * build: cc persist_predict.c $(pkg-config --cflags --libs mixture)
 */
#include "csv.h"

#include <mixture.h>
#include <stdio.h>
#include <string.h>

static void default_model_path(const char *argv0, char *path, size_t len)
{
    const char *slash = strrchr(argv0, '/');
    int dir = slash ? (int)(slash - argv0) : 1;
    snprintf(path, len, "%.*s/iris.mixture", dir, slash ? argv0 : ".");
}

static const char *const cov_names[] = {"full", "tied", "diagonal", "spherical"};

int main(int argc, char **argv)
{
    char model[4096];
    if (argc > 1)
        snprintf(model, sizeof model, "%s", argv[1]);
    else
        default_model_path(argv[0], model, sizeof model);
    const char *data = argc > 2 ? argv[2] : "data/iris.csv";
    FILE *probe = fopen(model, "rb");
    if (probe == NULL) {
        printf("no model at %s: run persist_fit first\n", model);
        return 0;
    }
    fclose(probe);
    gmm_t *g = mix_gmm_create(1, MIX_COV_SPHERICAL); /* any shape: the load replaces it */
    if (g == NULL)
        return 1;
    int rc = mix_gmm_load(g, model);
    if (rc != MIX_OK) {
        fprintf(stderr, "%s: %s\n", mix_strerror(rc), mix_gmm_errmsg(g));
        mix_gmm_free(g);
        return 1;
    }
    printf("loaded %s: %zu components, %s covariances, %zu features\n", model,
           mix_gmm_n_components(g), cov_names[mix_gmm_covariance_type(g)],
           mix_gmm_n_features(g));
    csv_table t;
    if (csv_read(data, &t) != 0) {
        mix_gmm_free(g);
        return 1;
    }
    int32_t *labels = malloc(t.n * sizeof *labels);
    double mean_logp = 0, ari = 0;
    rc = labels ? mix_gmm_predict(g, t.X, t.n, t.d, labels) : MIX_ENOMEM;
    if (rc == MIX_OK)
        rc = mix_gmm_score(g, t.X, t.n, t.d, &mean_logp);
    if (rc == MIX_OK && t.y != NULL)
        rc = mix_adjusted_rand_index(labels, t.y, t.n, &ari);
    if (rc != MIX_OK) {
        fprintf(stderr, "%s: %s\n", mix_strerror(rc), mix_gmm_errmsg(g));
    } else {
        printf("mean log-likelihood of the rows:          %.17g\n", mean_logp);
        printf("labels of the first rows of each species: %d %d %d\n", labels[0],
               labels[t.n / 2], labels[t.n - 1]);
        printf("adjusted Rand index against the species:  %.3f\n", ari);
    }
    free(labels);
    csv_free(&t);
    mix_gmm_free(g);
    return rc == MIX_OK ? 0 : 1;
}
