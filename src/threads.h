/*
 * A minimal parallel-for: n_tasks tasks handed out to up to n_workers
 * threads (the caller's thread is worker 0). Tasks must not depend on which
 * worker runs them; results are made deterministic by the callers (see
 * pass.h), never by scheduling.
 */
#ifndef MIX_THREADS_H
#define MIX_THREADS_H

#include <stddef.h>

typedef void (*mix__task_fn)(void *ctx, size_t task, int worker);

/* Run fn(ctx, t, w) for every t in [0, n_tasks). If a thread cannot be
 * created, the remaining workers (at least the caller) do its share. */
void mix__parallel_run(int n_workers, size_t n_tasks, mix__task_fn fn, void *ctx);

/* Number of threads for a request: 0 means all online cores. */
int mix__threads_resolve(int requested);

#endif /* MIX_THREADS_H */
