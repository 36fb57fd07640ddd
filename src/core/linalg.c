/* BLAS and LAPACK wrappers; see linalg.h. */
#include "core/linalg.h"

#include <cblas.h>
#include <lapacke.h>
#include <math.h>
#include <stdint.h>

/* OpenBLAS runs dgemm single-threaded when M*N*K <= 65536 * 4. */
#define GEMM_SERIAL_LIMIT ((size_t)262144)

/*
 * Tile sizes (rows mb, columns nb of C per call) with mb * nb * K within the
 * limit. Packing costs mb K + K nb per call: keep whole rows of C while
 * that leaves enough rows per call, else use square tiles, which minimise
 * packing for a given product size.
 */
static void gemm_tiles(size_t M, size_t N, size_t K, size_t *mb, size_t *nb)
{
    if (M * N * K <= GEMM_SERIAL_LIMIT) {
        *mb = M;
        *nb = N;
        return;
    }
    if (N * K * 32 <= GEMM_SERIAL_LIMIT) {
        *nb = N;
        *mb = GEMM_SERIAL_LIMIT / (N * K);
        return;
    }
    size_t t = (size_t)sqrt((double)(GEMM_SERIAL_LIMIT / K)) & ~(size_t)7;
    *mb = t < 8 ? 8 : t;
    if (*mb > M)
        *mb = M;
    *nb = GEMM_SERIAL_LIMIT / (K * *mb);
    if (*nb == 0)
        *nb = 1;
    if (*nb > N)
        *nb = N;
}

void mix__gemm(int trans_a, int trans_b, size_t M, size_t N, size_t K, double alpha,
               const double *A, size_t lda, const double *B, size_t ldb, double beta,
               double *C, size_t ldc)
{
    if (M == 0 || N == 0)
        return;
    size_t mb, nb;
    gemm_tiles(M, N, K ? K : 1, &mb, &nb);
    for (size_t j0 = 0; j0 < N; j0 += nb) {
        size_t nj = N - j0 < nb ? N - j0 : nb;
        /* Column j0 of op(B): row j0 of B when transposed, column j0 if not. */
        const double *Bj = trans_b ? B + j0 * ldb : B + j0;
        for (size_t i0 = 0; i0 < M; i0 += mb) {
            size_t mi = M - i0 < mb ? M - i0 : mb;
            const double *Ai = trans_a ? A + i0 : A + i0 * lda;
            cblas_dgemm(CblasRowMajor, trans_a ? CblasTrans : CblasNoTrans,
                        trans_b ? CblasTrans : CblasNoTrans, (int)mi, (int)nj, (int)K, alpha,
                        Ai, (int)lda, Bj, (int)ldb, beta, C + i0 * ldc + j0, (int)ldc);
        }
    }
}

#define SYRK_SERIAL_N 64

void mix__gram_upper(size_t m, size_t n, const double *A, double *C)
{
    if (m == 0)
        return;
    if (n > SYRK_SERIAL_N) {
        mix__gemm(1, 0, n, n, m, 1.0, A, n, A, n, 1.0, C, n);
        return;
    }
    /* Row-major upper with A^T A is column-major lower with A A^T. */
    cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, (int)n, (int)m, 1.0, A, (int)n, 1.0, C,
                (int)n);
}

/* A row-major lower triangle is the column-major upper one: the _work
 * routines on it run LAPACK in place, without the transposed copies (and
 * their hidden allocations, whose failure LAPACKE reports as an info code
 * indistinguishable here from a singular matrix) of the row-major API. */
int mix__cholesky_lower(double *A, size_t d)
{
    lapack_int info = LAPACKE_dpotrf_work(LAPACK_COL_MAJOR, 'U', (lapack_int)d, A, (lapack_int)d);
    if (info != 0)
        return info > 0 ? (int)info : 1;
    for (size_t i = 0; i < d; i++)
        for (size_t j = i + 1; j < d; j++)
            A[i * d + j] = 0;
    return 0;
}

int mix__invert_lower(double *L, size_t d)
{
    lapack_int info =
        LAPACKE_dtrtri_work(LAPACK_COL_MAJOR, 'U', 'N', (lapack_int)d, L, (lapack_int)d);
    return info == 0 ? 0 : 1;
}

/*
 * dgesvj wants m >= n. With n >= c it runs on A copied column-major (n x c),
 * whose left singular vectors it leaves in place; with n < c on A as it
 * lies, the column-major c x n matrix A^T, whose right singular vectors
 * (accumulated in V, n x n) are A's left ones. Either way the vectors pass
 * through an n x q column-major block at the start of work.
 */
static int svd_sizes_ok(size_t n, size_t c)
{
    /* LAPACK addresses A(i, j) as i + j * lda in its integer type. */
    return n <= (size_t)INT32_MAX && c <= (size_t)INT32_MAX &&
           (uint64_t)n * (uint64_t)c <= (uint64_t)INT32_MAX - 6;
}

size_t mix__svd_left_work(size_t n, size_t c)
{
    if (!svd_sizes_ok(n, c) || n == 0 || c == 0)
        return 0;
    size_t q = n < c ? n : c, tail = n + c < 6 ? 6 : n + c;
    return n * q + tail;
}

int mix__svd_left(double *A, size_t n, size_t c, double *s, double *U, double *work,
                  size_t lwork)
{
    size_t need = mix__svd_left_work(n, c);
    if (need == 0 || lwork < need)
        return -1;
    size_t q = n < c ? n : c;
    double *B = work, *tail = work + n * q;
    lapack_int lt = (lapack_int)(lwork - n * q), info;
    double dummy = 0;
    if (n >= c) {
        for (size_t i = 0; i < n; i++)
            for (size_t j = 0; j < c; j++)
                B[j * n + i] = A[i * c + j];
        info = LAPACKE_dgesvj_work(LAPACK_COL_MAJOR, 'G', 'U', 'N', (lapack_int)n, (lapack_int)c,
                                   B, (lapack_int)n, s, 0, &dummy, 1, tail, lt);
    } else {
        info = LAPACKE_dgesvj_work(LAPACK_COL_MAJOR, 'G', 'N', 'V', (lapack_int)c, (lapack_int)n,
                                   A, (lapack_int)c, s, 0, B, (lapack_int)n, tail, lt);
    }
    if (info < 0)
        return -1;
    if (info > 0)
        return 1;
    /* tail[0] is a scale (1 unless the data were near over- or underflow);
     * with left vectors asked for, only the first rank = tail[1] columns
     * are vectors. */
    double scale = tail[0];
    size_t rank = n >= c ? (size_t)tail[1] : q;
    for (size_t j = 0; j < q; j++)
        s[j] = j < rank ? s[j] * scale : 0;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < q; j++)
            U[i * q + j] = j < rank ? B[j * n + i] : 0;
    return 0;
}
