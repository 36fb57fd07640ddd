/*
 * Fitting over MPI: every rank holds a shard of the rows and fits it as
 * part of the whole. The library never links MPI; this program hands it
 * MPI_Allreduce as its one way across ranks (mix_*_set_distributed).
 *
 *   mpicc mpi_fit.c $(pkg-config --cflags --libs mixture) -o mpi_fit
 *   mpirun -n 3 ./mpi_fit [--n ROWS] [--stream] [--check] [--model kmeans|full|...]
 *                         [--repeats R] [--json]
 *
 * Rows are made from their global index (the same rows whatever the number
 * of ranks); rank r takes rows [r n / size, (r + 1) n / size), in memory or
 * (--stream) through a reader. --check also fits all rows in one process
 * on rank 0 and compares: the result must agree to 1e-10 relative (the
 * exit status says so). Times are the slowest rank's, from MPI_Wtime.
 * --repeats R fits every model R times and reports the fastest fit (for
 * benchmarks on a shared machine); --json prints one line per model with
 * every fit's time, the calls to the allreduce and the time spent in it
 * per rank, and each rank's peak resident memory (tests/bench/run.py reads
 * it; --check is then left out).
 */
#include <mixture.h>
#include <mpi.h>

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { D = 16, K = 8 };

/* The communicator the fits reduce over, and what went through it. */
typedef struct reducer {
    MPI_Comm comm;
    long calls;     /* allreduce calls */
    double doubles; /* values summed */
    double seconds; /* time inside MPI_Allreduce (waiting for the other ranks included) */
} reducer;

/* The allreduce the library calls: an in-place sum over the communicator. */
static int mpi_sum(void *user, double *buf, size_t len)
{
    reducer *red = user;
    MPI_Comm comm = red->comm;
    const double t0 = MPI_Wtime();
    red->calls++;
    red->doubles += (double)len;
    while (len > 0) { /* MPI counts are int */
        int part = len > INT_MAX ? INT_MAX : (int)len;
        if (MPI_Allreduce(MPI_IN_PLACE, buf, part, MPI_DOUBLE, MPI_SUM, comm) != MPI_SUCCESS)
            return 1;
        buf += part;
        len -= (size_t)part;
    }
    red->seconds += MPI_Wtime() - t0;
    return 0;
}

/* Peak resident memory of this process (VmHWM) in MiB; -1 if unknown. */
static double peak_rss_mib(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    double kib = -1;
    while (f != NULL && fgets(line, sizeof line, f) != NULL)
        if (strncmp(line, "VmHWM:", 6) == 0)
            kib = strtod(line + 6, NULL);
    if (f != NULL)
        fclose(f);
    return kib < 0 ? -1 : kib / 1024;
}

/* Row i of the data: K blobs in D dimensions, drawn from i alone. */
static uint64_t mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

static double unit(uint64_t *s)
{
    *s = mix64(*s + 0x9e3779b97f4a7c15u);
    return (double)(*s >> 11) * 0x1.0p-53;
}

static void make_rows(size_t first, size_t n, double *X)
{
    for (size_t i = 0; i < n; i++) {
        const size_t g = first + i, c = mix64(g) % K;
        uint64_t s = g * 0x2545f4914f6cdd1du;
        for (size_t t = 0; t < D; t++) {
            double u = 1.0 - unit(&s), v = unit(&s);
            X[i * D + t] = 1.0 * (double)((c >> (t % 3)) & 1) + (double)(c == t % K) * 1.5 +
                           sqrt(-2.0 * log(u)) * cos(6.283185307179586 * v);
        }
    }
}

/* A reader over this rank's rows, 1000 at a time, made as they are read. */
typedef struct shard_reader {
    size_t first, n, pos;
} shard_reader;

static long read_shard(void *user, double *X, double *w, size_t max_rows)
{
    (void)w;
    shard_reader *r = user;
    size_t m = r->n - r->pos < 1000 ? r->n - r->pos : 1000;
    m = m < max_rows ? m : max_rows;
    make_rows(r->first + r->pos, m, X);
    r->pos = m == 0 ? 0 : r->pos + m;
    return (long)m;
}

typedef struct job {
    const char *name; /* "kmeans" or a covariance type */
    int cov;          /* -1 for K-means */
} job;

static const job jobs[] = {{"kmeans", -1},       {"full", MIX_COV_FULL},
                           {"tied", MIX_COV_TIED}, {"diag", MIX_COV_DIAG},
                           {"spherical", MIX_COV_SPHERICAL}};

/* Fit one model on rows (X, n) or through the reader; the result as
 * centers/means (K x D) and an objective (inertia or lower bound). */
static int fit(const job *j, reducer *comm, int rank, int size, const double *X, size_t n,
               shard_reader *reader, double *centers, double *objective, int *n_iter)
{
    int rc;
    if (j->cov < 0) {
        kmeans_t *km = mix_kmeans_create(K);
        mix_kmeans_set_seed(km, 1);
        mix_kmeans_set_n_init(km, 2);
        mix_kmeans_set_threads(km, 1);
        if (comm)
            mix_kmeans_set_distributed(km, rank, size, mpi_sum, comm);
        rc = reader ? mix_kmeans_fit_stream(km, D, read_shard, reader)
                    : mix_kmeans_fit(km, X, n, D, NULL);
        if (rc == MIX_OK) {
            memcpy(centers, mix_kmeans_centers(km), sizeof(double) * K * D);
            *objective = mix_kmeans_inertia(km);
            *n_iter = mix_kmeans_n_iter(km);
        } else {
            fprintf(stderr, "rank %d: kmeans: %s\n", rank, mix_kmeans_errmsg(km));
        }
        mix_kmeans_free(km);
        return rc;
    }
    gmm_t *g = mix_gmm_create(K, (mix_covariance)j->cov);
    mix_gmm_set_seed(g, 1);
    mix_gmm_set_threads(g, 1);
    mix_gmm_set_max_iter(g, 50);
    if (comm)
        mix_gmm_set_distributed(g, rank, size, mpi_sum, comm);
    rc = reader ? mix_gmm_fit_stream(g, D, read_shard, reader) : mix_gmm_fit(g, X, n, D, NULL);
    if (rc == MIX_OK) {
        memcpy(centers, mix_gmm_means(g), sizeof(double) * K * D);
        *objective = mix_gmm_lower_bound(g);
        *n_iter = mix_gmm_n_iter(g);
    } else {
        fprintf(stderr, "rank %d: %s: %s\n", rank, j->name, mix_gmm_errmsg(g));
    }
    mix_gmm_free(g);
    return rc;
}

static double rel_diff(const double *a, const double *b, size_t m)
{
    double num = 0, den = 0;
    for (size_t i = 0; i < m; i++) {
        num = fmax(num, fabs(a[i] - b[i]));
        den = fmax(den, fabs(b[i]));
    }
    return num / (den > 0 ? den : 1);
}

int main(int argc, char **argv)
{
    MPI_Init(&argc, &argv);
    MPI_Comm comm = MPI_COMM_WORLD;
    reducer red = {comm, 0, 0, 0};
    int rank, size;
    MPI_Comm_rank(comm, &rank);
    MPI_Comm_size(comm, &size);
    size_t n = 200000;
    int stream = 0, check = 0, repeats = 1, json = 0;
    const char *only = NULL;
    for (int a = 1; a < argc; a++) {
        if (strcmp(argv[a], "--n") == 0 && a + 1 < argc)
            n = (size_t)strtoull(argv[++a], NULL, 10);
        else if (strcmp(argv[a], "--stream") == 0)
            stream = 1;
        else if (strcmp(argv[a], "--check") == 0)
            check = 1;
        else if (strcmp(argv[a], "--model") == 0 && a + 1 < argc)
            only = argv[++a];
        else if (strcmp(argv[a], "--repeats") == 0 && a + 1 < argc && atoi(argv[a + 1]) > 0)
            repeats = atoi(argv[++a]);
        else if (strcmp(argv[a], "--json") == 0)
            json = 1;
    }
    const size_t first = (size_t)rank * n / (size_t)size;
    const size_t mine = (size_t)(rank + 1) * n / (size_t)size - first;
    double *X = malloc(sizeof(double) * D * (mine ? mine : 1));
    make_rows(first, mine, X);
    const double rss_data = peak_rss_mib();
    int bad = 0;
    if (rank == 0 && !json)
        printf("%d rank(s), %zu rows x %d columns, k = %d, %s shards\n", size, n, D, K,
               stream ? "streamed" : "in-memory");
    for (size_t q = 0; q < sizeof jobs / sizeof *jobs; q++) {
        const job *j = &jobs[q];
        if (only && strcmp(only, j->name) != 0)
            continue;
        double centers[K * D], objective = 0, best = 0, times[64];
        int n_iter = 0, rc = MIX_OK;
        reducer before = red;
        for (int r = 0; r < repeats && rc == MIX_OK; r++) {
            shard_reader reader = {first, mine, 0};
            MPI_Barrier(comm);
            const double t0 = MPI_Wtime();
            rc = fit(j, &red, rank, size, X, mine, stream ? &reader : NULL, centers, &objective,
                     &n_iter);
            const double t1 = MPI_Wtime() - t0;
            double slowest;
            MPI_Allreduce(&t1, &slowest, 1, MPI_DOUBLE, MPI_MAX, comm);
            if (r < 64)
                times[r] = slowest;
            best = r == 0 || slowest < best ? slowest : best;
        }
        if (rc != MIX_OK) {
            bad = 1;
            continue;
        }
        if (json) { /* per rank: calls and time in the allreduce, peak memory */
            double mine_stats[3] = {(double)(red.calls - before.calls) / repeats,
                                    (red.seconds - before.seconds) / repeats, peak_rss_mib()};
            double *all = rank == 0 ? malloc(sizeof(double) * 3 * (size_t)size) : NULL;
            MPI_Gather(mine_stats, 3, MPI_DOUBLE, all, 3, MPI_DOUBLE, 0, comm);
            if (rank == 0) {
                printf("{\"model\": \"%s\", \"ranks\": %d, \"n\": %zu, \"d\": %d, \"k\": %d, "
                       "\"stream\": %d, \"n_iter\": %d, \"objective\": %.17g, \"best_s\": %.6f, "
                       "\"seconds\": [",
                       j->name, size, n, D, K, stream, n_iter, objective, best);
                for (int r = 0; r < repeats && r < 64; r++)
                    printf("%s%.6f", r ? ", " : "", times[r]);
                printf("], \"doubles_per_fit\": %.0f, \"rss_data_mib\": %.2f, \"ranks_detail\": [",
                       (red.doubles - before.doubles) / repeats, rss_data);
                for (int rk = 0; rk < size; rk++)
                    printf("%s{\"allreduce_calls\": %.0f, \"allreduce_s\": %.6f, "
                           "\"rss_peak_mib\": %.2f}",
                           rk ? ", " : "", all[3 * rk], all[3 * rk + 1], all[3 * rk + 2]);
                printf("]}\n");
                fflush(stdout);
            }
            free(all);
            continue;
        }
        if (rank != 0)
            continue;
        printf("%-9s %7.3f s  %3d iterations  objective %.10g", j->name, best, n_iter,
               objective);
        if (check) { /* the one-process fit of all rows, on rank 0 */
            double *all = malloc(sizeof(double) * D * n), ref[K * D], ref_obj;
            int ref_iter;
            make_rows(0, n, all);
            if (fit(j, NULL, 0, 1, all, n, NULL, ref, &ref_obj, &ref_iter) != MIX_OK) {
                bad = 1;
            } else {
                double dc = rel_diff(centers, ref, K * D);
                double dobj = fabs(objective - ref_obj) / fabs(ref_obj);
                printf("  vs one process: centers %.1e, objective %.1e", dc, dobj);
                bad |= !(dc <= 1e-10 && dobj <= 1e-10);
            }
            free(all);
        }
        printf("\n");
    }
    free(X);
    MPI_Allreduce(MPI_IN_PLACE, &bad, 1, MPI_INT, MPI_MAX, comm);
    MPI_Finalize();
    return bad ? 1 : 0;
}
