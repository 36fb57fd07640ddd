/*
 * The smallest complete use of libmixture: cluster points, print the
 * centers, label new points.
 *
 * build: cc kmeans_basic.c $(pkg-config --cflags --libs mixture)
 */
#include <mixture.h>

#include <stdio.h>

int main(void)
{
    /* Six points in two groups. */
    const double X[] = {1.0, 2.0, 1.2, 1.8, 0.8, 2.1, 8.0, 8.0, 8.3, 7.7, 7.9, 8.2};
    const size_t n = 6, d = 2, k = 2;

    kmeans_t *km = mix_kmeans_create(k);
    if (km == NULL)
        return 1;
    mix_kmeans_set_seed(km, 42);
    int rc = mix_kmeans_fit(km, X, n, d, NULL);
    if (rc != MIX_OK) {
        fprintf(stderr, "fit failed: %s (%s)\n", mix_strerror(rc), mix_kmeans_errmsg(km));
        mix_kmeans_free(km);
        return 1;
    }
    const double *c = mix_kmeans_centers(km); /* borrowed: k x d */
    for (size_t j = 0; j < k; j++)
        printf("center %zu: (%.3f, %.3f)\n", j, c[j * d], c[j * d + 1]);
    printf("inertia %.4f after %d iterations\n", mix_kmeans_inertia(km), mix_kmeans_n_iter(km));

    const double Y[] = {0.0, 0.0, 9.0, 9.0};
    int32_t labels[2];
    if (mix_kmeans_predict(km, Y, 2, d, labels) == MIX_OK)
        printf("(0, 0) -> cluster %d, (9, 9) -> cluster %d\n", labels[0], labels[1]);
    mix_kmeans_free(km);
    return labels[0] != labels[1] ? 0 : 1;
}
