/* libFuzzer target: the load_buffer calls of all three kinds on arbitrary
 * bytes, then on the same bytes with the header's length and the checksum
 * made right, so that mutations get past the CRC to the records and the
 * values behind it. A load either fails with MIX_EFORMAT or gives a model
 * that answers (predict, score, sample) and whose own save loads again to
 * the same bytes. The seeds are saved models (tests/format/gen_v1.c). */
#include "fuzz_input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { ROWS = 4 };

/* CRC-32C bit by bit, independent of the library's (inputs are short). */
static uint32_t crc32c(const uint8_t *p, size_t n)
{
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int b = 0; b < 8; b++)
            c = (c >> 1) ^ (0x82F63B78u & (0u - (c & 1u)));
    }
    return ~c;
}

static void put_le(uint8_t *p, uint64_t v, int bytes)
{
    for (int i = 0; i < bytes; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/* Rows near the origin (0/1 for Bernoulli): any model must answer them or
 * refuse them with a status. */
static double *rows(size_t d, int binary)
{
    double *Y = malloc(ROWS * (d ? d : 1) * sizeof *Y);
    if (Y == NULL)
        abort();
    for (size_t i = 0; i < ROWS * d; i++)
        Y[i] = binary ? (double)(i % 3 == 0) : 0.5 * (double)(i % 7) - 1.5;
    return Y;
}

/* The saved bytes of a loaded model load again, and save to the same. */
#define RESAVE(kind, create_args)                                                          \
    do {                                                                                   \
        size_t n1 = 0, n2 = 0;                                                             \
        fz_require(mix_##kind##_save_buffer(h, NULL, 0, &n1) == MIX_OK);                   \
        uint8_t *b1 = malloc(n1), *b2 = malloc(n1);                                        \
        fz_require(b1 && b2 && mix_##kind##_save_buffer(h, b1, n1, &n1) == MIX_OK);        \
        kind##_t *again = mix_##kind##_create create_args;                                 \
        fz_require(again && mix_##kind##_load_buffer(again, b1, n1) == MIX_OK);            \
        fz_require(mix_##kind##_save_buffer(again, b2, n1, &n2) == MIX_OK && n2 == n1);    \
        fz_require(memcmp(b1, b2, n1) == 0);                                               \
        mix_##kind##_free(again);                                                          \
        free(b1);                                                                          \
        free(b2);                                                                          \
    } while (0)

static void use_kmeans(kmeans_t *h)
{
    const size_t k = mix_kmeans_n_clusters(h), d = mix_kmeans_n_features(h);
    if (mix_kmeans_is_fitted(h)) {
        double *Y = rows(d, 0), *dist = malloc(ROWS * k * sizeof *dist), score;
        int32_t lab[ROWS];
        int rc = mix_kmeans_predict(h, Y, ROWS, d, lab);
        fz_require(fz_status_ok(rc));
        if (rc == MIX_OK)
            fz_require_labels(lab, ROWS, k);
        fz_require(fz_status_ok(mix_kmeans_transform(h, Y, ROWS, d, dist)));
        rc = mix_kmeans_score(h, Y, ROWS, d, &score);
        fz_require(fz_status_ok(rc) && (rc != MIX_OK || score <= 0));
        free(Y);
        free(dist);
    }
    RESAVE(kmeans, (1));
}

static void use_gmm(gmm_t *h)
{
    const size_t k = mix_gmm_n_components(h), d = mix_gmm_n_features(h);
    if (mix_gmm_is_fitted(h)) {
        double *Y = rows(d, 0), *resp = malloc(ROWS * k * sizeof *resp), *S = rows(d, 0);
        double logp[ROWS];
        int32_t lab[ROWS];
        int rc = mix_gmm_predict_proba(h, Y, ROWS, d, resp);
        fz_require(fz_status_ok(rc));
        for (size_t i = 0; rc == MIX_OK && i < ROWS * k; i++)
            fz_require(!isnan(resp[i]));
        rc = mix_gmm_score_samples(h, Y, ROWS, d, logp);
        fz_require(fz_status_ok(rc));
        for (size_t i = 0; rc == MIX_OK && i < ROWS; i++)
            fz_require(!isnan(logp[i]));
        rc = mix_gmm_predict(h, Y, ROWS, d, lab);
        if (rc == MIX_OK)
            fz_require_labels(lab, ROWS, k);
        rc = mix_gmm_sample(h, ROWS, 7, S, lab);
        fz_require(fz_status_ok(rc));
        if (rc == MIX_OK)
            fz_require_labels(lab, ROWS, k);
        free(Y);
        free(S);
        free(resp);
    }
    RESAVE(gmm, (1, MIX_COV_FULL));
}

static void use_bmm(bmm_t *h)
{
    const size_t k = mix_bmm_n_components(h), d = mix_bmm_n_features(h);
    if (mix_bmm_is_fitted(h)) {
        double *Y = rows(d, 1), *S = rows(d, 1), logp[ROWS];
        int32_t lab[ROWS];
        int rc = mix_bmm_score_samples(h, Y, ROWS, d, logp);
        fz_require(fz_status_ok(rc));
        for (size_t i = 0; rc == MIX_OK && i < ROWS; i++)
            fz_require(!isnan(logp[i]) && logp[i] <= 1e-12);
        rc = mix_bmm_predict(h, Y, ROWS, d, lab);
        if (rc == MIX_OK)
            fz_require_labels(lab, ROWS, k);
        rc = mix_bmm_sample(h, ROWS, 7, S, lab);
        fz_require(fz_status_ok(rc));
        for (size_t i = 0; rc == MIX_OK && i < ROWS * d; i++)
            fz_require(S[i] == 0 || S[i] == 1);
        free(Y);
        free(S);
    }
    RESAVE(bmm, (1));
}

static void load_each_kind(const uint8_t *p, size_t n)
{
    kmeans_t *km = mix_kmeans_create(2);
    gmm_t *g = mix_gmm_create(3, MIX_COV_DIAG);
    bmm_t *b = mix_bmm_create(4);
    if (km == NULL || g == NULL || b == NULL)
        abort();
    int rc = mix_kmeans_load_buffer(km, p, n);
    fz_require(rc == MIX_OK || rc == MIX_EFORMAT);
    if (rc == MIX_OK)
        use_kmeans(km);
    else /* unchanged: still the handle create made */
        fz_require(mix_kmeans_n_clusters(km) == 2 && !mix_kmeans_is_fitted(km));
    rc = mix_gmm_load_buffer(g, p, n);
    fz_require(rc == MIX_OK || rc == MIX_EFORMAT);
    if (rc == MIX_OK)
        use_gmm(g);
    else
        fz_require(mix_gmm_n_components(g) == 3 && mix_gmm_covariance_type(g) == MIX_COV_DIAG);
    rc = mix_bmm_load_buffer(b, p, n);
    fz_require(rc == MIX_OK || rc == MIX_EFORMAT);
    if (rc == MIX_OK)
        use_bmm(b);
    else
        fz_require(mix_bmm_n_components(b) == 4 && !mix_bmm_is_fitted(b));
    mix_kmeans_free(km);
    mix_gmm_free(g);
    mix_bmm_free(b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    load_each_kind(data, size);
    if (size < 36)
        return 0;
    uint8_t *fixed = malloc(size);
    if (fixed == NULL)
        abort();
    memcpy(fixed, data, size);
    put_le(fixed + 24, size, 8); /* the length the header states */
    put_le(fixed + size - 4, crc32c(fixed, size - 4), 4);
    load_each_kind(fixed, size);
    free(fixed);
    return 0;
}
