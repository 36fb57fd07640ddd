/* Deterministic parallel passes over row blocks, in memory or streamed;
 * see pass.h. */
#include "core/pass.h"

#include "core/simd.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CHUNKS 64
/* Bytes allowed for all chunk slots together; big statistics get fewer
 * chunks (never fewer than one). The blocks' own slots have the same
 * budget. */
#define CHUNK_STATS_BUDGET ((size_t)16 << 20)
/* Below this many flops a pass runs on the calling thread alone. */
#define MIN_PARALLEL_WORK 2e5
/* Streamed windows: blocks per worker. With more than one worker there are
 * two windows: the caller's thread reads the next while the other workers
 * process the current one, then joins them. */
#define WINDOW_PER_WORKER 4

/* Blocks and chunks for data->n rows: they depend on n and the size of the
 * statistics only. */
static void plan(mix__pass *p, const mix__data *data)
{
    p->data = data;
    p->n_blocks = p->block ? (data->n + p->block - 1) / p->block : 0;
    p->n_chunks = p->n_blocks < p->max_chunks ? p->n_blocks : p->max_chunks;
    if (p->n_chunks == 0)
        p->n_chunks = 1; /* an empty shard still has its (zero) sums */
}

static size_t slots_allowed(size_t stats_len)
{
    size_t n = CHUNK_STATS_BUDGET / ((stats_len ? stats_len : 1) * sizeof(double));
    n = n > MAX_CHUNKS ? MAX_CHUNKS : n;
    return n ? n : 1;
}

int mix__pass_init(mix__pass *p, const mix__data *data, size_t block_rows, size_t stats_len,
                   size_t scratch_len, int threads, double work_per_row)
{
    memset(p, 0, sizeof *p);
    p->block = data->n < block_rows ? data->n : block_rows;
    if (p->block == 0)
        p->block = block_rows;
    p->stats_len = stats_len;
    p->scratch_len = scratch_len;
    p->n_cap = data->n;
    p->max_chunks = slots_allowed(stats_len);
    plan(p, data);

    if ((double)data->n * work_per_row < MIN_PARALLEL_WORK)
        threads = 1;
    p->n_workers = threads < 1 ? 1 : threads;
    const int streamed = data->read != NULL;
    /* In memory a chunk is a task, so more workers than chunks idle. */
    if (!streamed && (size_t)p->n_workers > p->n_chunks)
        p->n_workers = (int)p->n_chunks;
    p->window = streamed ? (size_t)p->n_workers * WINDOW_PER_WORKER : (size_t)p->n_workers;
    if (streamed && p->window > slots_allowed(stats_len))
        p->window = slots_allowed(stats_len) > (size_t)p->n_workers ? slots_allowed(stats_len)
                                                                    : (size_t)p->n_workers;

    const size_t slot = stats_len ? stats_len : 1, d = data->d;
    p->stats = mix__alloc_array(p->n_chunks * slot, sizeof(double));
    p->partial = mix__alloc_array(p->window * slot, sizeof(double));
    p->reduce = mix__alloc_array(slot + MIX__DIST_STATUS, sizeof(double));
    /* Room for block_rows rows whatever n is: the workers' buffers also
     * serve work outside passes (mix__pass_buffers), sized by the caller. */
    p->buf_rows = block_rows;
    p->work = mix__alloc_array((size_t)p->n_workers, (block_rows * d + scratch_len) * sizeof(double));
    int ok = p->stats && p->partial && p->reduce && p->work;
    if (ok && streamed) {
        const size_t windows = p->n_workers > 1 ? 2 : 1;
        p->raw = mix__alloc_array(windows * p->window * p->block, d * sizeof(double));
        p->raw_w = mix__alloc_array(windows * p->window * p->block, sizeof(double));
        ok = p->raw && p->raw_w;
    }
    if (!ok) {
        mix__pass_free(p);
        return MIX_ENOMEM;
    }
    /* Without threads the pass still runs: on the caller's thread. */
    p->pool = mix__pool_create(p->n_workers);
    return MIX_OK;
}

void mix__pass_rebind(mix__pass *p, const mix__data *data)
{
    plan(p, data);
}

void mix__pass_free(mix__pass *p)
{
    mix__pool_destroy(p->pool);
    mix__free(p->stats);
    mix__free(p->partial);
    mix__free(p->reduce);
    mix__free(p->work);
    mix__free(p->raw);
    mix__free(p->raw_w);
    memset(p, 0, sizeof *p);
}

void mix__pass_chunk_rows(const mix__pass *p, size_t c, size_t *first, size_t *end)
{
    size_t b0 = c * p->n_blocks / p->n_chunks;
    size_t b1 = (c + 1) * p->n_blocks / p->n_chunks;
    *first = b0 * p->block;
    *end = b1 * p->block < p->data->n ? b1 * p->block : p->data->n;
}

void mix__pass_buffers(const mix__pass *p, int worker, double **U, double **scratch)
{
    *U = p->work + (size_t)worker * (p->buf_rows * p->data->d + p->scratch_len);
    *scratch = *U + p->buf_rows * p->data->d;
}

static void add(double *slot, const double *part, size_t len)
{
    for (size_t i = 0; i < len; i++)
        slot[i] += part[i];
}

typedef struct run_ctx {
    mix__pass *p;
    mix__block_fn fn;
    void *ctx;
    size_t len;
    size_t first_block; /* streamed: global index of the window's first block */
    size_t rows;        /* streamed: rows in the window */
    const double *raw, *raw_w; /* streamed: the window's rows and weights */
} run_ctx;

/* One block of data in memory, into the worker's own slot, then added to
 * the chunk's. */
static void memory_block(const run_ctx *r, size_t row0, int worker, double *slot)
{
    const mix__pass *p = r->p;
    const mix__data *v = p->data;
    double *U, *scratch, *part = p->partial + (size_t)worker * p->stats_len;
    mix__pass_buffers(p, worker, &U, &scratch);
    const size_t rows = v->n - row0 < p->block ? v->n - row0 : p->block;
    mix__data_load(v, row0, rows, U);
    mix__block blk = {U, v->X + row0 * v->d, row0, v->row0 + row0, rows,
                      v->w ? v->w + row0 : NULL, v->w_factor};
    memset(part, 0, r->len * sizeof(double));
    r->fn(r->ctx, &blk, part, scratch);
    add(slot, part, r->len);
}

static void memory_chunk(void *arg, size_t c, int worker)
{
    const run_ctx *r = arg;
    size_t first, end;
    mix__pass_chunk_rows(r->p, c, &first, &end);
    double *slot = r->p->stats + c * r->p->stats_len;
    for (size_t row0 = first; row0 < end; row0 += r->p->block)
        memory_block(r, row0, worker, slot);
}

/* Block b of the streamed window, into its own slot. */
static void window_block(void *arg, size_t b, int worker)
{
    const run_ctx *r = arg;
    const mix__pass *p = r->p;
    const mix__data *v = p->data;
    double *U, *scratch, *part = p->partial + b * p->stats_len;
    mix__pass_buffers(p, worker, &U, &scratch);
    const size_t off = b * p->block;
    const size_t rows = r->rows - off < p->block ? r->rows - off : p->block;
    const size_t row0 = (r->first_block + b) * p->block;
    mix__data_rows(v, r->raw + off * v->d, rows, U);
    mix__block blk = {U, r->raw + off * v->d, row0, v->row0 + row0, rows, r->raw_w + off,
                      v->w_factor};
    memset(part, 0, r->len * sizeof(double));
    r->fn(r->ctx, &blk, part, scratch);
}

/* Chunk of global block b (the chunks are consecutive runs of blocks). */
static size_t chunk_of(const mix__pass *p, size_t b)
{
    size_t c = b * p->n_chunks / p->n_blocks; /* a first guess, then adjusted */
    while (c > 0 && c * p->n_blocks / p->n_chunks > b)
        c--;
    while (c + 1 < p->n_chunks && (c + 1) * p->n_blocks / p->n_chunks <= b)
        c++;
    return c;
}

/* Rows given again in a later pass are checked again, cheaply: a reader
 * that changed them (a value no longer finite, or no longer 0 or 1 for a
 * Bernoulli mixture, a weight no longer valid) must not poison the sums.
 * Row i of this pass is done + i. */
MIX__ALWAYS_INLINE static inline uint64_t bits_of(double x)
{
    uint64_t b;
    memcpy(&b, &x, sizeof b);
    return b;
}

/* Whether any value of x (n values) is not finite, or for binary data not
 * 0 or 1, or any weight (m values) not finite and >= 0: one branch-free
 * pass that vectorises, so that the rows the reader gives cost a scan at
 * memory speed; the row at fault is looked for only when there is one. */
MIX__TARGET_CLONES_512 MIX__VECTORIZE MIX__NOINLINE static int
any_bad(const double *x, size_t n, int binary, const double *w, size_t m)
{
    const uint64_t exp_mask = UINT64_C(0x7ff) << 52;
    uint64_t bad = 0;
    if (binary)
        for (size_t i = 0; i < n; i++)
            bad |= (uint64_t)!(x[i] == 0.0 || x[i] == 1.0);
    else
        for (size_t i = 0; i < n; i++)
            bad |= (uint64_t)((bits_of(x[i]) & exp_mask) == exp_mask);
    for (size_t i = 0; i < m; i++)
        bad |= (uint64_t)(!(w[i] >= 0) | ((bits_of(w[i]) & exp_mask) == exp_mask));
    return bad != 0;
}

static int recheck(const mix__data *v, const double *x, const double *w, size_t rows,
                   size_t done, mix__err *err)
{
    if (!any_bad(x, rows * v->d, v->binary, w, rows))
        return MIX_OK;
    for (size_t i = 0; i < rows; i++) {
        if (!(w[i] >= 0) || !isfinite(w[i]))
            return mix__fail(err, MIX_EDATA,
                             "the reader changed row %zu between passes (sample_weight %g)",
                             done + i, w[i]);
        for (size_t j = 0; j < v->d; j++) {
            const double e = x[i * v->d + j];
            if (v->binary ? e != 0.0 && e != 1.0 : !isfinite(e))
                return mix__fail(err, MIX_EDATA,
                                 "the reader changed row %zu between passes (X[%zu][%zu] = %g is "
                                 "not %s)",
                                 done + i, done + i, j, e, v->binary ? "0 or 1" : "finite");
        }
    }
    return MIX_OK;
}

/* Fill window `which` (0 or 1) from the reader; *rows gets the rows read
 * (fewer than the window only at the end of the data); `done` rows of the
 * pass came before. The weights are pre-filled with 1 once per window: each
 * read writes past the rows before it. */
static int fill_window(mix__pass *p, int which, size_t done, size_t *rows, mix__err *err)
{
    const mix__data *v = p->data;
    const size_t cap = p->window * p->block, d = v->d;
    double *raw = p->raw + (size_t)which * cap * d, *raw_w = p->raw_w + (size_t)which * cap;
    size_t got = 0;
    for (size_t i = 0; i < cap; i++)
        raw_w[i] = 1.0;
    while (got < cap) {
        const size_t ask = cap - got;
        long r = v->read(v->user, raw + got * d, raw_w + got, ask);
        if (r < 0)
            return mix__fail(err, MIX_EIO, "the reader failed (returned %ld) at row %zu", r,
                             done + got);
        if ((size_t)r > ask)
            return mix__fail(err, MIX_EDATA, "the reader returned %ld rows when %zu were asked", r,
                             ask);
        if (r == 0)
            break;
        if (done + got + (size_t)r > v->n)
            return mix__fail(err, MIX_EDATA,
                             "the reader gave more rows (%zu so far) than its first pass (%zu)",
                             done + got + (size_t)r, v->n);
        int rc = recheck(v, raw + got * d, raw_w + got, (size_t)r, done + got, err);
        if (rc != MIX_OK)
            return rc;
        got += (size_t)r;
    }
    *rows = got;
    return MIX_OK;
}

/* Point r at window `which` holding `rows` rows from global block `block`. */
static size_t aim(const mix__pass *p, run_ctx *r, int which, size_t block, size_t rows)
{
    const size_t cap = p->window * p->block;
    r->raw = p->raw + (size_t)which * cap * p->data->d;
    r->raw_w = p->raw_w + (size_t)which * cap;
    r->first_block = block;
    r->rows = rows;
    return (rows + p->block - 1) / p->block;
}

/* Add the window's blocks' sums, in block order, into their chunks' slots. */
static void add_window(mix__pass *p, const run_ctx *r, size_t nb)
{
    for (size_t b = 0; b < nb; b++)
        add(p->stats + chunk_of(p, r->first_block + b) * p->stats_len,
            p->partial + b * p->stats_len, r->len);
}

/* Streamed: windows read in turn; each window's blocks in parallel (or in
 * order on this thread when sequential), their sums added in order. A
 * window that is not full ends the pass (the reader said 0). With a pool,
 * the next window is read on this thread while the pool's threads process
 * the current one (this thread then takes the blocks they have not begun):
 * the reader is called exactly as without, and the sums are the same. */
static int stream_run(mix__pass *p, run_ctx *r, int sequential, mix__err *err)
{
    const size_t full = p->window * p->block;
    const int two = !sequential && p->pool != NULL; /* read one window, process the other */
    size_t done = 0, block = 0, rows = 0;
    int cur = 0, rc = fill_window(p, 0, 0, &rows, err);
    while (rc == MIX_OK) {
        const size_t nb = aim(p, r, cur, block, rows);
        const int more = rows == full, nxt = two ? cur ^ 1 : cur;
        size_t next = 0;
        if (two && more) {
            mix__pool_start(p->pool, nb, window_block, r);
            rc = fill_window(p, nxt, done + rows, &next, err);
            mix__pool_join(p->pool);
        } else {
            if (sequential)
                for (size_t b = 0; b < nb; b++)
                    window_block(r, b, 0);
            else
                mix__pool_run(p->pool, nb, window_block, r);
            if (more)
                rc = fill_window(p, nxt, done + rows, &next, err);
        }
        if (!sequential)
            add_window(p, r, nb);
        done += rows;
        block += nb;
        if (!more)
            break;
        rows = next;
        cur = nxt;
    }
    if (rc == MIX_OK && done != p->data->n)
        return mix__fail(err, MIX_EDATA, "the reader gave %zu rows in this pass and %zu in its first",
                         done, p->data->n);
    return rc;
}

int mix__pass_run(mix__pass *p, mix__block_fn fn, void *ctx, size_t len, double *total,
                  mix__err *err)
{
    for (size_t c = 0; c < p->n_chunks; c++)
        memset(p->stats + c * p->stats_len, 0, len * sizeof(double));
    run_ctx r = {p, fn, ctx, len, 0, 0, NULL, NULL};
    int rc = MIX_OK;
    if (mix__pass_in_memory(p))
        mix__pool_run(p->pool, p->n_blocks ? p->n_chunks : 0, memory_chunk, &r);
    else
        rc = stream_run(p, &r, 0, err);
    if (total == NULL)
        return rc;
    double *sum = p->reduce;
    memcpy(sum, p->stats, len * sizeof(double));
    for (size_t c = 1; c < p->n_chunks; c++)
        add(sum, mix__pass_slot(p, c), len);
    rc = mix__dist_sum(p->data->dist, sum, len, rc, err);
    if (rc == MIX_OK)
        memcpy(total, sum, len * sizeof(double));
    return rc;
}

double mix__pass_local(const mix__pass *p, size_t j)
{
    double sum = p->stats[j];
    for (size_t c = 1; c < p->n_chunks; c++)
        sum += mix__pass_slot(p, c)[j];
    return sum;
}

typedef struct scan_ctx {
    mix__block_fn fn;
    void *ctx;
} scan_ctx;

/* A block function that ignores its slot: the scan's. */
static void scan_block(void *arg, const mix__block *b, double *stats, double *scratch)
{
    (void)stats;
    const scan_ctx *s = arg;
    s->fn(s->ctx, b, NULL, scratch);
}

int mix__pass_scan(mix__pass *p, mix__block_fn fn, void *ctx, mix__err *err)
{
    scan_ctx s = {fn, ctx};
    run_ctx r = {p, scan_block, &s, 0, 0, 0, NULL, NULL};
    if (!mix__pass_in_memory(p))
        return stream_run(p, &r, 1, err);
    double *U, *scratch;
    mix__pass_buffers(p, 0, &U, &scratch);
    const mix__data *v = p->data;
    for (size_t row0 = 0; row0 < v->n; row0 += p->block) {
        const size_t rows = v->n - row0 < p->block ? v->n - row0 : p->block;
        mix__data_load(v, row0, rows, U);
        mix__block blk = {U, v->X + row0 * v->d, row0, v->row0 + row0, rows,
                          v->w ? v->w + row0 : NULL, v->w_factor};
        fn(ctx, &blk, NULL, scratch);
    }
    return MIX_OK;
}

static int by_row(const void *a, const void *b)
{
    const size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

size_t mix__pass_local_picks(const mix__data *v, const size_t *picks, size_t m, size_t *pairs)
{
    size_t c = 0;
    for (size_t q = 0; q < m; q++)
        if (picks[q] >= v->row0 && picks[q] - v->row0 < v->n) {
            pairs[2 * c] = picks[q] - v->row0;
            pairs[2 * c + 1] = q;
            c++;
        }
    qsort(pairs, c, 2 * sizeof(size_t), by_row);
    return c;
}

typedef struct fetch_ctx {
    const size_t *pairs; /* (row, place) by row */
    size_t m, d, stride, next;
    double *out;
} fetch_ctx;

/* Row q of the pairs and its weight into out + its place's stride. */
static void fetch_row(fetch_ctx *f, size_t q, const double *x, double w)
{
    double *o = f->out + f->pairs[2 * q + 1] * f->stride;
    memcpy(o, x, f->d * sizeof(double));
    o[f->d] = w;
}

static void fetch_block(void *arg, const mix__block *b, double *stats, double *scratch)
{
    (void)stats;
    (void)scratch;
    fetch_ctx *f = arg;
    for (; f->next < f->m && f->pairs[2 * f->next] < b->row0 + b->rows; f->next++) {
        const size_t i = f->pairs[2 * f->next] - b->row0;
        fetch_row(f, f->next, b->x + i * f->d, mix__block_weight(b, i));
    }
}

static int fetch(mix__pass *p, fetch_ctx *f, mix__err *err)
{
    const mix__data *v = p->data;
    if (!mix__pass_in_memory(p))
        return mix__pass_scan(p, fetch_block, f, err);
    for (size_t q = 0; q < f->m; q++) {
        const size_t r = f->pairs[2 * q];
        fetch_row(f, q, v->X + r * v->d, mix__data_weight_at(v, r));
    }
    return MIX_OK;
}

int mix__pass_share(mix__pass *p, const size_t *picks, size_t m, double *x, double *w,
                    double *buf, mix__err *err)
{
    const mix__data *v = p->data;
    const size_t d = v->d, stride = d + 1;
    size_t *pairs = mix__alloc_array(m + 1, 2 * sizeof(size_t));
    int rc = pairs ? MIX_OK : mix__fail(err, MIX_ENOMEM, "out of memory sharing %zu rows", m);
    memset(buf, 0, m * stride * sizeof(double));
    if (rc == MIX_OK) {
        fetch_ctx f = {pairs, mix__pass_local_picks(v, picks, m, pairs), d, stride, 0, buf};
        rc = fetch(p, &f, err);
    }
    mix__free(pairs);
    rc = mix__dist_sum(v->dist, buf, m * stride, rc, err);
    if (rc != MIX_OK)
        return rc;
    for (size_t q = 0; q < m; q++) {
        memcpy(x + q * d, buf + q * stride, d * sizeof(double));
        w[q] = buf[q * stride + d];
    }
    return MIX_OK;
}

int mix__stream_scan(mix_read_fn read, void *user, size_t d, mix__raw_fn fn, void *ctx,
                     size_t *n, mix__err *err)
{
    const size_t cap = MIX__BLOCK_ROWS;
    double *x = mix__alloc_array(cap, d * sizeof(double)), *w = mix__alloc_array(cap, sizeof *w);
    int rc = x && w ? MIX_OK : mix__fail(err, MIX_ENOMEM, "out of memory reading rows");
    size_t done = 0;
    for (size_t i = 0; x && w && i < cap; i++)
        w[i] = 1.0;
    while (rc == MIX_OK) {
        long r = read(user, x, w, cap);
        if (r < 0)
            rc = mix__fail(err, MIX_EIO, "the reader failed (returned %ld) at row %zu", r, done);
        else if ((size_t)r > cap)
            rc = mix__fail(err, MIX_EDATA, "the reader returned %ld rows when %zu were asked", r,
                           cap);
        else if (r == 0)
            break;
        else
            rc = fn(ctx, x, w, done, (size_t)r);
        const size_t got = r > 0 && (size_t)r <= cap ? (size_t)r : 0;
        for (size_t i = 0; i < got; i++) /* pre-filled again where the reader wrote */
            w[i] = 1.0;
        done += got;
    }
    mix__free(x);
    mix__free(w);
    *n = done;
    return rc;
}
