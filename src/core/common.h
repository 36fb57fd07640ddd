/*
 * Internal definitions shared by every translation unit of libmixture.
 * Nothing here is exported: internal non-static symbols are named mix__*.
 */
#ifndef MIX__CORE_COMMON_H
#define MIX__CORE_COMMON_H

#define MIX_BUILDING_LIBRARY 1
#include "mixture.h"

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__)
#define MIX__PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define MIX__PRINTF(fmt, args)
#endif

/** Length of the per-handle error text, terminating NUL included. */
#define MIX__ERRMSG_LEN 256

/*
 * Per-handle error record. Const calls (predict, score...) may run
 * concurrently on one handle and may all fail, so writes take the lock;
 * readers get the buffer without it, as documented in mixture.h.
 */
typedef struct mix__err {
    pthread_mutex_t lock;
    char msg[MIX__ERRMSG_LEN];
} mix__err;

void mix__err_init(mix__err *err);
void mix__err_destroy(mix__err *err);

/*
 * Record "<message>" for a failure with status @p code and return @p code,
 * so callers write `return mix__fail(err, MIX_EDIM, "...", ...);`.
 * @p err may be NULL (then only the code is returned). The const cast for
 * const handles is done by the caller: the record is logically mutable.
 */
int mix__fail(mix__err *err, int code, const char *fmt, ...) MIX__PRINTF(3, 4);

/* The static text of a status code (what mix_strerror() returns), for
 * every layer. */
const char *mix__strerror(int status);

/* Option checks of the setters: MIX_OK, or MIX_EINVAL with "<name> = <v> is
 * out of range [lo, hi]" / "<name> = <v> must be finite and >= 0". */
int mix__check_range(mix__err *err, const char *name, int v, int lo, int hi);
int mix__check_nonneg(mix__err *err, const char *name, double v);
/* Adam's options: learning rate finite and > 0, betas in [0, 1), epsilon
 * finite and >= 0; MIX_EINVAL naming the first one out of range. */
int mix__check_adam(mix__err *err, double lr, double beta1, double beta2, double eps);
/* A distributed fit's ranks: size >= 1, 0 <= rank < size, an allreduce
 * callback when size > 1; MIX_EINVAL naming what is wrong. */
int mix__check_dist(mix__err *err, int rank, int size, mix_allreduce_fn allreduce);

/* Allocation: every allocation of the library goes through these, so that a
 * test build can make the n-th one fail (see alloc.c). */
void *mix__malloc(size_t bytes);
void *mix__calloc(size_t count, size_t size);
/* count * size bytes, or NULL when the product overflows or memory is short. */
void *mix__alloc_array(size_t count, size_t size);
void mix__free(void *p);

#ifdef MIX_FAULT_INJECTION
/* Test builds only: fail the n-th allocation from now on (n >= 1; 0 never),
 * and count the allocations made since. Linked statically by the tests. */
void mix__fault_inject(long n);
long mix__fault_allocations(void);
long mix__fault_live(void);
#endif

/* a * b into *out; 0 on success, 1 on overflow. */
static inline int mix__mul_overflow(size_t a, size_t b, size_t *out)
{
    return __builtin_mul_overflow(a, b, out);
}

#endif /* MIX__CORE_COMMON_H */
