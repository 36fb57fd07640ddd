/*
 * K-means internals: the handle, the fitted model, and the state of a fit.
 *
 * Inside a fit everything is in the engine's units u = (x - shift) *
 * inv_scale (see data.h); the public arrays are converted back once, when a
 * fit succeeds.
 */
#ifndef MIX_KMEANS_MODEL_H
#define MIX_KMEANS_MODEL_H

#include "common.h"
#include "data.h"
#include "pass.h"
#include "rng.h"
#include "topk.h"

/* A fitted model. Owned arrays; all NULL when nothing is fitted. */
typedef struct mix__kmodel {
    size_t d, n;
    double *centers;   /* k x d, data units (what mix_kmeans_centers returns) */
    double *centers_u; /* k x d, engine units */
    double *c_norm2;   /* k, squared norms of centers_u */
    double *shift;     /* d, training column means */
    double inv_scale;  /* power of two */
    int32_t *labels;   /* n training labels */
    double inertia;    /* data units */
    int n_iter;
} mix__kmodel;

struct kmeans_t {
    mix__err err;
    size_t k;
    /* options */
    mix_init init;
    double *init_centers; /* k x init_d, data units, or NULL */
    size_t init_d;
    int n_init; /* 0: scikit-learn's default (10, or 1 with given centers) */
    int max_iter;
    double tol;
    uint64_t seed;
    int threads;
    mix_kmeans_algorithm algorithm;
    mix_iter_callback callback;
    void *callback_data;
    /* model */
    int fitted;
    mix__kmodel model;
};

/* Layout of the statistics a Lloyd pass accumulates per chunk. */
#define LLOYD_WSUM(L) 0                               /* k cluster weights */
#define LLOYD_SUMS(L) ((L)->k)                        /* k x d weighted sums */
#define LLOYD_CHANGED(L) ((L)->k + (L)->k * (L)->d)   /* labels that changed */
#define LLOYD_COUNT(L) (LLOYD_CHANGED(L) + 1)           /* k: rows with a positive weight */
#define LLOYD_STATS_LEN(L) (LLOYD_COUNT(L) + (L)->k)

/* The state of one fit: the problem, the workspace, and the best run. */
typedef struct mix__lloyd {
    const mix__data *data;
    size_t k, d;
    double tol;    /* absolute tolerance on the squared center shift, engine units */
    double scale;  /* engine -> data units for distances (a power of two) */
    mix__rng rng;
    mix_init init;
    const double *init_centers; /* k x d engine units, or NULL */
    size_t group;               /* centers per distance sub-block */
    size_t block;               /* rows per block */
    int want_objective;         /* a callback will read the iteration's inertia */
    double norm_total;          /* sum_i w_i ||u_i||^2, for that inertia */
    size_t n_trials;            /* k-means++ candidates per step */

    mix__pass pass;
    double *centers, *centers_new, *c_norm2; /* k x d, k x d, k */
    double *layout; /* the centers for the register kernel (sqdist.h), or NULL */
    double *total;                           /* reduced statistics */
    double *cand;                            /* n_trials x d, + n_trials norms */
    int32_t *labels;                         /* n, current run */
    double *closest;                         /* n, seeding and relocation; upper bounds */
    mix__topk_item *top;                     /* k, random seeding and relocation */
    size_t *seed_rows;                       /* k, rows chosen by the last seeding */
    int strict;                              /* run stopped with unchanged labels */

    /* Hamerly's bounds on distances (engine units), kmeans_hamerly.c. */
    int use_bounds;    /* the algorithm may skip rows */
    int bounds_valid;  /* upper/lower bound the distances for the current labels */
    double *upper;     /* n: >= distance to the own center (shares closest) */
    double *lower;     /* n: <= distance to any other center */
    double *sep;       /* k: <= half the distance to the nearest other center */
    double *move;      /* k: how far each center moved in the last M-step (always kept) */
    double move_max, move_max2; /* the largest two moves */
    size_t move_arg;   /* the center that moved most */
    double margin;     /* squared-distance gap that rounding cannot close */
    double inertia;                          /* current run, engine units */

    double *best_centers;
    int32_t *best_labels;
    double best_inertia;
} mix__lloyd;

/* Rows per block and centers per distance sub-block: the block's distance
 * product (rows x group x d) near the size OpenBLAS runs on one thread, so
 * that calls are few and large; rows in [256, 2048]. */
void mix__kmeans_blocking(size_t d, size_t k, size_t *rows, size_t *group);

/* Scratch of a K-means block function: D ((cols + 1) x rows, the distance
 * kernel's) | part (rows) | labels (rows int32, in rows doubles). The Lloyd
 * step adds the Hamerly buffers after these (kmeans_hamerly.c). */
static inline size_t mix__kmeans_scratch_len(size_t rows, size_t cols)
{
    return rows * (cols + 1) + 2 * rows;
}

/* Where part starts in that scratch. */
static inline double *mix__kmeans_scratch_part(double *D, size_t rows, size_t cols)
{
    return D + rows * (cols + 1);
}

/* Allocate the workspace for data of this shape; MIX_OK or MIX_ENOMEM.
 * The algorithm decides whether Hamerly's bounds are used (and allocated);
 * rel_tol (scikit-learn's tol, relative to the data's mean variance; 0 for
 * none) becomes L->tol. */
int mix__lloyd_init(mix__lloyd *L, const mix__data *data, size_t k, int threads,
                    mix_kmeans_algorithm algorithm, double rel_tol);
void mix__lloyd_free(mix__lloyd *L);

/* Hamerly's bounds (kmeans_hamerly.c). */
/* Whether the bounds pay for a problem of this shape, as measured on
 * overlapping blobs (docs/performance.md): below k d = 512 a row's distances
 * cost little more than the bookkeeping of its bounds. */
static inline int mix__bounds_pay(size_t d, size_t k)
{
    return (double)d * (double)k >= 512;
}
int mix__bounds_alloc(mix__lloyd *L);
size_t mix__bounds_scratch_len(const mix__lloyd *L);
/* Assign the rows of a block: label[i] for each row, computing distances
 * only for rows whose bounds do not settle it. */
void mix__bounds_assign(mix__lloyd *L, const mix__block *b, double *D, int32_t *label);
/* At the start of a run (no bounds yet), after c_norm2 is set. */
void mix__bounds_start(mix__lloyd *L);
/* After an M-step: L->move[j] holds how far center j moved; derive the
 * bound updates and the centers' separations. */
void mix__bounds_update(mix__lloyd *L);

/* Fill L->centers with the starting centers of a run (seeding or given). */
void mix__kmeans_seed(mix__lloyd *L);

/* Run the restarts (engine.h); the best run is left in L->best_*. */
int mix__lloyd_fit(mix__lloyd *L, int n_init, int max_iter, mix_iter_callback callback,
                   void *callback_data, int *n_iter, mix__err *err);

/* Fill m (whose d, n, shift and inv_scale are set) from the best run: centers
 * in both units, their norms, labels (taken from L), inertia in data units.
 * MIX_EDATA if the inertia overflows in data units, MIX_ENOMEM. */
int mix__lloyd_export(mix__lloyd *L, mix__kmodel *m, int n_iter);

/* For the Gaussian mixture's initialisation, on data already scanned:
 * a K-means partition as scikit-learn's KMeans(n_init=1) gives it (labels
 * n, centers k x d in engine units), or just the k seeding rows of
 * k-means++ or random-row seeding. MIX_OK or MIX_ENOMEM. */
int mix__kmeans_partition(const mix__data *data, size_t k, int threads, uint64_t seed,
                          int32_t *labels, double *centers);
int mix__kmeans_seed_rows(const mix__data *data, size_t k, int threads, mix_init init,
                          uint64_t seed, size_t *rows);

/* Const-model queries over new data, block by block (kmeans_assign.c). */
int mix__kmeans_assign(const mix__kmodel *m, size_t k, const double *X, size_t n,
                       const double *w, double w_factor, int threads, int32_t *labels,
                       double *dist, double *inertia);

#endif /* MIX_KMEANS_MODEL_H */
