/* Parallel-for over tasks with POSIX threads; see threads.h. */
#define _GNU_SOURCE /* sched_getaffinity, CPU_COUNT */
#include "core/threads.h"

#include "core/common.h"
#include "core/limits.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <unistd.h>

typedef struct job {
    mix__task_fn fn;
    void *ctx;
    size_t n_tasks;
    atomic_size_t next;
} job;

static void work(job *j, int index)
{
    for (;;) {
        size_t t = atomic_fetch_add(&j->next, 1);
        if (t >= j->n_tasks)
            return;
        j->fn(j->ctx, t, index);
    }
}

/* What a worker thread needs to know: its pool and its index. */
typedef struct pool_slot {
    mix__pool *pool;
    int index;
} pool_slot;

struct mix__pool {
    pthread_mutex_t lock;
    pthread_cond_t wake, idle;
    job *current;
    unsigned long generation; /* incremented for every job */
    int busy;                 /* threads still working on the current job */
    int stop;
    int n_threads;            /* threads started (workers 1..n_threads) */
    job pending;              /* the job of mix__pool_start, until mix__pool_join */
    pthread_t tid[MIX__MAX_THREADS];
    pool_slot slot[MIX__MAX_THREADS];
};

static void *worker_main(void *p)
{
    mix__pool *pool = ((pool_slot *)p)->pool;
    const int index = ((pool_slot *)p)->index;
    unsigned long seen = 0;
    pthread_mutex_lock(&pool->lock);
    for (;;) {
        while (!pool->stop && pool->generation == seen)
            pthread_cond_wait(&pool->wake, &pool->lock);
        if (pool->stop)
            break;
        seen = pool->generation;
        job *j = pool->current;
        pthread_mutex_unlock(&pool->lock);
        work(j, index);
        pthread_mutex_lock(&pool->lock);
        if (--pool->busy == 0)
            pthread_cond_signal(&pool->idle);
    }
    pthread_mutex_unlock(&pool->lock);
    return NULL;
}

mix__pool *mix__pool_create(int n_workers)
{
    if (n_workers > MIX__MAX_THREADS)
        n_workers = MIX__MAX_THREADS;
    if (n_workers <= 1)
        return NULL;
    mix__pool *pool = mix__calloc(1, sizeof *pool);
    if (pool == NULL)
        return NULL;
    pthread_mutex_init(&pool->lock, NULL);
    pthread_cond_init(&pool->wake, NULL);
    pthread_cond_init(&pool->idle, NULL);
    for (int w = 1; w < n_workers; w++) {
        int i = pool->n_threads;
        pool->slot[i] = (pool_slot){pool, w};
        if (pthread_create(&pool->tid[i], NULL, worker_main, &pool->slot[i]) != 0)
            break; /* the threads already started and the caller do the rest */
        pool->n_threads++;
    }
    if (pool->n_threads == 0) {
        mix__pool_destroy(pool);
        return NULL;
    }
    return pool;
}

/* Hand j to the pool's threads. */
static void launch(mix__pool *pool, job *j)
{
    pthread_mutex_lock(&pool->lock);
    pool->current = j;
    pool->busy = pool->n_threads;
    pool->generation++;
    pthread_cond_broadcast(&pool->wake);
    pthread_mutex_unlock(&pool->lock);
}

/* Take the caller's part of j (whatever tasks are left), then wait for the
 * pool's threads. */
static void finish(mix__pool *pool, job *j)
{
    work(j, 0);
    pthread_mutex_lock(&pool->lock);
    while (pool->busy > 0)
        pthread_cond_wait(&pool->idle, &pool->lock);
    pthread_mutex_unlock(&pool->lock);
}

void mix__pool_run(mix__pool *pool, size_t n_tasks, mix__task_fn fn, void *ctx)
{
    job j = {fn, ctx, n_tasks, 0};
    if (pool == NULL || n_tasks <= 1) {
        work(&j, 0);
        return;
    }
    launch(pool, &j);
    finish(pool, &j);
}

void mix__pool_start(mix__pool *pool, size_t n_tasks, mix__task_fn fn, void *ctx)
{
    pool->pending = (job){fn, ctx, n_tasks, 0};
    launch(pool, &pool->pending);
}

void mix__pool_join(mix__pool *pool)
{
    finish(pool, &pool->pending);
}

void mix__pool_destroy(mix__pool *pool)
{
    if (pool == NULL)
        return;
    pthread_mutex_lock(&pool->lock);
    pool->stop = 1;
    pthread_cond_broadcast(&pool->wake);
    pthread_mutex_unlock(&pool->lock);
    for (int i = 0; i < pool->n_threads; i++)
        pthread_join(pool->tid[i], NULL);
    pthread_cond_destroy(&pool->idle);
    pthread_cond_destroy(&pool->wake);
    pthread_mutex_destroy(&pool->lock);
    mix__free(pool);
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
    return n > 0 ? (int)(n < MIX__MAX_THREADS ? n : MIX__MAX_THREADS) : 1;
}
