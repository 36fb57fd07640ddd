/*
 * The caller's data as the engine sees it: rows are loaded block by block
 * into a private buffer as u = (x - shift) * inv_scale. The shift (the
 * column means of the training data) keeps the expanded distance formulas
 * well conditioned, as scikit-learn does by centering; inv_scale is a power
 * of two, so scaling is exact and only rescues data whose squares would
 * overflow or underflow.
 *
 * The rows are either in memory (X, w) or streamed: a reader gives them
 * pass after pass in the same order (read, user; X and w NULL), and the
 * passes (core/pass.h) re-block them, so that every sum is the same as in
 * memory. In a distributed fit (core/dist.h) they are one rank's shard:
 * rows row0 .. row0 + n of the n_all rows of all shards in rank order.
 */
#ifndef MIX__CORE_DATA_H
#define MIX__CORE_DATA_H

#include "core/common.h"
#include "core/dist.h"

#include <math.h>

typedef struct mix__data {
    const double *X;     /* n x d, row-major, the caller's; NULL when streamed */
    size_t n, d;
    const double *w;     /* n sample weights, or NULL for unit weights */
    mix_read_fn read;    /* the rows' reader when streamed, else NULL */
    void *user;          /* the reader's argument */
    const mix__dist *dist; /* the ranks of a distributed fit, or NULL */
    size_t row0, n_all;  /* global index of the first row; rows of all ranks */
    const double *shift; /* d values subtracted from every row */
    double inv_scale;    /* power of two applied after the shift */
    double norm_bound;   /* an upper bound of ||u|| over the rows, or 0 if unknown */
    double w_factor;     /* power of two applied to the weights (see weight_factor) */
    int binary;          /* values must be 0 or 1: checked again on a reader's later passes */
} mix__data;

/* Rows x (rows x d, the caller's units) into U (rows x d, engine units). */
void mix__data_rows(const mix__data *v, const double *x, size_t rows, double *U);

/* Load rows [row0, row0 + rows) of data in memory into U (rows x d). */
static inline void mix__data_load(const mix__data *v, size_t row0, size_t rows, double *U)
{
    mix__data_rows(v, v->X + row0 * v->d, rows, U);
}

/* A value in engine units u back in the data's: u * scale + shift (scale
 * = 1 / inv_scale, a power of two), or where u * scale alone overflows
 * near the ends of the range, the same sum taken in halves. */
static inline double mix__data_unit(double u, double scale, double shift)
{
    const double v = u * scale + shift;
    return isfinite(v) ? v : 2.0 * (u * (0.5 * scale) + 0.5 * shift);
}

/* Weight of row i of data in memory, the factor applied. */
static inline double mix__data_weight_at(const mix__data *v, size_t i)
{
    return v->w ? v->w[i] * v->w_factor : 1.0;
}

/* The rows of a fit as the caller gives them: in memory (X n x d, w n or
 * NULL; n may be 0 and X NULL for an empty shard of a distributed fit) or
 * through a reader (read, user), on one rank of dist (or NULL). */
typedef struct mix__source {
    const double *X, *w;
    size_t n, d;
    mix_read_fn read;
    void *user;
    const mix__dist *dist;
} mix__source;

/* What the first pass checks and computes for a fit of k clusters or
 * components (what names k in messages: "n_clusters"). */
typedef struct mix__scan_opts {
    size_t k;
    const char *what;
    int binary; /* values must be 0 or 1 (else finite) */
    int centre; /* shift = column means, inv_scale for the spread; else 0 and 1 */
} mix__scan_opts;

/*
 * The first look at the training rows (one pass; a second only when a
 * column's sum overflows), over all ranks: values finite (or 0/1),
 * weights finite and non-negative (the first offender named, its row
 * counted in this rank's rows), at least k rows and k positive weights,
 * all weights not zero; then v describes the rows: the source, n (counted
 * when streamed), row0, n_all, w_factor, shift (d doubles, the caller's,
 * filled), inv_scale and norm_bound. MIX_EDATA, MIX_EINVAL, MIX_EDIM,
 * MIX_EIO (reader or another rank), MIX_ENOMEM.
 */
int mix__data_open(mix__data *v, const mix__source *src, double *shift, const mix__scan_opts *o,
                   mix__err *err);

/* NULL pointers, zero sizes and n * d * sizeof(double) overflow;
 * @p what names the array in the message ("X"). */
int mix__check_shape(mix__err *err, const void *X, size_t n, size_t d, const char *what);

/* The rows of a fit in memory: as mix__check_shape, except that a shard of
 * a distributed fit may be empty (n = 0, X NULL). */
int mix__check_fit_rows(mix__err *err, const double *X, size_t n, size_t d, int distributed);

/* A streamed fit's reader (not NULL) and width (d >= 1, blocks of rows
 * addressable). */
int mix__check_reader(mix__err *err, size_t d, mix_read_fn read);

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

/* Weights w[0 .. n) checked (MIX_EDATA not finite, MIX_EINVAL negative,
 * naming row0 + i): *n_positive counts the positive ones, *top is raised
 * to the largest. */
int mix__weights_scan(mix__err *err, const double *w, size_t row0, size_t n, size_t *n_positive,
                      double *top);
/* The power of two applied to weights whose largest is top (see
 * mix__check_weights). */
double mix__weight_factor(double top);

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


#endif /* MIX__CORE_DATA_H */
