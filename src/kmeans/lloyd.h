/*
 * Inside K-means (private to kmeans/): the workspace of one fit, its
 * layouts, and the pieces that share it: Lloyd's iterations (lloyd.c),
 * Hamerly's bounds (hamerly.c) and the seeding (seed.c).
 *
 * Everything here is in engine units u = (x - shift) * inv_scale
 * (core/data.h).
 *
 * Rows in memory keep per-row state (labels, seeding distances, Hamerly's
 * bounds); streamed rows keep none and recompute it, so that a streamed
 * fit makes the same arithmetic and is bit-identical. In a distributed fit
 * the rows are one rank's shard and every global choice (the seeding's
 * rows, the farthest rows of an empty cluster) goes through core/dist.h.
 */
#ifndef MIX__KMEANS_LLOYD_H
#define MIX__KMEANS_LLOYD_H

#include "core/common.h"
#include "core/data.h"
#include "core/pass.h"
#include "core/rng.h"
#include "core/topk.h"

/* Statistics a Lloyd pass accumulates per chunk, laid out in one place:
 * cluster weights (k) | weighted sums (k x d) | rows with a positive
 * weight per cluster (k). Offsets in doubles. */
typedef struct mix__lloyd_stats {
    size_t wsum, sums, count, len;
} mix__lloyd_stats;

/* Scratch of a block function, laid out in one place (mix__kscratch_at):
 * the distance sub-block D ((cols + 1) x rows: a group of centers'
 * distances, then the labels as doubles), the partial distances and labels
 * of the rows, and with Hamerly's bounds the second partial distances, and
 * the rows gathered for recomputation (labels, values, indices). */
typedef struct mix__kscratch {
    double *D;      /* (cols + 1) x rows */
    double *part;   /* rows */
    int32_t *label; /* rows */
    /* Hamerly's bounds only (else NULL) */
    double *part2;  /* rows */
    int32_t *lab_c; /* rows: labels of the gathered rows */
    double *Uc;     /* rows x d: the gathered rows */
    size_t *idx;    /* rows: their indices in the block */
} mix__kscratch;

size_t mix__kscratch_len(size_t rows, size_t cols, size_t d, int bounds);
mix__kscratch mix__kscratch_at(double *scratch, size_t rows, size_t cols, size_t d, int bounds);

/* The state of one fit: the problem, the workspace, and the best run. */
typedef struct mix__lloyd {
    const mix__data *data;
    mix__err *err;
    int in_memory;  /* per-row state kept (else recomputed) */
    size_t k, d;
    double tol;    /* absolute tolerance on the squared center shift, engine units */
    double scale;  /* engine -> data units for distances (a power of two) */
    mix__rng rng;
    mix_init init;
    const double *init_centers; /* k x d engine units, or NULL */
    size_t group;               /* centers per distance sub-block */
    size_t block;               /* rows per block */
    size_t cols;                /* columns of the distance sub-block */
    double norm_total;          /* sum_i w_i ||u_i||^2, for the callback's inertia */
    double w_total, w_local;    /* sum of the weights over all ranks, and this rank's */
    int have_totals;            /* norm_total, w_total and w_local are made */
    int centers_only;           /* one run whose centers alone are asked: no final pass */
    size_t n_trials;            /* k-means++ candidates per step */
    mix__lloyd_stats st;

    mix__pass pass;
    double *centers, *centers_new, *c_norm2; /* k x d, k x d, k */
    double *layout; /* the centers for the register kernel (kernels/sqdist.h), or NULL */
    double *total;                           /* reduced statistics */
    double *cand;                            /* n_trials x d: k-means++ candidates */
    double *seed_w;                          /* k: weights of the rows seeded from */
    int32_t *labels;                         /* n, current run (in memory) */
    double *closest;                         /* n, seeding and relocation; upper bounds
                                                (in memory) */
    mix__topk_item *top;                     /* k, random seeding and relocation */
    size_t *picks;                           /* 3 max(k, n_trials): chosen rows, then
                                                (local row, place) pairs */
    double *gather;                          /* ranks x (1 + 2 k): each rank's picks */
    double *bcast;                           /* max(k, n_trials) x (d + 3): rows sent */
    int strict;                              /* the last iteration left the centers as
                                                they were */

    /* Hamerly's bounds on distances (engine units), hamerly.c. */
    int use_bounds;    /* the algorithm may skip rows */
    int bounds_valid;  /* upper/lower bound the distances for the current labels */
    double *upper;     /* n: >= distance to the own center (shares closest) */
    double *lower;     /* n: <= distance to any other center */
    double *sep;       /* k: <= half the distance to the nearest other center */
    double *move;      /* k: how far each center moved in the last M-step (always kept) */
    double move_max, move_max2; /* the largest two moves */
    size_t move_arg;   /* the center that moved most */
    double margin;     /* squared-distance gap that rounding cannot close */
    double inertia;    /* current run, engine units */

    double *run_w;    /* k: the clusters' weights at the end of the current run */
    double *best_centers;
    int32_t *best_labels;
    double *best_w;
    double best_inertia;
} mix__lloyd;

/* Rows per block and centers per distance sub-block: the block's distance
 * product (rows x group x d) near the size OpenBLAS runs on one thread, so
 * that calls are few and large; rows in [256, 2048]. */
void mix__kmeans_blocking(size_t d, size_t k, size_t *rows, size_t *group);

/* Allocate the workspace for data of this shape and make the passes every
 * fit needs first (the weights' total; the mean variance when rel_tol > 0):
 * MIX_OK, MIX_ENOMEM, or a pass's failure, with the message in err. The
 * algorithm decides whether Hamerly's bounds are used (and allocated; rows
 * in memory only); rel_tol (scikit-learn's tol, relative to the data's mean
 * variance; 0 for none) becomes lw->tol. */
int mix__lloyd_init(mix__lloyd *lw, const mix__data *data, size_t k, int threads,
                    mix_kmeans_algorithm algorithm, double rel_tol, mix__err *err);
void mix__lloyd_free(mix__lloyd *lw);

/* The totals of the rows (w_total, w_local, norm_total), made by one pass
 * the first time they are needed. */
int mix__lloyd_totals(mix__lloyd *lw);

/* Run the restarts (engine/restarts.h); the best run is left in lw->best_*. */
int mix__lloyd_fit(mix__lloyd *lw, int n_init, int max_iter, mix_iter_callback callback,
                   void *callback_data, int *n_iter, mix__err *err);

/* Pieces of Lloyd's run that gradient fitting (adam.c) shares: the kernels'
 * view of new centers (norms, layout); the end of a run (the rows assigned
 * to the final centers unless the last iteration left them unchanged, and
 * the inertia by the direct formula); keeping the run as the best. */
void mix__lloyd_centers_changed(mix__lloyd *lw);
int mix__lloyd_finish_run(void *method, double *score);
void mix__lloyd_keep(void *method);

/* --- gradient fitting (adam.c) ---------------------------------------------- */

typedef struct mix__kmeans_adam_opts {
    int n_init, max_iter;
    double lr, beta1, beta2, eps;
    size_t batch_size; /* 0: whole data */
    mix_iter_callback callback;
    void *callback_data;
} mix__kmeans_adam_opts;

/* Adam on the distortion, from the seeding of each run; as mix__lloyd_fit.
 * lw must have been set up without Hamerly's bounds. */
int mix__kmeans_adam_fit(mix__lloyd *lw, const mix__kmeans_adam_opts *o, int *n_iter,
                         mix__err *err);

/* --- Hamerly's bounds (hamerly.c) ------------------------------------------- */

/* Whether the bounds pay for a problem of this shape, as measured on
 * overlapping blobs (docs/performance.md): below k d = 512 a row's distances
 * cost little more than the bookkeeping of its bounds. */
static inline int mix__bounds_pay(size_t d, size_t k)
{
    return (double)d * (double)k >= 512;
}
int mix__bounds_alloc(mix__lloyd *lw);
/* Assign the rows of a block: label[i] for each row, computing distances
 * only for rows whose bounds do not settle it. */
void mix__bounds_assign(mix__lloyd *lw, const mix__block *b, const mix__kscratch *S,
                        int32_t *label);
/* At the start of a run (no bounds yet), after c_norm2 is set. */
void mix__bounds_start(mix__lloyd *lw);
/* After an M-step: lw->move[j] holds how far center j moved; derive the
 * bound updates and the centers' separations. */
void mix__bounds_update(mix__lloyd *lw);

/* --- seeding (seed.c) ------------------------------------------------------- */

/* Fill lw->centers with the starting centers of a run (seeding or given),
 * and lw->seed_w with the weights of the rows seeded from. MIX_OK or a
 * pass's failure. */
int mix__kmeans_seed(mix__lloyd *lw);



#endif /* MIX__KMEANS_LLOYD_H */
