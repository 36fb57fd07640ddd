/*
 * Saved models (the mix_*_save / load calls, docs/format.md): round trips
 * of every kind, covariance type and option, bit for bit, in both forms;
 * the size protocol; the frozen files of format versions 1 and 2; hostile input
 * (truncation at every byte, every byte and header bit flipped, forged
 * values with a valid checksum, trailing bytes, the wrong kind) with the
 * handle unchanged after each; file errors and the atomic save.
 */
#define _POSIX_C_SOURCE 200809L

#include "testutil.h"

#include "core/crc32c.h"
#include "format/v1/expected.h"
#include "format/v1/params.h"
#include "format/v2/expected.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef FORMAT_DIR
#define FORMAT_DIR "tests/format/v1"
#endif
#ifndef FORMAT_V2_DIR
#define FORMAT_V2_DIR "tests/format/v2"
#endif

/* --- saved bytes ------------------------------------------------------------ */

typedef struct blob {
    unsigned char *p;
    size_t n;
} blob;

static blob blob_of_km(const kmeans_t *km)
{
    blob b = {NULL, 0};
    ck_assert_int_eq(mix_kmeans_save_buffer(km, NULL, 0, &b.n), MIX_OK);
    b.p = malloc(b.n);
    ck_assert_int_eq(mix_kmeans_save_buffer(km, b.p, b.n, &b.n), MIX_OK);
    return b;
}

static blob blob_of_gmm(const gmm_t *g)
{
    blob b = {NULL, 0};
    ck_assert_int_eq(mix_gmm_save_buffer(g, NULL, 0, &b.n), MIX_OK);
    b.p = malloc(b.n);
    ck_assert_int_eq(mix_gmm_save_buffer(g, b.p, b.n, &b.n), MIX_OK);
    return b;
}

static blob blob_of_bmm(const bmm_t *h)
{
    blob b = {NULL, 0};
    ck_assert_int_eq(mix_bmm_save_buffer(h, NULL, 0, &b.n), MIX_OK);
    b.p = malloc(b.n);
    ck_assert_int_eq(mix_bmm_save_buffer(h, b.p, b.n, &b.n), MIX_OK);
    return b;
}

static int blob_eq(blob a, blob b)
{
    return a.n == b.n && memcmp(a.p, b.p, a.n) == 0;
}

static uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t le64(const unsigned char *p)
{
    return le32(p) | (uint64_t)le32(p + 4) << 32;
}

static void put32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static void put64(unsigned char *p, uint64_t v)
{
    put32(p, (uint32_t)v);
    put32(p + 4, (uint32_t)(v >> 32));
}

/* The checksum of the bytes before it, as a writer puts it. */
static void reseal(blob b)
{
    put32(b.p + b.n - 4, mix__crc32c(0, b.p, b.n - 4));
}

#define TAG(s) ((uint32_t)(s)[0] | (uint32_t)(s)[1] << 8 | (uint32_t)(s)[2] << 16 | (uint32_t)(s)[3] << 24)

/* Offset of the payload of record `tag`, walking the records as
 * docs/format.md lays them out (an independent reading of the spec);
 * 0 if absent. */
static size_t find_record(blob b, const char *tag, uint64_t *len)
{
    size_t at = 32;
    while (at + 16 <= b.n - 4) {
        const uint64_t l = le64(b.p + at + 8);
        if (le32(b.p + at) == TAG(tag)) {
            if (len)
                *len = l;
            return at + 16;
        }
        at += 16 + (size_t)l;
    }
    return 0;
}

static void set_f64(blob b, size_t off, double v)
{
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    put64(b.p + off, bits);
}

/* --- data and models --------------------------------------------------------- */

enum { N = 300, D = 3, K = 3, M = 40 };

static double *blobs_data(uint64_t seed)
{
    return tu_blobs(N, D, K, 1.0, seed);
}

static double *binary_data(size_t n, size_t d, uint64_t seed)
{
    double *X = malloc(n * d * sizeof *X);
    for (size_t i = 0; i < n * d; i++)
        X[i] = tu_uniform(&seed) < 0.2 + 0.6 * (double)((i / d) % 3 == i % 3) ? 1.0 : 0.0;
    return X;
}

static kmeans_t *km_with_options(void)
{
    kmeans_t *km = mix_kmeans_create(K);
    ck_assert_int_eq(mix_kmeans_set_init(km, MIX_INIT_RANDOM), MIX_OK);
    ck_assert_int_eq(mix_kmeans_set_n_init(km, 3), MIX_OK);
    ck_assert_int_eq(mix_kmeans_set_max_iter(km, 50), MIX_OK);
    ck_assert_int_eq(mix_kmeans_set_tol(km, 1e-5), MIX_OK);
    ck_assert_int_eq(mix_kmeans_set_seed(km, 0xfeedbeefcafe1234u), MIX_OK);
    ck_assert_int_eq(mix_kmeans_set_threads(km, 2), MIX_OK);
    ck_assert_int_eq(mix_kmeans_set_algorithm(km, MIX_KMEANS_HAMERLY), MIX_OK);
    ck_assert_int_eq(mix_kmeans_set_adam(km, 0.02, 0.8, 0.95, 1e-6), MIX_OK);
    ck_assert_int_eq(mix_kmeans_set_batch_size(km, 17), MIX_OK);
    return km;
}

static gmm_t *gmm_with_options(mix_covariance cov)
{
    gmm_t *g = mix_gmm_create(K, cov);
    ck_assert_int_eq(mix_gmm_set_init(g, MIX_INIT_KMEANSPP), MIX_OK);
    ck_assert_int_eq(mix_gmm_set_n_init(g, 2), MIX_OK);
    ck_assert_int_eq(mix_gmm_set_max_iter(g, 30), MIX_OK);
    ck_assert_int_eq(mix_gmm_set_tol(g, 1e-4), MIX_OK);
    ck_assert_int_eq(mix_gmm_set_reg_covar(g, 1e-5), MIX_OK);
    ck_assert_int_eq(mix_gmm_set_seed(g, 99), MIX_OK);
    ck_assert_int_eq(mix_gmm_set_threads(g, 2), MIX_OK);
    ck_assert_int_eq(mix_gmm_set_adam(g, 0.03, 0.85, 0.97, 1e-7), MIX_OK);
    ck_assert_int_eq(mix_gmm_set_batch_size(g, 64), MIX_OK);
    return g;
}

static bmm_t *bmm_with_options(void)
{
    bmm_t *b = mix_bmm_create(K);
    ck_assert_int_eq(mix_bmm_set_init(b, MIX_INIT_RANDOM_FROM_DATA), MIX_OK);
    ck_assert_int_eq(mix_bmm_set_n_init(b, 2), MIX_OK);
    ck_assert_int_eq(mix_bmm_set_max_iter(b, 40), MIX_OK);
    ck_assert_int_eq(mix_bmm_set_tol(b, 1e-6), MIX_OK);
    ck_assert_int_eq(mix_bmm_set_alpha(b, 0.25), MIX_OK);
    ck_assert_int_eq(mix_bmm_set_seed(b, 5), MIX_OK);
    ck_assert_int_eq(mix_bmm_set_threads(b, 2), MIX_OK);
    return b;
}

static int same(const double *a, const double *b, size_t n)
{
    return (a == NULL && b == NULL) || (a && b && memcmp(a, b, n * sizeof *a) == 0);
}

static int same_value(double a, double b)
{
    return memcmp(&a, &b, sizeof a) == 0;
}

static char tmpdir[256];

static const char *tmp_path(const char *name)
{
    static char path[512];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    return path;
}

static void make_tmpdir(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/libmixture-io-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

/* Removes the directory and whatever a test left in it. */
static void remove_tmpdir(void)
{
    DIR *dir = opendir(tmpdir);
    struct dirent *e;
    while (dir != NULL && (e = readdir(dir)) != NULL)
        if (e->d_name[0] != '.')
            unlink(tmp_path(e->d_name));
    if (dir != NULL)
        closedir(dir);
    rmdir(tmpdir);
}

/* Entries of the directory other than `keep`: a save must leave none. */
static int stray_files(const char *keep)
{
    int count = 0;
    DIR *dir = opendir(tmpdir);
    struct dirent *e;
    while (dir != NULL && (e = readdir(dir)) != NULL)
        if (e->d_name[0] != '.' && (keep == NULL || strcmp(e->d_name, keep) != 0))
            count++;
    if (dir != NULL)
        closedir(dir);
    return count;
}

static void write_file(const char *path, const void *p, size_t n)
{
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(p, 1, n, f), n);
    ck_assert_int_eq(fclose(f), 0);
}

static blob read_file(const char *path)
{
    blob b = {NULL, 0};
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "%s: %s", path, strerror(errno));
    fseek(f, 0, SEEK_END);
    b.n = (size_t)ftell(f);
    fseek(f, 0, SEEK_SET);
    b.p = malloc(b.n ? b.n : 1);
    ck_assert_uint_eq(fread(b.p, 1, b.n, f), b.n);
    fclose(f);
    return b;
}

/* --- round trips ---------------------------------------------------------------- */

/* What a K-means model answers, compared bit for bit. */
static void assert_km_same(const kmeans_t *a, const kmeans_t *b, const double *Y)
{
    ck_assert_uint_eq(mix_kmeans_n_clusters(a), mix_kmeans_n_clusters(b));
    ck_assert_int_eq(mix_kmeans_is_fitted(a), mix_kmeans_is_fitted(b));
    ck_assert_int_eq(mix_kmeans_n_iter(a), mix_kmeans_n_iter(b));
    ck_assert(same_value(mix_kmeans_inertia(a), mix_kmeans_inertia(b)));
    ck_assert_uint_eq(mix_kmeans_n_features(a), mix_kmeans_n_features(b));
    if (!mix_kmeans_is_fitted(a))
        return;
    const size_t k = mix_kmeans_n_clusters(a);
    ck_assert(same(mix_kmeans_centers(a), mix_kmeans_centers(b), k * D));
    int32_t la[M], lb[M];
    double da[M * K], db[M * K], sa, sb;
    ck_assert_int_eq(mix_kmeans_predict(a, Y, M, D, la), MIX_OK);
    ck_assert_int_eq(mix_kmeans_predict(b, Y, M, D, lb), MIX_OK);
    ck_assert_mem_eq(la, lb, sizeof la);
    ck_assert_int_eq(mix_kmeans_transform(a, Y, M, D, da), MIX_OK);
    ck_assert_int_eq(mix_kmeans_transform(b, Y, M, D, db), MIX_OK);
    ck_assert_mem_eq(da, db, M * k * sizeof(double));
    ck_assert_int_eq(mix_kmeans_score(a, Y, M, D, &sa), MIX_OK);
    ck_assert_int_eq(mix_kmeans_score(b, Y, M, D, &sb), MIX_OK);
    ck_assert(same_value(sa, sb));
}

/* Save in both forms, load each into a handle of another k, compare the
 * answers, then refit both the original and the copy (the options must
 * have come along) and compare again. The copy's own save is the
 * original's, byte for byte. */
static void km_round_trip(kmeans_t *km)
{
    double *X = blobs_data(11), *Y = tu_blobs(M, D, K, 2.0, 12);
    blob b = blob_of_km(km);
    kmeans_t *c1 = mix_kmeans_create(7), *c2 = mix_kmeans_create(1);
    ck_assert_int_eq(mix_kmeans_load_buffer(c1, b.p, b.n), MIX_OK);
    ck_assert_int_eq(mix_kmeans_save(km, tmp_path("km.mixture")), MIX_OK);
    ck_assert_int_eq(mix_kmeans_load(c2, tmp_path("km.mixture")), MIX_OK);
    ck_assert_int_eq(stray_files("km.mixture"), 0);
    blob f = read_file(tmp_path("km.mixture")), b1 = blob_of_km(c1);
    ck_assert(blob_eq(b, f)); /* the file holds the buffer's bytes */
    ck_assert(blob_eq(b, b1));
    ck_assert_ptr_null(mix_kmeans_labels(c1)); /* labels are not saved */
    ck_assert_uint_eq(mix_kmeans_n_samples(c1), 0);
    assert_km_same(km, c1, Y);
    assert_km_same(km, c2, Y);
    ck_assert_int_eq(mix_kmeans_fit(km, X, N, D, NULL), MIX_OK);
    ck_assert_int_eq(mix_kmeans_fit(c1, X, N, D, NULL), MIX_OK);
    assert_km_same(km, c1, Y);
    ck_assert_mem_eq(mix_kmeans_labels(km), mix_kmeans_labels(c1), N * sizeof(int32_t));
    mix_kmeans_free(c1);
    mix_kmeans_free(c2);
    free(b.p);
    free(f.p);
    free(b1.p);
    free(X);
    free(Y);
}

START_TEST(kmeans_round_trips)
{
    double *X = blobs_data(1);
    kmeans_t *km = km_with_options(); /* unfitted: the options alone */
    km_round_trip(km);
    mix_kmeans_free(km);
    km = km_with_options();
    ck_assert_int_eq(mix_kmeans_fit(km, X, N, D, NULL), MIX_OK);
    km_round_trip(km);
    mix_kmeans_free(km);
    km = km_with_options(); /* a model made from given centers */
    ck_assert_int_eq(mix_kmeans_set_init_centers(km, X, D), MIX_OK);
    ck_assert(isnan(mix_kmeans_inertia(km)));
    km_round_trip(km);
    mix_kmeans_free(km);
    km = km_with_options(); /* Adam, mini-batches */
    ck_assert_int_eq(mix_kmeans_set_method(km, MIX_METHOD_ADAM), MIX_OK);
    ck_assert_int_eq(mix_kmeans_fit(km, X, N, D, NULL), MIX_OK);
    km_round_trip(km);
    mix_kmeans_free(km);
    free(X);
}
END_TEST

/* What a mixture answers (gmm_t), bit for bit. */
static void assert_gmm_same(const gmm_t *a, const gmm_t *b, const double *Y)
{
    ck_assert_uint_eq(mix_gmm_n_components(a), mix_gmm_n_components(b));
    ck_assert_int_eq(mix_gmm_covariance_type(a), mix_gmm_covariance_type(b));
    ck_assert_int_eq(mix_gmm_is_fitted(a), mix_gmm_is_fitted(b));
    ck_assert_int_eq(mix_gmm_converged(a), mix_gmm_converged(b));
    ck_assert_int_eq(mix_gmm_n_iter(a), mix_gmm_n_iter(b));
    ck_assert(same_value(mix_gmm_lower_bound(a), mix_gmm_lower_bound(b)));
    if (!mix_gmm_is_fitted(a))
        return;
    const size_t k = mix_gmm_n_components(a), cl = mix_gmm_covariances_size(a);
    ck_assert_uint_eq(cl, mix_gmm_covariances_size(b));
    ck_assert_uint_eq(mix_gmm_n_parameters(a), mix_gmm_n_parameters(b));
    ck_assert(same(mix_gmm_weights(a), mix_gmm_weights(b), k));
    ck_assert(same(mix_gmm_means(a), mix_gmm_means(b), k * D));
    ck_assert(same(mix_gmm_covariances(a), mix_gmm_covariances(b), cl));
    ck_assert(same(mix_gmm_precisions_cholesky(a), mix_gmm_precisions_cholesky(b), cl));
    int32_t la[M], lb[M];
    double ra[M * K], rb[M * K], pa[M], pb[M], va, vb, Sa[M * D], Sb[M * D];
    ck_assert_int_eq(mix_gmm_predict(a, Y, M, D, la), MIX_OK);
    ck_assert_int_eq(mix_gmm_predict(b, Y, M, D, lb), MIX_OK);
    ck_assert_mem_eq(la, lb, sizeof la);
    ck_assert_int_eq(mix_gmm_predict_proba(a, Y, M, D, ra), MIX_OK);
    ck_assert_int_eq(mix_gmm_predict_proba(b, Y, M, D, rb), MIX_OK);
    ck_assert_mem_eq(ra, rb, M * k * sizeof(double));
    ck_assert_int_eq(mix_gmm_score_samples(a, Y, M, D, pa), MIX_OK);
    ck_assert_int_eq(mix_gmm_score_samples(b, Y, M, D, pb), MIX_OK);
    ck_assert_mem_eq(pa, pb, sizeof pa);
    ck_assert_int_eq(mix_gmm_bic(a, Y, M, D, &va), MIX_OK);
    ck_assert_int_eq(mix_gmm_bic(b, Y, M, D, &vb), MIX_OK);
    ck_assert(same_value(va, vb));
    ck_assert_int_eq(mix_gmm_sample(a, M, 77, Sa, la), MIX_OK);
    ck_assert_int_eq(mix_gmm_sample(b, M, 77, Sb, lb), MIX_OK);
    ck_assert_mem_eq(Sa, Sb, sizeof Sa);
    ck_assert_mem_eq(la, lb, sizeof la);
}

/* As km_round_trip; the refit is a warm start when the model allows. */
static void gmm_round_trip(gmm_t *g)
{
    double *X = blobs_data(21), *Y = tu_blobs(M, D, K, 2.0, 22);
    blob b = blob_of_gmm(g);
    gmm_t *c1 = mix_gmm_create(5, MIX_COV_DIAG), *c2 = mix_gmm_create(1, MIX_COV_SPHERICAL);
    ck_assert_int_eq(mix_gmm_load_buffer(c1, b.p, b.n), MIX_OK);
    ck_assert_int_eq(mix_gmm_save(g, tmp_path("g.mixture")), MIX_OK);
    ck_assert_int_eq(mix_gmm_load(c2, tmp_path("g.mixture")), MIX_OK);
    ck_assert_int_eq(stray_files("g.mixture"), 0);
    blob f = read_file(tmp_path("g.mixture")), b1 = blob_of_gmm(c1);
    ck_assert(blob_eq(b, f));
    ck_assert(blob_eq(b, b1));
    assert_gmm_same(g, c1, Y);
    assert_gmm_same(g, c2, Y);
    ck_assert_int_eq(mix_gmm_fit(g, X, N, D, NULL), MIX_OK);
    ck_assert_int_eq(mix_gmm_fit(c1, X, N, D, NULL), MIX_OK);
    assert_gmm_same(g, c1, Y);
    mix_gmm_free(c1);
    mix_gmm_free(c2);
    free(b.p);
    free(f.p);
    free(b1.p);
    free(X);
    free(Y);
}

static const double given_w[K] = {0.25, 0.5, 0.25};

static const double *given_cov(mix_covariance cov)
{
    static const double full[K * D * D] = {2, 0.5, 0, 0.5, 1, 0.25, 0, 0.25, 1.5,
                                           1, 0,   0, 0,   1, 0,    0, 0,    1,
                                           3, -1,  0, -1,  2, 0,    0, 0,    0.5};
    static const double diag[K * D] = {1, 2, 0.5, 0.25, 3, 1, 1, 1, 1};
    return cov == MIX_COV_FULL || cov == MIX_COV_TIED ? full : diag;
}

START_TEST(gmm_round_trips)
{
    const mix_covariance cov = (mix_covariance)_i;
    double *X = blobs_data(2);
    gmm_t *g = gmm_with_options(cov); /* unfitted */
    gmm_round_trip(g);
    mix_gmm_free(g);
    g = gmm_with_options(cov); /* fitted by EM, then refitted from it */
    ck_assert_int_eq(mix_gmm_fit(g, X, N, D, NULL), MIX_OK);
    ck_assert_int_eq(mix_gmm_set_warm_start(g, 1), MIX_OK);
    gmm_round_trip(g);
    mix_gmm_free(g);
    g = gmm_with_options(cov); /* Adam: the factors come from the precisions */
    ck_assert_int_eq(mix_gmm_set_method(g, MIX_METHOD_ADAM), MIX_OK);
    ck_assert_int_eq(mix_gmm_set_max_iter(g, 8), MIX_OK);
    ck_assert_int_eq(mix_gmm_fit(g, X, N, D, NULL), MIX_OK);
    ck_assert_int_eq(mix_gmm_set_warm_start(g, 1), MIX_OK);
    gmm_round_trip(g);
    mix_gmm_free(g);
    g = gmm_with_options(cov); /* complete given parameters: a model */
    ck_assert_int_eq(mix_gmm_set_params(g, D, given_w, X, given_cov(cov)), MIX_OK);
    ck_assert(isnan(mix_gmm_lower_bound(g)));
    ck_assert_int_eq(mix_gmm_set_warm_start(g, 1), MIX_OK);
    gmm_round_trip(g);
    mix_gmm_free(g);
    g = gmm_with_options(cov); /* some given: not a model, used by the fit */
    ck_assert_int_eq(mix_gmm_set_params(g, D, given_w, NULL, given_cov(cov)), MIX_OK);
    ck_assert_int_eq(mix_gmm_is_fitted(g), 0);
    gmm_round_trip(g);
    mix_gmm_free(g);
    free(X);
}
END_TEST

static void assert_bmm_same(const bmm_t *a, const bmm_t *b, const double *Y, size_t d)
{
    ck_assert_uint_eq(mix_bmm_n_components(a), mix_bmm_n_components(b));
    ck_assert_int_eq(mix_bmm_is_fitted(a), mix_bmm_is_fitted(b));
    ck_assert_int_eq(mix_bmm_converged(a), mix_bmm_converged(b));
    ck_assert_int_eq(mix_bmm_n_iter(a), mix_bmm_n_iter(b));
    ck_assert(same_value(mix_bmm_lower_bound(a), mix_bmm_lower_bound(b)));
    if (!mix_bmm_is_fitted(a))
        return;
    const size_t k = mix_bmm_n_components(a);
    ck_assert(same(mix_bmm_weights(a), mix_bmm_weights(b), k));
    ck_assert(same(mix_bmm_probs(a), mix_bmm_probs(b), k * d));
    double ra[M * K], rb[M * K], pa[M], pb[M], Sa[M * 8], Sb[M * 8];
    int32_t la[M], lb[M];
    ck_assert_int_eq(mix_bmm_predict_proba(a, Y, M, d, ra), MIX_OK);
    ck_assert_int_eq(mix_bmm_predict_proba(b, Y, M, d, rb), MIX_OK);
    ck_assert_mem_eq(ra, rb, M * k * sizeof(double));
    ck_assert_int_eq(mix_bmm_score_samples(a, Y, M, d, pa), MIX_OK);
    ck_assert_int_eq(mix_bmm_score_samples(b, Y, M, d, pb), MIX_OK);
    ck_assert_mem_eq(pa, pb, sizeof pa);
    ck_assert_int_eq(mix_bmm_sample(a, M, 3, Sa, la), MIX_OK);
    ck_assert_int_eq(mix_bmm_sample(b, M, 3, Sb, lb), MIX_OK);
    ck_assert_mem_eq(Sa, Sb, M * d * sizeof(double));
    ck_assert_mem_eq(la, lb, sizeof la);
}

static void bmm_round_trip(bmm_t *h, size_t d)
{
    double *X = binary_data(N, d, 31), *Y = binary_data(M, d, 32);
    blob b = blob_of_bmm(h);
    bmm_t *c1 = mix_bmm_create(9), *c2 = mix_bmm_create(1);
    ck_assert_int_eq(mix_bmm_load_buffer(c1, b.p, b.n), MIX_OK);
    ck_assert_int_eq(mix_bmm_save(h, tmp_path("b.mixture")), MIX_OK);
    ck_assert_int_eq(mix_bmm_load(c2, tmp_path("b.mixture")), MIX_OK);
    blob f = read_file(tmp_path("b.mixture")), b1 = blob_of_bmm(c1);
    ck_assert(blob_eq(b, f));
    ck_assert(blob_eq(b, b1));
    assert_bmm_same(h, c1, Y, d);
    assert_bmm_same(h, c2, Y, d);
    const int rc = mix_bmm_fit(h, X, N, d, NULL); /* the same, failure included */
    ck_assert_int_eq(mix_bmm_fit(c1, X, N, d, NULL), rc);
    ck_assert_str_eq(mix_bmm_errmsg(h), mix_bmm_errmsg(c1));
    assert_bmm_same(h, c1, Y, d);
    mix_bmm_free(c1);
    mix_bmm_free(c2);
    free(b.p);
    free(f.p);
    free(b1.p);
    free(X);
    free(Y);
}

START_TEST(bmm_round_trips)
{
    const size_t d = 6;
    double *X = binary_data(N, d, 3);
    bmm_t *h = bmm_with_options();
    bmm_round_trip(h, d);
    mix_bmm_free(h);
    h = bmm_with_options();
    ck_assert_int_eq(mix_bmm_fit(h, X, N, d, NULL), MIX_OK);
    ck_assert_int_eq(mix_bmm_set_warm_start(h, 1), MIX_OK);
    bmm_round_trip(h, d);
    mix_bmm_free(h);
    h = bmm_with_options(); /* given probabilities 0 and 1 (alpha 0 keeps them) */
    double p[K * 6];
    for (size_t i = 0; i < K * d; i++)
        p[i] = (double)(i % 5) / 4.0;
    ck_assert_int_eq(mix_bmm_set_alpha(h, 0), MIX_OK);
    ck_assert_int_eq(mix_bmm_set_params(h, d, given_w, p), MIX_OK);
    bmm_round_trip(h, d);
    mix_bmm_free(h);
    h = bmm_with_options();
    ck_assert_int_eq(mix_bmm_set_params(h, d, NULL, p), MIX_OK);
    bmm_round_trip(h, d);
    mix_bmm_free(h);
    free(X);
}
END_TEST

/* Arrays larger than the pieces a file is read and written in (64 KiB):
 * a full-covariance mixture with k = 4, d = 80 (200 KiB of covariances)
 * and K-means with k = 64, d = 150. */
START_TEST(large_models)
{
    enum { GK = 4, GD = 80, KK = 64, KD = 150 };
    double *w = malloc(GK * sizeof *w), *mu = malloc(GK * GD * sizeof *mu);
    double *cov = malloc(GK * GD * GD * sizeof *cov), *C = malloc(KK * KD * sizeof *C);
    uint64_t seed = 9;
    for (size_t j = 0; j < GK; j++) {
        w[j] = 1.0 / GK;
        for (size_t a = 0; a < GD; a++) {
            mu[j * GD + a] = tu_normal(&seed);
            for (size_t b = 0; b <= a; b++) /* diagonally dominant */
                cov[(j * GD + a) * GD + b] = cov[(j * GD + b) * GD + a] =
                    a == b ? 1.0 + tu_uniform(&seed) : (tu_uniform(&seed) - 0.5) / GD;
        }
    }
    for (size_t i = 0; i < KK * KD; i++)
        C[i] = tu_normal(&seed);
    gmm_t *g = mix_gmm_create(GK, MIX_COV_FULL), *h = mix_gmm_create(1, MIX_COV_DIAG);
    ck_assert_int_eq(mix_gmm_set_params(g, GD, w, mu, cov), MIX_OK);
    blob b = blob_of_gmm(g);
    ck_assert_uint_gt(b.n, 2 * GK * GD * GD * sizeof(double));
    ck_assert_int_eq(mix_gmm_save(g, tmp_path("big.mixture")), MIX_OK);
    ck_assert_int_eq(mix_gmm_load(h, tmp_path("big.mixture")), MIX_OK);
    blob f = blob_of_gmm(h);
    ck_assert(blob_eq(b, f));
    ck_assert(same(mix_gmm_covariances(g), mix_gmm_covariances(h), GK * GD * GD));
    ck_assert_int_eq(mix_gmm_load_buffer(h, b.p, b.n), MIX_OK);
    double *S1 = malloc(M * GD * sizeof *S1), *S2 = malloc(M * GD * sizeof *S2), l1[M], l2[M];
    ck_assert_int_eq(mix_gmm_sample(g, M, 5, S1, NULL), MIX_OK);
    ck_assert_int_eq(mix_gmm_sample(h, M, 5, S2, NULL), MIX_OK);
    ck_assert_mem_eq(S1, S2, M * GD * sizeof(double));
    ck_assert_int_eq(mix_gmm_score_samples(g, S1, M, GD, l1), MIX_OK);
    ck_assert_int_eq(mix_gmm_score_samples(h, S1, M, GD, l2), MIX_OK);
    ck_assert_mem_eq(l1, l2, sizeof l1);
    kmeans_t *km = mix_kmeans_create(KK), *k2 = mix_kmeans_create(1);
    ck_assert_int_eq(mix_kmeans_set_init_centers(km, C, KD), MIX_OK);
    ck_assert_int_eq(mix_kmeans_save(km, tmp_path("bigk.mixture")), MIX_OK);
    ck_assert_int_eq(mix_kmeans_load(k2, tmp_path("bigk.mixture")), MIX_OK);
    ck_assert(same(mix_kmeans_centers(km), mix_kmeans_centers(k2), KK * KD));
    free(b.p), free(f.p), free(w), free(mu), free(cov), free(C), free(S1), free(S2);
    mix_gmm_free(g);
    mix_gmm_free(h);
    mix_kmeans_free(km);
    mix_kmeans_free(k2);
}
END_TEST

/* A load replaces k and the covariance type, keeps the handle's callback. */
static int calls;
static int count_calls(void *user, int run, int iteration, double objective, double change)
{
    (void)user, (void)run, (void)iteration, (void)objective, (void)change;
    calls++;
    return 0;
}

START_TEST(load_replaces_shape_keeps_callback)
{
    double *X = blobs_data(4);
    gmm_t *g = mix_gmm_create(2, MIX_COV_TIED), *h = mix_gmm_create(5, MIX_COV_SPHERICAL);
    ck_assert_int_eq(mix_gmm_fit(g, X, N, D, NULL), MIX_OK);
    blob b = blob_of_gmm(g);
    ck_assert_int_eq(mix_gmm_set_callback(h, count_calls, NULL), MIX_OK);
    ck_assert_int_eq(mix_gmm_load_buffer(h, b.p, b.n), MIX_OK);
    ck_assert_uint_eq(mix_gmm_n_components(h), 2);
    ck_assert_int_eq(mix_gmm_covariance_type(h), MIX_COV_TIED);
    calls = 0;
    ck_assert_int_eq(mix_gmm_fit(h, X, N, D, NULL), MIX_OK);
    ck_assert_int_gt(calls, 0);
    mix_gmm_free(g);
    mix_gmm_free(h);
    free(b.p);
    free(X);
}
END_TEST

/* --- the size protocol and NULL arguments --------------------------------------- */

START_TEST(size_protocol)
{
    double *X = blobs_data(5);
    gmm_t *g = mix_gmm_create(K, MIX_COV_FULL);
    ck_assert_int_eq(mix_gmm_fit(g, X, N, D, NULL), MIX_OK);
    size_t size = 0, again = 0;
    ck_assert_int_eq(mix_gmm_save_buffer(g, NULL, 0, &size), MIX_OK);
    ck_assert_int_eq(mix_gmm_save_buffer(g, NULL, 12345, &again), MIX_OK); /* capacity ignored */
    ck_assert_uint_eq(size, again);
    ck_assert_int_eq(mix_gmm_save_buffer(g, NULL, 0, NULL), MIX_EINVAL);
    unsigned char *buf = malloc(size + 16);
    memset(buf, 0xAB, size + 16);
    again = 0;
    ck_assert_int_eq(mix_gmm_save_buffer(g, buf, size - 1, &again), MIX_EINVAL);
    ck_assert_uint_eq(again, size); /* the size needed, even so */
    ck_assert_ptr_nonnull(strstr(mix_gmm_errmsg(g), "needs"));
    for (size_t i = 0; i < size + 16; i++) /* and nothing written */
        ck_assert_uint_eq(buf[i], 0xAB);
    ck_assert_int_eq(mix_gmm_save_buffer(g, buf, 0, &again), MIX_EINVAL);
    ck_assert_int_eq(mix_gmm_save_buffer(g, buf, size + 16, &again), MIX_OK);
    ck_assert_uint_eq(again, size);
    for (size_t i = size; i < size + 16; i++) /* exactly size bytes */
        ck_assert_uint_eq(buf[i], 0xAB);
    ck_assert_int_eq(mix_gmm_save_buffer(g, buf, size, NULL), MIX_OK); /* size may be NULL */
    gmm_t *h = mix_gmm_create(1, MIX_COV_FULL);
    ck_assert_int_eq(mix_gmm_load_buffer(h, buf, size), MIX_OK);
    mix_gmm_free(h);
    mix_gmm_free(g);
    free(buf);
    free(X);
}
END_TEST

START_TEST(null_arguments)
{
    size_t size;
    unsigned char buf[64] = {0};
    kmeans_t *km = mix_kmeans_create(2);
    gmm_t *g = mix_gmm_create(2, MIX_COV_DIAG);
    bmm_t *b = mix_bmm_create(2);
    ck_assert_int_eq(mix_kmeans_save(NULL, "x"), MIX_EINVAL);
    ck_assert_int_eq(mix_kmeans_load(NULL, "x"), MIX_EINVAL);
    ck_assert_int_eq(mix_kmeans_save_buffer(NULL, NULL, 0, &size), MIX_EINVAL);
    ck_assert_int_eq(mix_kmeans_load_buffer(NULL, buf, sizeof buf), MIX_EINVAL);
    ck_assert_int_eq(mix_gmm_save(NULL, "x"), MIX_EINVAL);
    ck_assert_int_eq(mix_gmm_load(NULL, "x"), MIX_EINVAL);
    ck_assert_int_eq(mix_gmm_save_buffer(NULL, NULL, 0, &size), MIX_EINVAL);
    ck_assert_int_eq(mix_gmm_load_buffer(NULL, buf, sizeof buf), MIX_EINVAL);
    ck_assert_int_eq(mix_bmm_save(NULL, "x"), MIX_EINVAL);
    ck_assert_int_eq(mix_bmm_load(NULL, "x"), MIX_EINVAL);
    ck_assert_int_eq(mix_bmm_save_buffer(NULL, NULL, 0, &size), MIX_EINVAL);
    ck_assert_int_eq(mix_bmm_load_buffer(NULL, buf, sizeof buf), MIX_EINVAL);
    ck_assert_int_eq(mix_kmeans_save(km, NULL), MIX_EINVAL);
    ck_assert_int_eq(mix_kmeans_load(km, NULL), MIX_EINVAL);
    ck_assert_int_eq(mix_kmeans_load_buffer(km, NULL, 10), MIX_EINVAL);
    ck_assert_int_eq(mix_gmm_save(g, NULL), MIX_EINVAL);
    ck_assert_int_eq(mix_gmm_load(g, NULL), MIX_EINVAL);
    ck_assert_int_eq(mix_gmm_load_buffer(g, NULL, 10), MIX_EINVAL);
    ck_assert_int_eq(mix_bmm_save(b, NULL), MIX_EINVAL);
    ck_assert_int_eq(mix_bmm_load(b, NULL), MIX_EINVAL);
    ck_assert_int_eq(mix_bmm_load_buffer(b, NULL, 10), MIX_EINVAL);
    ck_assert_ptr_nonnull(strstr(mix_bmm_errmsg(b), "NULL"));
    ck_assert_int_eq(mix_kmeans_load_buffer(km, buf, 0), MIX_EFORMAT);
    ck_assert_int_eq(mix_kmeans_load_buffer(km, buf, sizeof buf), MIX_EFORMAT);
    ck_assert_ptr_nonnull(strstr(mix_kmeans_errmsg(km), "magic"));
    mix_kmeans_free(km);
    mix_gmm_free(g);
    mix_bmm_free(b);
}
END_TEST

/* --- the frozen files of format version 1 ---------------------------------------- */

static blob format_file_in(const char *dir, const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s.mixture", dir, name);
    return read_file(path);
}

static blob format_file(const char *name)
{
    return format_file_in(FORMAT_DIR, name);
}

/* The header as docs/format.md states it, of a version 1 file or another. */
static void assert_header_of(blob b, uint32_t version, uint32_t kind)
{
    ck_assert_mem_eq(b.p, "\x89MIX\r\n\x1a\n", 8);
    ck_assert_uint_eq(le32(b.p + 8), version);
    ck_assert_uint_eq(le32(b.p + 16), kind);
    ck_assert_uint_eq(le32(b.p + 20), 0);
    ck_assert_uint_eq(le64(b.p + 24), b.n);
    ck_assert_uint_eq(le32(b.p + b.n - 4), mix__crc32c(0, b.p, b.n - 4));
}

static void assert_header(blob b, uint32_t kind)
{
    assert_header_of(b, 1, kind);
}

/* The options record (KOPT or MOPT) of two saves, byte for byte. */
static void assert_same_options(blob a, blob b, const char *tag)
{
    uint64_t la = 0, lb = 0;
    size_t oa = find_record(a, tag, &la), ob = find_record(b, tag, &lb);
    ck_assert(oa != 0 && ob != 0 && la == lb);
    ck_assert_mem_eq(a.p + oa, b.p + ob, la);
}

static kmeans_t *v1_kmeans(void)
{
    kmeans_t *km = mix_kmeans_create(V1_KM_K);
    mix_kmeans_set_init(km, MIX_INIT_RANDOM_FROM_DATA);
    mix_kmeans_set_n_init(km, V1_KM_N_INIT);
    mix_kmeans_set_max_iter(km, V1_KM_MAX_ITER);
    mix_kmeans_set_tol(km, V1_KM_TOL);
    mix_kmeans_set_seed(km, V1_SEED);
    mix_kmeans_set_threads(km, V1_KM_THREADS);
    mix_kmeans_set_algorithm(km, MIX_KMEANS_LLOYD);
    mix_kmeans_set_method(km, MIX_METHOD_ADAM);
    mix_kmeans_set_adam(km, V1_ADAM_LR, V1_ADAM_BETA1, V1_ADAM_BETA2, V1_ADAM_EPS);
    mix_kmeans_set_batch_size(km, V1_BATCH);
    return km;
}

START_TEST(format_v1_kmeans)
{
    double X[V1_N * V1_G_D], score;
    v1_gauss_rows(X);
    kmeans_t *want = v1_kmeans(), *km = mix_kmeans_create(1);
    blob f = format_file("kmeans_unfitted"), w = blob_of_km(want);
    assert_header(f, 1);
    ck_assert_int_eq(mix_kmeans_load_buffer(km, f.p, f.n), MIX_OK);
    ck_assert_int_eq(mix_kmeans_is_fitted(km), 0);
    blob got = blob_of_km(km);
    ck_assert(blob_eq(got, w)); /* its options, and nothing else */
    free(f.p), free(got.p), free(w.p);

    f = format_file("kmeans_given");
    ck_assert_int_eq(mix_kmeans_set_init_centers(want, v1_km_centers, V1_KM_D), MIX_OK);
    w = blob_of_km(want);
    ck_assert_int_eq(mix_kmeans_load_buffer(km, f.p, f.n), MIX_OK);
    ck_assert(same(mix_kmeans_centers(km), v1_km_centers, V1_KM_K * V1_KM_D));
    ck_assert(isnan(mix_kmeans_inertia(km)) && mix_kmeans_n_iter(km) == 0);
    got = blob_of_km(km);
    ck_assert(blob_eq(got, w)); /* model made from the same centers, same options */
    free(f.p), free(got.p), free(w.p);

    f = format_file("kmeans_fitted");
    ck_assert_int_eq(mix_kmeans_load(km, FORMAT_DIR "/kmeans_fitted.mixture"), MIX_OK);
    ck_assert(same(mix_kmeans_centers(km), kmeans_fitted_centers, V1_KM_K * V1_KM_D));
    ck_assert(same_value(mix_kmeans_inertia(km), kmeans_fitted_inertia));
    ck_assert_int_eq(mix_kmeans_n_iter(km), (int)kmeans_fitted_n_iter);
    ck_assert_int_eq(mix_kmeans_score(km, X, V1_N, V1_G_D, &score), MIX_OK);
    ck_assert_double_eq_tol(score, kmeans_fitted_score, 1e-12 * fabs(kmeans_fitted_score));
    free(f.p);
    mix_kmeans_free(km);
    mix_kmeans_free(want);
}
END_TEST

static gmm_t *v1_gmm(mix_covariance cov)
{
    gmm_t *g = mix_gmm_create(V1_G_K, cov);
    mix_gmm_set_init(g, MIX_INIT_RANDOM);
    mix_gmm_set_n_init(g, V1_MIX_N_INIT);
    mix_gmm_set_max_iter(g, V1_MIX_MAX_ITER);
    mix_gmm_set_tol(g, V1_MIX_TOL);
    mix_gmm_set_reg_covar(g, V1_MIX_REG);
    mix_gmm_set_seed(g, V1_SEED);
    mix_gmm_set_threads(g, V1_MIX_THREADS);
    mix_gmm_set_adam(g, V1_ADAM_LR, V1_ADAM_BETA1, V1_ADAM_BETA2, V1_ADAM_EPS);
    mix_gmm_set_batch_size(g, V1_BATCH);
    return g;
}

/* A fitted file's values (expected.h), and its options. */
static void assert_v1_gmm_fitted(const char *name, mix_covariance cov, const double *w,
                                 const double *mu, const double *c, const double *p, double lb,
                                 double n_iter, double converged, double score)
{
    double X[V1_N * V1_G_D], s;
    v1_gauss_rows(X);
    blob f = format_file(name);
    assert_header(f, 2);
    gmm_t *g = mix_gmm_create(1, MIX_COV_FULL), *want = v1_gmm(cov);
    ck_assert_int_eq(mix_gmm_load_buffer(g, f.p, f.n), MIX_OK);
    const size_t cl = mix_gmm_covariances_size(g);
    ck_assert_int_eq(mix_gmm_covariance_type(g), cov);
    ck_assert(same(mix_gmm_weights(g), w, V1_G_K));
    ck_assert(same(mix_gmm_means(g), mu, V1_G_K * V1_G_D));
    ck_assert(same(mix_gmm_covariances(g), c, cl));
    ck_assert(same(mix_gmm_precisions_cholesky(g), p, cl));
    ck_assert(same_value(mix_gmm_lower_bound(g), lb));
    ck_assert_int_eq(mix_gmm_n_iter(g), (int)n_iter);
    ck_assert_int_eq(mix_gmm_converged(g), (int)converged);
    ck_assert_int_eq(mix_gmm_score(g, X, V1_N, V1_G_D, &s), MIX_OK);
    ck_assert_double_eq_tol(s, score, 1e-12 * fabs(score));
    blob got = blob_of_gmm(g), opt;
    if (strstr(name, "adam") != NULL)
        mix_gmm_set_method(want, MIX_METHOD_ADAM), mix_gmm_set_adam(want, 0.05, 0.9, 0.99, 1e-5);
    else
        mix_gmm_set_init(want, MIX_INIT_KMEANS);
    opt = blob_of_gmm(want);
    assert_same_options(got, opt, "MOPT");
    free(f.p), free(got.p), free(opt.p);
    mix_gmm_free(g);
    mix_gmm_free(want);
}

START_TEST(format_v1_gmm)
{
    static const char *const names[4] = {"full", "tied", "diag", "spherical"};
    const double *const covs[4] = {v1_g_cov_full, v1_g_cov_tied, v1_g_cov_diag,
                                   v1_g_cov_spherical};
    char name[64];
    for (int c = 0; c < 4; c++) { /* given: the exact values, the same options */
        snprintf(name, sizeof name, "gmm_%s_given", names[c]);
        blob f = format_file(name);
        assert_header(f, 2);
        gmm_t *g = mix_gmm_create(1, MIX_COV_FULL), *want = v1_gmm((mix_covariance)c);
        mix_gmm_set_warm_start(want, 1);
        ck_assert_int_eq(mix_gmm_set_params(want, V1_G_D, v1_g_weights, v1_g_means, covs[c]),
                         MIX_OK);
        ck_assert_int_eq(mix_gmm_load_buffer(g, f.p, f.n), MIX_OK);
        ck_assert(same(mix_gmm_weights(g), v1_g_weights, V1_G_K));
        ck_assert(same(mix_gmm_means(g), v1_g_means, V1_G_K * V1_G_D));
        ck_assert(same(mix_gmm_covariances(g), covs[c], mix_gmm_covariances_size(g)));
        ck_assert(isnan(mix_gmm_lower_bound(g)) && mix_gmm_n_iter(g) == 0);
        blob got = blob_of_gmm(g), w = blob_of_gmm(want);
        ck_assert(blob_eq(got, w));
        free(f.p), free(got.p), free(w.p);
        mix_gmm_free(g);
        mix_gmm_free(want);
    }
    assert_v1_gmm_fitted("gmm_full_fitted", MIX_COV_FULL, gmm_full_fitted_weights,
                         gmm_full_fitted_means, gmm_full_fitted_cov, gmm_full_fitted_prec,
                         gmm_full_fitted_lower_bound, gmm_full_fitted_n_iter,
                         gmm_full_fitted_converged, gmm_full_fitted_score);
    assert_v1_gmm_fitted("gmm_tied_fitted", MIX_COV_TIED, gmm_tied_fitted_weights,
                         gmm_tied_fitted_means, gmm_tied_fitted_cov, gmm_tied_fitted_prec,
                         gmm_tied_fitted_lower_bound, gmm_tied_fitted_n_iter,
                         gmm_tied_fitted_converged, gmm_tied_fitted_score);
    assert_v1_gmm_fitted("gmm_diag_fitted", MIX_COV_DIAG, gmm_diag_fitted_weights,
                         gmm_diag_fitted_means, gmm_diag_fitted_cov, gmm_diag_fitted_prec,
                         gmm_diag_fitted_lower_bound, gmm_diag_fitted_n_iter,
                         gmm_diag_fitted_converged, gmm_diag_fitted_score);
    assert_v1_gmm_fitted("gmm_spherical_fitted", MIX_COV_SPHERICAL, gmm_spherical_fitted_weights,
                         gmm_spherical_fitted_means, gmm_spherical_fitted_cov,
                         gmm_spherical_fitted_prec, gmm_spherical_fitted_lower_bound,
                         gmm_spherical_fitted_n_iter, gmm_spherical_fitted_converged,
                         gmm_spherical_fitted_score);
    assert_v1_gmm_fitted("gmm_full_adam", MIX_COV_FULL, gmm_full_adam_weights,
                         gmm_full_adam_means, gmm_full_adam_cov, gmm_full_adam_prec,
                         gmm_full_adam_lower_bound, gmm_full_adam_n_iter,
                         gmm_full_adam_converged, gmm_full_adam_score);
    blob f = format_file("gmm_unfitted"); /* given weights and means, no model */
    gmm_t *g = mix_gmm_create(1, MIX_COV_FULL), *want = v1_gmm(MIX_COV_DIAG);
    ck_assert_int_eq(mix_gmm_set_params(want, V1_G_D, v1_g_weights, v1_g_means, NULL), MIX_OK);
    ck_assert_int_eq(mix_gmm_load_buffer(g, f.p, f.n), MIX_OK);
    ck_assert_int_eq(mix_gmm_is_fitted(g), 0);
    blob got = blob_of_gmm(g), w = blob_of_gmm(want);
    ck_assert(blob_eq(got, w));
    free(f.p), free(got.p), free(w.p);
    mix_gmm_free(g);
    mix_gmm_free(want);
}
END_TEST

static bmm_t *v1_bmm(void)
{
    bmm_t *b = mix_bmm_create(V1_B_K);
    mix_bmm_set_init(b, MIX_INIT_KMEANSPP);
    mix_bmm_set_n_init(b, V1_MIX_N_INIT);
    mix_bmm_set_max_iter(b, V1_MIX_MAX_ITER);
    mix_bmm_set_tol(b, V1_MIX_TOL);
    mix_bmm_set_alpha(b, 0.5);
    mix_bmm_set_seed(b, V1_SEED);
    mix_bmm_set_threads(b, V1_MIX_THREADS);
    return b;
}

START_TEST(format_v1_bmm)
{
    double X[V1_N * V1_B_D], s;
    v1_binary_rows(X);
    bmm_t *b = mix_bmm_create(1), *want = v1_bmm();
    blob f = format_file("bmm_unfitted"), w, got;
    assert_header(f, 3);
    ck_assert_int_eq(mix_bmm_set_params(want, V1_B_D, NULL, v1_b_probs), MIX_OK);
    ck_assert_int_eq(mix_bmm_load_buffer(b, f.p, f.n), MIX_OK);
    ck_assert_int_eq(mix_bmm_is_fitted(b), 0);
    got = blob_of_bmm(b), w = blob_of_bmm(want);
    ck_assert(blob_eq(got, w));
    free(f.p), free(got.p), free(w.p);

    f = format_file("bmm_given");
    ck_assert_int_eq(mix_bmm_set_params(want, V1_B_D, v1_b_weights, v1_b_probs), MIX_OK);
    ck_assert_int_eq(mix_bmm_load_buffer(b, f.p, f.n), MIX_OK);
    ck_assert(same(mix_bmm_weights(b), v1_b_weights, V1_B_K));
    ck_assert(same(mix_bmm_probs(b), v1_b_probs, V1_B_K * V1_B_D));
    got = blob_of_bmm(b), w = blob_of_bmm(want);
    ck_assert(blob_eq(got, w));
    free(f.p), free(got.p), free(w.p);

    ck_assert_int_eq(mix_bmm_load(b, FORMAT_DIR "/bmm_fitted.mixture"), MIX_OK);
    ck_assert(same(mix_bmm_weights(b), bmm_fitted_weights, V1_B_K));
    ck_assert(same(mix_bmm_probs(b), bmm_fitted_probs, V1_B_K * V1_B_D));
    ck_assert(same_value(mix_bmm_lower_bound(b), bmm_fitted_lower_bound));
    ck_assert_int_eq(mix_bmm_n_iter(b), (int)bmm_fitted_n_iter);
    ck_assert_int_eq(mix_bmm_converged(b), (int)bmm_fitted_converged);
    ck_assert_int_eq(mix_bmm_score(b, X, V1_N, V1_B_D, &s), MIX_OK);
    ck_assert_double_eq_tol(s, bmm_fitted_score, 1e-12 * fabs(bmm_fitted_score));
    mix_bmm_free(b);
    mix_bmm_free(want);
}
END_TEST

/* --- hostile input -------------------------------------------------------------- */

/* A kind of handle, for the tests every kind goes through. */
typedef struct kind {
    const char *name;
    void *(*make)(void); /* a handle holding another model: the target of loads */
    void (*destroy)(void *);
    int (*load_buffer)(void *, const void *, size_t);
    int (*load)(void *, const char *);
    blob (*state)(const void *);
    const char *(*errmsg)(const void *);
} kind;

static void *km_make(void)
{
    double *X = tu_blobs(50, 2, 4, 1.0, 41);
    kmeans_t *km = mix_kmeans_create(4);
    ck_assert_int_eq(mix_kmeans_fit(km, X, 50, 2, NULL), MIX_OK);
    free(X);
    return km;
}
static void km_destroy(void *h) { mix_kmeans_free(h); }
static int km_load_buffer(void *h, const void *p, size_t n) { return mix_kmeans_load_buffer(h, p, n); }
static int km_load(void *h, const char *path) { return mix_kmeans_load(h, path); }
static blob km_state(const void *h) { return blob_of_km(h); }
static const char *km_errmsg(const void *h) { return mix_kmeans_errmsg(h); }

static void *gmm_make(void)
{
    double *X = tu_blobs(50, 2, 2, 1.0, 42);
    gmm_t *g = mix_gmm_create(2, MIX_COV_DIAG);
    ck_assert_int_eq(mix_gmm_fit(g, X, 50, 2, NULL), MIX_OK);
    free(X);
    return g;
}
static void gmm_destroy(void *h) { mix_gmm_free(h); }
static int gmm_load_buffer(void *h, const void *p, size_t n) { return mix_gmm_load_buffer(h, p, n); }
static int gmm_load(void *h, const char *path) { return mix_gmm_load(h, path); }
static blob gmm_state(const void *h) { return blob_of_gmm(h); }
static const char *gmm_errmsg(const void *h) { return mix_gmm_errmsg(h); }

static void *bmm_make(void)
{
    double *X = binary_data(50, 3, 43);
    bmm_t *b = mix_bmm_create(2);
    ck_assert_int_eq(mix_bmm_fit(b, X, 50, 3, NULL), MIX_OK);
    free(X);
    return b;
}
static void bmm_destroy(void *h) { mix_bmm_free(h); }
static int bmm_load_buffer(void *h, const void *p, size_t n) { return mix_bmm_load_buffer(h, p, n); }
static int bmm_load(void *h, const char *path) { return mix_bmm_load(h, path); }
static blob bmm_state(const void *h) { return blob_of_bmm(h); }
static const char *bmm_errmsg(const void *h) { return mix_bmm_errmsg(h); }

static const kind kinds[3] = {
    {"kmeans", km_make, km_destroy, km_load_buffer, km_load, km_state, km_errmsg},
    {"gmm", gmm_make, gmm_destroy, gmm_load_buffer, gmm_load, gmm_state, gmm_errmsg},
    {"bmm", bmm_make, bmm_destroy, bmm_load_buffer, bmm_load, bmm_state, bmm_errmsg},
};

/* The saved models every hostile test starts from, by kind. */
static blob source(int which)
{
    double *X = blobs_data(50);
    blob b = {NULL, 0};
    switch (which) {
    case 0: {
        kmeans_t *km = km_with_options();
        ck_assert_int_eq(mix_kmeans_fit(km, X, N, D, NULL), MIX_OK);
        b = blob_of_km(km);
        mix_kmeans_free(km);
        break;
    }
    case 1: {
        gmm_t *g = gmm_with_options(MIX_COV_FULL);
        ck_assert_int_eq(mix_gmm_fit(g, X, N, D, NULL), MIX_OK);
        b = blob_of_gmm(g);
        mix_gmm_free(g);
        break;
    }
    default: {
        double *B = binary_data(N, 5, 51);
        bmm_t *h = bmm_with_options();
        ck_assert_int_eq(mix_bmm_fit(h, B, N, 5, NULL), MIX_OK);
        b = blob_of_bmm(h);
        mix_bmm_free(h);
        free(B);
    }
    }
    free(X);
    return b;
}

static long n_truncations[3], n_byte_flips[3], n_bit_flips[3];

/* The load must fail with MIX_EFORMAT, say so, and change nothing. */
static void expect_rejected(const kind *kd, void *h, blob before, const void *p, size_t n,
                            const char *what)
{
    int rc = kd->load_buffer(h, p, n);
    ck_assert_msg(rc == MIX_EFORMAT, "%s: %s loaded with %d (%s)", kd->name, what, rc,
                  kd->errmsg(h));
    ck_assert_msg(strncmp(kd->errmsg(h), "buffer: ", 8) == 0, "%s", kd->errmsg(h));
    blob after = kd->state(h);
    ck_assert_msg(blob_eq(before, after), "%s: %s changed the handle", kd->name, what);
    free(after.p);
}

START_TEST(truncated_at_every_byte)
{
    const kind *kd = &kinds[_i];
    blob src = source(_i);
    void *h = kd->make();
    blob before = kd->state(h);
    char what[64];
    for (size_t n = 0; n < src.n; n++) {
        snprintf(what, sizeof what, "truncated to %zu bytes", n);
        expect_rejected(kd, h, before, src.p, n, what);
        n_truncations[_i]++;
    }
    unsigned char *longer = malloc(src.n + 9); /* and longer */
    memcpy(longer, src.p, src.n);
    memset(longer + src.n, 0, 9);
    for (size_t extra = 1; extra <= 9; extra++) {
        expect_rejected(kd, h, before, longer, src.n + extra, "with trailing bytes");
        ck_assert_ptr_nonnull(strstr(kd->errmsg(h), "trailing"));
    }
    ck_assert_int_eq(kd->load_buffer(h, src.p, src.n), MIX_OK); /* the whole: fine */
    printf("io: %s: %ld truncations (every byte of %zu)\n", kd->name, n_truncations[_i], src.n);
    free(longer);
    free(before.p);
    free(src.p);
    kd->destroy(h);
}
END_TEST

/* Every byte xor 0xFF, every single bit: the checksum catches them all. */
START_TEST(flipped_everywhere)
{
    const kind *kd = &kinds[_i];
    blob src = source(_i);
    void *h = kd->make();
    blob before = kd->state(h);
    for (size_t i = 0; i < src.n; i++) {
        src.p[i] ^= 0xFF;
        expect_rejected(kd, h, before, src.p, src.n, "a flipped byte");
        src.p[i] ^= 0xFF;
        n_byte_flips[_i]++;
        for (int bit = 0; bit < 8; bit++) {
            src.p[i] ^= (unsigned char)(1u << bit);
            expect_rejected(kd, h, before, src.p, src.n, "a flipped bit");
            src.p[i] ^= (unsigned char)(1u << bit);
            n_bit_flips[_i]++;
        }
    }
    printf("io: %s: %ld byte flips, %ld bit flips (every byte and bit of %zu)\n", kd->name,
           n_byte_flips[_i], n_bit_flips[_i], src.n);
    ck_assert_int_eq(kd->load_buffer(h, src.p, src.n), MIX_OK);
    free(before.p);
    free(src.p);
    kd->destroy(h);
}
END_TEST

/* Through files: truncated at every byte and every byte flipped (a file
 * is read once, its checksum verified at the end: other checks come
 * first there). */
START_TEST(files_truncated_and_flipped)
{
    const kind *kd = &kinds[_i];
    blob src = source(_i);
    void *h = kd->make();
    blob before = kd->state(h), after;
    const char *path = tmp_path("hostile.mixture");
    for (size_t i = 0; i < 2 * src.n; i++) {
        const size_t n = i < src.n ? i : src.n;
        if (i >= src.n)
            src.p[i - src.n] ^= 0xFF;
        write_file(path, src.p, n);
        int rc = kd->load(h, path);
        ck_assert_msg(rc == MIX_EFORMAT, "%s: file %zu gave %d (%s)", kd->name, i, rc,
                      kd->errmsg(h));
        ck_assert_msg(strstr(kd->errmsg(h), path) != NULL, "%s", kd->errmsg(h));
        if (i >= src.n)
            src.p[i - src.n] ^= 0xFF;
        after = kd->state(h);
        ck_assert(blob_eq(before, after));
        free(after.p);
    }
    free(before.p);
    free(src.p);
    kd->destroy(h);
}
END_TEST

/* Each kind's model into each other kind's handle. */
START_TEST(wrong_kind)
{
    static const char *const names[3] = {"a K-means model", "a Gaussian mixture",
                                         "a Bernoulli mixture"};
    for (int from = 0; from < 3; from++) {
        blob src = source(from);
        for (int to = 0; to < 3; to++) {
            if (to == from)
                continue;
            void *h = kinds[to].make();
            blob before = kinds[to].state(h);
            expect_rejected(&kinds[to], h, before, src.p, src.n, "another kind");
            ck_assert_ptr_nonnull(strstr(kinds[to].errmsg(h), names[from]));
            free(before.p);
            kinds[to].destroy(h);
        }
        free(src.p);
    }
}
END_TEST

/* --- forged values, with a valid checksum ----------------------------------------- */

typedef struct forgery {
    const char *tag;  /* record to edit ("HEAD": the header) */
    size_t field;     /* 8-byte field (or byte offset in the header) */
    int real;         /* write value as a double, else as an integer */
    double value;
    const char *says; /* expected in the message */
} forgery;

static blob copy_of(blob b)
{
    blob c = {malloc(b.n), b.n};
    memcpy(c.p, b.p, b.n);
    return c;
}

static void apply(blob b, const forgery *f)
{
    if (strcmp(f->tag, "HEAD") == 0) {
        put32(b.p + f->field, (uint32_t)f->value);
    } else {
        uint64_t len = 0;
        size_t off = find_record(b, f->tag, &len);
        ck_assert_msg(off != 0 && 8 * f->field < len, "no field %zu in %s", f->field, f->tag);
        if (f->real)
            set_f64(b, off + 8 * f->field, f->value);
        else
            put64(b.p + off + 8 * f->field, (uint64_t)(int64_t)f->value);
    }
    reseal(b);
}

static void expect_forgeries(int which, blob src, const forgery *list, size_t count)
{
    const kind *kd = &kinds[which];
    void *h = kd->make();
    blob before = kd->state(h);
    for (size_t i = 0; i < count; i++) {
        blob b = copy_of(src);
        apply(b, &list[i]);
        expect_rejected(kd, h, before, b.p, b.n, list[i].says);
        ck_assert_msg(strstr(kd->errmsg(h), list[i].says) != NULL, "forgery %zu of %s: %s", i,
                      kd->name, kd->errmsg(h));
        free(b.p);
    }
    free(before.p);
    kd->destroy(h);
}

START_TEST(forged_kmeans)
{
    static const forgery list[] = {
        {"HEAD", 8, 0, 3, "newer"},
        {"HEAD", 8, 0, 0, "does not exist"},
        {"HEAD", 20, 0, 1, "reserved"},
        {"HEAD", 16, 0, 9, "unknown kind"},
        {"KOPT", 0, 0, 0, "option k = 0"},
        {"KOPT", 0, 0, 1099511627776.0, "option k"},
        {"KOPT", 1, 0, 0, "option init"},
        {"KOPT", 2, 0, -1, "option n_init"},
        {"KOPT", 3, 0, 0, "option max_iter"},
        {"KOPT", 4, 1, -1, "option tol"},
        {"KOPT", 4, 1, NAN, "option tol"},
        {"KOPT", 6, 0, 5000, "option threads"},
        {"KOPT", 7, 0, 3, "option algorithm"},
        {"KOPT", 8, 0, 2, "option method"},
        {"KOPT", 9, 1, 0, "learning_rate"},
        {"KOPT", 10, 1, 1, "beta1"},
        {"KOPT", 12, 1, -1, "epsilon"},
        {"KOPT", 14, 0, 1099511627776.0, "initial centers"},
        {"KFIT", 0, 0, 0, "d = 0"},
        {"KFIT", 0, 0, 1099511627776.0, "need"},
        {"KFIT", 0, 0, 2, "SHFT"},
        {"KFIT", 1, 0, -3, "n_iter"},
        {"KFIT", 2, 1, -1, "inertia"},
        {"KFIT", 2, 1, INFINITY, "inertia"},
        {"KFIT", 3, 1, 0.75, "power of two"},
        {"KFIT", 3, 1, 0, "power of two"},
        {"SHFT", 0, 1, NAN, "shift"},
        {"CENT", 1, 1, INFINITY, "centers (CENT)"},
        {"CENU", 2, 1, NAN, "CENU"},
        {"CNRM", 0, 1, 12345.0, "squared norms"},
        {"CNRM", 1, 1, -1, "squared norms"},
    };
    blob src = source(0);
    expect_forgeries(0, src, list, sizeof list / sizeof list[0]);
    free(src.p);
}
END_TEST

START_TEST(forged_gmm)
{
    static const forgery list[] = {
        {"MOPT", 0, 0, 0, "option k"},
        {"MOPT", 1, 0, 4, "covariance type"},
        {"MOPT", 2, 0, 5, "option init"},
        {"MOPT", 3, 0, 0, "option n_init"},
        {"MOPT", 4, 0, -1, "option max_iter"},
        {"MOPT", 5, 1, -0.5, "option tol"},
        {"MOPT", 6, 1, -1e-6, "option reg_covar"},
        {"MOPT", 8, 0, 2, "option warm_start"},
        {"MOPT", 9, 0, -1, "option threads"},
        {"MOPT", 10, 0, 7, "option method"},
        {"MOPT", 13, 1, 1.5, "beta2"},
        {"MOPT", 16, 0, 3, "given"},   /* a d, but nothing given */
        {"MOPT", 17, 0, 8, "given"},   /* an unknown bit */
        {"MONL", 0, 1, 0.5, "kappa"},
        {"MONL", 0, 1, NAN, "kappa"},
        {"MONL", 1, 1, -1, "t0"},
        {"MFIT", 0, 0, 0, "d = 0"},
        {"MFIT", 0, 0, 4294967296.0, "not a valid shape"},
        {"MFIT", 0, 0, 2, "needs"},
        {"MFIT", 0, 0, 4, "need"},
        {"MFIT", 2, 0, 2, "converged"},
        {"MFIT", 3, 1, INFINITY, "lower_bound"},
        {"MFIT", 4, 1, 3, "power of two"},
        {"MFIT", 5, 0, 4, "stored flags"},
        {"SHFT", 1, 1, NAN, "shift"},
        {"WGHT", 0, 1, 0.9, "sum to"},
        {"WGHT", 0, 1, -0.25, "outside"},
        {"LWGT", 1, 1, 0.5, "log weights"},
        {"MEAU", 0, 1, INFINITY, "means (MEAU)"},
        {"COVU", 0, 1, -1, "positive definite"},
        {"COVU", 1, 1, 7, "not symmetric"},
        {"COVU", 4, 1, NAN, "not finite"},
        {"PRCU", 3, 1, 0.5, "triangular"},
        {"PRCU", 0, 1, -1, "triangular"},
        {"LDET", 0, 1, 100, "log determinants"},
        {"FACT", 1, 1, 0.5, "triangular"},
        {"FACT", 4, 1, 0, "triangular"},
        {"MEAN", 2, 1, NAN, "means (MEAN)"},
    };
    blob src = source(1);
    expect_forgeries(1, src, list, sizeof list / sizeof list[0]);
    free(src.p);
}
END_TEST

START_TEST(forged_bmm)
{
    static const forgery list[] = {
        {"MOPT", 1, 0, 1, "covariance type"},
        {"MOPT", 2, 0, 4, "option init"}, /* hierarchical: Gaussian only */
        {"MOPT", 6, 1, NAN, "option alpha"},
        {"MOPT", 17, 0, 4, "given"}, /* covariances: Gaussian only */
        {"MFIT", 4, 1, 2, "Bernoulli"},
        {"MFIT", 5, 0, 1, "stored flags"},
        {"SHFT", 0, 1, 0.5, "Bernoulli"},
        {"MEAU", 3, 1, 1.5, "probabilities (MEAU)"},
        {"MEAN", 0, 1, -0.5, "probabilities (MEAN)"},
        {"LDET", 1, 1, 1e-300, "log determinants"},
    };
    blob src = source(2);
    expect_forgeries(2, src, list, sizeof list / sizeof list[0]);
    free(src.p);
}
END_TEST

/* Given parameters are checked as the setters check them. */
START_TEST(forged_given)
{
    static const forgery list[] = {
        {"GWGT", 0, 1, 0.5, "given weights"},
        {"GMEA", 1, 1, NAN, "given means"},
        {"GCOV", 0, 1, -2, "given covariances"},
    };
    double *X = blobs_data(6);
    gmm_t *g = mix_gmm_create(K, MIX_COV_FULL);
    ck_assert_int_eq(mix_gmm_set_params(g, D, given_w, X, given_cov(MIX_COV_FULL)), MIX_OK);
    blob src = blob_of_gmm(g);
    expect_forgeries(1, src, list, sizeof list / sizeof list[0]);
    static const forgery probs[] = {{"GMEA", 2, 1, 1.25, "given probabilities"}};
    bmm_t *b = mix_bmm_create(K);
    double p[K * D];
    for (size_t i = 0; i < K * D; i++)
        p[i] = 0.5;
    ck_assert_int_eq(mix_bmm_set_params(b, D, NULL, p), MIX_OK);
    blob bs = blob_of_bmm(b);
    expect_forgeries(2, bs, probs, 1);
    free(src.p);
    free(bs.p);
    free(X);
    mix_gmm_free(g);
    mix_bmm_free(b);
}
END_TEST

/* The records of format version 2 and the sizes around them: a K-means d
 * whose arrays' total size wraps (the room check must not), the running
 * statistics of stepwise EM (its weights must stay weights), version 2
 * records in a file that says version 1, and a version 2 Gaussian file
 * without MONL. */
static blob without_record(blob src, const char *tag)
{
    uint64_t len = 0;
    const size_t at = find_record(src, tag, &len) - 16, cut = 16 + (size_t)len;
    blob b = {malloc(src.n - cut), src.n - cut};
    memcpy(b.p, src.p, at);
    memcpy(b.p + at, src.p + at + cut, src.n - at - cut);
    put64(b.p + 24, b.n);
    reseal(b);
    return b;
}

START_TEST(forged_version_2)
{
    double *X = blobs_data(9);
    kmeans_t *km = mix_kmeans_create(K);
    gmm_t *g = gmm_with_options(MIX_COV_FULL);
    ck_assert_int_eq(mix_kmeans_partial_fit(km, X, N / 2, D, NULL), MIX_OK);
    ck_assert_int_eq(mix_kmeans_partial_fit(km, X + N / 2 * D, N / 2, D, NULL), MIX_OK);
    ck_assert_int_eq(mix_gmm_partial_fit(g, X, N / 2, D, NULL), MIX_OK);
    ck_assert_int_eq(mix_gmm_partial_fit(g, X + N / 2 * D, N / 2, D, NULL), MIX_OK);
    blob ks = blob_of_km(km), gs = blob_of_gmm(g);

    kmeans_t *kh = mix_kmeans_create(1);
    blob kbefore = blob_of_km(kh);
    blob b = copy_of(ks); /* k = 3: 64 + 8 (d + 2 k d + k) wraps to 128 bytes */
    uint64_t len = 0;
    put64(b.p + find_record(b, "KFIT", &len), UINT64_C(329406144173384851));
    reseal(b);
    ck_assert_int_eq(mix_kmeans_load_buffer(kh, b.p, b.n), MIX_EFORMAT);
    ck_assert_msg(strstr(mix_kmeans_errmsg(kh), "needs more than") != NULL, "%s", mix_kmeans_errmsg(kh));
    free(b.p);
    b = copy_of(ks); /* KCNT in a file that says version 1 */
    ck_assert(find_record(b, "KCNT", &len) != 0);
    put32(b.p + 8, 1);
    reseal(b);
    ck_assert_int_eq(mix_kmeans_load_buffer(kh, b.p, b.n), MIX_EFORMAT);
    ck_assert_ptr_nonnull(strstr(mix_kmeans_errmsg(kh), "KCNT"));
    ck_assert_ptr_nonnull(strstr(mix_kmeans_errmsg(kh), "unknown to format version 1"));
    free(b.p);
    blob kafter = blob_of_km(kh);
    ck_assert(blob_eq(kbefore, kafter));

    static const forgery list[] = {
        {"MSTP", 0, 1, 0.5, "step count"},
        {"MSTP", 0, 1, NAN, "step count"},
        {"MSTP", 1, 1, -0.25, "stepwise EM's weights"},
        {"MSTP", 1, 1, 1.5, "stepwise EM's weights"},
        {"MSTP", 2, 1, INFINITY, "stepwise EM's statistics"},
    };
    expect_forgeries(1, gs, list, sizeof list / sizeof list[0]);
    gmm_t *gh = mix_gmm_create(1, MIX_COV_DIAG);
    blob gbefore = blob_of_gmm(gh);
    uint64_t lm = 0;
    const double *R = (const double *)(const void *)(gs.p + find_record(gs, "MSTP", &lm) + 8);
    double sum = 0;
    for (size_t j = 0; j < K; j++)
        sum += R[j];
    ck_assert(fabs(sum - 1) < 1e-12); /* what the weights forged above break */
    b = without_record(gs, "MONL");
    ck_assert_int_eq(mix_gmm_load_buffer(gh, b.p, b.n), MIX_EFORMAT);
    ck_assert_ptr_nonnull(strstr(mix_gmm_errmsg(gh), "MONL"));
    free(b.p);
    b = copy_of(gs); /* MONL and MSTP in a file that says version 1 */
    put32(b.p + 8, 1);
    reseal(b);
    ck_assert_int_eq(mix_gmm_load_buffer(gh, b.p, b.n), MIX_EFORMAT);
    ck_assert_ptr_nonnull(strstr(mix_gmm_errmsg(gh), "unknown to format version 1"));
    free(b.p);
    blob gafter = blob_of_gmm(gh);
    ck_assert(blob_eq(gbefore, gafter));
    free(ks.p), free(gs.p), free(kbefore.p), free(kafter.p), free(gbefore.p), free(gafter.p);
    free(X);
    mix_kmeans_free(km);
    mix_kmeans_free(kh);
    mix_gmm_free(g);
    mix_gmm_free(gh);
}
END_TEST

/* Records: unknown optional ones are skipped (later versions may add
 * them), unknown required ones, flags, lengths and order are refused. */
static blob insert_record(blob src, size_t at, const char *tag, uint32_t flags, size_t len)
{
    blob b = {malloc(src.n + 16 + len), src.n + 16 + len};
    memcpy(b.p, src.p, at);
    put32(b.p + at, TAG(tag));
    put32(b.p + at + 4, flags);
    put64(b.p + at + 8, len);
    memset(b.p + at + 16, 0x5A, len);
    memcpy(b.p + at + 16 + len, src.p + at, src.n - at);
    put64(b.p + 24, b.n);
    reseal(b);
    return b;
}

START_TEST(records)
{
    const kind *kd = &kinds[1];
    blob src = source(1);
    void *h = kd->make();
    blob before = kd->state(h);
    uint64_t len;
    const size_t mfit = find_record(src, "MFIT", &len) - 16;
    const size_t ends[3] = {32, mfit, src.n - 4};
    for (int e = 0; e < 3; e++) { /* an optional record of a later version: skipped */
        blob b = insert_record(src, ends[e], "ZNEW", 1, 24);
        ck_assert_int_eq(kd->load_buffer(h, b.p, b.n), MIX_OK);
        blob got = kd->state(h);
        ck_assert(blob_eq(got, src));
        free(got.p);
        ck_assert_int_eq(kd->load_buffer(h, before.p, before.n), MIX_OK);
        free(b.p);
        b = insert_record(src, ends[e], "ZNEW", 0, 24); /* required: refused */
        expect_rejected(kd, h, before, b.p, b.n, "an unknown record");
        ck_assert_ptr_nonnull(strstr(kd->errmsg(h), "ZNEW"));
        free(b.p);
    }
    static const struct { size_t off; uint64_t value; int width; const char *says; } edits[] = {
        {4, 2, 4, "flags"},                  /* on a known record */
        {8, 140, 8, "multiple of 8"},        /* MOPT's length */
        {8, 136, 8, "needs 144"},
        {8, 1ull << 50, 8, "claims"},
        {0, 0x5A5A5A5A, 4, "ZZZZ"},          /* a tag no reader knows */
    };
    for (size_t i = 0; i < sizeof edits / sizeof edits[0]; i++) {
        blob b = copy_of(src);
        if (edits[i].width == 4)
            put32(b.p + 32 + edits[i].off, (uint32_t)edits[i].value);
        else
            put64(b.p + 32 + edits[i].off, edits[i].value);
        reseal(b);
        expect_rejected(kd, h, before, b.p, b.n, edits[i].says);
        ck_assert_msg(strstr(kd->errmsg(h), edits[i].says) != NULL, "%s", kd->errmsg(h));
        free(b.p);
    }
    blob b = copy_of(src); /* out of order: WGHT where SHFT belongs */
    put32(b.p + find_record(b, "SHFT", NULL) - 16, TAG("WGHT"));
    reseal(b);
    expect_rejected(kd, h, before, b.p, b.n, "order");
    ck_assert_ptr_nonnull(strstr(kd->errmsg(h), "SHFT expected"));
    free(b.p);
    b = copy_of(src); /* magic */
    b.p[1] = 'W';
    expect_rejected(kd, h, before, b.p, b.n, "magic");
    ck_assert_ptr_nonnull(strstr(kd->errmsg(h), "magic"));
    free(b.p);
    free(before.p);
    free(src.p);
    kd->destroy(h);
}
END_TEST

/* --- files ------------------------------------------------------------------------ */

START_TEST(file_errors)
{
    kmeans_t *km = mix_kmeans_create(2);
    blob before = blob_of_km(km);
    ck_assert_int_eq(mix_kmeans_load(km, tmp_path("absent.mixture")), MIX_EIO);
    ck_assert_ptr_nonnull(strstr(mix_kmeans_errmsg(km), strerror(ENOENT)));
    ck_assert_int_eq(mix_kmeans_load(km, tmpdir), MIX_EIO);
    ck_assert_ptr_nonnull(strstr(mix_kmeans_errmsg(km), strerror(EISDIR)));
    ck_assert_int_eq(mix_kmeans_load(km, "/dev/null"), MIX_EIO); /* not a regular file */
    ck_assert_ptr_nonnull(strstr(mix_kmeans_errmsg(km), "not a regular file"));
    blob after = blob_of_km(km);
    ck_assert(blob_eq(before, after));
    ck_assert_int_eq(mix_kmeans_save(km, "/nonexistent-libmixture-dir/m.mixture"), MIX_EIO);
    ck_assert_ptr_nonnull(strstr(mix_kmeans_errmsg(km), strerror(ENOENT)));
    /* A directory that refuses new files: read-only for an ordinary user;
     * root ignores permissions, but not sysfs. */
    if (geteuid() != 0) {
        ck_assert_int_eq(mkdir(tmp_path("ro"), 0555), 0);
        ck_assert_int_eq(mix_kmeans_save(km, tmp_path("ro/m.mixture")), MIX_EIO);
        ck_assert_ptr_nonnull(strstr(mix_kmeans_errmsg(km), strerror(EACCES)));
        rmdir(tmp_path("ro"));
    } else {
        ck_assert_int_eq(mix_kmeans_save(km, "/sys/libmixture-test.mixture"), MIX_EIO);
        ck_assert_ptr_nonnull(strstr(mix_kmeans_errmsg(km), "/sys/libmixture-test.mixture"));
    }
    free(before.p);
    free(after.p);
    mix_kmeans_free(km);
}
END_TEST

/* What is at the path survives a failed save, and nothing is left beside
 * it; a successful save replaces it whole. */
START_TEST(atomic_save)
{
    double *X = blobs_data(7);
    gmm_t *g = mix_gmm_create(K, MIX_COV_FULL);
    ck_assert_int_eq(mix_gmm_fit(g, X, N, D, NULL), MIX_OK);
    /* A non-empty directory at the path: the rename must fail, after the
     * whole model was written beside it. */
    ck_assert_int_eq(mkdir(tmp_path("taken"), 0700), 0);
    write_file(tmp_path("taken/inside"), "keep", 4);
    ck_assert_int_eq(mix_gmm_save(g, tmp_path("taken")), MIX_EIO);
    ck_assert_ptr_nonnull(strstr(mix_gmm_errmsg(g), "cannot write"));
    blob inside = read_file(tmp_path("taken/inside"));
    ck_assert(inside.n == 4 && memcmp(inside.p, "keep", 4) == 0);
    ck_assert_int_eq(stray_files("taken"), 0); /* the file beside it is gone */
    unlink(tmp_path("taken/inside"));
    rmdir(tmp_path("taken"));
    /* Over an existing file: replaced by the model, whole. */
    write_file(tmp_path("m.mixture"), "an older file", 13);
    ck_assert_int_eq(mix_gmm_save(g, tmp_path("m.mixture")), MIX_OK);
    blob f = read_file(tmp_path("m.mixture")), b = blob_of_gmm(g);
    ck_assert(blob_eq(f, b));
    ck_assert_int_eq(stray_files("m.mixture"), 0);
    struct stat st; /* an ordinary new file's mode: 0666 less the umask */
    ck_assert_int_eq(stat(tmp_path("m.mixture"), &st), 0);
    const mode_t mask = umask(0);
    umask(mask);
    ck_assert_uint_eq(st.st_mode & 0777, 0666 & ~mask);
    free(inside.p);
    free(f.p);
    free(b.p);
    free(X);
    mix_gmm_free(g);
}
END_TEST

/* Saves are const calls: several threads may save one handle at once, to
 * memory and to files, while others predict. */
#include <pthread.h>

typedef struct saver {
    const gmm_t *g;
    int id;
    blob b;
} saver;

static void *save_concurrently(void *arg)
{
    saver *s = arg;
    char path[512]; /* not tmp_path: its buffer is shared */
    snprintf(path, sizeof path, "%s/c%d.mixture", tmpdir, s->id);
    s->b = blob_of_gmm(s->g);
    ck_assert_int_eq(mix_gmm_save(s->g, path), MIX_OK);
    return NULL;
}

START_TEST(concurrent_saves)
{
    double *X = blobs_data(8);
    gmm_t *g = mix_gmm_create(K, MIX_COV_DIAG);
    ck_assert_int_eq(mix_gmm_fit(g, X, N, D, NULL), MIX_OK);
    pthread_t t[4];
    saver s[4];
    for (int i = 0; i < 4; i++) {
        s[i] = (saver){g, i, {NULL, 0}};
        ck_assert_int_eq(pthread_create(&t[i], NULL, save_concurrently, &s[i]), 0);
    }
    for (int i = 0; i < 4; i++)
        pthread_join(t[i], NULL);
    for (int i = 1; i < 4; i++) {
        ck_assert(blob_eq(s[0].b, s[i].b));
        free(s[i].b.p);
    }
    free(s[0].b.p);
    ck_assert_int_eq(stray_files(NULL), 4);
    free(X);
    mix_gmm_free(g);
}
END_TEST

/* --- the suite ------------------------------------------------------------------- */

static void setup(void)
{
    make_tmpdir();
}

static void teardown(void)
{
    remove_tmpdir();
}

/* Format version 2: a model saved between partial_fit steps continues as
 * if it had not been saved (K-means' cluster weights, stepwise EM's
 * options, steps and running statistics), bit for bit. */
/* --- the frozen files of format version 2 ---------------------------------------- */

/* Version 2 added the incremental fits' state: each file holds a model that
 * has seen two chunks; one more chunk (the first half of the rows again)
 * must give what the saving process got (v2/expected.h) to rounding (a
 * later library may round differently), where the same parameters without
 * the state step elsewhere. */
START_TEST(format_v2_incremental)
{
    double X[V1_N * V1_G_D];
    v1_gauss_rows(X);
    blob f = format_file_in(FORMAT_V2_DIR, "kmeans_partial");
    assert_header_of(f, 2, 1);
    kmeans_t *km = mix_kmeans_create(1);
    ck_assert_int_eq(mix_kmeans_load_buffer(km, f.p, f.n), MIX_OK);
    ck_assert_int_eq(mix_kmeans_partial_fit(km, X, V2_HALF, V1_G_D, NULL), MIX_OK);
    ck_assert(tu_rel_diff(mix_kmeans_centers(km), kmeans_partial_centers, V1_KM_K * V1_KM_D) <= 1e-12);
    free(f.p);
    mix_kmeans_free(km);

    static const char *const names[2] = {"gmm_full_partial", "gmm_diag_partial"};
    const double *const w[2] = {gmm_full_partial_weights, gmm_diag_partial_weights};
    const double *const mu[2] = {gmm_full_partial_means, gmm_diag_partial_means};
    const double *const cov[2] = {gmm_full_partial_cov, gmm_diag_partial_cov};
    const double lb[2] = {gmm_full_partial_lower_bound, gmm_diag_partial_lower_bound};
    for (int c = 0; c < 2; c++) {
        f = format_file_in(FORMAT_V2_DIR, names[c]);
        assert_header_of(f, 2, 2);
        gmm_t *g = mix_gmm_create(1, MIX_COV_SPHERICAL);
        ck_assert_int_eq(mix_gmm_load_buffer(g, f.p, f.n), MIX_OK);
        ck_assert_int_eq(mix_gmm_covariance_type(g), c == 0 ? MIX_COV_FULL : MIX_COV_DIAG);
        /* the same parameters without the running state step differently */
        gmm_t *fresh = mix_gmm_create(V1_G_K, mix_gmm_covariance_type(g));
        ck_assert_int_eq(mix_gmm_set_params(fresh, V1_G_D, mix_gmm_weights(g), mix_gmm_means(g),
                                            mix_gmm_covariances(g)),
                         MIX_OK);
        ck_assert_int_eq(mix_gmm_partial_fit(fresh, X, V2_HALF, V1_G_D, NULL), MIX_OK);
        ck_assert(tu_rel_diff(mix_gmm_means(fresh), mu[c], V1_G_K * V1_G_D) > 1e-6);
        ck_assert_int_eq(mix_gmm_partial_fit(g, X, V2_HALF, V1_G_D, NULL), MIX_OK);
        ck_assert(tu_rel_diff(mix_gmm_weights(g), w[c], V1_G_K) <= 1e-12);
        ck_assert(tu_rel_diff(mix_gmm_means(g), mu[c], V1_G_K * V1_G_D) <= 1e-12);
        ck_assert(tu_rel_diff(mix_gmm_covariances(g), cov[c], mix_gmm_covariances_size(g)) <= 1e-12);
        ck_assert(fabs(mix_gmm_lower_bound(g) - lb[c]) <= 1e-12 * fabs(lb[c]));
        free(f.p);
        mix_gmm_free(g);
        mix_gmm_free(fresh);
    }
}
END_TEST

START_TEST(incremental_state_round_trips)
{
    const size_t n = 1200, d = 3, k = 3;
    double *X = tu_blobs(n, d, k, 1.0, 44);
    kmeans_t *ka = mix_kmeans_create(k), *kb = mix_kmeans_create(1);
    gmm_t *ga = mix_gmm_create(k, MIX_COV_FULL), *gb = mix_gmm_create(1, MIX_COV_DIAG);
    ck_assert_int_eq(mix_gmm_set_online(ga, 0.75, 3.5), MIX_OK);
    ck_assert_int_eq(mix_kmeans_fit(ka, X, 400, d, NULL), MIX_OK);
    ck_assert_int_eq(mix_gmm_fit(ga, X, 400, d, NULL), MIX_OK);
    ck_assert_int_eq(mix_kmeans_partial_fit(ka, X + 400 * d, 200, d, NULL), MIX_OK);
    ck_assert_int_eq(mix_gmm_partial_fit(ga, X + 400 * d, 200, d, NULL), MIX_OK);
    size_t size;
    ck_assert_int_eq(mix_kmeans_save_buffer(ka, NULL, 0, &size), MIX_OK);
    unsigned char *kbuf = malloc(size);
    ck_assert_int_eq(mix_kmeans_save_buffer(ka, kbuf, size, &size), MIX_OK);
    ck_assert_uint_eq(le32(kbuf + 8), 2); /* format version 2 */
    ck_assert_int_eq(mix_kmeans_load_buffer(kb, kbuf, size), MIX_OK);
    ck_assert_int_eq(mix_gmm_save_buffer(ga, NULL, 0, &size), MIX_OK);
    unsigned char *gbuf = malloc(size);
    ck_assert_int_eq(mix_gmm_save_buffer(ga, gbuf, size, &size), MIX_OK);
    ck_assert_int_eq(mix_gmm_load_buffer(gb, gbuf, size), MIX_OK);
    for (size_t c = 600; c < n; c += 200) {
        ck_assert_int_eq(mix_kmeans_partial_fit(ka, X + c * d, 200, d, NULL), MIX_OK);
        ck_assert_int_eq(mix_kmeans_partial_fit(kb, X + c * d, 200, d, NULL), MIX_OK);
        ck_assert_int_eq(mix_gmm_partial_fit(ga, X + c * d, 200, d, NULL), MIX_OK);
        ck_assert_int_eq(mix_gmm_partial_fit(gb, X + c * d, 200, d, NULL), MIX_OK);
        ck_assert(same(mix_kmeans_centers(ka), mix_kmeans_centers(kb), k * d));
        ck_assert(same(mix_gmm_means(ga), mix_gmm_means(gb), k * d));
        ck_assert(same(mix_gmm_covariances(ga), mix_gmm_covariances(gb), k * d * d));
        ck_assert_int_eq(mix_gmm_n_iter(ga), mix_gmm_n_iter(gb));
    }
    mix_kmeans_free(ka);
    mix_kmeans_free(kb);
    mix_gmm_free(ga);
    mix_gmm_free(gb);
    free(kbuf);
    free(gbuf);
    free(X);
}
END_TEST

Suite *io_suite(void)
{
    Suite *s = suite_create("io");
    TCase *tc = tcase_create("round_trips");
    tcase_set_timeout(tc, 120);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, kmeans_round_trips);
    tcase_add_loop_test(tc, gmm_round_trips, 0, 4);
    tcase_add_test(tc, bmm_round_trips);
    tcase_add_test(tc, large_models);
    tcase_add_test(tc, load_replaces_shape_keeps_callback);
    tcase_add_test(tc, size_protocol);
    tcase_add_test(tc, null_arguments);
    tcase_add_test(tc, format_v1_kmeans);
    tcase_add_test(tc, format_v1_gmm);
    tcase_add_test(tc, format_v1_bmm);
    tcase_add_test(tc, format_v2_incremental);
    tcase_add_test(tc, incremental_state_round_trips);
    tcase_add_test(tc, file_errors);
    tcase_add_test(tc, atomic_save);
    tcase_add_test(tc, concurrent_saves);
    suite_add_tcase(s, tc);
    TCase *hostile = tcase_create("hostile");
    tcase_set_timeout(hostile, 600);
    tcase_add_checked_fixture(hostile, setup, teardown);
    tcase_add_loop_test(hostile, truncated_at_every_byte, 0, 3);
    tcase_add_loop_test(hostile, flipped_everywhere, 0, 3);
    tcase_add_loop_test(hostile, files_truncated_and_flipped, 0, 3);
    tcase_add_test(hostile, wrong_kind);
    tcase_add_test(hostile, forged_kmeans);
    tcase_add_test(hostile, forged_gmm);
    tcase_add_test(hostile, forged_bmm);
    tcase_add_test(hostile, forged_given);
    tcase_add_test(hostile, forged_version_2);
    tcase_add_test(hostile, records);
    suite_add_tcase(s, hostile);
    return s;
}
