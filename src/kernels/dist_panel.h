/*
 * Exact Euclidean distances between many points, for the silhouette: each
 * ||x - y|| from the differences, sqrt(sum_t (x_t - y_t)^2) summed over t
 * in order from 0, never from the expanded ||x||^2 - 2 x.y + ||y||^2
 * (which loses the digits of small distances between large points: it
 * gives 1e-8 where two rows are equal). The vector kernel (AVX2, no fused
 * multiply-add) computes each distance with the same operations in the
 * same order as the portable loop: the two agree bit for bit, on every CPU.
 *
 * The points are laid out in panels of MIX__PANEL, so that one vector load
 * gives a coordinate of four of them: panel p holds points
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

#endif /* MIX__KERNELS_DIST_PANEL_H */
