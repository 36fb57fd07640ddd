/*
 * Pieces of the Gaussian log-density that several covariance families
 * share, written once.
 */
#ifndef MIX__KERNELS_GAUSS_H
#define MIX__KERNELS_GAUSS_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>

/* In place: maha_ij (a squared Mahalanobis distance) becomes the
 * log-density -0.5 (d log(2 pi) + maha_ij) + log_det_j, log_det_j being the
 * log-determinant of component j's precision Cholesky factor. */
void mix__gauss_log_density(double *maha, size_t rows, size_t k, size_t d, const double *log_det);

/* maha_ij = sum_t (Y[i * ldy + j * step + t] - m[j * d + t])^2: the squared
 * Mahalanobis distance from rows already multiplied by each component's
 * precision factor (step d: one block of columns per component, as the
 * full family; step 0: one shared factor, as the tied family). */
void mix__gauss_maha_projected(const double *Y, size_t ldy, size_t step, const double *m,
                               size_t rows, size_t k, size_t d, double *maha);

/*
 * maha (rows x k) = ||U_i [P_1 ... P_k] block j - m_j||^2 for upper
 * triangular d x d factors P_j stored side by side (Pcat, d x k d) and m
 * (k x d): the
 * GEMM-then-mix__gauss_maha_projected result up to the last bits (see
 * maha_fma.c), computed in registers on CPUs with AVX2 and FMA for
 * d <= 64. Returns 1 when done, 0 when not served (nothing written then).
 */
int mix__maha_fma(const double *U, size_t rows, size_t d, const double *Pcat, const double *m,
                  size_t k, double *maha);

/*
 * From a d x d covariance: its lower Cholesky factor `chol`, scikit-learn's
 * precision Cholesky factor `prec` (upper triangular, prec prec^T = cov^-1)
 * and log det(prec). Returns 0, or non-zero when cov is not positive
 * definite.
 */
int mix__precision_cholesky(const double *cov, size_t d, double *chol, double *prec,
                            double *log_det);

/*
 * The inverse direction, from a precision factor `prec` (upper triangular
 * with a positive diagonal): the covariance's lower Cholesky factor
 * chol = prec^-T, the covariance chol chol^T, and log det(prec). Returns 0,
 * or non-zero when prec is singular or the results are not finite.
 */
int mix__cov_from_precision_cholesky(const double *prec, size_t d, double *chol, double *cov,
                                     double *log_det);

/* m (d) = mu (d) times the d x d matrix P: mu_k U_k of the E-step. */
void mix__row_times_matrix(const double *mu, const double *P, size_t d, double *m);

/* Rows of Z (rows x d) <- L z for the lower triangular factor L (d x d). */
void mix__lower_times_rows(const double *L, size_t d, double *Z, size_t rows);

#endif /* MIX__KERNELS_GAUSS_H */
