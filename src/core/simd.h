/*
 * Attributes for the few loops that must vectorise (exp, running minima).
 *
 * MIX__TARGET_CLONES builds an AVX2 and a baseline version of a function,
 * the loader picking one for the CPU (GCC on x86-64; left out under
 * sanitizers, whose runtimes are not ready when the loader runs the
 * dispatcher, and with clang 14, which does not export the dispatched
 * symbol). MIX__VECTORIZE gives GCC its full vectoriser (its -O2 cost model
 * refuses loops that need a scalar epilogue) and no trapping math
 * (otherwise floating-point compares stay branches; the library never reads
 * FP exception flags). Clang vectorises these loops at -O2 by itself.
 */
#ifndef MIX__CORE_SIMD_H
#define MIX__CORE_SIMD_H

#include <stdint.h>
#include <string.h>

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && \
    !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__) && \
    !defined(MIX_NO_TARGET_CLONES)
#define MIX__TARGET_CLONES __attribute__((target_clones("avx2", "default")))
#define MIX__TARGET_CLONES_512 __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define MIX__TARGET_CLONES
#define MIX__TARGET_CLONES_512
#endif

/* Cloned functions must stay calls: inlined, they lose their target. */
#if defined(__GNUC__)
#define MIX__NOINLINE __attribute__((noinline))
#else
#define MIX__NOINLINE
#endif

#if defined(__GNUC__) && !defined(__clang__)
#define MIX__VECTORIZE \
    __attribute__((optimize("tree-vectorize", "vect-cost-model=dynamic", "no-trapping-math")))
#else
#define MIX__VECTORIZE
#endif

/* mask (all ones or all zeros) ? a : b, exactly, in a form that vectorises
 * where a conditional expression does not. Always inlined: GCC does not
 * inline across different optimize attributes otherwise. */
#if defined(__GNUC__)
#define MIX__ALWAYS_INLINE __attribute__((always_inline))
#else
#define MIX__ALWAYS_INLINE
#endif
MIX__ALWAYS_INLINE static inline double mix__select(uint64_t mask, double a, double b)
{
    uint64_t x, y;
    memcpy(&x, &a, sizeof x);
    memcpy(&y, &b, sizeof y);
    x = (x & mask) | (y & ~mask);
    memcpy(&a, &x, sizeof a);
    return a;
}

#endif /* MIX__CORE_SIMD_H */
