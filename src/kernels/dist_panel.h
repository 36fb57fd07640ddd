/*
 * Exact Euclidean distances between many points, for the silhouette: each
 * ||x - y|| from the differences, sqrt of sum_t (x_t - y_t)^2 accumulated
 * over t in order from 0 by fused multiply-adds, never from the expanded
 * ||x||^2 - 2 x.y + ||y||^2 (which loses the digits of small distances
 * between large points: it gives 1e-8 where two rows are equal). The
 * vector kernels (AVX-512, or AVX2 and FMA) compute each distance with the
 * same operations in the same order as the portable loop, whose fma() is
 * exact on every CPU (in software where there is no instruction): the
 * paths agree bit for bit, so the results do not depend on the CPU.
 *
 * The points are laid out in panels of MIX__PANEL, so that one vector load
 * gives a coordinate of four or eight of them: panel p holds points
 * p MIX__PANEL .. p MIX__PANEL + 7, coordinate t of point p MIX__PANEL + l
 * at P[p MIX__PANEL d + t MIX__PANEL + l].
 */
#ifndef MIX__KERNELS_DIST_PANEL_H
#define MIX__KERNELS_DIST_PANEL_H

#include <stddef.h>
#include <stdint.h>

#define MIX__PANEL 8

/* The panels of n points (rows order[0], order[1], ... of X, n x d; order
 * NULL for 0, 1, ...), each value times scale; the last panel is padded
 * with zeros. ceil(n / MIX__PANEL) MIX__PANEL d doubles. */
void mix__panel_layout(const double *X, const uint32_t *order, size_t n, size_t d, double scale,
                       double *P);

/*
 * D[q ld + j] = ||point r0 + q - point p0 MIX__PANEL + j|| for q < 4 and
 * j < (p1 - p0) MIX__PANEL: four points against the points of panels
 * p0 .. p1 - 1 (all within the layout; padding points included).
 */
void mix__dist_four_panels(const double *P, size_t d, size_t r0, size_t p0, size_t p1, double *D,
                           size_t ld);

/* The same with a given kernel (for the tests, which check that every
 * kernel the CPU runs equals the portable one bit for bit): 0 portable,
 * 1 AVX2 and FMA, 2 AVX-512. Returns 0, or -1 (D untouched) if this
 * build or CPU lacks that kernel. */
int mix__dist_four_panels_with(int kernel, const double *P, size_t d, size_t r0, size_t p0,
                               size_t p1, double *D, size_t ld);

#endif /* MIX__KERNELS_DIST_PANEL_H */
