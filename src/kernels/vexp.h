/*
 * exp over arrays, written so that the compiler vectorises it (AVX2 where
 * the CPU has it, chosen at load time): the responsibilities of every EM
 * iteration are n x k exponentials, which glibc's scalar exp makes a tenth
 * of the iteration.
 */
#ifndef MIX__KERNELS_VEXP_H
#define MIX__KERNELS_VEXP_H

#include <stddef.h>

/* y[i] = exp(x[i] - shift) for i < n (y may be x). Accurate to about 2 ulp;
 * results below 2^-1022 are flushed to zero (they add nothing to a sum of
 * probabilities that includes a 1); NaN gives NaN. */
void mix__exp_shifted(const double *x, double shift, double *y, size_t n);

#endif /* MIX__KERNELS_VEXP_H */
