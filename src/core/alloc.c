/*
 * The library's allocator. Built with -DMIX_FAULT_INJECTION (test builds
 * only), mix__fault_inject(n) makes the n-th following allocation fail, and
 * mix__fault_live() counts the blocks not yet freed, so tests can prove that
 * every failure path returns MIX_ENOMEM and leaks nothing. The counter is process-wide, which is acceptable in that build
 * only; release builds have no global state here.
 */
#include "core/common.h"

#include <stdlib.h>

#ifdef MIX_FAULT_INJECTION
#include <stdatomic.h>

static atomic_long fault_countdown = 0; /* 0: never fail */
static atomic_long alloc_count = 0;
static atomic_long live = 0; /* allocations not yet freed */

void mix__fault_inject(long n)
{
    atomic_store(&fault_countdown, n);
    atomic_store(&alloc_count, 0);
}

/* Allocations made since the last mix__fault_inject(). */
long mix__fault_allocations(void)
{
    return atomic_load(&alloc_count);
}

/* Blocks allocated and not yet freed, at any time. */
long mix__fault_live(void)
{
    return atomic_load(&live);
}

static void note_alloc(const void *p)
{
    if (p != NULL)
        atomic_fetch_add(&live, 1);
}

static void note_free(const void *p)
{
    if (p != NULL)
        atomic_fetch_sub(&live, 1);
}

static int fault_now(void)
{
    atomic_fetch_add(&alloc_count, 1);
    long left = atomic_load(&fault_countdown);
    if (left <= 0)
        return 0;
    return atomic_fetch_sub(&fault_countdown, 1) == 1;
}
#else
static int fault_now(void) { return 0; }
static void note_alloc(const void *p) { (void)p; }
static void note_free(const void *p) { (void)p; }
#endif

void *mix__malloc(size_t bytes)
{
    if (fault_now())
        return NULL;
    void *p = malloc(bytes ? bytes : 1);
    note_alloc(p);
    return p;
}

void *mix__calloc(size_t count, size_t size)
{
    size_t bytes;
    if (mix__mul_overflow(count, size, &bytes))
        return NULL;
    if (fault_now())
        return NULL;
    void *p = calloc(bytes ? count : 1, bytes ? size : 1);
    note_alloc(p);
    return p;
}

void *mix__alloc_array(size_t count, size_t size)
{
    size_t bytes;
    if (mix__mul_overflow(count, size, &bytes))
        return NULL;
    return mix__malloc(bytes);
}

void mix__free(void *p)
{
    note_free(p);
    free(p);
}
