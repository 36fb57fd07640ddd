/*
 * The first look at a fit's rows (mix__data_open, data.h): checks and
 * column statistics in one pass, in memory or from a reader, then combined
 * over the ranks of a distributed fit in one reduction.
 */
#include "core/data.h"
#include "core/pass.h"

#include <math.h>
#include <string.h>

/* A rank's statistics, as the reduction carries them: rows, rows with a
 * positive weight, the largest weight, then per column the sum, the
 * smallest and the largest value. */
#define ACC_N 0
#define ACC_POS 1
#define ACC_TOP 2
#define ACC_COLS 3
#define ACC_LEN(d) (ACC_COLS + 3 * (d))

typedef struct col_acc {
    size_t d;
    int binary;
    double *a; /* ACC_LEN(d) */
    mix__err *err;
} col_acc;

static int check_weights(col_acc *c, const double *w, size_t row0, size_t rows)
{
    double *a = c->a;
    if (w == NULL) {
        a[ACC_POS] += (double)rows;
        a[ACC_TOP] = rows > 0 ? fmax(a[ACC_TOP], 1.0) : a[ACC_TOP];
        return MIX_OK;
    }
    size_t pos = 0;
    int rc = mix__weights_scan(c->err, w, row0, rows, &pos, &a[ACC_TOP]);
    a[ACC_POS] += (double)pos;
    return rc;
}

static int bad_value(const col_acc *c, double v, size_t i, size_t j)
{
    if (c->binary)
        return mix__fail(c->err, MIX_EDATA, "X[%zu][%zu] = %g is not 0 or 1", i, j, v);
    return mix__fail(c->err, MIX_EDATA, "X[%zu][%zu] is %s", i, j, isnan(v) ? "NaN" : "infinite");
}

/* Rows [row0, row0 + rows) of this rank: weights, then values. */
static int acc_rows(void *ctx, const double *x, const double *w, size_t row0, size_t rows)
{
    col_acc *c = ctx;
    const size_t d = c->d;
    int rc = check_weights(c, w, row0, rows);
    if (rc != MIX_OK)
        return rc;
    double *sum = c->a + ACC_COLS, *lo = sum + d, *hi = lo + d;
    for (size_t i = 0; i < rows; i++, x += d)
        for (size_t j = 0; j < d; j++) {
            const double v = x[j];
            if (c->binary ? v != 0.0 && v != 1.0 : !isfinite(v))
                return bad_value(c, v, row0 + i, j);
            sum[j] += v;
            lo[j] = v < lo[j] ? v : lo[j];
            hi[j] = v > hi[j] ? v : hi[j];
        }
    c->a[ACC_N] += (double)rows;
    return MIX_OK;
}

/* The rows through fn: all at once in memory, else from the reader. */
static int each_rows(const mix__source *s, mix__raw_fn fn, void *ctx, size_t *n, mix__err *err)
{
    if (s->read != NULL)
        return mix__stream_scan(s->read, s->user, s->d, fn, ctx, n, err);
    *n = s->n;
    return fn(ctx, s->X, s->w, 0, s->n);
}

typedef struct scaled_sum {
    size_t d;
    double inv_n;
    const unsigned char *redo; /* columns to sum again */
    double *sum;
} scaled_sum;

static int scaled_rows(void *ctx, const double *x, const double *w, size_t row0, size_t rows)
{
    (void)w;
    (void)row0;
    scaled_sum *s = ctx;
    for (size_t i = 0; i < rows; i++, x += s->d)
        for (size_t j = 0; j < s->d; j++)
            if (s->redo[j])
                s->sum[j] += x[j] * s->inv_n;
    return MIX_OK;
}

/* Column means whose sum overflowed: the sum of the values divided by n
 * first (a second pass; rare: values near the limits of a double). */
static int rescue_means(const mix__source *s, size_t n_all, double *mean, mix__err *err)
{
    const size_t d = s->d;
    unsigned char *redo = mix__calloc(d, 1);
    double *sum = mix__calloc(d + MIX__DIST_STATUS, sizeof(double));
    int rc = redo && sum ? MIX_OK : mix__fail(err, MIX_ENOMEM, "out of memory scanning columns");
    rc = mix__dist_status(s->dist, rc, err);
    for (size_t j = 0; rc == MIX_OK && j < d; j++)
        redo[j] = !isfinite(mean[j]);
    size_t n;
    scaled_sum ss = {d, 1.0 / (double)n_all, redo, sum};
    if (rc == MIX_OK) {
        rc = each_rows(s, scaled_rows, &ss, &n, err);
        rc = mix__dist_sum(s->dist, sum, d, rc, err);
    }
    for (size_t j = 0; rc == MIX_OK && j < d; j++)
        if (redo[j])
            mean[j] = sum[j];
    mix__free(redo);
    mix__free(sum);
    return rc;
}

/* Half the largest deviation from the column mean, computed without
 * overflow even when max - mean exceeds DBL_MAX. */
static double half_spread(double lo, double hi, double mean)
{
    return fmax(0.5 * hi - 0.5 * mean, 0.5 * mean - 0.5 * lo);
}

/* The ranks' statistics (size x ACC_LEN(d)) combined, in rank order, into
 * row 0; rows before this rank's into *row0. */
static void combine(double *all, int size, int rank, size_t d, size_t *row0)
{
    const size_t len = ACC_LEN(d);
    double before = 0;
    for (int r = 1; r < size; r++) {
        const double *b = all + (size_t)r * len;
        if (r <= rank)
            before += all[(size_t)(r - 1) * len + ACC_N];
        all[ACC_N] += b[ACC_N];
        all[ACC_POS] += b[ACC_POS];
        all[ACC_TOP] = fmax(all[ACC_TOP], b[ACC_TOP]);
        for (size_t j = 0; j < d; j++) {
            double *a = all + ACC_COLS;
            a[j] += b[ACC_COLS + j];
            a[d + j] = fmin(a[d + j], b[ACC_COLS + d + j]);
            a[2 * d + j] = fmax(a[2 * d + j], b[ACC_COLS + 2 * d + j]);
        }
    }
    *row0 = (size_t)before;
}

/* Shift, scale and norm bound from the combined statistics. */
static int units(mix__data *v, const mix__source *src, const double *a, double *shift,
                 const mix__scan_opts *o, mix__err *err)
{
    const size_t d = v->d;
    if (!o->centre) {
        memset(shift, 0, d * sizeof(double));
        v->inv_scale = 1.0;
        v->norm_bound = sqrt((double)d);
        return MIX_OK;
    }
    const double *sum = a + ACC_COLS, *lo = sum + d, *hi = lo + d;
    int overflow = 0;
    for (size_t j = 0; j < d; j++) {
        shift[j] = sum[j] / (double)v->n_all;
        overflow |= !isfinite(shift[j]);
    }
    if (overflow) {
        int rc = rescue_means(src, v->n_all, shift, err);
        if (rc != MIX_OK)
            return rc;
    }
    double spread = 0;
    for (size_t j = 0; j < d; j++) {
        shift[j] = fmin(fmax(shift[j], lo[j]), hi[j]);
        spread = fmax(spread, half_spread(lo[j], hi[j], shift[j]));
    }
    v->inv_scale = mix__scale_for_spread(spread);
    /* Each |u_j| is at most its column's half spread times 2 inv_scale. */
    double ss = 0;
    for (size_t j = 0; j < d; j++) {
        double h = half_spread(lo[j], hi[j], shift[j]) * 2.0 * v->inv_scale;
        ss += h * h;
    }
    v->norm_bound = sqrt(ss) * (1.0 + 1e-12);
    return MIX_OK;
}

static int global_checks(const double *a, const mix__scan_opts *o, mix__err *err)
{
    const size_t n = (size_t)a[ACC_N], pos = (size_t)a[ACC_POS];
    if (n < o->k)
        return mix__fail(err, MIX_EDIM, "n_samples = %zu should be >= %s = %zu", n, o->what,
                         o->k);
    if (pos == 0)
        return mix__fail(err, MIX_EINVAL, "all %zu sample weights are zero", n);
    if (pos < o->k)
        return mix__fail(err, MIX_EDIM,
                         "only %zu samples have a positive weight; %s = %zu needs as many", pos,
                         o->what, o->k);
    return MIX_OK;
}

int mix__data_open(mix__data *v, const mix__source *src, double *shift, const mix__scan_opts *o,
                   mix__err *err)
{
    const size_t d = src->d, len = ACC_LEN(d);
    const int size = mix__dist_size(src->dist);
    memset(v, 0, sizeof *v);
    v->X = src->X;
    v->w = src->w;
    v->d = d;
    v->read = src->read;
    v->user = src->user;
    v->dist = mix__dist_on(src->dist) ? src->dist : NULL;
    v->shift = shift;
    v->w_factor = 1.0;
    v->binary = o->binary;
    double *mine = mix__alloc_array(len, sizeof(double));
    double *all = mix__alloc_array((size_t)size * len + MIX__DIST_STATUS, sizeof(double));
    int rc = mine && all ? MIX_OK
                         : mix__fail(err, MIX_ENOMEM, "out of memory scanning %zu columns", d);
    /* Buffers first, known to every rank; then the pass and its reduction,
     * in which every rank takes part, failed or not. */
    rc = mix__dist_status(v->dist, rc, err);
    if (rc != MIX_OK) {
        mix__free(mine);
        mix__free(all);
        return rc;
    }
    memset(mine, 0, ACC_COLS * sizeof(double));
    for (size_t j = 0; j < d; j++) {
        mine[ACC_COLS + j] = 0;
        mine[ACC_COLS + d + j] = INFINITY;
        mine[ACC_COLS + 2 * d + j] = -INFINITY;
    }
    col_acc c = {d, o->binary, mine, err};
    rc = each_rows(src, acc_rows, &c, &v->n, err);
    rc = mix__dist_gather(v->dist, mine, len, all, rc, err);
    if (rc == MIX_OK) {
        combine(all, size, mix__dist_rank(v->dist), d, &v->row0);
        v->n_all = (size_t)all[ACC_N];
        v->w_factor = mix__weight_factor(all[ACC_TOP]);
        rc = global_checks(all, o, err);
    }
    if (rc == MIX_OK)
        rc = units(v, src, all, shift, o, err);
    mix__free(mine);
    mix__free(all);
    return rc;
}

int mix__scan_columns(mix__err *err, const double *X, size_t n, size_t d, double *shift,
                      double *inv_scale, double *norm_bound)
{
    const mix__source src = {.X = X, .n = n, .d = d};
    const mix__scan_opts o = {.k = 1, .what = "n_components", .centre = 1};
    mix__data v;
    int rc = mix__data_open(&v, &src, shift, &o, err);
    *inv_scale = v.inv_scale;
    *norm_bound = v.norm_bound;
    return rc;
}
