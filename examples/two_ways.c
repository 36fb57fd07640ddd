/*
 * The two ways to fit a mixture: EM and gradient descent with Adam on the
 * negative log-likelihood, on the 1-D five-component mixture of the work
 * this library grew from (weights 1/4, 1/4, 1/6, 1/6, 1/6; means 1, -0.5,
 * -2, 0.5, 3; standard deviations 0.5, 1, 0.2, 0.1, 0.5).
 *
 * 1. Sample 3000 rows from it; fit k = 5 by EM and by Adam from the same
 *    K-means start; report the log-likelihood reached, the iterations or
 *    epochs, the time, and the true model's log-likelihood beside them.
 * 2. Choose k by held-out negative log-likelihood: fit k = 1..8 on two
 *    thirds of the rows by both methods, score the other third.
 * 3. K-means by Lloyd and by Adam on the same rows: inertia and time.
 *
 * usage: two_ways [--short]   (--short: part 1 only, as `make demo` shows it)
 */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */
#include <mixture.h>

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define N 3000
#define K_TRUE 5
#define K_MAX 8
#define ADAM_EPOCHS 3000

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

typedef struct result {
    double train_ll, test_ll, seconds; /* mean log-likelihoods */
    int n_iter, ok;
} result;

/* Fit k components by `method` from the default K-means start (seed 0) on
 * the first n_train rows; score the rest if any. */
static result fit(const double *X, size_t n_train, size_t n_test, size_t k, mix_method method)
{
    result r = {NAN, NAN, 0, 0, 0};
    gmm_t *g = mix_gmm_create(k, MIX_COV_FULL);
    if (g == NULL)
        return r;
    mix_gmm_set_method(g, method);
    if (method == MIX_METHOD_ADAM) {
        mix_gmm_set_max_iter(g, ADAM_EPOCHS);
        mix_gmm_set_tol(g, 1e-7);
    } else {
        mix_gmm_set_max_iter(g, 1000);
        mix_gmm_set_tol(g, 1e-7);
    }
    double t0 = now();
    int rc = mix_gmm_fit(g, X, n_train, 1, NULL);
    r.seconds = now() - t0;
    if (rc == MIX_OK && n_test > 0)
        rc = mix_gmm_score(g, X + n_train, n_test, 1, &r.test_ll);
    if (rc != MIX_OK) {
        fprintf(stderr, "k = %zu: %s\n", k, mix_gmm_errmsg(g));
    } else {
        r.train_ll = mix_gmm_lower_bound(g);
        r.n_iter = mix_gmm_n_iter(g);
        r.ok = 1;
    }
    mix_gmm_free(g);
    return r;
}

static double truth_sample(double *X, size_t n, double *true_ll)
{
    const double w[K_TRUE] = {0.25, 0.25, 1.0 / 6, 1.0 / 6, 1.0 / 6};
    const double mu[K_TRUE] = {1, -0.5, -2, 0.5, 3};
    const double var[K_TRUE] = {0.25, 1, 0.04, 0.01, 0.25};
    gmm_t *g = mix_gmm_create(K_TRUE, MIX_COV_FULL);
    int rc = g ? mix_gmm_set_params(g, 1, w, mu, var) : MIX_ENOMEM;
    if (rc == MIX_OK)
        rc = mix_gmm_sample(g, n, 2026, X, NULL);
    /* The rows come out grouped by component: shuffle them (Fisher-Yates,
     * a fixed LCG) so that any third holds every component. */
    uint64_t s = 7;
    for (size_t i = n; rc == MIX_OK && i > 1; i--) {
        s = s * 6364136223846793005u + 1442695040888963407u;
        size_t j = (size_t)((s >> 33) % i);
        double t = X[i - 1];
        X[i - 1] = X[j];
        X[j] = t;
    }
    if (rc == MIX_OK)
        rc = mix_gmm_score(g, X, n, 1, true_ll);
    mix_gmm_free(g);
    return rc == MIX_OK ? 0 : -1;
}

int main(int argc, char **argv)
{
    const int brief = argc > 1 && strcmp(argv[1], "--short") == 0;
    static double X[N];
    double true_ll;
    if (truth_sample(X, N, &true_ll) != 0)
        return 1;
    printf("Two ways to fit the 1-D five-component mixture (%d rows, k = 5, full):\n", N);
    result em = fit(X, N, 0, K_TRUE, MIX_METHOD_EM), ad = fit(X, N, 0, K_TRUE, MIX_METHOD_ADAM);
    if (!em.ok || !ad.ok)
        return 1;
    printf("  %-22s %14s %12s %10s\n", "", "mean log-lik", "iterations", "time (ms)");
    printf("  %-22s %14.6f %12s %10s\n", "true model", true_ll, "-", "-");
    printf("  %-22s %14.6f %12d %10.1f\n", "EM", em.train_ll, em.n_iter, 1e3 * em.seconds);
    printf("  %-22s %14.6f %12d %10.1f\n", "Adam (lr 0.01, full)", ad.train_ll, ad.n_iter,
           1e3 * ad.seconds);
    if (brief)
        return 0;

    const size_t n_train = 2 * N / 3, n_test = N - n_train;
    printf("\nChoosing k by held-out negative log-likelihood (%zu train, %zu test rows):\n",
           n_train, n_test);
    printf("  %3s %14s %14s\n", "k", "EM", "Adam");
    double best[2] = {INFINITY, INFINITY};
    size_t best_k[2] = {0, 0};
    for (size_t k = 1; k <= K_MAX; k++) {
        result r[2] = {fit(X, n_train, n_test, k, MIX_METHOD_EM),
                       fit(X, n_train, n_test, k, MIX_METHOD_ADAM)};
        printf("  %3zu", k);
        for (int m = 0; m < 2; m++) {
            printf(" %14.6f", -r[m].test_ll);
            if (r[m].ok && -r[m].test_ll < best[m]) {
                best[m] = -r[m].test_ll;
                best_k[m] = k;
            }
        }
        printf("\n");
    }
    printf("  chosen k: EM %zu, Adam %zu (the truth has 5)\n", best_k[0], best_k[1]);

    printf("\nK-means, k = 5, on the same rows:\n");
    for (int m = 0; m < 2; m++) {
        kmeans_t *km = mix_kmeans_create(K_TRUE);
        if (km == NULL)
            return 1;
        mix_kmeans_set_method(km, m ? MIX_METHOD_ADAM : MIX_METHOD_EM);
        mix_kmeans_set_n_init(km, 1);
        if (m)
            mix_kmeans_set_max_iter(km, ADAM_EPOCHS);
        double t0 = now();
        if (mix_kmeans_fit(km, X, N, 1, NULL) != MIX_OK) {
            fprintf(stderr, "%s\n", mix_kmeans_errmsg(km));
            return 1;
        }
        printf("  %-8s inertia %12.6f  iterations %5d  time %7.1f ms\n", m ? "Adam" : "Lloyd",
               mix_kmeans_inertia(km), mix_kmeans_n_iter(km), 1e3 * (now() - t0));
        mix_kmeans_free(km);
    }
    return 0;
}
