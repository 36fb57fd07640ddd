/*
 * VLFeat benchmark runner (tests/bench; built only when VLFeat is installed,
 * never linked into the library).
 *
 * Same data and starting parameters as bench_mixture, in double precision:
 *   lloyd, elkan  vl_kmeans with the given centers (vl_kmeans_set_centers +
 *                 vl_kmeans_refine_centers), L2 distance, at most M
 *                 iterations, minimum energy variation 0;
 *   diag          vl_gmm (diagonal covariances only) with the given means,
 *                 variances and priors (VlGMMCustom), at most M EM
 *                 iterations, covariance lower bound 1e-6.
 *
 * VLFeat has no iteration callback, but at verbosity 1 it prints one line
 * per iteration through its printf hook: the hook (vl_set_printf_func)
 * timestamps those lines, and the time per iteration is the median interval
 * between consecutive ones (the first, set-up included, is left out), as
 * for libmixture. The lines also count the iterations actually run: VLFeat's
 * GMM stops by itself when the relative change of the log-likelihood falls
 * below a fixed threshold, whatever the maximum.
 *
 * Usage: bench_vlfeat lloyd|elkan|diag X.f64 N D K MEANS.f64 WEIGHTS.f64 COV.f64 M [THREADS]
 * Prints one JSON line.
 *
 * SPDX-License-Identifier: BSD-3-Clause
 */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vl/generic.h>
#include <vl/gmm.h>
#include <vl/kmeans.h>

#include "bench_common.h"

static double g_ts[100000];
static size_t g_nts;

/* Swallows VLFeat's messages; timestamps the per-iteration ones. */
static int iteration_hook(char const *format, ...)
{
    double now = bench_now_ms();
    char line[512];
    va_list ap;
    va_start(ap, format);
    vsnprintf(line, sizeof line, format, ap);
    va_end(ap);
    int is_iter = strstr(line, "gmm: em: iteration ") != NULL ||
                  ((strstr(line, "Lloyd iter ") || strstr(line, "Elkan iter ")) &&
                   strstr(line, "energy") != NULL);
    if (is_iter && g_nts < sizeof g_ts / sizeof g_ts[0])
        g_ts[g_nts++] = now;
    return 0;
}

int main(int argc, char **argv)
{
    bench_args a;
    if (bench_parse_args(argc, argv, "lloyd|elkan|diag", &a))
        return 2;
    const char *model = a.model;
    const size_t n = a.n, d = a.d, k = a.k;
    const int m = a.iters, threads = a.threads;
    int is_gmm = strcmp(model, "diag") == 0;
    if (!is_gmm && strcmp(model, "lloyd") != 0 && strcmp(model, "elkan") != 0) {
        fprintf(stderr, "bench_vlfeat: model %s is not available in VLFeat\n", model);
        return 2;
    }

    double *X = bench_load_f64(a.x_path, n * d);
    double *means = bench_load_f64(a.means_path, k * d);
    double *weights = is_gmm ? bench_load_f64(a.weights_path, k) : NULL;
    double *covs = is_gmm ? bench_load_f64(a.cov_path, k * d) : NULL;

    vl_set_num_threads((vl_size)threads);
    vl_set_printf_func(iteration_hook);

    double base, peak, t0, t1, objective = 0.0;
    if (is_gmm) {
        VlGMM *gmm = vl_gmm_new(VL_TYPE_DOUBLE, d, k);
        vl_gmm_set_initialization(gmm, VlGMMCustom);
        vl_gmm_set_means(gmm, means);
        vl_gmm_set_covariances(gmm, covs);
        vl_gmm_set_priors(gmm, weights);
        vl_gmm_set_max_num_iterations(gmm, (vl_size)m);
        vl_gmm_set_covariance_lower_bound(gmm, 1e-6);
        vl_gmm_set_verbosity(gmm, 1);
        base = bench_vmhwm_mib();
        t0 = bench_now_ms();
        double ll = vl_gmm_em(gmm, X, n);
        t1 = bench_now_ms();
        peak = bench_vmhwm_mib();
        objective = ll / (double)n;
        vl_gmm_delete(gmm);
    } else {
        VlKMeans *km = vl_kmeans_new(VL_TYPE_DOUBLE, VlDistanceL2);
        vl_kmeans_set_algorithm(km, strcmp(model, "elkan") == 0 ? VlKMeansElkan : VlKMeansLloyd);
        vl_kmeans_set_centers(km, means, d, k);
        vl_kmeans_set_max_num_iterations(km, (vl_size)m);
        vl_kmeans_set_min_energy_variation(km, 0.0);
        vl_kmeans_set_verbosity(km, 1);
        base = bench_vmhwm_mib();
        t0 = bench_now_ms();
        objective = vl_kmeans_refine_centers(km, X, n);
        t1 = bench_now_ms();
        peak = bench_vmhwm_mib();
        vl_kmeans_delete(km);
    }

    bench_iter_stats s = bench_iter_times(t0, g_ts, g_nts);
    printf("{\"runner\": \"vlfeat\", \"version\": \"%s\", \"model\": \"%s\", \"n\": %zu, "
           "\"d\": %zu, \"k\": %zu, \"threads\": %d, \"max_iter\": %d, \"status\": 0, "
           "\"n_iter\": %zu, \"ms_per_iter\": %.6g, \"ms_first_iter\": %.6g, "
           "\"iters_in_median\": %zu, \"ms_total\": %.6g, \"objective\": %.17g, "
           "\"rss_base_mib\": %.2f, \"rss_peak_mib\": %.2f, \"extra_mib\": %.2f}\n",
           VL_VERSION_STRING, model, n, d, k, threads, m, g_nts, s.median_ms, s.first_ms,
           s.n_used, t1 - t0, objective, base, peak, peak - base);
    free(X);
    free(means);
    free(weights);
    free(covs);
    return 0;
}
