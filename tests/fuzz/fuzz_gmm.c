/* libFuzzer target: Gaussian mixtures with arbitrary shapes, covariance
 * types, options, given parameters and values. */
#include "fuzz_input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t cov_len(int type, size_t k, size_t d)
{
    return type == MIX_COV_FULL ? k * d * d : type == MIX_COV_TIED ? d * d
                                          : type == MIX_COV_DIAG   ? k * d
                                                                   : k;
}

/* Outputs of a model: finite, weights a distribution. */
static void check_model(const gmm_t *g, size_t k, size_t d, int type)
{
    const double *w = mix_gmm_weights(g);
    double sum = 0;
    fz_require_finite(w, k);
    for (size_t j = 0; j < k; j++) {
        fz_require(w[j] >= 0 && w[j] <= 1 + 1e-9);
        sum += w[j];
    }
    fz_require(fabs(sum - 1) < 1e-6);
    fz_require_finite(mix_gmm_means(g), k * d);
    fz_require(mix_gmm_covariances_size(g) == cov_len(type, k, d));
    fz_require_finite(mix_gmm_covariances(g), cov_len(type, k, d));
    fz_require_finite(mix_gmm_precisions_cholesky(g), cov_len(type, k, d));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_in in = {data, size};
    size_t n, d, k;
    fz_shape(&in, &n, &d, &k);
    if (d > 64 && k > 4)
        k = 4; /* keep d x d x k covariances small */
    int type = (int)(fz_byte(&in) % 5) - (fz_byte(&in) > 250);
    uint64_t rng = fz_u32(&in);
    gmm_t *g = mix_gmm_create(k, (mix_covariance)type);
    if (g == NULL) {
        fz_require(k == 0 || k > INT32_MAX || type < 0 || type > 3 || k > SIZE_MAX / 64);
        return 0;
    }
    uint8_t opt = fz_byte(&in);
    int cancel_at = 1 + fz_byte(&in) % 4;
    fz_require(fz_status_ok(mix_gmm_set_init(g, (mix_init)((int)(fz_byte(&in) % 6) - 1))));
    fz_require(fz_status_ok(mix_gmm_set_n_init(g, (int)(fz_byte(&in) % 4) - 1)));
    fz_require(fz_status_ok(mix_gmm_set_max_iter(g, (int)(fz_byte(&in) % 12) - 1)));
    fz_require(fz_status_ok(mix_gmm_set_tol(g, fz_value(&in, &rng))));
    fz_require(fz_status_ok(mix_gmm_set_reg_covar(g, (opt & 16) ? fz_value(&in, &rng) : 1e-6)));
    fz_require(fz_status_ok(mix_gmm_set_threads(g, (int)(fz_byte(&in) % 5) - 1)));
    fz_require(fz_status_ok(mix_gmm_set_warm_start(g, (int)(fz_byte(&in) % 3))));
    mix_gmm_set_seed(g, rng);
    const uint8_t opt2 = fz_byte(&in);
    if (opt2 & 1) { /* gradient fitting, with any options */
        fz_require(fz_status_ok(mix_gmm_set_method(g, (mix_method)(fz_byte(&in) % 3))));
        double lr = (opt2 & 2) ? fz_value(&in, &rng) : 0.01 * (1 + fz_byte(&in) % 50);
        double b1 = (opt2 & 4) ? fz_value(&in, &rng) : 0.9;
        fz_require(fz_status_ok(mix_gmm_set_adam(g, lr, b1, 0.99, 1e-5)));
        fz_require(fz_status_ok(mix_gmm_set_batch_size(g, fz_byte(&in) % 8)));
    }
    if ((opt & 1) && k <= 16) {
        size_t cl = cov_len(type, k, d);
        double *w = fz_matrix(&in, k, 1, &rng), *mu = fz_matrix(&in, k, d, &rng);
        double *cov = fz_matrix(&in, cl ? cl : 1, 1, &rng);
        if (opt & 32) { /* a valid model, often */
            for (size_t j = 0; j < k; j++)
                w[j] = 1.0 / (double)k;
            memset(cov, 0, (cl ? cl : 1) * sizeof *cov);
            if (type <= MIX_COV_TIED)
                for (size_t m = 0; m < cl / (d * d); m++)
                    for (size_t t = 0; t < d; t++)
                        cov[m * d * d + t * d + t] = 1.0 + (double)(fz_byte(&in) % 4);
            else
                for (size_t i = 0; i < cl; i++)
                    cov[i] = 0.5 + (double)(fz_byte(&in) % 4);
        }
        int rc = mix_gmm_set_params(g, d, (opt & 2) ? w : NULL, (opt & 4) ? mu : NULL,
                                    (opt & 8) ? cov : NULL);
        fz_require(fz_status_ok(rc));
        if (rc == MIX_OK && mix_gmm_is_fitted(g))
            check_model(g, k, d, type);
        free(w);
        free(mu);
        free(cov);
    }
    if (opt & 64)
        mix_gmm_set_callback(g, fz_cancel_at, &cancel_at);
    double *X = fz_matrix(&in, n, d, &rng), *sw = NULL;
    if (opt & 128) {
        sw = malloc((n ? n : 1) * sizeof *sw);
        for (size_t i = 0; i < n; i++)
            sw[i] = (double)(fz_byte(&in) % 4);
    }
    int rc = mix_gmm_fit(g, X, n, d, sw);
    fz_require(fz_status_ok(rc));
    if (rc == MIX_OK) {
        check_model(g, k, d, type);
        fz_require(isfinite(mix_gmm_lower_bound(g)));
    }
    if (mix_gmm_is_fitted(g) && (opt2 & 8)) { /* the gradient near the model */
        size_t len = mix_gmm_theta_size(g, d), m = 1 + fz_byte(&in) % 16;
        double *theta = malloc((len ? len : 1) * sizeof *theta);
        double *grad = malloc((len ? len : 1) * sizeof *grad), nll;
        double *Y = fz_matrix(&in, m, d, &rng);
        if (len > 0 && mix_gmm_get_theta(g, theta) == MIX_OK) {
            theta[fz_byte(&in) % len] += (opt2 & 16) ? fz_value(&in, &rng) : 0.5;
            rc = mix_gmm_nll_grad(g, Y, m, d, NULL, theta, &nll, grad);
            fz_require(fz_status_ok(rc));
            if (rc == MIX_OK) {
                fz_require(isfinite(nll));
                fz_require_finite(grad, len);
            }
            rc = mix_gmm_set_theta(g, d, theta);
            fz_require(fz_status_ok(rc));
            if (rc == MIX_OK)
                check_model(g, k, d, type);
        }
        free(theta);
        free(grad);
        free(Y);
    }
    if (mix_gmm_is_fitted(g)) {
        size_t m = fz_byte(&in) % 16;
        double *Y = fz_matrix(&in, m, d, &rng), *resp = malloc((m ? m : 1) * k * sizeof *resp);
        double *logp = malloc((m ? m : 1) * sizeof *logp), *S = malloc((m ? m : 1) * d * sizeof *S);
        int32_t *lab = malloc((m ? m : 1) * sizeof *lab);
        double v;
        rc = mix_gmm_predict_proba(g, Y, m, d, resp);
        fz_require(fz_status_ok(rc));
        if (rc == MIX_OK)
            fz_require_finite(resp, m * k);
        rc = mix_gmm_score_samples(g, Y, m, d, logp);
        fz_require(fz_status_ok(rc));
        if (rc == MIX_OK)
            fz_require_finite(logp, m);
        rc = mix_gmm_predict(g, Y, m, d, lab);
        if (rc == MIX_OK)
            fz_require_labels(lab, m, k);
        rc = mix_gmm_bic(g, Y, m, d, &v);
        fz_require(fz_status_ok(rc));
        if (rc == MIX_OK)
            fz_require(isfinite(v));
        rc = mix_gmm_sample(g, m, rng, S, lab);
        fz_require(fz_status_ok(rc));
        if (rc == MIX_OK) {
            fz_require_finite(S, m * d);
            fz_require_labels(lab, m, k);
        }
        free(Y);
        free(resp);
        free(logp);
        free(S);
        free(lab);
    }
    free(X);
    free(sw);
    mix_gmm_free(g);
    return 0;
}
