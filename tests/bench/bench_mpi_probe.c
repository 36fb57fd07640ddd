/*
 * What MPI ranks can gain on this machine, without libmixture (tests/bench,
 * the MPI section of run.py): the baseline that examples/mpi/mpi_fit.c's
 * speed-ups are read against.
 *
 *   mpirun -n P bench_mpi_probe [--n ROWS] [--d D] [--len DOUBLES]
 *
 * Prints one JSON line (rank 0):
 *   allreduce_us  a bare in-place MPI_Allreduce (sum) of 1 double and of
 *                 DOUBLES doubles (default 2189: what one EM iteration of
 *                 mpi_fit's full-covariance model sends), the fastest of
 *                 5 batches of 400 calls, per call
 *   fma_s         a fixed amount of FMA arithmetic (AVX2 when the CPU has
 *                 it; 10 independent chains, no memory traffic) split
 *                 evenly over the ranks, then one allreduce: the slowest
 *                 rank's time, fastest of 3
 *   scalar_s      the same with one dependent scalar chain (latency-bound:
 *                 it leaves a core's arithmetic units mostly idle)
 *   pass_s        a trivial "fit": 50 passes over ROWS x D doubles
 *                 (default 200000 x 16) split over the ranks, each pass a
 *                 weighted sum of squares per column (one read of the
 *                 shard) followed by an allreduce of DOUBLES doubles, as
 *                 an EM iteration is; fastest of 3
 * The ratio of a quantity at 1 rank to P ranks is what perfect code could
 * gain from P ranks here: two ranks share the machine's memory bandwidth,
 * and on a virtual machine two vCPUs may share a physical core's units.
 *
 * SPDX-License-Identifier: BSD-3-Clause
 */
#define _POSIX_C_SOURCE 200809L
#include <mpi.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define HAVE_AVX2_PATH 1
#endif

/* n iterations of 10 independent FMA chains on 4-wide vectors (80 flops
 * per iteration). */
#ifdef HAVE_AVX2_PATH
__attribute__((target("avx2,fma"))) static double fma_avx2(long n)
{
    __m256d a[10];
    for (int j = 0; j < 10; j++)
        a[j] = _mm256_set1_pd(0.1 * j);
    const __m256d m = _mm256_set1_pd(0.9999999), b = _mm256_set1_pd(1e-9);
    for (long i = 0; i < n; i++)
        for (int j = 0; j < 10; j++)
            a[j] = _mm256_fmadd_pd(a[j], m, b);
    double out[4], s = 0;
    for (int j = 0; j < 10; j++) {
        _mm256_storeu_pd(out, a[j]);
        s += out[0] + out[1] + out[2] + out[3];
    }
    return s;
}
#endif

static double fma_plain(long n)
{
    double a[40];
    for (int j = 0; j < 40; j++)
        a[j] = 0.1 * (j % 10);
    for (long i = 0; i < n; i++)
        for (int j = 0; j < 40; j++)
            a[j] = a[j] * 0.9999999 + 1e-9;
    double s = 0;
    for (int j = 0; j < 40; j++)
        s += a[j];
    return s;
}

static double fma_loop(long n)
{
#ifdef HAVE_AVX2_PATH
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
        return fma_avx2(n);
#endif
    return fma_plain(n);
}

static double scalar_loop(long n)
{
    double x = 1.0, y = 0;
    for (long i = 0; i < n; i++) {
        x = x * 1.0000001 + 1e-9;
        y += x;
    }
    return y;
}

static double sink; /* keeps the loops' results alive */

typedef struct probe {
    MPI_Comm comm;
    int rank, size;
    long units; /* total work of a loop, split over the ranks */
    double *X, *buf;
    size_t rows, d, len;
} probe;

/* The slowest rank's time for its share of a loop, fastest of `tries`. */
static double timed(const probe *p, int kind, int tries)
{
    double best = 0;
    for (int t = 0; t < tries; t++) {
        const long first = (long)((double)p->units * p->rank / p->size);
        const long share = (long)((double)p->units * (p->rank + 1) / p->size) - first;
        MPI_Barrier(p->comm);
        const double t0 = MPI_Wtime();
        if (kind == 0) {
            sink += fma_loop(share);
        } else if (kind == 1) {
            sink += scalar_loop(share);
        } else {
            for (int it = 0; it < 50; it++) {
                memset(p->buf, 0, p->len * sizeof(double));
                for (size_t i = 0; i < p->rows; i++)
                    for (size_t j = 0; j < p->d; j++)
                        p->buf[j] += p->X[i * p->d + j] * p->X[i * p->d + j];
                MPI_Allreduce(MPI_IN_PLACE, p->buf, (int)p->len, MPI_DOUBLE, MPI_SUM, p->comm);
                sink += p->buf[0];
            }
        }
        double mine = MPI_Wtime() - t0, slowest;
        MPI_Allreduce(&mine, &slowest, 1, MPI_DOUBLE, MPI_MAX, p->comm);
        best = t == 0 || slowest < best ? slowest : best;
    }
    return best;
}

/* Microseconds per in-place allreduce of len doubles, fastest of 5 batches. */
static double allreduce_us(const probe *p, size_t len)
{
    double best = 0;
    for (int i = 0; i < 20; i++) /* warm-up: connections, buffers */
        MPI_Allreduce(MPI_IN_PLACE, p->buf, (int)len, MPI_DOUBLE, MPI_SUM, p->comm);
    for (int b = 0; b < 5; b++) {
        MPI_Barrier(p->comm);
        const double t0 = MPI_Wtime();
        for (int i = 0; i < 400; i++)
            MPI_Allreduce(MPI_IN_PLACE, p->buf, (int)len, MPI_DOUBLE, MPI_SUM, p->comm);
        double mine = (MPI_Wtime() - t0) / 400 * 1e6, slowest;
        MPI_Allreduce(&mine, &slowest, 1, MPI_DOUBLE, MPI_MAX, p->comm);
        best = b == 0 || slowest < best ? slowest : best;
    }
    return best;
}

int main(int argc, char **argv)
{
    MPI_Init(&argc, &argv);
    probe p = {MPI_COMM_WORLD, 0, 1, 0, NULL, NULL, 0, 16, 2189};
    MPI_Comm_rank(p.comm, &p.rank);
    MPI_Comm_size(p.comm, &p.size);
    size_t n = 200000;
    for (int a = 1; a + 1 < argc; a += 2) {
        if (strcmp(argv[a], "--n") == 0)
            n = (size_t)strtoull(argv[a + 1], NULL, 10);
        else if (strcmp(argv[a], "--d") == 0)
            p.d = (size_t)strtoull(argv[a + 1], NULL, 10);
        else if (strcmp(argv[a], "--len") == 0)
            p.len = (size_t)strtoull(argv[a + 1], NULL, 10);
    }
    if (p.len < p.d)
        p.len = p.d;
    const size_t first = (size_t)p.rank * n / (size_t)p.size;
    p.rows = (size_t)(p.rank + 1) * n / (size_t)p.size - first;
    p.X = malloc(sizeof(double) * p.d * (p.rows ? p.rows : 1));
    p.buf = calloc(p.len, sizeof(double));
    if (p.X == NULL || p.buf == NULL)
        MPI_Abort(p.comm, 2);
    for (size_t i = 0; i < p.rows * p.d; i++)
        p.X[i] = (double)((first * p.d + i) % 1000) * 1e-3;

    const double ar1 = allreduce_us(&p, 1), arn = allreduce_us(&p, p.len);
    p.units = 40000000; /* about 0.2 s of FMA work on one core */
    const double fma_s = timed(&p, 0, 3);
    p.units = 150000000; /* about 0.25 s of dependent scalar work */
    const double scalar_s = timed(&p, 1, 3);
    const double pass_s = timed(&p, 2, 3);
    if (p.rank == 0)
        printf("{\"ranks\": %d, \"n\": %zu, \"d\": %zu, \"len\": %zu, \"allreduce_us_1\": %.3f, "
               "\"allreduce_us_len\": %.3f, \"fma_s\": %.6f, \"scalar_s\": %.6f, "
               "\"pass_s\": %.6f, \"sink\": %g}\n",
               p.size, n, p.d, p.len, ar1, arn, fma_s, scalar_s, pass_s, sink != 0 ? 1.0 : 0.0);
    free(p.X);
    free(p.buf);
    MPI_Finalize();
    return 0;
}
