/*
 * A data file larger than the memory the fit uses: the rows are read from
 * the file by a reader callback, one block at a time, pass after pass
 * (mix_gmm_fit_stream, mix_kmeans_fit_stream). The program writes its own
 * file of --rows rows (default 4,000,000 x 16 doubles: 512 MB), fits it
 * streamed, then reads it whole and fits it in memory, and reports each
 * fit's time and the process's peak memory after it: the streamed fit's
 * peak stays at a few megabytes whatever the file's size, and both fits
 * give the same model, bit for bit.
 *
 *   ./large_file [--rows N] [--file PATH] [--keep]
 *
 * `make check` runs it with --rows 40000.
 */
#define _POSIX_C_SOURCE 200809L /* clock_gettime, getrusage */
#include <mixture.h>

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

enum { D = 16, K = 6, WRITE_ROWS = 4096 };

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* Peak resident memory of the process so far, in MB. */
static double peak_mb(void)
{
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    return (double)u.ru_maxrss / 1024.0;
}

/* K blobs in D dimensions, from a small generator of our own. */
static double uniform(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return (double)(*s >> 11) * 0x1.0p-53;
}

static int write_file(const char *path, size_t rows)
{
    FILE *f = fopen(path, "wb");
    if (f == NULL)
        return -1;
    double *buf = malloc(sizeof(double) * WRITE_ROWS * D);
    uint64_t s = 88172645463325252u;
    for (size_t done = 0; buf != NULL && done < rows;) {
        size_t m = rows - done < WRITE_ROWS ? rows - done : WRITE_ROWS;
        for (size_t i = 0; i < m; i++) {
            size_t c = (size_t)(uniform(&s) * K);
            for (size_t t = 0; t < D; t++) {
                double u = 1.0 - uniform(&s), v = uniform(&s);
                buf[i * D + t] = 1.6 * (double)((c + t) % K == 0) + 0.8 * (double)(c % 3) +
                                 sqrt(-2.0 * log(u)) * cos(6.283185307179586 * v);
            }
        }
        if (fwrite(buf, sizeof(double) * D, m, f) != m)
            break;
        done += m;
    }
    free(buf);
    return fclose(f) == 0 && buf != NULL ? 0 : -1;
}

/* The reader: rows straight from the file; at its end, rewind for the next
 * pass and say 0. */
static long read_file(void *user, double *X, double *w, size_t max_rows)
{
    (void)w;
    FILE *f = user;
    size_t got = fread(X, sizeof(double) * D, max_rows, f);
    if (got == 0) {
        if (ferror(f))
            return -1;
        rewind(f);
    }
    return (long)got;
}

int main(int argc, char **argv)
{
    size_t rows = 4000000;
    const char *path = "large_file.bin";
    int keep = 0;
    for (int a = 1; a < argc; a++) {
        if (strcmp(argv[a], "--rows") == 0 && a + 1 < argc)
            rows = (size_t)strtoull(argv[++a], NULL, 10);
        else if (strcmp(argv[a], "--file") == 0 && a + 1 < argc)
            path = argv[++a];
        else if (strcmp(argv[a], "--keep") == 0)
            keep = 1;
    }
    if (rows < K || write_file(path, rows) != 0) {
        fprintf(stderr, "cannot write %zu rows to %s\n", rows, path);
        return 1;
    }
    printf("%s: %zu rows x %d doubles, %.0f MB\n", path, rows, D,
           (double)rows * D * sizeof(double) / 1e6);
    gmm_t *streamed = mix_gmm_create(K, MIX_COV_DIAG), *memory = mix_gmm_create(K, MIX_COV_DIAG);
    mix_gmm_set_max_iter(streamed, 30);
    mix_gmm_set_max_iter(memory, 30);

    /* Streamed: the file is the data. */
    FILE *f = fopen(path, "rb");
    double t0 = now();
    int rc = f ? mix_gmm_fit_stream(streamed, D, read_file, f) : MIX_EIO;
    double t_stream = now() - t0, peak_stream = peak_mb();
    if (f)
        fclose(f);
    if (rc != MIX_OK) {
        fprintf(stderr, "streamed fit: %s\n", mix_gmm_errmsg(streamed));
        return 1;
    }
    printf("streamed:  %6.2f s, peak memory %7.1f MB, lower bound %.10f, %d iterations\n",
           t_stream, peak_stream, mix_gmm_lower_bound(streamed), mix_gmm_n_iter(streamed));

    /* In memory: the whole file read first. */
    double *X = malloc(sizeof(double) * D * rows);
    f = fopen(path, "rb");
    if (X == NULL || f == NULL || fread(X, sizeof(double) * D, rows, f) != rows) {
        fprintf(stderr, "cannot read %s into memory\n", path);
        return 1;
    }
    fclose(f);
    t0 = now();
    rc = mix_gmm_fit(memory, X, rows, D, NULL);
    double t_memory = now() - t0;
    if (rc != MIX_OK) {
        fprintf(stderr, "in-memory fit: %s\n", mix_gmm_errmsg(memory));
        return 1;
    }
    printf("in memory: %6.2f s, peak memory %7.1f MB, lower bound %.10f, %d iterations\n",
           t_memory, peak_mb(), mix_gmm_lower_bound(memory), mix_gmm_n_iter(memory));
    const int same =
        memcmp(mix_gmm_means(streamed), mix_gmm_means(memory), sizeof(double) * K * D) == 0 &&
        memcmp(mix_gmm_covariances(streamed), mix_gmm_covariances(memory),
               sizeof(double) * K * D) == 0;
    printf("the two models are %s; the streamed fit took %.2fx the in-memory time\n",
           same ? "identical" : "DIFFERENT", t_stream / t_memory);
    free(X);
    mix_gmm_free(streamed);
    mix_gmm_free(memory);
    if (!keep)
        remove(path);
    return same ? 0 : 1;
}
