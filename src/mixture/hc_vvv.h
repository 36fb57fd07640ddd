/*
 * Model-based hierarchical agglomeration as R's mclust does it to start EM
 * (Fraley 1998, "Algorithms for model-based Gaussian hierarchical
 * clustering", SIAM J. Sci. Comput. 20(1)): mclust's
 * hclass(hc(X, modelName = "VVV", use = "SVD"), k), the default start of
 * Mclust() (mclust.options("hcModelName") = "VVV", ("hcUse") = "SVD").
 * Written from the paper and from mclust 6.0.0's documented behaviour; no
 * mclust code is used.
 *
 * Transformation (hc's use = "SVD"):
 *   1. columns whose values are all equal are dropped (mclust's scale()
 *      makes them 0/0 = NaN and dropCols() removes them);
 *   2. each remaining column is centred and divided by its standard
 *      deviation (divisor n - 1), giving Xs (n x c);
 *   3. with Xs = U S V^T (thin SVD, q = min(n, c) singular values),
 *      Z = Xs V S^(-1/2) = U S^(1/2) (n x q). mclust computes the first
 *      form (LAPACK dgesdd); we take the second (one-sided Jacobi, dgesvj),
 *      the same matrix without the division, so a zero singular value
 *      (d > n, collinear columns) gives a zero coordinate where mclust
 *      would get Inf or NaN, and rounding-level ones give rounding-level
 *      coordinates in both. The criterion below is invariant to rotations
 *      of Z, so the signs and order of the singular vectors do not matter.
 *
 * Criterion (hcVVV with its defaults alpha = 1, beta = 1): a cluster of m
 * rows with scatter matrix W (sum of outer products of the deviations from
 * its mean) has the cost
 *     m <= max(q, 2), or tr W = 0, or det W = 0:   m log((tr W + a) / m)
 *     otherwise:                                    m log(det(W / m) + (tr W + a) / m)
 * with a = max(trace of Z's scatter / (n q), DBL_EPSILON) (mclust's
 * alpha * traceW(Z / sqrt(n q))). A singleton costs log a. Each step merges
 * the pair of clusters whose merge changes the total cost least:
 * cost(A u B) - cost(A) - cost(B). W of a merge is W_A + W_B + v v^T with
 * v = sqrt(m_A m_B / m_AB) (mean_A - mean_B); det W comes from a triangular
 * factor of W (R^T R = W) updated by Givens rotations, kept only for
 * clusters of more than q rows where it is used. The start is every row
 * on its own (hc's initial partition when called as Mclust calls it).
 *
 * Order and ties: clusters occupy positions 0..g-1 (row i starts at i);
 * pairs (i < j) are ranked by j, then i, and the lowest cost wins, an exact
 * tie going to the pair ranked last. A merge puts the union at position i
 * and moves the cluster of the last position, g-1, into position j. This
 * is mclust's bookkeeping, so exact ties (duplicate rows always produce
 * them) resolve as mclust resolves them.
 *
 * Labels: hclass's numbering. Cluster 0 holds row 0, cluster 1 the first
 * row not in cluster 0, and so on: labels appear in increasing order of
 * first occurrence (mclust's labels minus one).
 *
 * Degenerate data: duplicate rows give exactly equal costs (the least a
 * pair of single rows can have), resolved by the rule above as in mclust
 * (twins are not guaranteed to end in one cluster: a cluster may take one
 * of them first, in mclust too); constant columns are dropped; if every column
 * is constant all rows coincide and one zero coordinate stands for them;
 * d > n or collinear columns give zero (or rounding-level) coordinates as
 * explained above. k == n labels row i with i and k == 1 labels every row
 * 0, without any computation. No input gives NaN or a crash.
 *
 * Cost: O(n^2) memory, n (n - 1) / 2 doubles of pair costs (16 MB at
 * n = 2000, mclust's subset size) plus O(n (d + q)) (the factors live in
 * n rows: see hc_vvv.c). Time: the SVD, O(n c^2) per Jacobi sweep; the
 * initial costs, O(n^2 q); then per merge O(g) new pair costs, each O(q)
 * while the union has at most q rows and O(q^2 (rows of the other
 * cluster's factor + 1)) beyond, and the least cost found from per-row
 * minima (O(g), plus rescans of the rows whose least pair was merged).
 * Measured: n = 2000 in 0.3 s for d = 2..10, 4.5 s for d = 50 (the
 * rotations of the q x q factors dominate). Meant for n up to a few
 * thousand.
 *
 * Subsampling is the caller's: Mclust agglomerates a random subset of
 * mclust.options("subset") = MIX__HC_SUBSET rows when n exceeds it (drawn
 * with R's sample(), which we cannot reproduce), M-steps on the subset's
 * partition, E-steps on all rows, then runs EM. hc_start.c mimics it with
 * MIX__HC_SUBSET distinct rows drawn uniformly, passed here in data order
 * so that ties break as on the full data.
 */
#ifndef MIX__GMM_HC_VVV_H
#define MIX__GMM_HC_VVV_H

#include "core/common.h"

/* mclust.options("subset"): rows agglomerated at most (see above). */
#define MIX__HC_SUBSET 2000

/*
 * Model-based hierarchical agglomeration (mclust's hc with modelName "VVV",
 * use "SVD") of the n x d rows X (row-major, the caller's units: the
 * transformation makes the result invariant to the location and scale of
 * each column, so raw data are expected, not pre-scaled ones) down to k
 * clusters; labels[i] in [0, k), numbered as hclass numbers them (minus
 * one): by first occurrence. Returns MIX_OK; MIX_EINVAL (X or labels
 * NULL); MIX_EDIM (n, d or k is 0, n < k, k > INT32_MAX, the n x n cost
 * table is not addressable, or n * d exceeds LAPACK's 32-bit indexing);
 * MIX_EDATA (NaN or infinity in X); MIX_ENOMEM; MIX_ENUMERIC if the SVD's
 * Jacobi sweeps do not converge (LAPACK allows 30; never seen). labels is
 * written only on success. Thread-safe (no global state), single-threaded.
 */
int mix__hc_vvv(const double *X, size_t n, size_t d, size_t k, int32_t *labels);

/*
 * The agglomeration alone, on rows Z (n x q) already transformed (mclust's
 * hcVVV(Z), e.g. on attr(hc(...), "data")); same labels and codes, but
 * Z is used as it is (no column is dropped), and should be of moderate
 * magnitude, as transformed data are: squares must not overflow.
 */
int mix__hc_vvv_transformed(const double *Z, size_t n, size_t q, size_t k, int32_t *labels);

#endif /* MIX__GMM_HC_VVV_H */
