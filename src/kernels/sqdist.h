/*
 * Squared Euclidean distances between a block of rows and a set of centers,
 * by the expanded form ||u||^2 - 2 u.c + ||c||^2 with one GEMM per block
 * (K-means seeding and transform, the spherical Gaussian log-density, and
 * the assignment where the register kernel does not serve), the closest
 * center of each row (mix__sqdist_argmin, which hands the work to the
 * register kernel of argmin_fma.c where the CPU and shape allow), and the
 * direct form for near points. The full-covariance family has a register
 * kernel of its own (maha_fma.c, declared in gauss.h).
 */
#ifndef MIX__KERNELS_SQDIST_H
#define MIX__KERNELS_SQDIST_H

#include <stddef.h>
#include <stdint.h>

/* ||a||^2 and ||a - b||^2 over d values, with four partial sums so that
 * the additions do not wait on each other (a single running sum makes every
 * row cost d times the latency of an addition). */
double mix__norm2(const double *a, size_t d);

/* ||c_j||^2 for the k rows of C (k x d). */
void mix__row_norms2(const double *C, size_t k, size_t d, double *norm2);

/*
 * D (rows x k, row stride k) = ||c_j||^2 - 2 u_i.c_j: the squared distance
 * without the row's own ||u_i||^2, which is all an argmin needs. The terms
 * are combined in the same order as scikit-learn's K-means, so near-ties
 * are resolved the same way.
 */
void mix__sqdist_partial(const double *U, size_t rows, size_t d, const double *C,
                         const double *c_norm2, size_t k, double *D);

/* Complete partial distances into squared distances: add ||u_i||^2 and
 * clamp the rounding-induced negatives to zero. */
void mix__sqdist_complete(const double *U, size_t rows, size_t d, size_t k, double *D);

/*
 * Closest center of each row: label[i] = argmin_j of the partial distance
 * (the first j on ties, as scikit-learn) and part[i] its value; if part2 is
 * not NULL, the second smallest partial distance (+infinity when k = 1).
 * Centers are taken in groups of `group` so that D needs only
 * (group + 1) * rows doubles, whatever k is. G is the centers' layout for
 * the register kernel (see below), which then does the work, or NULL.
 */
void mix__sqdist_argmin(const double *U, size_t rows, size_t d, const double *C,
                        const double *G, const double *c_norm2, size_t k, size_t group,
                        double *D, int32_t *label, double *part, double *part2);

/*
 * The register kernel behind mix__sqdist_argmin (argmin_fma.c), for CPUs
 * with AVX2 and FMA and d <= 64: the GEMM path's values up to the last
 * bits (see argmin_fma.c), without the GEMM's packing and distance block. It reads the centers only in a layout
 * of its own, G, made once whenever the centers change:
 * mix__argmin_layout_len(k, d) doubles (0: the kernel does not serve this
 * shape on this CPU, and G stays NULL), filled by mix__tile_layout
 * (fma_tile.h). mix__argmin_fma must only be given a G so made.
 */
size_t mix__argmin_layout_len(size_t k, size_t d);
void mix__argmin_fma(const double *U, size_t rows, size_t d, const double *G,
                     const double *c_norm2, size_t k, int32_t *label, double *part,
                     double *part2);

/* Direct squared distance sum_j (a_j - b_j)^2, accurate for near points. */
double mix__sqdist_direct(const double *a, const double *b, size_t d);

#endif /* MIX__KERNELS_SQDIST_H */
