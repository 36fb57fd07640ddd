/*
 * Options, sample weights, progress reporting and early stopping.
 *
 * Fits weighted K-means on synthetic data with a callback that prints each
 * iteration and stops a run that takes too long; shows that a canceled fit
 * keeps the previous model, and how errors are reported.
 */
#include <mixture.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* Reproducible pseudo-random data: four groups on a square, weights 1..3. */
static void make_data(double *X, double *w, size_t n)
{
    uint64_t s = 12345;
    for (size_t i = 0; i < n; i++) {
        double angle = 1.5707963267948966 * (double)(i % 4);
        for (int j = 0; j < 2; j++) {
            s = s * 6364136223846793005u + 1442695040888963407u;
            double noise = (double)(s >> 11) * 0x1.0p-53 - 0.5;
            X[2 * i + j] = 5 * (j ? sin(angle) : cos(angle)) + noise;
        }
        w[i] = 1.0 + (double)(i % 3);
    }
}

static int progress(void *user, int run, int iteration, double inertia, double shift)
{
    int limit = *(int *)user;
    printf("  run %d  iteration %2d  inertia %10.4f  center shift^2 %.3g\n", run, iteration,
           inertia, shift);
    return iteration >= limit; /* non-zero cancels the fit */
}

int main(void)
{
    enum { N = 400 };
    static double X[N * 2], w[N];
    make_data(X, w, N);

    kmeans_t *km = mix_kmeans_create(4);
    if (km == NULL)
        return 1;
    int limit = 100;
    mix_kmeans_set_n_init(km, 3);
    mix_kmeans_set_threads(km, 2); /* results do not depend on it */
    mix_kmeans_set_callback(km, progress, &limit);
    printf("weighted fit, 3 restarts:\n");
    if (mix_kmeans_fit(km, X, N, 2, w) != MIX_OK)
        return 1;
    double inertia = mix_kmeans_inertia(km);
    printf("kept inertia %.4f\n\n", inertia);

    limit = 1; /* stop at the first iteration */
    printf("a fit canceled by the callback:\n");
    int rc = mix_kmeans_fit(km, X, N / 2, 2, NULL);
    printf("-> %s: %s\n", mix_strerror(rc), mix_kmeans_errmsg(km));
    printf("the previous model is intact: inertia %.4f\n\n", mix_kmeans_inertia(km));

    X[7] = NAN;
    rc = mix_kmeans_fit(km, X, N, 2, NULL);
    printf("bad data -> %s: %s\n", mix_strerror(rc), mix_kmeans_errmsg(km));
    mix_kmeans_free(km);
    return rc == MIX_EDATA ? 0 : 1;
}
