/*
 * What the files of format version 1 (the .mixture files of tests/format/v1) were made
 * from: given parameters (exact binary fractions, so that a loaded model's
 * values can be asserted exactly), the options of every handle, and the
 * data of the fitted ones. Shared by their generator (tests/format/gen_v1.c)
 * and the test that loads them (tests/unit/test_io.c). Never change: the
 * files are frozen.
 */
#ifndef FORMAT_V1_PARAMS_H
#define FORMAT_V1_PARAMS_H

#include <stddef.h>
#include <stdint.h>

/* K-means: 3 centers in 2 dimensions. */
#define V1_KM_K 3
#define V1_KM_D 2
static const double v1_km_centers[V1_KM_K * V1_KM_D] = {0.5, -1.25, 4.0, 2.5, -3.75, 0.125};

/* Gaussian mixtures: 3 components in 2 dimensions. */
#define V1_G_K 3
#define V1_G_D 2
static const double v1_g_weights[V1_G_K] = {0.25, 0.5, 0.25};
static const double v1_g_means[V1_G_K * V1_G_D] = {0.0, 0.0, 4.0, 1.0, -2.0, 3.5};
static const double v1_g_cov_full[V1_G_K * V1_G_D * V1_G_D] = {2.0, 0.5,   0.5, 1.0,  1.0, -0.25,
                                                                 -0.25, 0.5, 0.75, 0.0, 0.0, 1.5};
static const double v1_g_cov_tied[V1_G_D * V1_G_D] = {1.5, 0.25, 0.25, 0.75};
static const double v1_g_cov_diag[V1_G_K * V1_G_D] = {1.0, 2.0, 0.5, 0.25, 3.0, 1.0};
static const double v1_g_cov_spherical[V1_G_K] = {1.0, 0.5, 2.0};

/* Bernoulli mixtures: 3 components of 4 bits. */
#define V1_B_K 3
#define V1_B_D 4
static const double v1_b_weights[V1_B_K] = {0.5, 0.25, 0.25};
static const double v1_b_probs[V1_B_K * V1_B_D] = {0.125, 0.875, 0.5, 0.25, 0.75, 0.0625,
                                                   0.9375, 0.5, 0.25, 0.5, 0.125, 1.0};

/* The data of the fitted files: n rows around the given means (or the
 * probabilities' patterns), from integer arithmetic only, so that any
 * machine makes the same rows. */
#define V1_N 120
static inline double v1_noise(size_t i)
{
    return (double)((i * 7919u + 13u) % 257u) / 128.0 - 1.0; /* in [-1, 1) */
}

static inline void v1_gauss_rows(double *X)
{
    for (size_t i = 0; i < V1_N; i++)
        for (size_t t = 0; t < V1_G_D; t++)
            X[i * V1_G_D + t] = v1_g_means[(i % V1_G_K) * V1_G_D + t] + v1_noise(i * V1_G_D + t);
}

static inline void v1_binary_rows(double *X)
{
    for (size_t i = 0; i < V1_N; i++)
        for (size_t t = 0; t < V1_B_D; t++)
            X[i * V1_B_D + t] =
                (double)((i * 31u + t * 17u) % 16u) / 16.0 < v1_b_probs[(i % V1_B_K) * V1_B_D + t];
}

/* Options every file's handle was given (not the defaults, so that a
 * default cannot pass for a saved value). */
#define V1_SEED 20261127u
#define V1_KM_N_INIT 4
#define V1_KM_MAX_ITER 77
#define V1_KM_TOL 0.125
#define V1_KM_THREADS 1
#define V1_ADAM_LR 0.5
#define V1_ADAM_BETA1 0.25
#define V1_ADAM_BETA2 0.75
#define V1_ADAM_EPS 0.0625
#define V1_BATCH 32
#define V1_MIX_N_INIT 2
#define V1_MIX_MAX_ITER 25
#define V1_MIX_TOL 0.0
#define V1_MIX_REG 0.0009765625 /* 2^-10 */
#define V1_MIX_THREADS 1

#endif /* FORMAT_V1_PARAMS_H */
