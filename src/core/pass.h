/*
 * Passes over the data in row blocks, in parallel, with a deterministic
 * result, whether the rows are in memory or streamed (core/data.h).
 *
 * Rows are cut into blocks of `block` rows (a few hundred: the working set
 * of a block stays in cache). A block function sums into a slot of its own,
 * zeroed first; the blocks' sums are added, in block order, into the slot
 * of their chunk (a fixed run of consecutive blocks whose number depends
 * only on n and the size of the statistics), and the chunks' slots in chunk
 * order. In memory, each chunk is one task for one thread; streamed, the
 * rows arrive in windows of a few blocks, processed in parallel and added
 * in order (with several threads the caller's thread reads the next window
 * while the others process the current one, then joins them). Either way the same data give bit-identical sums, for 1, 2 or
 * 64 threads and for any number of rows per read.
 *
 * Side outputs indexed by row (labels, bounds) exist only for data in
 * memory: streamed passes recompute what they would hold.
 *
 * In a distributed fit (core/dist.h) a run's totals are this rank's sums,
 * then summed over the ranks; everything else here is local.
 */
#ifndef MIX__CORE_PASS_H
#define MIX__CORE_PASS_H

#include "core/data.h"
#include "core/threads.h"

/* The default number of rows per block. */
#define MIX__BLOCK_ROWS 256

typedef struct mix__block {
    const double *U;  /* rows x d, loaded as described in data.h */
    const double *x;  /* the same rows as the caller gave them */
    size_t row0;      /* index of the first row in this rank's rows */
    size_t gid;       /* its index among the rows of all ranks */
    size_t rows;
    const double *w;  /* the rows' weights as given, or NULL for unit weights */
    double w_factor;  /* applied to them (core/data.h) */
} mix__block;

/* Weight of row i of a block. */
static inline double mix__block_weight(const mix__block *b, size_t i)
{
    return b->w ? b->w[i] * b->w_factor : 1.0;
}

/* Process one block: sum into stats (stats_len doubles, zeroed; NULL in a
 * sequential scan) using scratch (scratch_len doubles private to the
 * thread). */
typedef void (*mix__block_fn)(void *ctx, const mix__block *blk, double *stats, double *scratch);

typedef struct mix__pass {
    const mix__data *data;
    size_t block;       /* rows per block: block_rows, or n when it is smaller */
    size_t buf_rows;    /* rows the workers' buffers hold: block_rows */
    size_t n_blocks;
    size_t n_chunks;
    size_t stats_len;   /* doubles per slot */
    size_t max_chunks;  /* chunks the statistics' size allows */
    size_t n_cap;       /* rows planned for (mix__pass_rebind may take fewer) */
    size_t scratch_len; /* doubles of caller scratch per worker */
    int n_workers;
    size_t window;      /* blocks per window: workers in memory, more when streamed */
    double *stats;      /* n_chunks x stats_len: each chunk's sums */
    double *reduce;     /* stats_len + MIX__DIST_STATUS: totals crossing the ranks */
    double *partial;    /* window x stats_len: the blocks' own sums */
    double *work;       /* per worker: the loaded block, then its scratch */
    double *raw, *raw_w; /* streamed: a window of the reader's rows and weights */
    mix__pool *pool;    /* worker threads, or NULL for one worker */
} mix__pass;

/*
 * Plan and allocate a pass. `block_rows` is the rows per block (fewer when
 * n is smaller) and the rows each worker's buffers hold (its scratch,
 * scratch_len doubles per worker, is sized for it); it must depend only on
 * the problem's shape, never on the thread count. `threads` is the resolved thread count; `work_per_row` estimates
 * the flops per row and keeps small problems on one thread. Streamed data
 * must have a known n (the first pass of a fit counts the rows). Returns
 * MIX_OK or MIX_ENOMEM (nothing allocated then).
 */
int mix__pass_init(mix__pass *p, const mix__data *data, size_t block_rows, size_t stats_len,
                   size_t scratch_len, int threads, double work_per_row);
void mix__pass_free(mix__pass *p);

/* Point the pass at other data in memory of the same width and at most the
 * planned number of rows (a mini-batch), without allocating: the blocks
 * and chunks are those mix__pass_init would plan for it, so sums are the
 * same. */
void mix__pass_rebind(mix__pass *p, const mix__data *data);

/* Zero the first `len` (<= stats_len) doubles of every chunk slot, run fn
 * over every block, and if total is not NULL store the in-order sum of
 * those `len` doubles of the slots into it, summed over the ranks of a
 * distributed fit (a reduction every rank makes). MIX_OK; for streamed
 * data MIX_EIO (the reader failed) or MIX_EDATA (it gave more rows than
 * asked, or another number of rows than the first pass), with the message
 * in err; MIX_EIO when another rank failed. A run without total makes no
 * reduction: for side outputs of data in memory, which cannot fail. */
int mix__pass_run(mix__pass *p, mix__block_fn fn, void *ctx, size_t len, double *total,
                  mix__err *err);

/* This rank's own total of value j of the last run (before the ranks'
 * sum). */
double mix__pass_local(const mix__pass *p, size_t j);

/* fn on every block in row order, on the calling thread (stats NULL): for
 * the algorithms that walk the rows in order. Local (no reduction): the
 * caller hands the code to its next reduction. Codes as mix__pass_run. */
int mix__pass_scan(mix__pass *p, mix__block_fn fn, void *ctx, mix__err *err);

/* Of the picks[0 .. m) (global row indices, any order), those that are this
 * rank's rows, as pairs (local row, place in picks) sorted by row, into
 * pairs (2 m); returns how many. */
size_t mix__pass_local_picks(const mix__data *v, const size_t *picks, size_t m, size_t *pairs);

/* The rows picks[0 .. m) (global indices, any order) from the rank holding
 * each to every rank: x (m x d, as the caller gave them) and w (m, the
 * weights' factor applied). buf: m (d + 1) + MIX__DIST_STATUS doubles.
 * Streamed, one pass over this rank's rows. A reduction every rank makes;
 * codes as mix__pass_run, MIX_ENOMEM. */
int mix__pass_share(mix__pass *p, const size_t *picks, size_t m, double *x, double *w,
                    double *buf, mix__err *err);

/* Chunk c's slot after a run (its partial sums). */
static inline const double *mix__pass_slot(const mix__pass *p, size_t c)
{
    return p->stats + c * p->stats_len;
}

/* Rows [*first, *end) of chunk c. */
void mix__pass_chunk_rows(const mix__pass *p, size_t c, size_t *first, size_t *end);

/* Worker w's buffers: U (block x d, where blocks are loaded) and the
 * block function's scratch (scratch_len). For work done outside a pass
 * with the pass's memory. */
void mix__pass_buffers(const mix__pass *p, int worker, double **U, double **scratch);

/* Whether the data are in memory: only then do the rows keep an index the
 * caller may use for side outputs. */
static inline int mix__pass_in_memory(const mix__pass *p)
{
    return p->data->read == NULL;
}

/* Every row of streamed data through fn in reader order, before any pass
 * (the fit's first look at the data: counting, column statistics): raw
 * rows x and weights w (pre-filled 1) of `rows` rows at a time, row0 their
 * index. The reader is called until it returns 0. MIX_OK, MIX_EIO,
 * MIX_EDATA (more rows than asked), MIX_ENOMEM; the message in err.
 * *n gets the number of rows. */
typedef int (*mix__raw_fn)(void *ctx, const double *x, const double *w, size_t row0,
                           size_t rows);
int mix__stream_scan(mix_read_fn read, void *user, size_t d, mix__raw_fn fn, void *ctx,
                     size_t *n, mix__err *err);

#endif /* MIX__CORE_PASS_H */
