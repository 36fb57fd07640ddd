/*
 * Helpers shared by the C and C++ benchmark runners of tests/bench:
 * the command line, monotonic clock, peak RSS (VmHWM), raw float64 file
 * loading, medians.
 * Header-only; every function is static.
 *
 * SPDX-License-Identifier: BSD-3-Clause
 */
#ifndef BENCH_COMMON_H
#define BENCH_COMMON_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The command line every runner takes:
 *   RUNNER MODEL X.f64 N D K MEANS.f64 WEIGHTS.f64 COV.f64 ITERATIONS [THREADS]
 * (THREADS defaults to 2; runners without threads accept it and ignore it). */
typedef struct {
    const char *model, *x_path, *means_path, *weights_path, *cov_path;
    size_t n, d, k;
    int iters, threads;
} bench_args;

/* 0 and a filled *a, or 2 after printing usage (MODELS lists the runner's). */
static inline int bench_parse_args(int argc, char **argv, const char *models, bench_args *a)
{
    if (argc != 10 && argc != 11) {
        fprintf(stderr, "usage: %s %s X.f64 N D K MEANS.f64 WEIGHTS.f64 COV.f64 ITERATIONS "
                        "[THREADS]\n", argv[0], models);
        return 2;
    }
    a->model = argv[1];
    a->x_path = argv[2];
    a->n = strtoull(argv[3], NULL, 10);
    a->d = strtoull(argv[4], NULL, 10);
    a->k = strtoull(argv[5], NULL, 10);
    a->means_path = argv[6];
    a->weights_path = argv[7];
    a->cov_path = argv[8];
    a->iters = atoi(argv[9]);
    a->threads = argc == 11 ? atoi(argv[10]) : 2;
    return 0;
}

/* Milliseconds on CLOCK_MONOTONIC. */
static inline double bench_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec * 1e-6;
}

/* Peak resident set size of this process so far (VmHWM), in MiB; -1 if
   /proc/self/status cannot be read. */
static inline double bench_vmhwm_mib(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    if (!f)
        return -1.0;
    char line[256];
    double kib = -1.0;
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "VmHWM:", 6) == 0) {
            kib = strtod(line + 6, NULL);
            break;
        }
    }
    fclose(f);
    return kib < 0 ? -1.0 : kib / 1024.0;
}

/* Read exactly count float64 values (little-endian, as this machine) from
   path into a new malloc'd array, touching every page. Exits on error. */
static inline double *bench_load_f64(const char *path, size_t count)
{
    double *a = (double *)malloc((count ? count : 1) * sizeof(double));
    if (!a) {
        fprintf(stderr, "out of memory loading %s\n", path);
        exit(2);
    }
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "cannot open %s\n", path);
        exit(2);
    }
    size_t got = fread(a, sizeof(double), count, f);
    fclose(f);
    if (got != count) {
        fprintf(stderr, "%s: expected %zu values, read %zu\n", path, count, got);
        exit(2);
    }
    return a;
}

static inline int bench_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Median of v[0..m) (sorts v in place); -1 when m is 0. */
static inline double bench_median(double *v, size_t m)
{
    if (m == 0)
        return -1.0;
    qsort(v, m, sizeof(double), bench_cmp_double);
    return m % 2 ? v[m / 2] : 0.5 * (v[m / 2 - 1] + v[m / 2]);
}

/* Per-iteration statistics from timestamps: t0 before the fit, ts[i] at the
   end of iteration i + 1 (i < m). The first interval includes the set-up and
   is reported separately; the median is over the following ones (or over
   the first when it is the only one). */
typedef struct {
    double first_ms;  /* end of iteration 1 minus start of the fit */
    double median_ms; /* median duration of iterations 2..m */
    size_t n_used;    /* number of intervals in the median */
} bench_iter_stats;

static inline bench_iter_stats bench_iter_times(double t0, const double *ts, size_t m)
{
    bench_iter_stats s = {-1.0, -1.0, 0};
    if (m == 0)
        return s;
    s.first_ms = ts[0] - t0;
    if (m == 1) {
        s.median_ms = s.first_ms;
        s.n_used = 1;
        return s;
    }
    double *iv = (double *)malloc((m - 1) * sizeof(double));
    if (!iv)
        return s;
    for (size_t i = 1; i < m; i++)
        iv[i - 1] = ts[i] - ts[i - 1];
    s.median_ms = bench_median(iv, m - 1);
    s.n_used = m - 1;
    free(iv);
    return s;
}

/* Write s as a JSON string literal (quotes included) to f. */
static inline void bench_json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c < 0x20)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

#endif /* BENCH_COMMON_H */
