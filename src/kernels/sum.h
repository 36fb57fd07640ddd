/*
 * Sums in numpy's order. The clustering metrics reproduce scikit-learn's,
 * whose sums are numpy's: np.sum of a contiguous float64 array (and a mean
 * over the rows of one column) runs from 0 over chunks of 8192 values (the
 * iterator's buffer), adding each chunk's pairwise sum (blocks of at most
 * 128 values, each added in eight interleaved running sums; halves of
 * larger ranges split at a multiple of eight). Checked against numpy 1.24
 * on random arrays of 1 to 320000 values. Adding in the same order gives the same rounding, so values that
 * are equal term by term are equal bit for bit, and values that differ by
 * rounding do not drift further apart through the sum.
 */
#ifndef MIX__KERNELS_SUM_H
#define MIX__KERNELS_SUM_H

#include <stddef.h>

/* np.sum(a[0:n]) for a contiguous float64 array. */
double mix__sum_numpy(const double *a, size_t n);

/* The same for an array that is not stored: fill(ctx, first, count, buf)
 * writes its elements first .. first + count - 1 (count <= 128) into buf. */
typedef void (*mix__fill_fn)(void *ctx, size_t first, size_t count, double *buf);
double mix__sum_numpy_fill(size_t n, mix__fill_fn fill, void *ctx);

#endif /* MIX__KERNELS_SUM_H */
