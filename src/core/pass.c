/* Deterministic parallel passes over row blocks; see pass.h. */
#include "core/pass.h"

#include <string.h>

#define MAX_CHUNKS 64
/* Bytes allowed for all chunk slots together; big statistics get fewer
 * chunks (never fewer than one). */
#define CHUNK_STATS_BUDGET ((size_t)16 << 20)
/* Below this many flops a pass runs on the calling thread alone. */
#define MIN_PARALLEL_WORK 2e5

/* Blocks and chunks for data->n rows: they depend on n and the size of the
 * statistics only. */
static void plan(mix__pass *p, const mix__data *data)
{
    p->data = data;
    p->n_blocks = (data->n + p->block - 1) / p->block;
    p->n_chunks = p->n_blocks < p->max_chunks ? p->n_blocks : p->max_chunks;
}

int mix__pass_init(mix__pass *p, const mix__data *data, size_t block_rows, size_t stats_len,
                   size_t scratch_len, int threads, double work_per_row)
{
    memset(p, 0, sizeof *p);
    p->block = data->n < block_rows ? data->n : block_rows;
    p->stats_len = stats_len;
    p->scratch_len = scratch_len;
    p->n_cap = data->n;

    size_t slot_bytes = (stats_len ? stats_len : 1) * sizeof(double);
    size_t max_chunks = CHUNK_STATS_BUDGET / slot_bytes;
    if (max_chunks > MAX_CHUNKS)
        max_chunks = MAX_CHUNKS;
    if (max_chunks == 0)
        max_chunks = 1;
    p->max_chunks = max_chunks;
    plan(p, data);

    if ((double)data->n * work_per_row < MIN_PARALLEL_WORK)
        threads = 1;
    p->n_workers = threads < 1 ? 1 : threads;
    if ((size_t)p->n_workers > p->n_chunks)
        p->n_workers = (int)p->n_chunks;

    size_t per_worker = p->block * data->d + scratch_len;
    p->stats = mix__alloc_array(p->n_chunks * (stats_len ? stats_len : 1), sizeof(double));
    p->work = mix__alloc_array((size_t)p->n_workers, per_worker * sizeof(double));
    if (p->stats == NULL || p->work == NULL) {
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
    p->pool = NULL;
    mix__free(p->stats);
    mix__free(p->work);
    p->stats = NULL;
    p->work = NULL;
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
    *U = p->work + (size_t)worker * (p->block * p->data->d + p->scratch_len);
    *scratch = *U + p->block * p->data->d;
}

typedef struct run_ctx {
    mix__pass *p;
    mix__block_fn fn;
    void *ctx;
} run_ctx;

static void run_chunk(void *arg, size_t c, int worker)
{
    run_ctx *r = arg;
    mix__pass *p = r->p;
    double *U, *scratch;
    mix__pass_buffers(p, worker, &U, &scratch);
    double *stats = p->stats + c * p->stats_len;
    size_t first, end;
    mix__pass_chunk_rows(p, c, &first, &end);
    for (size_t row0 = first; row0 < end; row0 += p->block) {
        size_t rows = end - row0 < p->block ? end - row0 : p->block;
        mix__data_load(p->data, row0, rows, U);
        mix__block blk = {U, row0, rows};
        r->fn(r->ctx, &blk, stats, scratch);
    }
}

void mix__pass_run(mix__pass *p, mix__block_fn fn, void *ctx, size_t len, double *total)
{
    for (size_t c = 0; c < p->n_chunks; c++)
        memset(p->stats + c * p->stats_len, 0, len * sizeof(double));
    run_ctx r = {p, fn, ctx};
    mix__pool_run(p->pool, p->n_chunks, run_chunk, &r);
    if (total == NULL)
        return;
    memcpy(total, p->stats, len * sizeof(double));
    for (size_t c = 1; c < p->n_chunks; c++) {
        const double *s = mix__pass_slot(p, c);
        for (size_t i = 0; i < len; i++)
            total[i] += s[i];
    }
}
