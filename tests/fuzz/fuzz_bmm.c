/* libFuzzer target: Bernoulli mixtures with arbitrary shapes, options,
 * given parameters (valid or not) and data (mostly 0/1, sometimes not). */
#include "fuzz_input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Outputs of a model: finite, weights a distribution, probabilities in
 * [0, 1]. */
static void check_model(const bmm_t *b, size_t k, size_t d)
{
    const double *w = mix_bmm_weights(b), *p = mix_bmm_probs(b);
    double sum = 0;
    fz_require_finite(w, k);
    for (size_t j = 0; j < k; j++)
        sum += w[j];
    fz_require(sum > 0.999999 && sum < 1.000001);
    fz_require_finite(p, k * d);
    for (size_t i = 0; i < k * d; i++)
        fz_require(p[i] >= 0 && p[i] <= 1);
}

/* 0/1 values, with an occasional other one when `dirty`. */
static double *bits(fuzz_in *in, size_t n, size_t d, uint64_t *rng, int dirty)
{
    double *X = malloc((n ? n : 1) * (d ? d : 1) * sizeof *X);
    if (X == NULL)
        abort();
    for (size_t i = 0; i < n * d; i++) {
        uint8_t v = fz_byte(in);
        X[i] = dirty && v > 250 ? fz_value(in, rng) : (double)(v & 1);
    }
    return X;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_in in = {data, size};
    size_t n, d, k;
    fz_shape(&in, &n, &d, &k);
    uint64_t rng = fz_u32(&in);
    bmm_t *b = mix_bmm_create(k);
    if (b == NULL) {
        fz_require(k == 0 || k > INT32_MAX || k > SIZE_MAX / 64);
        return 0;
    }
    const uint8_t opt = fz_byte(&in);
    int cancel_at = 1 + fz_byte(&in) % 4;
    fz_require(fz_status_ok(mix_bmm_set_init(b, (mix_init)((int)(fz_byte(&in) % 7) - 1))));
    fz_require(fz_status_ok(mix_bmm_set_n_init(b, (int)(fz_byte(&in) % 4) - 1)));
    fz_require(fz_status_ok(mix_bmm_set_max_iter(b, (int)(fz_byte(&in) % 12) - 1)));
    fz_require(fz_status_ok(mix_bmm_set_tol(b, fz_value(&in, &rng))));
    fz_require(fz_status_ok(
        mix_bmm_set_alpha(b, (opt & 16) ? fz_value(&in, &rng) : (double)(fz_byte(&in) % 3))));
    fz_require(fz_status_ok(mix_bmm_set_threads(b, (int)(fz_byte(&in) % 5) - 1)));
    fz_require(fz_status_ok(mix_bmm_set_warm_start(b, (int)(fz_byte(&in) % 3))));
    mix_bmm_set_seed(b, rng);
    if ((opt & 1) && k <= 16) {
        double *w = fz_matrix(&in, k, 1, &rng), *p = fz_matrix(&in, k, d, &rng);
        if (opt & 32) { /* a valid model, often */
            for (size_t j = 0; j < k; j++)
                w[j] = 1.0 / (double)k;
            for (size_t i = 0; i < k * d; i++)
                p[i] = (double)(fz_byte(&in) % 5) / 4.0; /* 0 and 1 included */
        }
        int rc = mix_bmm_set_params(b, d, (opt & 2) ? w : NULL, (opt & 4) ? p : NULL);
        fz_require(fz_status_ok(rc));
        if (rc == MIX_OK && mix_bmm_is_fitted(b))
            check_model(b, k, d);
        free(w);
        free(p);
    }
    if (opt & 64)
        mix_bmm_set_callback(b, fz_cancel_at, &cancel_at);
    double *X = bits(&in, n, d, &rng, opt & 8), *sw = NULL;
    if (opt & 128) {
        sw = malloc((n ? n : 1) * sizeof *sw);
        for (size_t i = 0; i < n; i++)
            sw[i] = (double)(fz_byte(&in) % 4);
    }
    int rc = mix_bmm_fit(b, X, n, d, sw);
    fz_require(fz_status_ok(rc));
    if (rc == MIX_OK) {
        check_model(b, k, d);
        fz_require(isfinite(mix_bmm_lower_bound(b)));
    }
    if (mix_bmm_is_fitted(b)) {
        size_t m = fz_byte(&in) % 16;
        double *Y = bits(&in, m, d, &rng, opt & 8), *resp = malloc((m ? m : 1) * k * sizeof *resp);
        double *logp = malloc((m ? m : 1) * sizeof *logp), *S = malloc((m ? m : 1) * d * sizeof *S);
        int32_t *lab = malloc((m ? m : 1) * sizeof *lab);
        double v;
        rc = mix_bmm_predict_proba(b, Y, m, d, resp);
        fz_require(fz_status_ok(rc));
        if (rc == MIX_OK)
            fz_require_finite(resp, m * k);
        rc = mix_bmm_score_samples(b, Y, m, d, logp);
        fz_require(fz_status_ok(rc));
        /* -inf allowed (impossible rows); a probability is at most 1, up to
         * the rounding of the weights' sum */
        for (size_t i = 0; rc == MIX_OK && i < m; i++)
            fz_require(!isnan(logp[i]) && logp[i] <= 1e-12);
        rc = mix_bmm_predict(b, Y, m, d, lab);
        if (rc == MIX_OK)
            fz_require_labels(lab, m, k);
        rc = mix_bmm_bic(b, Y, m, d, &v);
        fz_require(fz_status_ok(rc));
        if (rc == MIX_OK)
            fz_require(!isnan(v));
        rc = mix_bmm_sample(b, m, rng, S, lab);
        fz_require(fz_status_ok(rc));
        for (size_t i = 0; rc == MIX_OK && i < m * d; i++)
            fz_require(S[i] == 0 || S[i] == 1);
        if (rc == MIX_OK)
            fz_require_labels(lab, m, k);
        free(Y);
        free(resp);
        free(logp);
        free(S);
        free(lab);
    }
    free(X);
    free(sw);
    mix_bmm_free(b);
    return 0;
}
