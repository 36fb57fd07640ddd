/*
 * The row-wise log-sum-exp of a block of log-densities: each row's
 * log-likelihood and responsibilities, whatever the family.
 */
#ifndef MIX__KERNELS_LSE_H
#define MIX__KERNELS_LSE_H

#include <stddef.h>
#include <stdint.h>

/*
 * Rows of log-densities logp (rows x k): adds the log weights to each
 * row, writes ex_ij = exp(l_ij - top_i) (ex may be logp, which is left
 * shifted by top_i) and sum_i = sum_j ex_ij, so that row i's
 * log-likelihood is log(sum_i) + top_i and its responsibilities
 * ex_ij / sum_i. top_i is the
 * row's largest value (-inf when no component gives it a density: its
 * exponentials and sum are then 0), best_i (if best is not NULL) its first
 * index (0 for such a row). One exponential call for the
 * whole block: a row of k values alone is a short, latency-bound loop.
 * Shared by every mixture family (engine/estep.c).
 */
void mix__lse_rows(double *logp, const double *log_w, size_t rows, size_t k, double *ex, double *top,
                   int32_t *best, double *sum);

#endif /* MIX__KERNELS_LSE_H */
