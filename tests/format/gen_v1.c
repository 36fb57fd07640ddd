/*
 * Writes the saved models of format version 1 that `make check` loads
 * forever after (tests/unit/test_io.c): every model kind and covariance
 * type, fitted, made from given parameters, and unfitted, with the options
 * of params.h; and expected.h, the values the fitted ones hold.
 *
 *   cc -std=c11 -Iinclude tests/format/gen_v1.c lib/libmixture.a \
 *      $(pkg-config --libs openblas lapacke) -lm -lpthread -o gen_v1
 *   ./gen_v1 tests/format/v1            # the frozen files: never again
 *   ./gen_v1 tests/fuzz/corpus/load     # the fuzz target's seeds (any time)
 *
 * The files of a format version are frozen once written: a later library
 * must load these very bytes. A new format version gets its own directory
 * and generator.
 */
#include "v1/params.h"

#include <mixture.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *dir;
static FILE *expected;

static void check(int rc, const char *what)
{
    if (rc != MIX_OK) {
        fprintf(stderr, "gen_v1: %s: %s\n", what, mix_strerror(rc));
        exit(1);
    }
}

static const char *path_of(const char *name)
{
    static char path[4096];
    snprintf(path, sizeof path, "%s/%s.mixture", dir, name);
    return path;
}

static void put_array(const char *name, const char *what, const double *a, size_t n)
{
    if (expected == NULL)
        return;
    fprintf(expected, "static const double %s_%s[%zu] = {", name, what, n);
    for (size_t i = 0; i < n; i++)
        fprintf(expected, "%s%a", i ? ", " : "", a[i]);
    fprintf(expected, "};\n");
}

static void put_value(const char *name, const char *what, double v)
{
    if (expected != NULL)
        fprintf(expected, "static const double %s_%s = %a;\n", name, what, v);
}

/* --- K-means ------------------------------------------------------------------ */

static kmeans_t *kmeans_with_options(void)
{
    kmeans_t *km = mix_kmeans_create(V1_KM_K);
    check(km ? MIX_OK : MIX_ENOMEM, "kmeans_create");
    check(mix_kmeans_set_init(km, MIX_INIT_RANDOM_FROM_DATA), "init");
    check(mix_kmeans_set_n_init(km, V1_KM_N_INIT), "n_init");
    check(mix_kmeans_set_max_iter(km, V1_KM_MAX_ITER), "max_iter");
    check(mix_kmeans_set_tol(km, V1_KM_TOL), "tol");
    check(mix_kmeans_set_seed(km, V1_SEED), "seed");
    check(mix_kmeans_set_threads(km, V1_KM_THREADS), "threads");
    check(mix_kmeans_set_algorithm(km, MIX_KMEANS_LLOYD), "algorithm");
    check(mix_kmeans_set_method(km, MIX_METHOD_ADAM), "method");
    check(mix_kmeans_set_adam(km, V1_ADAM_LR, V1_ADAM_BETA1, V1_ADAM_BETA2, V1_ADAM_EPS), "adam");
    check(mix_kmeans_set_batch_size(km, V1_BATCH), "batch");
    return km;
}

static void kmeans_files(void)
{
    kmeans_t *km = kmeans_with_options();
    check(mix_kmeans_save(km, path_of("kmeans_unfitted")), "save");
    check(mix_kmeans_set_init_centers(km, v1_km_centers, V1_KM_D), "centers");
    check(mix_kmeans_save(km, path_of("kmeans_given")), "save");
    mix_kmeans_free(km);

    double X[V1_N * V1_G_D];
    v1_gauss_rows(X);
    km = kmeans_with_options();
    check(mix_kmeans_set_method(km, MIX_METHOD_EM), "method");
    check(mix_kmeans_set_algorithm(km, MIX_KMEANS_HAMERLY), "algorithm");
    check(mix_kmeans_fit(km, X, V1_N, V1_G_D, NULL), "fit");
    check(mix_kmeans_save(km, path_of("kmeans_fitted")), "save");
    double score;
    check(mix_kmeans_score(km, X, V1_N, V1_G_D, &score), "score");
    put_array("kmeans_fitted", "centers", mix_kmeans_centers(km), V1_KM_K * V1_KM_D);
    put_value("kmeans_fitted", "inertia", mix_kmeans_inertia(km));
    put_value("kmeans_fitted", "n_iter", mix_kmeans_n_iter(km));
    put_value("kmeans_fitted", "score", score);
    mix_kmeans_free(km);
}

/* --- Gaussian mixtures ------------------------------------------------------------ */

static const char *const cov_names[4] = {"full", "tied", "diag", "spherical"};
static const double *const given_cov[4] = {v1_g_cov_full, v1_g_cov_tied, v1_g_cov_diag,
                                           v1_g_cov_spherical};

static gmm_t *gmm_with_options(mix_covariance cov)
{
    gmm_t *g = mix_gmm_create(V1_G_K, cov);
    check(g ? MIX_OK : MIX_ENOMEM, "gmm_create");
    check(mix_gmm_set_init(g, MIX_INIT_RANDOM), "init");
    check(mix_gmm_set_n_init(g, V1_MIX_N_INIT), "n_init");
    check(mix_gmm_set_max_iter(g, V1_MIX_MAX_ITER), "max_iter");
    check(mix_gmm_set_tol(g, V1_MIX_TOL), "tol");
    check(mix_gmm_set_reg_covar(g, V1_MIX_REG), "reg_covar");
    check(mix_gmm_set_seed(g, V1_SEED), "seed");
    check(mix_gmm_set_threads(g, V1_MIX_THREADS), "threads");
    check(mix_gmm_set_adam(g, V1_ADAM_LR, V1_ADAM_BETA1, V1_ADAM_BETA2, V1_ADAM_EPS), "adam");
    check(mix_gmm_set_batch_size(g, V1_BATCH), "batch");
    return g;
}

static void put_gmm(const char *name, const gmm_t *g, const double *X)
{
    double score;
    check(mix_gmm_score(g, X, V1_N, V1_G_D, &score), "score");
    put_array(name, "weights", mix_gmm_weights(g), V1_G_K);
    put_array(name, "means", mix_gmm_means(g), V1_G_K * V1_G_D);
    put_array(name, "cov", mix_gmm_covariances(g), mix_gmm_covariances_size(g));
    put_array(name, "prec", mix_gmm_precisions_cholesky(g), mix_gmm_covariances_size(g));
    put_value(name, "lower_bound", mix_gmm_lower_bound(g));
    put_value(name, "n_iter", mix_gmm_n_iter(g));
    put_value(name, "converged", mix_gmm_converged(g));
    put_value(name, "score", score);
}

static void gmm_files(void)
{
    double X[V1_N * V1_G_D];
    v1_gauss_rows(X);
    char name[64];
    for (int c = 0; c < 4; c++) {
        gmm_t *g = gmm_with_options((mix_covariance)c);
        check(mix_gmm_set_warm_start(g, 1), "warm_start");
        check(mix_gmm_set_params(g, V1_G_D, v1_g_weights, v1_g_means, given_cov[c]), "params");
        snprintf(name, sizeof name, "gmm_%s_given", cov_names[c]);
        check(mix_gmm_save(g, path_of(name)), "save");
        mix_gmm_free(g);

        g = gmm_with_options((mix_covariance)c);
        check(mix_gmm_set_init(g, MIX_INIT_KMEANS), "init");
        check(mix_gmm_fit(g, X, V1_N, V1_G_D, NULL), "fit");
        snprintf(name, sizeof name, "gmm_%s_fitted", cov_names[c]);
        check(mix_gmm_save(g, path_of(name)), "save");
        put_gmm(name, g, X);
        mix_gmm_free(g);
    }
    /* Adam: the covariance factors come from the precision factors. */
    gmm_t *g = gmm_with_options(MIX_COV_FULL);
    check(mix_gmm_set_method(g, MIX_METHOD_ADAM), "method");
    check(mix_gmm_set_adam(g, 0.05, 0.9, 0.99, 1e-5), "adam");
    check(mix_gmm_fit(g, X, V1_N, V1_G_D, NULL), "fit");
    check(mix_gmm_save(g, path_of("gmm_full_adam")), "save");
    put_gmm("gmm_full_adam", g, X);
    mix_gmm_free(g);
    /* Unfitted, with some parameters given (the rest left to the init). */
    g = gmm_with_options(MIX_COV_DIAG);
    check(mix_gmm_set_params(g, V1_G_D, v1_g_weights, v1_g_means, NULL), "params");
    check(mix_gmm_save(g, path_of("gmm_unfitted")), "save");
    mix_gmm_free(g);
}

/* --- Bernoulli mixtures ------------------------------------------------------------ */

static bmm_t *bmm_with_options(void)
{
    bmm_t *b = mix_bmm_create(V1_B_K);
    check(b ? MIX_OK : MIX_ENOMEM, "bmm_create");
    check(mix_bmm_set_init(b, MIX_INIT_KMEANSPP), "init");
    check(mix_bmm_set_n_init(b, V1_MIX_N_INIT), "n_init");
    check(mix_bmm_set_max_iter(b, V1_MIX_MAX_ITER), "max_iter");
    check(mix_bmm_set_tol(b, V1_MIX_TOL), "tol");
    check(mix_bmm_set_alpha(b, 0.5), "alpha");
    check(mix_bmm_set_seed(b, V1_SEED), "seed");
    check(mix_bmm_set_threads(b, V1_MIX_THREADS), "threads");
    return b;
}

static void bmm_files(void)
{
    bmm_t *b = bmm_with_options();
    check(mix_bmm_set_params(b, V1_B_D, NULL, v1_b_probs), "params");
    check(mix_bmm_save(b, path_of("bmm_unfitted")), "save");
    check(mix_bmm_set_params(b, V1_B_D, v1_b_weights, v1_b_probs), "params");
    check(mix_bmm_save(b, path_of("bmm_given")), "save");
    mix_bmm_free(b);

    double X[V1_N * V1_B_D], score;
    v1_binary_rows(X);
    b = bmm_with_options();
    check(mix_bmm_fit(b, X, V1_N, V1_B_D, NULL), "fit");
    check(mix_bmm_save(b, path_of("bmm_fitted")), "save");
    check(mix_bmm_score(b, X, V1_N, V1_B_D, &score), "score");
    put_array("bmm_fitted", "weights", mix_bmm_weights(b), V1_B_K);
    put_array("bmm_fitted", "probs", mix_bmm_probs(b), V1_B_K * V1_B_D);
    put_value("bmm_fitted", "lower_bound", mix_bmm_lower_bound(b));
    put_value("bmm_fitted", "n_iter", mix_bmm_n_iter(b));
    put_value("bmm_fitted", "converged", mix_bmm_converged(b));
    put_value("bmm_fitted", "score", score);
    mix_bmm_free(b);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s DIRECTORY\n", argv[0]);
        return 2;
    }
    dir = argv[1];
    char path[4096];
    snprintf(path, sizeof path, "%s/expected.h", dir);
    if (strstr(dir, "format") != NULL) { /* the frozen set: with its values */
        expected = fopen(path, "w");
        if (expected == NULL) {
            perror(path);
            return 1;
        }
        fprintf(expected, "/* Generated by tests/format/gen_v1.c with libmixture %s: what the "
                          "fitted files\n * of tests/format/v1 hold (C99 hexadecimal floats, "
                          "exact). */\n",
                mix_version_string());
    }
    kmeans_files();
    gmm_files();
    bmm_files();
    if (expected != NULL)
        fclose(expected);
    return 0;
}
