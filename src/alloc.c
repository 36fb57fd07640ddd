/*
 * The library's allocator. Built with -DMIX_FAULT_INJECTION (test builds
 * only), mix__fault_inject(n) makes the n-th following allocation fail, so
 * tests can prove that every failure path returns MIX_ENOMEM and leaks
 * nothing. The counter is process-wide, which is acceptable in that build
 * only; release builds have no global state here.
 */
#include "common.h"

#include <stdlib.h>

#ifdef MIX_FAULT_INJECTION
#include <stdatomic.h>

static atomic_long fault_countdown = 0; /* 0: never fail */
static atomic_long alloc_count = 0;

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
#endif

void *mix__malloc(size_t bytes)
{
    if (fault_now())
        return NULL;
    return malloc(bytes ? bytes : 1);
}

void *mix__calloc(size_t count, size_t size)
{
    size_t bytes;
    if (mix__mul_overflow(count, size, &bytes))
        return NULL;
    if (fault_now())
        return NULL;
    return calloc(bytes ? count : 1, bytes ? size : 1);
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
    free(p);
}
