/*
 * The digits workflow: scikit-learn's handwritten digits (1,797 images of
 * 8 x 8 pixels, grey levels 0 to 16) clustered four ways, each scored
 * against the true digits:
 *   - K-means, 10 clusters, k-means++, 4 restarts, on the grey levels;
 *   - Gaussian mixtures, 10 components, tied and full covariances;
 *   - a Bernoulli mixture, 10 components, on the pixels binarised at half
 *     intensity (> 8 -> 1), as in Bishop 9.3.3.
 * For each: the Rand index, adjusted Rand index and adjusted mutual
 * information; the table of cluster by true digit; and the Bernoulli
 * components' means drawn as 8 x 8 character images (the prototypes).
 *
 * usage: digits [--short] [data/digits.csv]   (--short: the scores only)
 */
#include <mixture.h>

#include "csv.h"

#include <string.h>

#define K 10

typedef struct scores {
    double rand, ari, ami;
} scores;

static int score(const int32_t *labels, const int32_t *truth, size_t n, scores *s)
{
    int rc = mix_rand_index(truth, labels, n, &s->rand);
    if (rc == MIX_OK)
        rc = mix_adjusted_rand_index(truth, labels, n, &s->ari);
    if (rc == MIX_OK)
        rc = mix_adjusted_mutual_info(truth, labels, n, &s->ami);
    return rc;
}

/* Rows: clusters; columns: true digits; cells: counts. */
static void confusion(const char *name, const int32_t *labels, const int32_t *truth, size_t n)
{
    size_t table[K][K] = {{0}};
    for (size_t i = 0; i < n; i++)
        table[labels[i]][truth[i]]++;
    printf("\n%s: rows are clusters, columns the true digits\n      ", name);
    for (int c = 0; c < K; c++)
        printf("%5d", c);
    printf("\n");
    for (int r = 0; r < K; r++) {
        printf("  %2d: ", r);
        for (int c = 0; c < K; c++)
            printf("%5zu", table[r][c]);
        printf("\n");
    }
}

/* The components' probabilities as 8 x 8 images, five per line. */
static void prototypes(const double *probs)
{
    static const char shades[] = " .:-=+*#%@";
    printf("\nBernoulli components' means (probability of ink, dark = high):\n");
    for (int j0 = 0; j0 < K; j0 += 5) {
        for (int r = 0; r < 8; r++) {
            for (int j = j0; j < j0 + 5; j++) {
                printf("  ");
                for (int c = 0; c < 8; c++) {
                    int level = (int)(probs[j * 64 + r * 8 + c] * 9.999);
                    putchar(shades[level]);
                    putchar(shades[level]);
                }
            }
            printf("\n");
        }
        printf("\n");
    }
}

int main(int argc, char **argv)
{
    int brief = argc > 1 && strcmp(argv[1], "--short") == 0;
    const char *path = argc > 1 + brief ? argv[1 + brief] : "data/digits.csv";
    csv_table t;
    if (csv_read_classes(path, &t, 1) != 0)
        return 1;
    const size_t n = t.n, d = t.d;
    int32_t *labels[4];
    const char *names[4] = {"K-means", "GMM tied", "GMM full", "Bernoulli mixture"};
    double *bits = malloc(n * d * sizeof *bits);
    for (int m = 0; m < 4; m++)
        labels[m] = malloc(n * sizeof *labels[m]);
    if (bits == NULL || !labels[0] || !labels[1] || !labels[2] || !labels[3])
        return 1;
    for (size_t i = 0; i < n * d; i++)
        bits[i] = t.X[i] > 8 ? 1.0 : 0.0;

    kmeans_t *km = mix_kmeans_create(K);
    gmm_t *tied = mix_gmm_create(K, MIX_COV_TIED), *full = mix_gmm_create(K, MIX_COV_FULL);
    bmm_t *bm = mix_bmm_create(K);
    if (!km || !tied || !full || !bm)
        return 1;
    mix_kmeans_set_n_init(km, 4);
    mix_gmm_set_reg_covar(full, 1e-2); /* 64 grey levels, ~180 images a component */
    mix_bmm_set_n_init(bm, 4);
    int rc = mix_kmeans_fit(km, t.X, n, d, NULL);
    if (rc == MIX_OK)
        rc = mix_gmm_fit(tied, t.X, n, d, NULL);
    if (rc == MIX_OK)
        rc = mix_gmm_fit(full, t.X, n, d, NULL);
    if (rc == MIX_OK)
        rc = mix_bmm_fit(bm, bits, n, d, NULL);
    if (rc == MIX_OK) {
        memcpy(labels[0], mix_kmeans_labels(km), n * sizeof *labels[0]);
        rc = mix_gmm_predict(tied, t.X, n, d, labels[1]);
    }
    if (rc == MIX_OK)
        rc = mix_gmm_predict(full, t.X, n, d, labels[2]);
    if (rc == MIX_OK)
        rc = mix_bmm_predict(bm, bits, n, d, labels[3]);
    if (rc != MIX_OK) {
        fprintf(stderr, "%s: %s / %s / %s / %s\n", mix_strerror(rc), mix_kmeans_errmsg(km),
                mix_gmm_errmsg(tied), mix_gmm_errmsg(full), mix_bmm_errmsg(bm));
        return 1;
    }
    printf("Clustering the %zu digits of %s into %d groups, against the true digits:\n\n", n, path,
           K);
    printf("  %-20s %10s %10s %10s\n", "model", "Rand", "ARI", "AMI");
    for (int m = 0; m < 4; m++) {
        scores s;
        if (score(labels[m], t.y, n, &s) != MIX_OK)
            return 1;
        printf("  %-20s %10.4f %10.4f %10.4f\n", names[m], s.rand, s.ari, s.ami);
    }
    if (!brief) {
        for (int m = 0; m < 4; m++)
            confusion(names[m], labels[m], t.y, n);
        prototypes(mix_bmm_probs(bm));
    }
    mix_kmeans_free(km);
    mix_gmm_free(tied);
    mix_gmm_free(full);
    mix_bmm_free(bm);
    for (int m = 0; m < 4; m++)
        free(labels[m]);
    free(bits);
    csv_free(&t);
    return 0;
}
