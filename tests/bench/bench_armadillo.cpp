/*
 * Armadillo benchmark runner (tests/bench; built only when Armadillo is
 * installed, never linked into the library).
 *
 * Same data and starting parameters as bench_mixture: arma::kmeans with the
 * given centers (seed mode keep_existing), or arma::gmm_full / gmm_diag with
 * set_params() then learn(keep_existing, km_iter 0, em_iter M, var_floor
 * 1e-6). Armadillo is column-major: the row-major n x d data are used in
 * place as a d x n matrix (no copy), and likewise the means, covariances.
 *
 * Armadillo has no iteration callback, but with print_mode on it prints one
 * line per iteration ("... iteration: N ...") to its cout stream: that stream
 * is redirected to a buffer that timestamps each such line. The time per
 * iteration is the median interval between consecutive lines (the first
 * iteration, which includes the set-up, is left out), as for libmixture;
 * the lines also give the number of iterations actually run (Armadillo stops
 * early when the means or the mean log-likelihood no longer change).
 *
 * Usage: bench_armadillo kmeans|full|diag X.f64 N D K MEANS.f64 WEIGHTS.f64 COV.f64 M
 * (threads: OMP_NUM_THREADS). Prints one JSON line.
 *
 * SPDX-License-Identifier: BSD-3-Clause
 */
#include <armadillo>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <streambuf>
#include <string>
#include <vector>

#include "bench_common.h"

/* A streambuf that discards its text but timestamps every line that reports
   an iteration. */
class iteration_clock : public std::streambuf {
public:
    std::vector<double> ts;
    std::string last_line;

protected:
    int overflow(int c) override
    {
        if (c == traits_type::eof())
            return traits_type::not_eof(c);
        if (c == '\n') {
            if (line_.find("iteration:") != std::string::npos) {
                ts.push_back(bench_now_ms());
                last_line = line_;
            }
            line_.clear();
        } else {
            line_.push_back((char)c);
        }
        return c;
    }

private:
    std::string line_;
};

int main(int argc, char **argv)
{
    bench_args a;
    if (bench_parse_args(argc, argv, "kmeans|full|diag", &a))
        return 2;
    const std::string model = a.model;
    const arma::uword n = a.n, d = a.d, k = a.k;
    const int m = a.iters;
    if (model != "kmeans" && model != "full" && model != "diag") {
        std::fprintf(stderr, "bench_armadillo: model %s is not available in Armadillo\n",
                     model.c_str());
        return 2;
    }
    const bool is_kmeans = model == "kmeans";

    double *Xraw = bench_load_f64(a.x_path, n * d);
    double *mraw = bench_load_f64(a.means_path, k * d);
    double *wraw = is_kmeans ? nullptr : bench_load_f64(a.weights_path, k);
    const size_t cov_count = model == "full" ? k * d * d : k * d;
    double *craw = is_kmeans ? nullptr : bench_load_f64(a.cov_path, cov_count);

    /* Row-major n x d is column-major d x n: wrap without copying. */
    const arma::mat X(Xraw, d, n, false, true);
    arma::mat means(mraw, d, k); /* copies: small */

    iteration_clock clk;
    std::ostream sink(&clk);
    arma::set_cout_stream(sink);

    double base = -1, peak = -1, t0 = 0, t1 = 0, objective = 0;
    bool ok = false;
    if (is_kmeans) {
        arma::mat centers = means;
        base = bench_vmhwm_mib();
        t0 = bench_now_ms();
        ok = arma::kmeans(centers, X, k, arma::keep_existing, (arma::uword)m, true);
        t1 = bench_now_ms();
        peak = bench_vmhwm_mib();
        if (ok) {
            /* Inertia of the final centers, for comparison with the others. */
            double inertia = 0;
            for (arma::uword i = 0; i < n; i++) {
                double best = arma::datum::inf;
                for (arma::uword j = 0; j < k; j++) {
                    double s = arma::accu(arma::square(X.col(i) - centers.col(j)));
                    if (s < best)
                        best = s;
                }
                inertia += best;
            }
            objective = inertia;
        }
    } else {
        const arma::rowvec hefts(wraw, k);
        if (model == "full") {
            arma::gmm_full model_full;
            const arma::cube fcovs(craw, d, d, k);
            model_full.set_params(means, fcovs, hefts);
            base = bench_vmhwm_mib();
            t0 = bench_now_ms();
            ok = model_full.learn(X, k, arma::eucl_dist, arma::keep_existing, 0, (arma::uword)m,
                                  1e-6, true);
            t1 = bench_now_ms();
            peak = bench_vmhwm_mib();
            if (ok)
                objective = model_full.avg_log_p(X);
        } else {
            arma::gmm_diag model_diag;
            const arma::mat dcovs(craw, d, k);
            model_diag.set_params(means, dcovs, hefts);
            base = bench_vmhwm_mib();
            t0 = bench_now_ms();
            ok = model_diag.learn(X, k, arma::eucl_dist, arma::keep_existing, 0, (arma::uword)m,
                                  1e-6, true);
            t1 = bench_now_ms();
            peak = bench_vmhwm_mib();
            if (ok)
                objective = model_diag.avg_log_p(X);
        }
    }

    bench_iter_stats s = bench_iter_times(t0, clk.ts.data(), clk.ts.size());
    std::printf("{\"runner\": \"armadillo\", \"version\": \"%d.%d.%d\", \"model\": \"%s\", "
                "\"n\": %llu, \"d\": %llu, \"k\": %llu, \"max_iter\": %d, \"status\": %d, "
                "\"n_iter\": %zu, \"ms_per_iter\": %.6g, \"ms_first_iter\": %.6g, "
                "\"iters_in_median\": %zu, \"ms_total\": %.6g, \"objective\": %.17g, "
                "\"rss_base_mib\": %.2f, \"rss_peak_mib\": %.2f, \"extra_mib\": %.2f}\n",
                ARMA_VERSION_MAJOR, ARMA_VERSION_MINOR, ARMA_VERSION_PATCH, model.c_str(),
                (unsigned long long)n, (unsigned long long)d, (unsigned long long)k, m,
                ok ? 0 : 1, clk.ts.size(), s.median_ms, s.first_ms, s.n_used, t1 - t0, objective,
                base, peak, peak - base);
    std::free(Xraw);
    std::free(mraw);
    std::free(wraw);
    std::free(craw);
    return ok ? 0 : 1;
}
