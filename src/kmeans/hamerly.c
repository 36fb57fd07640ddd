/*
 * Hamerly's bounds for the K-means assignment (G. Hamerly, "Making k-means
 * even faster", SDM 2010), kept exact with respect to Lloyd.
 *
 * Each row keeps an upper bound of the distance to its own center and a
 * lower bound of the distance to every other one. When a center moves, the
 * bounds loosen by the distance it moved; a row whose bounds still prove
 * that its center is the closest skips every distance computation. The
 * other rows are gathered and go through the same distance kernel as Lloyd.
 *
 * Skipping must not change Lloyd's answer, which is computed in floating
 * point: a row is skipped only when the gap between the squared distances
 * exceeds `margin`, a bound on the rounding error of the expanded distance
 * formula, and every bound is rounded outwards. So the labels are Lloyd's,
 * the cluster sums are summed as Lloyd sums them, and the results are
 * bit-identical.
 */
#include "kmeans/lloyd.h"

#include "kernels/sqdist.h"

#include <float.h>
#include <math.h>

/* Outward rounding of bounds after one or two operations. */
#define UP (1.0 + 8 * DBL_EPSILON)
#define DOWN (1.0 - 8 * DBL_EPSILON)

int mix__bounds_alloc(mix__lloyd *lw)
{
    lw->upper = lw->closest;
    if (!lw->use_bounds)
        return MIX_OK;
    lw->lower = mix__alloc_array(lw->data->n, sizeof(double));
    lw->sep = mix__alloc_array(lw->k, sizeof(double));
    return lw->lower && lw->sep ? MIX_OK : MIX_ENOMEM;
}

/* The row's closest center is certainly its own: every other center is at
 * least `lo` away (and 2 sep - up, by the triangle inequality), its own at
 * most `up`, with a gap of squares rounding cannot close. */
static inline int settled(double up, double lo, double sep, double margin)
{
    double by_sep = 2.0 * sep - up, other = lo > by_sep ? lo : by_sep;
    return other > up && other * other - up * up > margin;
}

/* Bounds from the partial distances of a row whose distances were
 * computed: part = ||c||^2 - 2 u.c, so ||u - c||^2 = ||u||^2 + part. */
static void reset_bounds(mix__lloyd *lw, size_t r, const double *u, double part, double part2)
{
    double u2 = mix__norm2(u, lw->d), hi = u2 + part + lw->margin, lo = u2 + part2 - lw->margin;
    lw->upper[r] = sqrt(hi > 0 ? hi : 0) * UP;
    lw->lower[r] = lw->k > 1 ? sqrt(lo > 0 ? lo : 0) * DOWN : INFINITY;
}

void mix__bounds_assign(mix__lloyd *lw, const mix__block *b, const mix__kscratch *S,
                        int32_t *label)
{
    const size_t k = lw->k, d = lw->d, rows = b->rows;
    double *D = S->D, *part = S->part, *part2 = S->part2, *Uc = S->Uc;
    int32_t *lab_c = S->lab_c;
    size_t *idx = S->idx;

    size_t m = 0;
    if (lw->bounds_valid) {
        /* Locals: the stores below could alias the struct's fields. */
        double *upper = lw->upper + b->row0, *lower = lw->lower + b->row0;
        const int32_t *labels = lw->labels + b->row0;
        const double *move = lw->move, *sep = lw->sep, *centers = lw->centers;
        const double margin = lw->margin, move_max = lw->move_max, move_max2 = lw->move_max2;
        const size_t move_arg = lw->move_arg;
        for (size_t i = 0; i < rows; i++) {
            const size_t a = (size_t)labels[i];
            double up = (upper[i] + move[a]) * UP;
            double lo = (lower[i] - (a == move_arg ? move_max2 : move_max)) * DOWN;
            lo = lo > 0 ? lo : 0;
            if (!settled(up, lo, sep[a], margin)) {
                up = sqrt(mix__sqdist_direct(b->U + i * d, centers + a * d, d)) * UP;
                if (!settled(up, lo, sep[a], margin)) {
                    idx[m++] = i;
                    continue;
                }
            }
            upper[i] = up;
            lower[i] = lo;
            label[i] = (int32_t)a;
        }
        if (m == 0)
            return;
    }
    /* Gathering a row costs d copies and saves k d multiply-adds: worth it
     * unless nearly every row must be recomputed. */
    if (!lw->bounds_valid || 10 * m > 9 * rows) {
        mix__sqdist_argmin(b->U, rows, d, lw->centers, lw->layout, lw->c_norm2, k, lw->group, D,
                           label, part,
                           part2);
        for (size_t i = 0; i < rows; i++)
            reset_bounds(lw, b->row0 + i, b->U + i * d, part[i], part2[i]);
        return;
    }
    for (size_t q = 0; q < m; q++)
        for (size_t t = 0; t < d; t++)
            Uc[q * d + t] = b->U[idx[q] * d + t];
    mix__sqdist_argmin(Uc, m, d, lw->centers, lw->layout, lw->c_norm2, k, lw->group, D, lab_c, part,
                       part2);
    for (size_t q = 0; q < m; q++) {
        label[idx[q]] = lab_c[q];
        reset_bounds(lw, b->row0 + idx[q], Uc + q * d, part[q], part2[q]);
    }
}

/* Rounding error of ||c||^2 - 2 u.c and of ||u||^2: each within
 * (d + 2) eps (|u| + |c|)^2; the gap must exceed two of them, doubled for
 * safety. */
static void set_margin(mix__lloyd *lw)
{
    double c_max = 0;
    for (size_t j = 0; j < lw->k; j++)
        c_max = fmax(c_max, sqrt(lw->c_norm2[j]));
    double reach = lw->data->norm_bound + c_max;
    lw->margin = 4.0 * (double)(lw->d + 2) * DBL_EPSILON * reach * reach;
}

void mix__bounds_start(mix__lloyd *lw)
{
    lw->bounds_valid = 0;
    set_margin(lw);
}

void mix__bounds_update(mix__lloyd *lw)
{
    const size_t k = lw->k, d = lw->d;
    lw->move_max = lw->move_max2 = 0;
    lw->move_arg = 0;
    for (size_t j = 0; j < k; j++) {
        double mv = lw->move[j] * UP;
        lw->move[j] = mv;
        if (mv > lw->move_max) {
            lw->move_max2 = lw->move_max;
            lw->move_max = mv;
            lw->move_arg = j;
        } else if (mv > lw->move_max2) {
            lw->move_max2 = mv;
        }
    }
    for (size_t j = 0; j < k; j++) {
        double nearest = INFINITY;
        for (size_t o = 0; o < k; o++)
            if (o != j)
                nearest = fmin(nearest, mix__sqdist_direct(lw->centers + j * d,
                                                           lw->centers + o * d, d));
        lw->sep[j] = 0.5 * sqrt(nearest) * DOWN;
    }
    set_margin(lw);
}
