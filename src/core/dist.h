/*
 * A fit spread over several processes ("ranks", e.g. MPI): each holds a
 * shard of the rows, and every global quantity of the fit crosses between
 * them through one caller-supplied call, an in-place sum over the ranks
 * (mix_allreduce_fn). The library never links MPI.
 *
 * Every reduction carries a status word: a rank that failed locally (its
 * data, its reader, its memory) still takes part, and every rank then
 * fails at the same reduction instead of leaving the others blocked. So a
 * local step that can fail hands its code to the next reduction, and every
 * rank makes the same reductions in the same order, whatever its shard
 * (empty, in memory or streamed).
 *
 * A NULL mix__dist, or one without allreduce, is a fit in one process:
 * the calls below then do nothing but return the local code.
 */
#ifndef MIX__CORE_DIST_H
#define MIX__CORE_DIST_H

#include "core/common.h"

typedef struct mix__dist {
    int rank, size;
    mix_allreduce_fn allreduce; /* NULL: one process */
    void *user;
} mix__dist;

/* Doubles a reduction appends to its values: the status word. Buffers
 * handed to mix__dist_sum have this many more. */
#define MIX__DIST_STATUS 2

/* The ranks as a handle keeps them (mix__check_dist checked the values):
 * one process unless there are several ranks or an allreduce call. */
static inline mix__dist mix__dist_make(int rank, int size, mix_allreduce_fn allreduce,
                                       void *user)
{
    mix__dist g = {rank, size, size > 1 || allreduce ? allreduce : NULL, user};
    return g;
}

static inline int mix__dist_on(const mix__dist *g)
{
    return g != NULL && g->allreduce != NULL;
}

static inline int mix__dist_rank(const mix__dist *g)
{
    return mix__dist_on(g) ? g->rank : 0;
}

static inline int mix__dist_size(const mix__dist *g)
{
    return mix__dist_on(g) ? g->size : 1;
}

/*
 * Sum buf[0 .. len) over the ranks, in place (buf has len +
 * MIX__DIST_STATUS doubles), with local_rc as this rank's status. Returns
 * local_rc when it is not MIX_OK (its message already in err), MIX_EIO when
 * the allreduce call failed or another rank did (the message names it),
 * else MIX_OK. One process: returns local_rc, buf unchanged.
 */
int mix__dist_sum(const mix__dist *g, double *buf, size_t len, int local_rc, mix__err *err);

/* Only the status: a reduction of no values. */
int mix__dist_status(const mix__dist *g, int local_rc, mix__err *err);

/* Fold n bytes at p into the running fingerprint h (FNV-1a; start from
 * MIX__FP_START). */
#define MIX__FP_START 14695981039346656037u
uint64_t mix__dist_fold(uint64_t h, const void *p, size_t n);

/*
 * The first reduction of a distributed fit: the status, and whether every
 * rank fits the same thing (fp: a fingerprint of the width, k and the
 * options, folded by the caller). Ranks that disagree would make
 * reductions of other lengths or counts; they all fail instead, with
 * MIX_EINVAL. Codes otherwise as mix__dist_sum.
 */
int mix__dist_agree(const mix__dist *g, uint64_t fp, int local_rc, mix__err *err);

/*
 * Every rank's m values: all (size x m + MIX__DIST_STATUS) gets rank r's
 * `mine` in row r (zeros elsewhere, then summed). One process: all = mine.
 * Codes as mix__dist_sum.
 */
int mix__dist_gather(const mix__dist *g, const double *mine, size_t m, double *all,
                     int local_rc, mix__err *err);

#endif /* MIX__CORE_DIST_H */
