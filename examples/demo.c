/*
 * make demo: K-means and Gaussian mixtures on Fisher's iris data.
 *
 * Fits k = 1..8 clusters, prints the inertia curve and picks the elbow: the
 * point of the log-inertia curve farthest below the chord from k = 1 to
 * k = 8, on normalised axes. The log scale weighs relative reductions, so the
 * huge first drop (any split beats one cluster) does not hide the next one.
 * Then it shows the chosen model's centers and how its
 * clusters match the three species (adjusted Rand index), and compares
 * K-means with Gaussian mixtures of each covariance type for the same k.
 *
 * usage: demo [data/iris.csv]
 */
#include <mixture.h>

#include "csv.h"

#include <math.h>

#define K_MAX 8

static int fit(const csv_table *t, size_t k, kmeans_t **out)
{
    kmeans_t *km = mix_kmeans_create(k);
    if (km == NULL)
        return MIX_ENOMEM;
    mix_kmeans_set_seed(km, 0);
    int rc = mix_kmeans_fit(km, t->X, t->n, t->d, NULL);
    if (rc != MIX_OK) {
        fprintf(stderr, "k = %zu: %s: %s\n", k, mix_strerror(rc), mix_kmeans_errmsg(km));
        mix_kmeans_free(km);
        return rc;
    }
    *out = km;
    return MIX_OK;
}

/* The elbow: largest gap between the chord and the normalised log curve. */
static size_t elbow(const double *inertia, size_t k_max)
{
    size_t best = 1;
    double gap_best = -1, span = log(inertia[1]) - log(inertia[k_max]);
    for (size_t k = 1; k <= k_max; k++) {
        double x = (double)(k - 1) / (double)(k_max - 1);
        double y = (log(inertia[k]) - log(inertia[k_max])) / span;
        double gap = (1 - x) - y; /* chord from (0, 1) to (1, 0) */
        if (gap > gap_best) {
            gap_best = gap;
            best = k;
        }
    }
    return best;
}

/* K-means against Gaussian mixtures of each covariance type, same k. */
static int compare_gmm(const csv_table *t, size_t k, const int32_t *kmeans_labels)
{
    static const char *const names[] = {"full", "tied", "diag", "spherical"};
    int32_t *labels = malloc(t->n * sizeof *labels);
    double ari;
    if (labels == NULL || mix_adjusted_rand_index(kmeans_labels, t->y, t->n, &ari) != MIX_OK)
        return 1;
    printf("\nK-means against Gaussian mixtures, k = %zu, 10 restarts each:\n\n", k);
    printf("  model                 ARI   mean log-lik         BIC\n");
    printf("  K-means            %.4f              -           -\n", ari);
    for (int c = 0; c < 4; c++) {
        gmm_t *g = mix_gmm_create(k, (mix_covariance)c);
        double bic;
        int rc = g ? MIX_OK : MIX_ENOMEM;
        if (rc == MIX_OK) {
            mix_gmm_set_n_init(g, 10);
            rc = mix_gmm_fit(g, t->X, t->n, t->d, NULL);
        }
        if (rc == MIX_OK)
            rc = mix_gmm_predict(g, t->X, t->n, t->d, labels);
        if (rc == MIX_OK)
            rc = mix_gmm_bic(g, t->X, t->n, t->d, &bic);
        if (rc == MIX_OK)
            rc = mix_adjusted_rand_index(labels, t->y, t->n, &ari);
        if (rc != MIX_OK) {
            fprintf(stderr, "GMM %s: %s\n", names[c], g ? mix_gmm_errmsg(g) : "out of memory");
            mix_gmm_free(g);
            free(labels);
            return 1;
        }
        printf("  GMM %-12s   %.4f   %12.4f   %9.2f\n", names[c], ari, mix_gmm_lower_bound(g),
               bic);
        mix_gmm_free(g);
    }
    free(labels);
    return 0;
}

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : "data/iris.csv";
    csv_table t;
    if (csv_read(path, &t) != 0)
        return 1;
    printf("libmixture %s: K-means on %s (%zu rows, %zu features, %zu classes)\n\n",
           mix_version_string(), path, t.n, t.d, t.n_classes);

    kmeans_t *models[K_MAX + 1] = {0};
    double inertia[K_MAX + 1];
    printf("   k      inertia   drop from k-1   iterations\n");
    for (size_t k = 1; k <= K_MAX; k++) {
        if (fit(&t, k, &models[k]) != MIX_OK)
            return 1;
        inertia[k] = mix_kmeans_inertia(models[k]);
        if (k == 1)
            printf("  %2zu  %11.4f               -   %10d\n", k, inertia[k],
                   mix_kmeans_n_iter(models[k]));
        else
            printf("  %2zu  %11.4f   %12.1f%%   %10d\n", k, inertia[k],
                   100 * (inertia[k - 1] - inertia[k]) / inertia[k - 1],
                   mix_kmeans_n_iter(models[k]));
    }

    size_t k = elbow(inertia, K_MAX);
    const kmeans_t *km = models[k];
    printf("\nElbow of the curve: k = %zu. Its centers (cm):\n\n  cluster  size", k);
    for (size_t j = 0; j < t.d; j++)
        printf(" %13.13s", t.names[j]);
    printf("\n");
    const int32_t *labels = mix_kmeans_labels(km);
    for (size_t c = 0; c < k; c++) {
        size_t size = 0;
        for (size_t i = 0; i < t.n; i++)
            size += labels[i] == (int32_t)c;
        printf("  %7zu  %4zu", c, size);
        for (size_t j = 0; j < t.d; j++)
            printf(" %13.3f", mix_kmeans_centers(km)[c * t.d + j]);
        printf("\n");
    }

    if (t.y != NULL) {
        printf("\nClusters against species:\n\n  cluster");
        for (size_t s = 0; s < t.n_classes; s++)
            printf(" %11.11s", t.classes[s]);
        printf("\n");
        for (size_t c = 0; c < k; c++) {
            printf("  %7zu", c);
            for (size_t s = 0; s < t.n_classes; s++) {
                size_t count = 0;
                for (size_t i = 0; i < t.n; i++)
                    count += labels[i] == (int32_t)c && t.y[i] == (int32_t)s;
                printf(" %11zu", count);
            }
            printf("\n");
        }
        double ari;
        if (mix_adjusted_rand_index(labels, t.y, t.n, &ari) != MIX_OK)
            return 1;
        printf("\nAdjusted Rand index against the species: %.4f\n", ari);
    }
    if (t.y != NULL && compare_gmm(&t, k, labels) != 0)
        return 1;
    for (size_t j = 1; j <= K_MAX; j++)
        mix_kmeans_free(models[j]);
    csv_free(&t);
    return 0;
}
