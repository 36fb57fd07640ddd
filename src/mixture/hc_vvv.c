/* Model-based hierarchical agglomeration, mclust's hc VVV / SVD; see hc_vvv.h. */
#include "mixture/hc_vvv.h"

#include "core/linalg.h"

#include <float.h>
#include <math.h>
#include <string.h>

/* hcVVV's defaults: the regularising trace term is alpha times the data's
 * mean variance per coordinate, weighted by beta against the determinant. */
#define HC_ALPHA 1.0
#define HC_BETA 1.0

/*
 * Clusters live at positions 0..g-1. A cluster of m rows is described by
 * its size, S = sqrt(m) * mean (so that merging is a rotation of the two
 * S rows), tr W, its cost, and the first min(m - 1, q) rows of its
 * triangular factor. Those rows are stored at the cluster's members (a
 * linked list of row indices, F row r at the r-th member): a cluster always
 * has more members than factor rows, so F needs n rows in all instead of a
 * q x q matrix per cluster.
 */
typedef struct hc_work {
    size_t n, q;
    double alpha;
    double *S;      /* n x q, per position */
    double *F;      /* n x q, per row (see above) */
    double *D;      /* cost of merging i < j at pair_index(i, j) */
    double *trace;  /* per position */
    double *cost;   /* per position */
    size_t *size;   /* per position */
    size_t *head;   /* per position: first member */
    size_t *tail;   /* per position: last member */
    size_t *next;   /* per row: next member of its cluster */
    size_t *row_arg; /* per position j >= 1: the i < j of least D(i, j), the last on ties */
    double *row_min; /* per position j >= 1: that D(i, j) */
    double *T;      /* q x q factor being built */
    double *v;      /* q: the between-cluster row */
    double *u;      /* q: a factor row being rotated in */
} hc_work;

static size_t pair_index(size_t i, size_t j)
{
    return j * (j - 1) / 2 + i;
}

/*
 * Rotates the row u (q values, destroyed) into the upper triangular factor T
 * of *rows rows: Givens rotations zero u's leading entries against the
 * existing rows, and while there are fewer than q rows what is left of u
 * becomes the next row. T^T T gains u u^T.
 */
static void rotate_in(double *T, size_t q, size_t *rows, double *u)
{
    size_t r = *rows;
    for (size_t k = 0; k < r; k++) {
        double b = u[k];
        if (b == 0)
            continue;
        double *t = T + k * q;
        double a = t[k], h = sqrt(a * a + b * b);
        /* hypot() costs a third of the whole agglomeration; it is needed
         * only when the squares leave the range of normal numbers. */
        if (!(h > 0x1p-500 && h < 0x1p500))
            h = hypot(a, b);
        double c = a / h, s = b / h;
        t[k] = h;
        u[k] = 0;
        for (size_t j = k + 1; j < q; j++) {
            double tj = t[j], uj = u[j];
            t[j] = c * tj + s * uj;
            u[j] = c * uj - s * tj;
        }
    }
    if (r < q) {
        memcpy(T + r * q, u, q * sizeof *u);
        *rows = r + 1;
    }
}

/* T <- the factor rows of the cluster at position p; returns their number. */
static size_t load_factor(const hc_work *w, size_t p)
{
    size_t q = w->q, rows = w->size[p] - 1 < q ? w->size[p] - 1 : q;
    size_t m = w->head[p];
    for (size_t r = 0; r < rows; r++, m = w->next[m])
        memcpy(w->T + r * q, w->F + m * q, q * sizeof *w->F);
    return rows;
}

/* Rotates the factor rows of the cluster at position p into T. */
static void rotate_cluster_in(hc_work *w, size_t p, size_t *rows)
{
    size_t q = w->q, prow = w->size[p] - 1 < q ? w->size[p] - 1 : q;
    size_t m = w->head[p];
    for (size_t r = 0; r < prow; r++, m = w->next[m]) {
        memcpy(w->u, w->F + m * q, q * sizeof *w->u);
        rotate_in(w->T, q, rows, w->u);
    }
}

/*
 * Cost of a cluster of m rows with trace t, the factor of its scatter in
 * T when it is used (m > max(q, 2) and t > 0: T then has q rows). The
 * log-sum-exp keeps det(W / m), computed as a sum of logarithms, from
 * overflowing or vanishing; a zero pivot means det W = 0.
 */
static double cluster_cost(const hc_work *w, size_t m, double t)
{
    size_t q = w->q;
    double fm = (double)m, c = HC_BETA * (t + w->alpha) / fm;
    if (m <= q || m <= 2 || t == 0)
        return fm * log(c);
    double s = sqrt(1.0 / fm), logdet = 0;
    for (size_t k = 0; k < q; k++) {
        double p = fabs(w->T[k * q + k]) * s;
        if (p == 0)
            return fm * log(c);
        logdet += log(p);
    }
    logdet *= 2;
    if (logdet <= 0)
        return fm * log(exp(logdet) + c);
    return fm * (log(1.0 + exp(-logdet) * c) + logdet);
}

/*
 * Trace and cost of the union of the clusters at positions a and b; with
 * need_factor (or when the cost needs it) T holds the union's factor and
 * *rows its rows: a's factor, then b's rows and v rotated in (mclust's
 * order, which matters only to rounding).
 */
static double union_cost(hc_work *w, size_t a, size_t b, int need_factor, double *trace,
                         size_t *rows)
{
    size_t q = w->q, ma = w->size[a], mb = w->size[b], m = ma + mb;
    double ca = sqrt((double)ma / (double)m), cb = sqrt((double)mb / (double)m);
    const double *Sa = w->S + a * q, *Sb = w->S + b * q;
    double ss = 0;
    for (size_t j = 0; j < q; j++) {
        double vj = ca * Sb[j] - cb * Sa[j];
        w->v[j] = vj;
        ss += vj * vj;
    }
    double t = (w->trace[a] + w->trace[b]) + ss;
    *trace = t;
    if (need_factor || (m > q && m > 2 && t != 0)) {
        size_t r = load_factor(w, a);
        rotate_cluster_in(w, b, &r);
        rotate_in(w->T, q, &r, w->v);
        *rows = r;
    }
    return cluster_cost(w, m, t);
}

/* Costs of every pair of positions among 0..g-1 involving position p. */
static void update_costs(hc_work *w, size_t p, size_t g)
{
    double t;
    size_t rows;
    for (size_t x = 0; x < g; x++) {
        if (x == p)
            continue;
        double c = union_cost(w, p, x, 0, &t, &rows) - (w->cost[p] + w->cost[x]);
        w->D[x < p ? pair_index(x, p) : pair_index(p, x)] = c;
    }
}

/* Row j's least cost over i < j, the last i on exact ties. */
static void scan_row(hc_work *w, size_t j)
{
    const double *Dj = w->D + pair_index(0, j);
    double best = Dj[0];
    size_t arg = 0;
    for (size_t i = 1; i < j; i++)
        if (Dj[i] <= best) {
            best = Dj[i];
            arg = i;
        }
    w->row_arg[j] = arg;
    w->row_min[j] = best;
}

/* Column c of row x changed, and was not the row's least: it becomes the
 * least if smaller, or equal and later. */
static void offer(hc_work *w, size_t c, size_t x)
{
    double val = w->D[pair_index(c, x)];
    if (val < w->row_min[x] || (val == w->row_min[x] && c > w->row_arg[x])) {
        w->row_min[x] = val;
        w->row_arg[x] = c;
    }
}

/*
 * Row minima after merge(i, j) and update_costs(i) left g positions: rows i
 * and j were rewritten; any later row x had column i recomputed and, past
 * j, column j replaced by the moved cluster's. A row whose least was one of
 * those columns is scanned again, the others compare the new values.
 */
static void refresh_minima(hc_work *w, size_t i, size_t j, size_t g)
{
    if (i >= 1)
        scan_row(w, i);
    if (j < g)
        scan_row(w, j);
    for (size_t x = i + 1; x < g; x++) {
        if (x == j)
            continue;
        if (w->row_arg[x] == i || (x > j && w->row_arg[x] == j)) {
            scan_row(w, x);
            continue;
        }
        offer(w, i, x);
        if (x > j)
            offer(w, j, x);
    }
}

/*
 * The pair of least cost among positions 0..g-1 (g >= 2), on exact ties the
 * last in the order (j, i) (mclust's scan of its packed cost table with
 * <=): the last row of least minimum, at that row's own last least column.
 */
static void best_pair(const hc_work *w, size_t g, size_t *bi, size_t *bj)
{
    double best = w->row_min[1];
    size_t j0 = 1;
    for (size_t j = 2; j < g; j++)
        if (w->row_min[j] <= best) {
            best = w->row_min[j];
            j0 = j;
        }
    *bi = w->row_arg[j0];
    *bj = j0;
}

/* Merges the clusters at positions i < j into i; the last position g-1
 * moves into j. */
static void merge(hc_work *w, size_t i, size_t j, size_t g)
{
    size_t q = w->q, rows = 0;
    double t;
    double c = union_cost(w, i, j, 1, &t, &rows);
    size_t mi = w->size[i], mj = w->size[j], m = mi + mj;
    double ci = sqrt((double)mi / (double)m), cj = sqrt((double)mj / (double)m);
    double *Si = w->S + i * q, *Sj = w->S + j * q;
    for (size_t k = 0; k < q; k++)
        Si[k] = ci * Si[k] + cj * Sj[k];
    w->next[w->tail[i]] = w->head[j];
    w->tail[i] = w->tail[j];
    w->size[i] = m;
    w->trace[i] = t;
    w->cost[i] = c;
    size_t member = w->head[i];
    for (size_t r = 0; r < rows; r++, member = w->next[member])
        memcpy(w->F + member * q, w->T + r * q, q * sizeof *w->T);

    size_t last = g - 1;
    if (j != last) {
        memcpy(Sj, w->S + last * q, q * sizeof *Sj);
        w->size[j] = w->size[last];
        w->trace[j] = w->trace[last];
        w->cost[j] = w->cost[last];
        w->head[j] = w->head[last];
        w->tail[j] = w->tail[last];
        for (size_t x = 0; x < j; x++)
            w->D[pair_index(x, j)] = w->D[pair_index(x, last)];
        for (size_t x = j + 1; x < last; x++)
            w->D[pair_index(j, x)] = w->D[pair_index(x, last)];
    }
}

static void free_work(hc_work *w)
{
    mix__free(w->S);
    mix__free(w->F);
    mix__free(w->D);
    mix__free(w->trace);
    mix__free(w->cost);
    mix__free(w->size);
    mix__free(w->head);
    mix__free(w->tail);
    mix__free(w->next);
    mix__free(w->row_arg);
    mix__free(w->row_min);
    mix__free(w->T);
    mix__free(w->v);
    mix__free(w->u);
}

/* The agglomeration of Z (n x q, 2 <= k < n), Z's memory taken over by w. */
static int agglomerate(double *Z, size_t n, size_t q, size_t k, int32_t *labels)
{
    hc_work w = {0};
    w.n = n;
    w.q = q;
    w.S = Z;
    size_t npairs = n * (n - 1) / 2;
    w.F = mix__alloc_array(n, q * sizeof(double));
    w.D = mix__alloc_array(npairs, sizeof(double));
    w.trace = mix__alloc_array(n, sizeof(double));
    w.cost = mix__alloc_array(n, sizeof(double));
    w.size = mix__alloc_array(n, sizeof(size_t));
    w.head = mix__alloc_array(n, sizeof(size_t));
    w.tail = mix__alloc_array(n, sizeof(size_t));
    w.next = mix__alloc_array(n, sizeof(size_t));
    w.T = mix__alloc_array(q, q * sizeof(double));
    w.v = mix__alloc_array(q, sizeof(double));
    w.u = mix__alloc_array(q, sizeof(double));
    w.row_arg = mix__alloc_array(n, sizeof(size_t));
    w.row_min = mix__alloc_array(n, sizeof(double));
    if (!w.F || !w.D || !w.trace || !w.cost || !w.size || !w.head || !w.tail || !w.next || !w.T ||
        !w.v || !w.u || !w.row_arg || !w.row_min) {
        free_work(&w);
        return MIX_ENOMEM;
    }

    /* alpha: mclust's traceW of Z / sqrt(n q), Z's scatter about its mean. */
    double tr = 0;
    for (size_t j = 0; j < q; j++) {
        double mean = 0;
        for (size_t i = 0; i < n; i++)
            mean += Z[i * q + j];
        mean /= (double)n;
        for (size_t i = 0; i < n; i++) {
            double e = Z[i * q + j] - mean;
            tr += e * e;
        }
    }
    w.alpha = fmax(HC_ALPHA * tr / ((double)n * (double)q), DBL_EPSILON);

    double singleton = HC_BETA * w.alpha;
    for (size_t i = 0; i < n; i++) {
        w.size[i] = 1;
        w.head[i] = w.tail[i] = i;
        w.next[i] = i;
        w.trace[i] = 0;
        w.cost[i] = log(singleton);
    }
    for (size_t j = 1; j < n; j++) {
        double t;
        size_t rows;
        for (size_t i = 0; i < j; i++)
            w.D[pair_index(i, j)] =
                union_cost(&w, j, i, 0, &t, &rows) - (w.cost[i] + w.cost[j]);
        scan_row(&w, j);
    }

    for (size_t g = n; g > k; g--) {
        size_t i, j;
        best_pair(&w, g, &i, &j);
        merge(&w, i, j, g);
        update_costs(&w, i, g - 1);
        refresh_minima(&w, i, j, g - 1);
    }

    /* Positions to labels by first occurrence (size[] reused as the map). */
    for (size_t p = 0; p < k; p++) {
        size_t m = w.head[p];
        for (size_t r = 0; r < w.size[p]; r++, m = w.next[m])
            labels[m] = (int32_t)p;
        w.size[p] = SIZE_MAX;
    }
    int32_t next_label = 0;
    for (size_t i = 0; i < n; i++) {
        size_t p = (size_t)labels[i];
        if (w.size[p] == SIZE_MAX)
            w.size[p] = (size_t)next_label++;
        labels[i] = (int32_t)w.size[p];
    }
    free_work(&w);
    return MIX_OK;
}

/* Checks shared by both entry points; *done when the answer needs no work. */
static int check_args(const double *X, size_t n, size_t d, size_t k, int32_t *labels, int *done)
{
    *done = 0;
    if (X == NULL || labels == NULL)
        return MIX_EINVAL;
    if (n == 0 || d == 0 || k == 0 || n < k || k > (size_t)INT32_MAX)
        return MIX_EDIM;
    size_t cells, bytes;
    if (mix__mul_overflow(n, d, &cells) || mix__mul_overflow(cells, sizeof(double), &bytes) ||
        mix__mul_overflow(n, n - 1, &cells) || mix__mul_overflow(cells / 2, sizeof(double), &bytes))
        return MIX_EDIM;
    for (size_t i = 0; i < n * d; i++)
        if (!isfinite(X[i]))
            return MIX_EDATA;
    if (k == 1 || k == n) {
        for (size_t i = 0; i < n; i++)
            labels[i] = k == 1 ? 0 : (int32_t)i;
        *done = 1;
    }
    return MIX_OK;
}

int mix__hc_vvv_transformed(const double *Z, size_t n, size_t q, size_t k, int32_t *labels)
{
    int done;
    int rc = check_args(Z, n, q, k, labels, &done);
    if (rc != MIX_OK || done)
        return rc;
    double *S = mix__alloc_array(n, q * sizeof(double));
    if (S == NULL)
        return MIX_ENOMEM;
    memcpy(S, Z, n * q * sizeof *S);
    return agglomerate(S, n, q, k, labels);
}

/*
 * Standardises column j of X into column jj of A (n x c): centred, divided
 * by the standard deviation with divisor n - 1. The column is first scaled
 * by the power of two that brings its largest magnitude into [0.5, 1)
 * (ldexp, exact even from subnormal values, where 2^-e itself would
 * overflow): the result does not depend on the scale, and sums of squares
 * can then neither overflow nor vanish.
 */
static void standardise(const double *X, size_t n, size_t d, size_t j, double *A, size_t c,
                        size_t jj)
{
    double big = 0;
    for (size_t i = 0; i < n; i++)
        big = fmax(big, fabs(X[i * d + j]));
    int e;
    frexp(big, &e);
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += ldexp(X[i * d + j], -e);
    double mean = sum / (double)n, corr = 0;
    for (size_t i = 0; i < n; i++)
        corr += ldexp(X[i * d + j], -e) - mean;
    mean += corr / (double)n; /* second pass: the mean to rounding */
    double ss = 0;
    for (size_t i = 0; i < n; i++) {
        double u = ldexp(X[i * d + j], -e) - mean;
        A[i * c + jj] = u;
        ss += u * u;
    }
    double sd = sqrt(ss / (double)(n - 1));
    for (size_t i = 0; i < n; i++)
        A[i * c + jj] /= sd;
}

int mix__hc_vvv(const double *X, size_t n, size_t d, size_t k, int32_t *labels)
{
    int done;
    int rc = check_args(X, n, d, k, labels, &done);
    if (rc != MIX_OK || done)
        return rc;

    /* n >= 2 here. Columns whose values are all equal carry nothing. */
    size_t c = 0;
    for (size_t j = 0; j < d; j++)
        for (size_t i = 1; i < n; i++)
            if (X[i * d + j] != X[j]) {
                c++;
                break;
            }
    if (c == 0) {
        /* Every row is the same point: one zero coordinate (q = 1). */
        double *Z = mix__alloc_array(n, sizeof(double));
        if (Z == NULL)
            return MIX_ENOMEM;
        memset(Z, 0, n * sizeof *Z);
        return agglomerate(Z, n, 1, k, labels);
    }

    size_t q = n < c ? n : c;
    size_t lwork = mix__svd_left_work(n, c);
    if (lwork == 0)
        return MIX_EDIM;
    double *A = mix__alloc_array(n, c * sizeof(double));
    double *s = mix__alloc_array(q, sizeof(double));
    double *work = mix__alloc_array(lwork, sizeof(double));
    double *Z = mix__alloc_array(n, q * sizeof(double));
    if (!A || !s || !work || !Z) {
        mix__free(A);
        mix__free(s);
        mix__free(work);
        mix__free(Z);
        return MIX_ENOMEM;
    }
    size_t jj = 0;
    for (size_t j = 0; j < d; j++)
        for (size_t i = 1; i < n; i++)
            if (X[i * d + j] != X[j]) {
                standardise(X, n, d, j, A, c, jj++);
                break;
            }
    int info = mix__svd_left(A, n, c, s, Z, work, lwork);
    mix__free(A);
    mix__free(work);
    if (info != 0) {
        mix__free(s);
        mix__free(Z);
        return info > 0 ? MIX_ENUMERIC : MIX_EDIM;
    }
    /* Z = U S^(1/2) = Xs V S^(-1/2). */
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < q; j++)
            Z[i * q + j] *= sqrt(s[j]);
    mix__free(s);
    return agglomerate(Z, n, q, k, labels);
}
