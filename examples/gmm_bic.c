/*
 * Choosing a Gaussian mixture by BIC: the four covariance types, k = 1..6,
 * on Fisher's iris data; prints the BIC table (lower is better), the chosen
 * model, and how its components match the species.
 *
 * usage: gmm_bic [data/iris.csv]
 */
#include <mixture.h>

#include "csv.h"

#include <math.h>

#define K_MAX 6

static const char *const type_names[] = {"full", "tied", "diag", "spherical"};

/* Fit with 5 restarts; the BIC on the training data, or NAN on failure. */
static double fit_bic(const csv_table *t, size_t k, mix_covariance type, gmm_t **out)
{
    gmm_t *g = mix_gmm_create(k, type);
    double bic = NAN;
    if (g == NULL)
        return NAN;
    mix_gmm_set_n_init(g, 5);
    mix_gmm_set_seed(g, 0);
    int rc = mix_gmm_fit(g, t->X, t->n, t->d, NULL);
    if (rc == MIX_OK)
        rc = mix_gmm_bic(g, t->X, t->n, t->d, &bic);
    if (rc != MIX_OK) {
        fprintf(stderr, "%s, k = %zu: %s\n", type_names[type], k, mix_gmm_errmsg(g));
        mix_gmm_free(g);
        return NAN;
    }
    *out = g;
    return bic;
}

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : "data/iris.csv";
    csv_table t;
    if (csv_read(path, &t) != 0)
        return 1;
    printf("Gaussian mixtures on %s (%zu rows, %zu features): BIC, lower is better\n\n", path,
           t.n, t.d);
    printf("   k");
    for (int c = 0; c < 4; c++)
        printf(" %12s", type_names[c]);
    printf("\n");

    gmm_t *best = NULL;
    double best_bic = INFINITY;
    size_t best_k = 0;
    int best_type = 0;
    for (size_t k = 1; k <= K_MAX; k++) {
        printf("  %2zu", k);
        for (int c = 0; c < 4; c++) {
            gmm_t *g = NULL;
            double bic = fit_bic(&t, k, (mix_covariance)c, &g);
            if (g == NULL) {
                csv_free(&t);
                return 1;
            }
            printf(" %12.2f", bic);
            if (bic < best_bic) {
                mix_gmm_free(best);
                best = g;
                best_bic = bic;
                best_k = k;
                best_type = c;
            } else {
                mix_gmm_free(g);
            }
        }
        printf("\n");
    }
    printf("\nLowest BIC: %s covariances, k = %zu (BIC %.2f, %zu parameters, mean "
           "log-likelihood %.4f)\n\n",
           type_names[best_type], best_k, best_bic, mix_gmm_n_parameters(best),
           mix_gmm_lower_bound(best));
    printf("  component  weight");
    for (size_t j = 0; j < t.d; j++)
        printf(" %13.13s", t.names[j]);
    printf("\n");
    for (size_t c = 0; c < best_k; c++) {
        printf("  %9zu  %6.3f", c, mix_gmm_weights(best)[c]);
        for (size_t j = 0; j < t.d; j++)
            printf(" %13.3f", mix_gmm_means(best)[c * t.d + j]);
        printf("\n");
    }
    int status = 0;
    if (t.y != NULL) {
        int32_t *labels = malloc(t.n * sizeof *labels);
        double ari;
        if (labels == NULL || mix_gmm_predict(best, t.X, t.n, t.d, labels) != MIX_OK ||
            mix_adjusted_rand_index(labels, t.y, t.n, &ari) != MIX_OK)
            status = 1;
        else
            printf("\nAdjusted Rand index against the species: %.4f\n", ari);
        free(labels);
    }
    mix_gmm_free(best);
    csv_free(&t);
    return status;
}
