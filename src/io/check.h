/*
 * Checks of the values a model is read back with (private to io/): each
 * returns MIX_OK, or MIX_EFORMAT naming the value and what is wrong with it
 * ("<name>: weights (WGHT)[2] = -0.5 is outside [0, 1]"). They run after
 * the checksum is verified, so they catch data a writer got wrong or forged
 * on purpose, never a stray bit.
 */
#ifndef MIX__IO_CHECK_H
#define MIX__IO_CHECK_H

#include "io/stream.h"

int mix__chk_finite(mix__reader *r, const double *a, size_t n, const char *what);
/* Finite and within [lo, hi]. */
int mix__chk_within(mix__reader *r, const double *a, size_t n, double lo, double hi,
                    const char *what);
/* Finite and > 0. */
int mix__chk_positive(mix__reader *r, const double *a, size_t n, const char *what);
/* k weights within [0, 1] summing to 1 within tol. */
int mix__chk_weights(mix__reader *r, const double *w, size_t k, double tol, const char *what);
/* Options: an integer within [lo, hi]; a real finite and >= 0; Adam's four
 * as mix__check_adam. */
int mix__chk_int(mix__reader *r, const char *name, int64_t v, int64_t lo, int64_t hi);
/* An unsigned field for mix__chk_int (beyond INT64_MAX: INT64_MAX, out of
 * every range). */
static inline int64_t mix__chk_as_i64(uint64_t v)
{
    return v > INT64_MAX ? INT64_MAX : (int64_t)v;
}
int mix__chk_nonneg(mix__reader *r, const char *name, double v);
int mix__chk_adam(mix__reader *r, double lr, double beta1, double beta2, double eps);
/* The engine units' scale: a power of two whose inverse is normal too. */
int mix__chk_inv_scale(mix__reader *r, double inv_scale);
/* m matrices d x d, triangular (upper or lower: the other triangle exactly
 * 0) with a finite positive diagonal. */
int mix__chk_triangular(mix__reader *r, const double *a, size_t d, size_t m, int upper,
                        const char *what);
/* m finite symmetric matrices d x d, positive definite (their Cholesky
 * factorisation succeeds); MIX_ENOMEM for its scratch. */
int mix__chk_positive_definite(mix__reader *r, const double *a, size_t d, size_t m,
                               const char *what);

#endif /* MIX__IO_CHECK_H */
