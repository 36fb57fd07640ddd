/*
 * A minimal parallel-for: n_tasks tasks handed out to up to n_workers
 * threads (the caller's thread is worker 0). Tasks must not depend on which
 * worker runs them; results are made deterministic by the callers (see
 * pass.h), never by scheduling.
 */
#ifndef MIX__CORE_THREADS_H
#define MIX__CORE_THREADS_H

#include <stddef.h>

typedef void (*mix__task_fn)(void *ctx, size_t task, int worker);

/*
 * A pool of worker threads kept for the life of a pass (a fit makes many
 * passes: starting threads for each would cost more than small passes
 * take). The caller's thread is worker 0; the pool adds up to n_workers - 1
 * threads, fewer if the system refuses some (their share goes to the
 * others). mix__pool_create returns NULL when n_workers <= 1 or on
 * failure: mix__pool_run then runs everything on the caller's thread.
 */
typedef struct mix__pool mix__pool;

mix__pool *mix__pool_create(int n_workers);
/* Run fn(ctx, t, w) for every t in [0, n_tasks) and wait for all. */
void mix__pool_run(mix__pool *pool, size_t n_tasks, mix__task_fn fn, void *ctx);
/* The same in two halves, so that the caller's thread can do something
 * else meanwhile: mix__pool_start hands the tasks to the pool's threads
 * (pool not NULL) and returns at once; mix__pool_join makes the caller's
 * thread take whatever tasks are left, as worker 0, and waits for all.
 * Between the two the caller must not use the pool. */
void mix__pool_start(mix__pool *pool, size_t n_tasks, mix__task_fn fn, void *ctx);
void mix__pool_join(mix__pool *pool);
void mix__pool_destroy(mix__pool *pool);

/* Number of threads for a request: 0 means all online cores. */
int mix__threads_resolve(int requested);

#endif /* MIX__CORE_THREADS_H */
