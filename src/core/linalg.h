/*
 * The library's only door to BLAS and LAPACK (linalg.c is the one file that
 * includes cblas.h / lapacke.h). Matrices are row-major.
 */
#ifndef MIX__CORE_LINALG_H
#define MIX__CORE_LINALG_H

#include <stddef.h>

/*
 * C = alpha * op(A) * op(B) + beta * C, with op(A) M x K, op(B) K x N, where
 * trans_a / trans_b select op(X) = X^T. The product is issued as several
 * calls small enough that OpenBLAS runs each on the calling thread (its
 * pthread build threads any call with M*N*K > 65536*4, and concurrent
 * threaded calls then serialize on a lock). The library threads over row
 * blocks itself; this keeps the total within mix_*_set_threads and makes
 * results independent of the thread count.
 */
void mix__gemm(int trans_a, int trans_b, size_t M, size_t N, size_t K, double alpha,
               const double *A, size_t lda, const double *B, size_t ldb, double beta,
               double *C, size_t ldc);

/*
 * Upper triangle of C += A^T A for A (m x n, row-major): the Gram matrix
 * of A's columns. dsyrk for n <= 64, where OpenBLAS keeps it on the calling
 * thread (measured: beyond, it threads and contends like a large GEMM);
 * the GEMM splitter above otherwise, which also fills the lower triangle.
 */
void mix__gram_upper(size_t m, size_t n, const double *A, double *C);

/*
 * Lower Cholesky factor of the symmetric positive definite d x d matrix A,
 * in place (the strict upper triangle is zeroed). Returns 0, or the 1-based
 * order of the first leading minor that is not positive definite.
 */
int mix__cholesky_lower(double *A, size_t d);

/* Inverse of a lower triangular d x d matrix with a positive diagonal, in
 * place. Returns 0, or a positive value if the matrix is singular. */
int mix__invert_lower(double *L, size_t d);

/*
 * Singular values and left singular vectors of the row-major n x c matrix
 * A, q = min(n, c): s (q values) and U (n x q, row-major, orthonormal
 * columns; a column whose singular value is zero, or underflows, is zero).
 * One-sided Jacobi (dgesvj): accurate to the small singular values, and,
 * unlike dgesvd / dgesdd, free of the Fortran runtime, which a static link
 * through Debian's openblas.pc cannot resolve. A is destroyed. work holds
 * lwork >= mix__svd_left_work(n, c) doubles, so that LAPACK allocates
 * nothing behind the library's allocator. Returns 0; 1 if the Jacobi sweeps
 * did not converge; -1 if a size exceeds LAPACK's integers or work is short.
 */
int mix__svd_left(double *A, size_t n, size_t c, double *s, double *U, double *work,
                  size_t lwork);

/* Doubles of workspace mix__svd_left wants for n x c, or 0 if a size
 * exceeds LAPACK's integers. */
size_t mix__svd_left_work(size_t n, size_t c);

#endif /* MIX__CORE_LINALG_H */
