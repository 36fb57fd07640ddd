/* Internal building blocks: the generator (published test vectors), top-m
 * selection, the GEMM splitter, the register kernels, the block loader,
 * the parallel pass, the silhouette's distance kernels and the checksum of
 * saved models. */
#include "testutil.h"

#include "core/crc32c.h"
#include "core/data.h"
#include "kernels/dist_panel.h"
#include "kernels/fma_tile.h"
#include "kernels/gauss.h"
#include "core/linalg.h"
#include "core/pass.h"
#include "core/rng.h"
#include "kernels/sqdist.h"
#include "core/topk.h"
#include "kernels/vexp.h"

#include <float.h>
#include <stdio.h>

/* xoshiro256** from state {1, 2, 3, 4}: the reference implementation's
 * first outputs. */
START_TEST(rng_xoshiro_vector)
{
    mix__rng r = {{1, 2, 3, 4}};
    const uint64_t expect[] = {11520u, 0u, 1509978240u, 1215971899390074240u};
    for (int i = 0; i < 4; i++)
        ck_assert_uint_eq(mix__rng_next(&r), expect[i]);
}
END_TEST

/* Seeding fills the state with splitmix64(seed): Vigna's published vector
 * for seed 1234567. */
START_TEST(rng_splitmix_seeding)
{
    mix__rng r;
    mix__rng_seed(&r, 1234567);
    const uint64_t expect[] = {6457827717110365317u, 3203168211198807973u,
                               9817491932198370423u, 4593380528125082431u};
    for (int i = 0; i < 4; i++)
        ck_assert_uint_eq(r.s[i], expect[i]);
}
END_TEST

START_TEST(rng_ranges)
{
    mix__rng r;
    mix__rng_seed(&r, 9);
    double sum = 0;
    const int n = 1000000;
    size_t counts[7] = {0};
    for (int i = 0; i < n; i++) {
        double u = mix__rng_uniform(&r);
        ck_assert(u >= 0 && u < 1);
        sum += u;
        uint64_t b = mix__rng_below(&r, 7);
        ck_assert_uint_lt(b, 7);
        counts[b]++;
    }
    /* Mean within 6 standard errors (sd of U(0,1) is 0.2887). */
    ck_assert_double_le(fabs(sum / n - 0.5), 6 * 0.2887 / sqrt(n));
    for (int j = 0; j < 7; j++) /* binomial sd about 350 */
        ck_assert_double_le(fabs((double)counts[j] - n / 7.0), 6 * 350);
    ck_assert_uint_eq(mix__rng_below(&r, 1), 0);
}
END_TEST

START_TEST(topk_order_and_ties)
{
    mix__topk_item store[3];
    mix__topk t;
    mix__topk_init(&t, store, 3);
    const double keys[] = {1, 5, 2, 5, 0, 2, 5};
    for (size_t i = 0; i < 7; i++)
        mix__topk_push(&t, keys[i], i);
    ck_assert_uint_eq(mix__topk_sort(&t), 3);
    /* Largest first; among equal keys the larger index first. */
    ck_assert_uint_eq(store[0].index, 6);
    ck_assert_uint_eq(store[1].index, 3);
    ck_assert_uint_eq(store[2].index, 1);
}
END_TEST

/* Shapes beyond the single-thread limit are split; the product must equal
 * a naive triple loop for every combination of transposes. */
START_TEST(gemm_split_matches_naive)
{
    const size_t M = 700, N = 530, K = 37;
    uint64_t s = 5;
    double *A = malloc(M * K * sizeof *A), *B = malloc(K * N * sizeof *B);
    double *C = malloc(M * N * sizeof *C), *R = malloc(M * N * sizeof *R);
    for (size_t i = 0; i < M * K; i++)
        A[i] = tu_uniform(&s) - 0.5;
    for (size_t i = 0; i < K * N; i++)
        B[i] = tu_uniform(&s) - 0.5;
    for (int ta = 0; ta < 2; ta++)
        for (int tb = 0; tb < 2; tb++) {
            /* A is M x K (or K x M stored when transposed), B likewise. */
            size_t lda = ta ? M : K, ldb = tb ? K : N;
            for (size_t i = 0; i < M * N; i++)
                C[i] = R[i] = 1.0;
            for (size_t i = 0; i < M; i++)
                for (size_t j = 0; j < N; j++) {
                    double acc = 0;
                    for (size_t k = 0; k < K; k++)
                        acc += (ta ? A[k * lda + i] : A[i * lda + k]) *
                               (tb ? B[j * ldb + k] : B[k * ldb + j]);
                    R[i * N + j] = 0.5 * R[i * N + j] - 2.0 * acc;
                }
            mix__gemm(ta, tb, M, N, K, -2.0, A, lda, B, ldb, 0.5, C, N);
            ck_assert_double_le(tu_rel_diff(C, R, M * N), 1e-13);
        }
    free(A);
    free(B);
    free(C);
    free(R);
}
END_TEST

/* The register kernel's closest centers against its definition: each u.c
 * one chain of fused multiply-adds over the columns in order (as
 * OpenBLAS's main x86-64 GEMM kernel computes it), ||c||^2 + (-2 u.c), the
 * first center on ties, the second smallest value. Every tail of rows (8
 * per tile), columns (4 per vector) and centers (4 per group), with
 * repeated centers and rows. Skipped where the CPU lacks AVX2/FMA. */
START_TEST(argmin_fma_matches_definition)
{
    static const size_t Rs[] = {1, 7, 8, 9, 37}, Ds[] = {1, 2, 3, 4, 5, 16, 17, 64};
    static const size_t Ks[] = {1, 2, 3, 4, 5, 9, 16, 31};
    uint64_t s = 11;
    double U[37 * 64], C[31 * 64], G[31 * 64], cn[31], part[37], part2[37], p1[37];
    int32_t label[37], l1[37];
    for (size_t a = 0; a < sizeof Rs / sizeof *Rs; a++)
        for (size_t b = 0; b < sizeof Ds / sizeof *Ds; b++)
            for (size_t c = 0; c < sizeof Ks / sizeof *Ks; c++) {
                const size_t rows = Rs[a], d = Ds[b], k = Ks[c];
                for (size_t i = 0; i < rows * d; i++)
                    U[i] = 8 * tu_uniform(&s) - 4;
                for (size_t i = 0; i < k * d; i++)
                    C[i] = 8 * tu_uniform(&s) - 4;
                for (size_t j = 5; j < k; j += 5) /* exact ties with center j - 3 */
                    memcpy(C + j * d, C + (j - 3) * d, d * sizeof *C);
                if (rows > 3) /* a row on a center */
                    memcpy(U + 3 * d, C + (k - 1) * d, d * sizeof *U);
                mix__row_norms2(C, k, d, cn);
                if (mix__argmin_layout_len(k, d) == 0)
                    return;
                ck_assert_uint_le(mix__argmin_layout_len(k, d), sizeof G / sizeof *G);
                mix__tile_layout(C, k, d, G);
                mix__argmin_fma(U, rows, d, G, cn, k, label, part, part2);
                mix__argmin_fma(U, rows, d, G, cn, k, l1, p1, NULL);
                for (size_t i = 0; i < rows; i++) {
                    double best = INFINITY, second = INFINITY;
                    int32_t arg = 0;
                    for (size_t j = 0; j < k; j++) {
                        double acc = 0;
                        for (size_t t = 0; t < d; t++)
                            acc = fma(C[j * d + t], U[i * d + t], acc);
                        double v = cn[j] + -2.0 * acc;
                        if (v < best) {
                            second = best;
                            best = v;
                            arg = (int32_t)j;
                        } else if (v < second) {
                            second = v;
                        }
                    }
                    ck_assert_msg(label[i] == arg && l1[i] == arg,
                                  "rows %zu d %zu k %zu row %zu: %d %d vs %d", rows, d, k, i,
                                  label[i], l1[i], arg);
                    ck_assert(part[i] == best && p1[i] == best);
                    ck_assert(part2[i] == second);
                }
            }
}
END_TEST

/* The full family's register kernel against the GEMM path's definition:
 * y = u [P_1 ... P_k] with each y_c one chain of fused multiply-adds over
 * every t in order (the triangle's zeros included), then
 * mix__sqdist_direct(y_j, m_j). Upper triangular P_j with exact zeros
 * below the diagonal, as the precision factors are stored; every tail of
 * rows and columns. Skipped where the CPU lacks AVX2/FMA. */
START_TEST(maha_fma_matches_definition)
{
    static const size_t Rs[] = {1, 8, 13}, Ds[] = {1, 2, 3, 4, 5, 7, 8, 16, 17, 33};
    static const size_t Ks[] = {1, 3, 4};
    uint64_t s = 17;
    double U[13 * 33], P[33 * 4 * 33], m[4 * 33], L[13 * 4], y[33];
    for (size_t a = 0; a < sizeof Rs / sizeof *Rs; a++)
        for (size_t b = 0; b < sizeof Ds / sizeof *Ds; b++)
            for (size_t c = 0; c < sizeof Ks / sizeof *Ks; c++) {
                const size_t rows = Rs[a], d = Ds[b], k = Ks[c], kd = k * d;
                for (size_t i = 0; i < rows * d; i++)
                    U[i] = 6 * tu_uniform(&s) - 3;
                for (size_t t = 0; t < d; t++)
                    for (size_t col = 0; col < kd; col++)
                        P[t * kd + col] = t <= col % d ? 4 * tu_uniform(&s) - 2 : 0.0;
                for (size_t i = 0; i < kd; i++)
                    m[i] = 6 * tu_uniform(&s) - 3;
                if (!mix__maha_fma(U, rows, d, P, m, k, L))
                    return;
                for (size_t i = 0; i < rows; i++)
                    for (size_t j = 0; j < k; j++) {
                        for (size_t col = 0; col < d; col++) {
                            double acc = 0;
                            for (size_t t = 0; t < d; t++)
                                acc = fma(U[i * d + t], P[t * kd + j * d + col], acc);
                            y[col] = acc;
                        }
                        double want = mix__sqdist_direct(y, m + j * d, d);
                        ck_assert_msg(L[i * k + j] == want, "rows %zu d %zu k %zu (%zu, %zu): "
                                      "%.17g vs %.17g", rows, d, k, i, j, L[i * k + j], want);
                    }
            }
}
END_TEST

/* The register kernels against the GEMM paths they replace, with the
 * shapes where OpenBLAS sums some products in another order (odd numbers
 * of centers, rows across its tile edges, more centers than one group):
 * equal up to rounding, a label differing only where two centers tie to
 * within it. Skipped where the CPU lacks AVX2/FMA. */
START_TEST(register_kernels_agree_with_gemm_paths)
{
    enum { R = 130, DMAX = 64, KMAX = 70 };
    static const size_t Ds[] = {8, 16, 31, 33, 48, 64}, Ks[] = {2, 3, 5, 6, 17, 70};
    uint64_t s = 23;
    double *U = malloc(R * DMAX * sizeof *U), *C = malloc(KMAX * DMAX * sizeof *C);
    double *G = malloc(KMAX * DMAX * sizeof *G), *D = malloc(65 * R * sizeof *D);
    double *P = malloc(DMAX * KMAX * DMAX * sizeof *P), *Y = malloc(R * KMAX * DMAX * sizeof *Y);
    double *L1 = malloc(R * KMAX * sizeof *L1), *L2 = malloc(R * KMAX * sizeof *L2);
    double cn[KMAX], m[KMAX * DMAX], pa[R], pa2[R], pb[R], pb2[R];
    int32_t la[R], lb[R];
    for (size_t b = 0; b < sizeof Ds / sizeof *Ds; b++)
        for (size_t c = 0; c < sizeof Ks / sizeof *Ks; c++) {
            const size_t d = Ds[b], k = Ks[c], kd = k * d, group = k < 64 ? k : 64;
            for (size_t i = 0; i < R * d; i++)
                U[i] = 4 * tu_uniform(&s) - 2;
            for (size_t i = 0; i < kd; i++)
                C[i] = 4 * tu_uniform(&s) - 2;
            mix__row_norms2(C, k, d, cn);
            if (mix__argmin_layout_len(k, d) == 0)
                goto done;
            mix__tile_layout(C, k, d, G);
            mix__sqdist_argmin(U, R, d, C, G, cn, k, group, D, la, pa, pa2);
            mix__sqdist_argmin(U, R, d, C, NULL, cn, k, group, D, lb, pb, pb2);
            /* The two orders' rounding errors: within 2 d eps sum |u_t c_t|
             * each, and |u_t c_t| <= 4. */
            const double tol = 2 * 2 * (double)d * DBL_EPSILON * 4 * (double)d;
            for (size_t i = 0; i < R; i++) {
                ck_assert_double_le(fabs(pa[i] - pb[i]), tol);
                ck_assert_double_le(fabs(pa2[i] - pb2[i]), tol);
                if (la[i] != lb[i]) /* a near-tie: the runner-up is as close */
                    ck_assert_double_le(fabs(pa2[i] - pa[i]), 2 * tol);
            }
            /* Full covariances: upper triangular factors with exact zeros. */
            for (size_t t = 0; t < d; t++)
                for (size_t col = 0; col < kd; col++)
                    P[t * kd + col] = t <= col % d ? tu_uniform(&s) - 0.5 : 0.0;
            for (size_t i = 0; i < kd; i++)
                m[i] = 4 * tu_uniform(&s) - 2;
            ck_assert(mix__maha_fma(U, R, d, P, m, k, L1));
            mix__gemm(0, 0, R, kd, d, 1.0, U, d, P, kd, 0.0, Y, kd);
            mix__gauss_maha_projected(Y, kd, d, m, R, k, d, L2);
            ck_assert_double_le(tu_rel_diff(L1, L2, R * k), 1e-12);
        }
done:
    free(U), free(C), free(G), free(D), free(P), free(Y), free(L1), free(L2);
}
END_TEST

/* The loader subtracts the shift and applies the power-of-two scale. */
START_TEST(data_load_shift_and_scale)
{
    const double X[] = {1, 2, 3, 4, 5, 6}, shift[] = {1, 1};
    double U[6];
    mix__data v = {.X = X, .n = 3, .d = 2, .n_all = 3, .shift = shift, .inv_scale = 0.25,
                   .w_factor = 1.0};
    mix__data_load(&v, 1, 2, U);
    const double expect[] = {0.5, 0.75, 1.0, 1.25};
    for (int i = 0; i < 4; i++)
        ck_assert_double_eq(U[i], expect[i]);
}
END_TEST

START_TEST(scan_columns_picks_scale)
{
    const double ordinary[] = {1, -2, 3, 4}, huge[] = {1e200, 0, -1e200, 0};
    double shift[2], inv_scale, bound;
    ck_assert_int_eq(mix__scan_columns(NULL, ordinary, 2, 2, shift, &inv_scale, &bound), MIX_OK);
    ck_assert_double_eq(shift[0], 2);
    ck_assert_double_eq(shift[1], 1);
    ck_assert_double_eq(inv_scale, 1);
    /* Rows (-1, -3) and (1, 3) about the mean: norm sqrt(10), the bound. */
    ck_assert_double_ge(bound, sqrt(10.0));
    ck_assert_double_le(bound, sqrt(10.0) * (1 + 1e-9));
    ck_assert_int_eq(mix__scan_columns(NULL, huge, 2, 2, shift, &inv_scale, &bound), MIX_OK);
    ck_assert_double_eq(shift[0], 0);
    int e;
    ck_assert_double_eq(frexp(inv_scale, &e), 0.5); /* a power of two */
    /* The largest deviation from the mean, 1e200 (in [2^664, 2^665)), is
     * brought to [2^249, 2^250). */
    double top = 1e200 * inv_scale;
    ck_assert(top >= ldexp(1.0, 249) && top < ldexp(1.0, 250));
}
END_TEST

static void sum_rows(void *ctx, const mix__block *b, double *stats, double *scratch)
{
    (void)ctx;
    (void)scratch;
    for (size_t i = 0; i < b->rows; i++) {
        stats[0] += b->U[i];
        stats[1] += 1;
    }
}

/* A pass visits every row once, whatever the thread count, and the
 * chunking does not depend on it. */
START_TEST(pass_covers_rows_for_any_threads)
{
    const size_t n = 100003;
    double *X = malloc(n * sizeof *X), shift = 0;
    for (size_t i = 0; i < n; i++)
        X[i] = (double)(i % 1000) * 0.001;
    mix__data v = {.X = X, .n = n, .d = 1, .n_all = n, .shift = &shift, .inv_scale = 1.0,
                   .w_factor = 1.0};
    double ref[2] = {0, 0};
    size_t ref_chunks = 0;
    for (int threads = 1; threads <= 6; threads++) {
        mix__pass p;
        double total[2];
        ck_assert_int_eq(mix__pass_init(&p, &v, 256, 2, 0, threads, 1e9), MIX_OK);
        ck_assert_int_eq(mix__pass_run(&p, sum_rows, NULL, 2, total, NULL), MIX_OK);
        ck_assert_double_eq(total[1], (double)n);
        if (threads == 1) {
            ref[0] = total[0];
            ref_chunks = p.n_chunks;
        }
        ck_assert(total[0] == ref[0]);
        ck_assert_uint_eq(p.n_chunks, ref_chunks);
        mix__pass_free(&p);
    }
    free(X);
}
END_TEST

/* The vectorised exp against the C library's, over its whole range: within
 * 2 ulp where the result is a normal number, zero below 2^-1022. */
START_TEST(vexp_matches_libm)
{
    enum { N = 200000 };
    double *x = malloc(N * sizeof *x), *y = malloc(N * sizeof *y);
    for (int i = 0; i < N; i++)
        x[i] = -760.0 + 1469.0 * (double)i / N;
    mix__exp_shifted(x, 0.0, y, N);
    for (int i = 0; i < N; i++) {
        double e = exp(x[i]);
        if (e < 0x1p-1022) {
            ck_assert(y[i] == 0 || fabs(y[i] - e) <= 0x1p-1022);
            continue;
        }
        double ulp = nextafter(e, INFINITY) - e;
        ck_assert_msg(fabs(y[i] - e) <= 2 * ulp, "exp(%.17g): %.17g vs %.17g", x[i], y[i], e);
    }
    /* The shift is subtracted first; y may be x. */
    mix__exp_shifted(x, -100.0, x, 1);
    ck_assert_double_eq_tol(x[0], exp(-660.0), 4 * (nextafter(exp(-660.0), 1) - exp(-660.0)));
    free(x);
    free(y);
}
END_TEST

/*
 * The silhouette's distance kernels: every kernel this CPU runs (AVX-512,
 * AVX2 and FMA, portable) gives the portable definition bit for bit, for
 * odd and even numbers of panels, d not a multiple of anything, and
 * magnitudes far apart; a point's distance to itself is exactly 0.
 */
START_TEST(dist_panel_kernels_agree)
{
    const size_t n = 37, dims[] = {1, 3, 16, 17};
    uint64_t seed = 11;
    for (int di = 0; di < 4; di++) {
        const size_t d = dims[di], n_pad = 40, ld = 48;
        double *X = malloc(n * d * sizeof *X), *P = malloc(n_pad * d * sizeof *P);
        double *ref = malloc(4 * ld * sizeof *ref), *D = malloc(4 * ld * sizeof *D);
        for (size_t i = 0; i < n * d; i++)
            X[i] = tu_normal(&seed) * (i % 5 == 0 ? 1e6 : i % 7 == 0 ? 1e-6 : 1.0);
        mix__panel_layout(X, NULL, n, d, 1.0, P);
        int kernels = 0;
        for (size_t r0 = 0; r0 + 4 <= n_pad; r0 += 4)
            for (size_t p0 = 0; p0 < 5; p0 += 2) {
                ck_assert_int_eq(mix__dist_four_panels_with(0, P, d, r0, p0, 5, ref, ld), 0);
                for (int k = 1; k <= 2; k++) {
                    memset(D, 0, 4 * ld * sizeof *D);
                    if (mix__dist_four_panels_with(k, P, d, r0, p0, 5, D, ld) != 0)
                        continue;
                    kernels |= 1 << k;
                    for (size_t q = 0; q < 4; q++)
                        ck_assert_msg(memcmp(D + q * ld, ref + q * ld,
                                             (5 - p0) * MIX__PANEL * sizeof *D) == 0,
                                      "kernel %d, d = %zu, rows %zu.., panels %zu..", k, d, r0, p0);
                }
                if (r0 >= p0 * MIX__PANEL && r0 < 5 * MIX__PANEL) /* the points themselves */
                    for (size_t q = 0; q < 4; q++)
                        ck_assert(ref[q * ld + r0 + q - p0 * MIX__PANEL] == 0.0);
            }
        if (di == 0)
            fprintf(stderr, "dist_panel kernels checked against the portable one:%s%s\n",
                    kernels & 2 ? " AVX2+FMA" : "", kernels & 4 ? " AVX-512" : "");
        free(X);
        free(P);
        free(ref);
        free(D);
    }
}
END_TEST

/* CRC-32C by its definition, one bit at a time. */
static uint32_t crc32c_bitwise(const unsigned char *p, size_t n)
{
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int b = 0; b < 8; b++)
            c = (c >> 1) ^ (0x82F63B78u & (0u - (c & 1u)));
    }
    return ~c;
}

/* The check value of the CRC catalogue and the iSCSI vectors of RFC 3720
 * (B.4), both ways (the crc32 instruction where the CPU has it, and the
 * portable slicing-by-8). */
START_TEST(crc32c_standard_vectors)
{
    unsigned char v[4][32];
    for (int i = 0; i < 32; i++) {
        v[0][i] = 0;
        v[1][i] = 0xFF;
        v[2][i] = (unsigned char)i;
        v[3][i] = (unsigned char)(31 - i);
    }
    const uint32_t expect[4] = {0x8A9136AAu, 0x62A8AB43u, 0x46DD794Eu, 0x113FDB5Cu};
    ck_assert_uint_eq(mix__crc32c(0, "123456789", 9), 0xE3069283u);
    ck_assert_uint_eq(mix__crc32c_portable(0, "123456789", 9), 0xE3069283u);
    for (int t = 0; t < 4; t++) {
        ck_assert_uint_eq(mix__crc32c(0, v[t], 32), expect[t]);
        ck_assert_uint_eq(mix__crc32c_portable(0, v[t], 32), expect[t]);
    }
    ck_assert_uint_eq(mix__crc32c(0, NULL, 0), 0);
}
END_TEST

/* Any length at any alignment, and in pieces: both ways equal the bitwise
 * definition. */
START_TEST(crc32c_matches_definition)
{
    enum { LEN = 3000 };
    unsigned char *buf = malloc(LEN + 8);
    uint64_t s = 5;
    for (size_t i = 0; i < LEN + 8; i++)
        buf[i] = (unsigned char)tu_next(&s);
    for (size_t off = 0; off < 8; off++)
        for (size_t n = 0; n + off <= LEN; n += n < 40 ? 1 : 97) {
            const uint32_t want = crc32c_bitwise(buf + off, n);
            ck_assert_uint_eq(mix__crc32c(0, buf + off, n), want);
            ck_assert_uint_eq(mix__crc32c_portable(0, buf + off, n), want);
            const size_t cut = n / 3;
            ck_assert_uint_eq(mix__crc32c(mix__crc32c(0, buf + off, cut), buf + off + cut, n - cut),
                              want);
            ck_assert_uint_eq(mix__crc32c_portable(mix__crc32c(0, buf + off, cut),
                                                   buf + off + cut, n - cut),
                              want);
        }
    free(buf);
}
END_TEST

Suite *internal_suite(void)
{
    Suite *s = suite_create("internal");
    TCase *tc = tcase_create("blocks");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, rng_xoshiro_vector);
    tcase_add_test(tc, rng_splitmix_seeding);
    tcase_add_test(tc, rng_ranges);
    tcase_add_test(tc, topk_order_and_ties);
    tcase_add_test(tc, gemm_split_matches_naive);
    tcase_add_test(tc, argmin_fma_matches_definition);
    tcase_add_test(tc, maha_fma_matches_definition);
    tcase_add_test(tc, register_kernels_agree_with_gemm_paths);
    tcase_add_test(tc, data_load_shift_and_scale);
    tcase_add_test(tc, scan_columns_picks_scale);
    tcase_add_test(tc, pass_covers_rows_for_any_threads);
    tcase_add_test(tc, vexp_matches_libm);
    tcase_add_test(tc, dist_panel_kernels_agree);
    tcase_add_test(tc, crc32c_standard_vectors);
    tcase_add_test(tc, crc32c_matches_definition);
    suite_add_tcase(s, tc);
    return s;
}
