/*
 * The caller's data as the engine sees it: rows are loaded block by block
 * into a private buffer as u = (x - shift) * inv_scale. The shift (the
 * column means of the training data) keeps the expanded distance formulas
 * well conditioned, as scikit-learn does by centering; inv_scale is a power
 * of two, so scaling is exact and only rescues data whose squares would
 * overflow or underflow.
 */
#ifndef MIX__CORE_DATA_H
#define MIX__CORE_DATA_H

#include "core/common.h"

typedef struct mix__data {
    const double *X;     /* n x d, row-major, the caller's */
    size_t n, d;
    const double *w;     /* n sample weights, or NULL for unit weights */
    const double *shift; /* d values subtracted from every row */
    double inv_scale;    /* power of two applied after the shift */
    double norm_bound;   /* an upper bound of ||u|| over the rows, or 0 if unknown */
    double w_factor;     /* power of two applied to the weights (see weight_factor) */
} mix__data;

/* Weight of row i. */
static inline double mix__data_weight(const mix__data *v, size_t i)
{
    return v->w ? v->w[i] * v->w_factor : 1.0;
}

/* Load rows [row0, row0 + rows) into U (rows x d). */
void mix__data_load(const mix__data *v, size_t row0, size_t rows, double *U);

/* NULL pointers, zero sizes and n * d * sizeof(double) overflow;
 * @p what names the array in the message ("X"). */
int mix__check_shape(mix__err *err, const void *X, size_t n, size_t d, const char *what);

/* Every value finite, else MIX_EDATA naming the first bad row and column. */
int mix__check_finite(mix__err *err, const double *X, size_t n, size_t d, const char *what);

/* Finiteness of new data for a fitted model (MIX_EDATA naming the first bad
 * value), and the largest |u| of the data in the model's engine units. */
int mix__scan_rows(mix__err *err, const double *X, size_t n, size_t d, const double *shift,
                   double inv_scale, double *max_abs_u);

/* New data for a fitted model with model_d features: X's shape, its width,
 * a non-NULL output (named out_name in the message), then mix__scan_rows. */
int mix__check_query_data(mix__err *err, const double *X, size_t n, size_t d, size_t model_d,
                          const void *out, const char *out_name, const double *shift,
                          double inv_scale, double *max_abs_u);

/* n * k doubles must be addressable (MIX_EDIM). */
int mix__check_cells(mix__err *err, size_t n, size_t k);

/* Weights finite (MIX_EDATA), non-negative (MIX_EINVAL) and, unless
 * allow_zero_sum, with a positive sum (MIX_EINVAL); *n_positive receives the
 * number of positive weights and *factor the power of two to apply to them
 * (1 unless the largest is beyond 2^+-64: every result is invariant to a
 * common factor of the weights, and sums of weighted values must not
 * overflow). NULL w is valid (unit weights, factor 1). */
int mix__check_weights(mix__err *err, const double *w, size_t n, int allow_zero_sum,
                       size_t *n_positive, double *factor);

/* The training data of a k-cluster/component fit: X's shape, n >= k, the
 * weights (as mix__check_weights, *factor likewise) and at least k positive
 * ones. @p what names k in the messages ("n_clusters", "n_components"). */
int mix__check_fit_data(mix__err *err, const double *X, size_t n, size_t d, const double *w,
                        size_t k, const char *what, double *factor);

/*
 * One pass over X: finiteness (MIX_EDATA), column means into shift (d), the
 * power-of-two inv_scale for the data's spread, and an upper bound of the
 * rows' norms in engine units (from the column ranges).
 */
int mix__scan_columns(mix__err *err, const double *X, size_t n, size_t d, double *shift,
                      double *inv_scale, double *norm_bound);

/* The power-of-two inv_scale for data whose largest deviation from the
 * shift is 2 * half_spread (halved so that it cannot overflow): 1 unless
 * that deviation is outside [2^-250, 2^250], else the power of two that
 * brings it to 2^250. */
double mix__scale_for_spread(double half_spread);

/*
 * The Gaussian mixture's scale: inv_scale (from the data) adjusted so that
 * reg_covar in engine units, reg * inv_scale^2, stays within 2^+-600 (its
 * precisions then cannot overflow) while the rows, whose norms are at most
 * norm_bound in the current units, stay within 2^+-250. When both cannot
 * hold the regularisation wins: it dominates the covariances anyway. Returns
 * the new inv_scale (a power of two) and rescales *norm_bound.
 */
double mix__scale_for_reg(double inv_scale, double *norm_bound, double reg);

/* Mean over columns of the (unweighted, biased) column variances of the
 * loaded data u, as numpy's X.var(axis=0).mean(). */
double mix__mean_variance(const mix__data *v);

#endif /* MIX__CORE_DATA_H */
