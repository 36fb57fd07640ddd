/* libFuzzer target: K-means with arbitrary shapes, options and values. */
#include "fuzz_input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_in in = {data, size};
    size_t n, d, k;
    fz_shape(&in, &n, &d, &k);
    uint64_t rng = fz_u32(&in);
    kmeans_t *km = mix_kmeans_create(k);
    if (km == NULL) {
        fz_require(k == 0 || k > INT32_MAX || k > SIZE_MAX / 64);
        return 0;
    }
    uint8_t opt = fz_byte(&in);
    int cancel_at = 1 + fz_byte(&in) % 4;
    /* Setters take any value: each either applies or refuses it. */
    fz_require(fz_status_ok(mix_kmeans_set_init(km, (mix_init)((int)(fz_byte(&in) % 6) - 1))));
    fz_require(fz_status_ok(mix_kmeans_set_n_init(km, (int)(fz_byte(&in) % 4) - 1)));
    fz_require(fz_status_ok(mix_kmeans_set_max_iter(km, (int)(fz_byte(&in) % 12) - 1)));
    fz_require(fz_status_ok(mix_kmeans_set_tol(km, fz_value(&in, &rng))));
    fz_require(fz_status_ok(mix_kmeans_set_threads(km, (int)(fz_byte(&in) % 5) - 1)));
    fz_require(fz_status_ok(mix_kmeans_set_algorithm(km, (mix_kmeans_algorithm)(fz_byte(&in) % 4))));
    mix_kmeans_set_seed(km, rng);
    if (opt & 16) { /* gradient fitting, with any options */
        fz_require(fz_status_ok(mix_kmeans_set_method(km, (mix_method)(fz_byte(&in) % 3))));
        double lr = (opt & 32) ? fz_value(&in, &rng) : 0.01 * (1 + fz_byte(&in) % 50);
        fz_require(fz_status_ok(mix_kmeans_set_adam(km, lr, 0.9, 0.99, 1e-5)));
        fz_require(fz_status_ok(mix_kmeans_set_batch_size(km, fz_byte(&in) % 8)));
    }
    if (opt & 1) {
        double *C = fz_matrix(&in, k < 64 ? k : 64, d, &rng);
        if (k <= 64)
            fz_require(fz_status_ok(mix_kmeans_set_init_centers(km, C, d)));
        free(C);
    }
    if (opt & 2)
        mix_kmeans_set_callback(km, fz_cancel_at, &cancel_at);
    double *X = fz_matrix(&in, n, d, &rng), *w = NULL;
    if (opt & 4) {
        w = malloc((n ? n : 1) * sizeof *w);
        for (size_t i = 0; i < n; i++)
            w[i] = (opt & 8) ? fz_value(&in, &rng) : (double)(fz_byte(&in) % 4);
    }
    int rc = mix_kmeans_fit(km, X, n, d, w);
    fz_require(fz_status_ok(rc));
    fz_require(mix_kmeans_errmsg(km) != NULL);
    if (rc == MIX_OK) {
        fz_require(n >= k);
        fz_require_finite(mix_kmeans_centers(km), k * d);
        double inertia = mix_kmeans_inertia(km);
        fz_require(isfinite(inertia) && inertia >= 0);
        fz_require_labels(mix_kmeans_labels(km), n, k);
    }
    if (mix_kmeans_is_fitted(km)) {
        size_t m = fz_byte(&in) % 16;
        double *Y = fz_matrix(&in, m, d, &rng), *dist = malloc((m ? m : 1) * k * sizeof *dist);
        int32_t *lab = malloc((m ? m : 1) * sizeof *lab);
        double score;
        rc = mix_kmeans_predict(km, Y, m, d, lab);
        fz_require(fz_status_ok(rc));
        if (rc == MIX_OK)
            fz_require_labels(lab, m, k);
        rc = mix_kmeans_transform(km, Y, m, d, dist);
        fz_require(fz_status_ok(rc));
        if (rc == MIX_OK)
            fz_require_finite(dist, m * k);
        rc = mix_kmeans_score(km, Y, m, d, &score);
        fz_require(fz_status_ok(rc));
        if (rc == MIX_OK)
            fz_require(isfinite(score) && score <= 0);
        free(Y);
        free(dist);
        free(lab);
    }
    free(X);
    free(w);
    mix_kmeans_free(km);
    return 0;
}
