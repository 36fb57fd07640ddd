/* Helpers shared by the Check suites. */
#ifndef TESTUTIL_H
#define TESTUTIL_H

#include <check.h>
#include <math.h>
#include <mixture.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

Suite *api_suite(void);
Suite *kmeans_errors_suite(void);
Suite *kmeans_suite(void);
Suite *kmeans_ref_suite(void);
Suite *metrics_suite(void);
Suite *internal_suite(void);
Suite *gmm_suite(void);
Suite *gmm_errors_suite(void);
Suite *gmm_ref_suite(void);
Suite *hostile_suite(void);
Suite *weights_suite(void);
Suite *mclust_suite(void);
Suite *adam_suite(void);
Suite *bmm_suite(void);
Suite *hc_suite(void);
Suite *stream_suite(void);
Suite *online_suite(void);
Suite *io_suite(void);

/* Deterministic test data (splitmix64 + Box-Muller), independent of the
 * library's generator. */
static inline uint64_t tu_next(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

static inline double tu_uniform(uint64_t *s)
{
    return (double)(tu_next(s) >> 11) * 0x1.0p-53;
}

static inline double tu_normal(uint64_t *s)
{
    double u = 1.0 - tu_uniform(s), v = tu_uniform(s);
    return sqrt(-2.0 * log(u)) * cos(6.283185307179586 * v);
}

/* n x d blobs around `centers` random centers in [-10, 10]^d, std `sd`.
 * Caller frees. */
static inline double *tu_blobs(size_t n, size_t d, size_t centers, double sd, uint64_t seed)
{
    double *X = malloc(n * d * sizeof *X), *C = malloc(centers * d * sizeof *C);
    for (size_t i = 0; i < centers * d; i++)
        C[i] = 20 * tu_uniform(&seed) - 10;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < d; j++)
            X[i * d + j] = C[(i % centers) * d + j] + sd * tu_normal(&seed);
    free(C);
    return X;
}

/* max |a - b| / max(max |b|, tiny) */
static inline double tu_rel_diff(const double *a, const double *b, size_t n)
{
    double diff = 0, scale = 1e-300;
    for (size_t i = 0; i < n; i++) {
        diff = fmax(diff, fabs(a[i] - b[i]));
        scale = fmax(scale, fabs(b[i]));
    }
    return diff / scale;
}

#endif /* TESTUTIL_H */
