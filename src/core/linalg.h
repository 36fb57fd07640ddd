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

#endif /* MIX__CORE_LINALG_H */
