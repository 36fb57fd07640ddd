/*
 * One pass over the data in row blocks, in parallel, with a deterministic
 * result.
 *
 * Rows are cut into blocks of `block` rows (a few hundred: the working set
 * of a block stays in cache), and consecutive blocks into a fixed number of
 * chunks that depends only on n and the size of the statistics, never on
 * the thread count. Each chunk is processed by one thread, block after
 * block, accumulating into its own statistics slot; the slots are then
 * summed in chunk order. The same data therefore give bit-identical sums
 * for 1, 2 or 64 threads.
 */
#ifndef MIX__CORE_PASS_H
#define MIX__CORE_PASS_H

#include "core/data.h"
#include "core/threads.h"

/* The default number of rows per block. */
#define MIX__BLOCK_ROWS 256

typedef struct mix__block {
    const double *U; /* rows x d, loaded as described in data.h */
    size_t row0;     /* index of the first row in the data */
    size_t rows;
} mix__block;

/* Process one block: accumulate into stats (the chunk's slot, stats_len
 * doubles) using scratch (scratch_len doubles private to the thread). */
typedef void (*mix__block_fn)(void *ctx, const mix__block *blk, double *stats, double *scratch);

typedef struct mix__pass {
    const mix__data *data;
    size_t block;       /* rows per block */
    size_t n_blocks;
    size_t n_chunks;
    size_t stats_len;   /* doubles per chunk slot */
    size_t max_chunks;  /* chunks the statistics' size allows */
    size_t n_cap;       /* rows planned for (mix__pass_rebind may take fewer) */
    size_t scratch_len; /* doubles of caller scratch per worker */
    int n_workers;
    double *stats;      /* n_chunks x stats_len */
    double *work;       /* per worker: the loaded block, then its scratch */
    mix__pool *pool;    /* worker threads, or NULL for one worker */
} mix__pass;

/*
 * Plan and allocate a pass. `block_rows` is the largest number of rows a
 * block function sees (its scratch, scratch_len doubles per worker, is sized
 * for it); it must depend only on the problem's shape, never on the thread
 * count. `threads` is the resolved thread count; `work_per_row` estimates
 * the flops per row and keeps small problems on one thread. Returns MIX_OK
 * or MIX_ENOMEM (nothing allocated then).
 */
int mix__pass_init(mix__pass *p, const mix__data *data, size_t block_rows, size_t stats_len,
                   size_t scratch_len, int threads, double work_per_row);
void mix__pass_free(mix__pass *p);

/* Point the pass at other data of the same width and at most the planned
 * number of rows (a mini-batch), without allocating: the blocks and chunks
 * are those mix__pass_init would plan for it, so sums are the same. */
void mix__pass_rebind(mix__pass *p, const mix__data *data);

/* Zero the first `len` (<= stats_len) doubles of every chunk slot, run fn
 * over every block, and if total is not NULL store the in-order sum of
 * those `len` doubles of the slots into it. */
void mix__pass_run(mix__pass *p, mix__block_fn fn, void *ctx, size_t len, double *total);

/* Chunk c's slot after a run (its partial sums). */
static inline const double *mix__pass_slot(const mix__pass *p, size_t c)
{
    return p->stats + c * p->stats_len;
}

/* Worker w's buffers: U (block x d, where blocks are loaded) and the
 * block function's scratch (scratch_len). For work done outside a pass
 * with the pass's memory. */
void mix__pass_buffers(const mix__pass *p, int worker, double **U, double **scratch);

/* Rows [*first, *end) of chunk c. */
void mix__pass_chunk_rows(const mix__pass *p, size_t c, size_t *first, size_t *end);

#endif /* MIX__CORE_PASS_H */
