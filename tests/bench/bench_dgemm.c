/*
 * The arithmetic limit of a benchmark row (tests/bench): one bare
 * whole-matrix cblas_dgemm, C (M x N) = A (M x K) B (K x N), row-major, of
 * the shape of the row's main product (run.py chooses M, K, N: K-means
 * n x d times d x k; full covariance n x d times d x kd; ...), on OpenBLAS
 * with THREADS threads. After one warm-up call (which also touches C), the
 * product is repeated until about 0.5 s have passed (at least 3, at most 50
 * times); the median time is reported.
 *
 * Usage: bench_dgemm M K N [THREADS]
 * Prints one JSON line (with openblas_get_config()).
 *
 * SPDX-License-Identifier: BSD-3-Clause
 */
#define _POSIX_C_SOURCE 200809L
#include <cblas.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "bench_common.h"

static void fill(double *a, size_t count, uint64_t seed)
{
    uint64_t s = seed * 0x9E3779B97F4A7C15ull + 1;
    for (size_t i = 0; i < count; i++) {
        s = s * 6364136223846793005ull + 1442695040888963407ull;
        a[i] = (double)(s >> 11) * 0x1.0p-53 - 0.5;
    }
}

int main(int argc, char **argv)
{
    if (argc != 4 && argc != 5) {
        fprintf(stderr, "usage: bench_dgemm M K N [THREADS]\n");
        return 2;
    }
    size_t M = strtoull(argv[1], NULL, 10);
    size_t K = strtoull(argv[2], NULL, 10);
    size_t N = strtoull(argv[3], NULL, 10);
    int threads = argc == 5 ? atoi(argv[4]) : 2;
    if (M == 0 || K == 0 || N == 0 || threads < 1)
        return 2;
    openblas_set_num_threads(threads);

    double *A = malloc(M * K * sizeof(double));
    double *B = malloc(K * N * sizeof(double));
    double *C = malloc(M * N * sizeof(double));
    if (!A || !B || !C) {
        fprintf(stderr, "bench_dgemm: out of memory\n");
        return 2;
    }
    fill(A, M * K, 1);
    fill(B, K * N, 2);

    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)M, (int)N, (int)K, 1.0, A,
                (int)K, B, (int)N, 0.0, C, (int)N);
    double times[50];
    size_t reps = 0;
    double start = bench_now_ms();
    while (reps < 50 && (reps < 3 || bench_now_ms() - start < 500.0)) {
        double t0 = bench_now_ms();
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)M, (int)N, (int)K, 1.0, A,
                    (int)K, B, (int)N, 0.0, C, (int)N);
        times[reps++] = bench_now_ms() - t0;
    }
    double ms = bench_median(times, reps);
    double gflops = 2.0 * (double)M * (double)N * (double)K / (ms * 1e6);
    printf("{\"runner\": \"dgemm\", \"M\": %zu, \"K\": %zu, \"N\": %zu, \"threads\": %d, "
           "\"reps\": %zu, \"ms\": %.6g, \"ms_min\": %.6g, \"gflops\": %.4g, "
           "\"check\": %.6g, \"openblas\": ",
           M, K, N, threads, reps, ms, times[0], gflops, C[(M / 2) * N + N / 2]);
    bench_json_string(stdout, openblas_get_config());
    printf("}\n");
    free(A);
    free(B);
    free(C);
    return 0;
}
