/* Parallel-for over tasks with POSIX threads; see threads.h. */
#define _GNU_SOURCE /* sched_getaffinity, CPU_COUNT */
#include "threads.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <unistd.h>

#define MAX_WORKERS 1024

typedef struct job {
    mix__task_fn fn;
    void *ctx;
    size_t n_tasks;
    atomic_size_t next;
} job;

typedef struct worker_arg {
    job *job;
    int index;
} worker_arg;

static void work(job *j, int index)
{
    for (;;) {
        size_t t = atomic_fetch_add(&j->next, 1);
        if (t >= j->n_tasks)
            return;
        j->fn(j->ctx, t, index);
    }
}

static void *worker_main(void *p)
{
    worker_arg *a = p;
    work(a->job, a->index);
    return NULL;
}

void mix__parallel_run(int n_workers, size_t n_tasks, mix__task_fn fn, void *ctx)
{
    job j = {fn, ctx, n_tasks, 0};
    if (n_workers > MAX_WORKERS)
        n_workers = MAX_WORKERS;
    if ((size_t)n_workers > n_tasks)
        n_workers = (int)n_tasks;
    if (n_workers <= 1) {
        work(&j, 0);
        return;
    }
    pthread_t tid[MAX_WORKERS];
    worker_arg arg[MAX_WORKERS];
    int started = 0;
    for (int w = 1; w < n_workers; w++) {
        arg[started] = (worker_arg){&j, w};
        if (pthread_create(&tid[started], NULL, worker_main, &arg[started]) != 0)
            break; /* the threads already started and the caller do the rest */
        started++;
    }
    work(&j, 0);
    for (int i = 0; i < started; i++)
        pthread_join(tid[i], NULL);
}

int mix__threads_resolve(int requested)
{
    if (requested > 0)
        return requested;
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0) {
        int n = CPU_COUNT(&set);
        if (n > 0)
            return n;
    }
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)(n < MAX_WORKERS ? n : MAX_WORKERS) : 1;
}
