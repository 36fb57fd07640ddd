/* The rows of a fit: in memory within a limit, else streamed. */
#include "dataset.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

enum { CHUNK = 4096 };

/* splitmix64: a good 64-bit mix of the seed and the row index. */
static uint64_t mix64(uint64_t x)
{
    x += 0x9e3779b97f4a7c15u;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9u;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebu;
    return x ^ (x >> 31);
}

int dataset_is_heldout(const dataset *ds, size_t i)
{
    if (ds->heldout <= 0)
        return 0;
    double u = (double)(mix64(ds->split_seed ^ mix64((uint64_t)i)) >> 11) * 0x1.0p-53;
    return u < ds->heldout;
}

static int grow(double **p, size_t *cap, size_t need, char *err)
{
    if (need <= *cap)
        return 0;
    size_t c = *cap ? *cap : CHUNK;
    while (c < need && c <= SIZE_MAX / 2 / sizeof **p)
        c *= 2;
    double *q = c >= need ? realloc(*p, c * sizeof *q) : NULL;
    if (q == NULL) {
        set_err(err, "out of memory");
        return -1;
    }
    *p = q;
    *cap = c;
    return 0;
}

static int spool_write(dataset *ds, const double *X, const double *w, size_t m, char *err)
{
    if (fwrite(X, sizeof *X * ds->d, m, ds->spool_X) != m ||
        (ds->weighted && fwrite(w, sizeof *w, m, ds->spool_w) != m)) {
        set_err(err, "cannot write the temporary copy of %s: %s", input_name(ds->in),
                strerror(errno));
        return -1;
    }
    return 0;
}

/* The memory limit is passed: stream from the input, or from a copy. */
static int start_streaming(dataset *ds, char *err)
{
    ds->streamed = 1;
    if (input_seekable(ds->in)) {
        free(ds->X);
        free(ds->w);
        ds->X = ds->w = NULL;
        return 0;
    }
    ds->spool_X = tmpfile();
    ds->spool_w = ds->weighted ? tmpfile() : NULL;
    if (ds->spool_X == NULL || (ds->weighted && ds->spool_w == NULL)) {
        set_err(err, "cannot create a temporary file for %s: %s", input_name(ds->in),
                strerror(errno));
        return -1;
    }
    int rc = ds->n ? spool_write(ds, ds->X, ds->w, ds->n, err) : 0;
    free(ds->X);
    free(ds->w);
    ds->X = ds->w = NULL;
    return rc;
}

int dataset_load(dataset *ds, input *in, size_t limit, double heldout, uint64_t split_seed,
                 char *err)
{
    memset(ds, 0, sizeof *ds);
    ds->in = in;
    ds->d = input_cols(in);
    ds->weighted = input_weighted(in);
    ds->heldout = heldout;
    ds->split_seed = split_seed;
    size_t row_bytes = (ds->d + (size_t)ds->weighted) * sizeof(double);
    size_t cap_X = 0, cap_w = 0, rows = input_block_rows(in, CHUNK), bytes;
    double *X = NULL, *w = NULL;
    if (mul_size(rows, ds->d, &bytes) == 0 && mul_size(bytes, sizeof *X, &bytes) == 0) {
        X = malloc(bytes);
        w = malloc(rows * sizeof *w);
    }
    if (X == NULL || w == NULL) {
        free(X);
        free(w);
        set_err(err, "out of memory");
        return -1;
    }
    int rc = 0;
    for (;;) {
        long got = input_read(in, X, w, rows, err);
        if (got < 0) {
            rc = -1;
            break;
        }
        if (got == 0)
            break;
        size_t m = (size_t)got;
        for (size_t i = 0; i < m; i++)
            ds->n_side[dataset_is_heldout(ds, ds->n + i) ? SIDE_HELDOUT : SIDE_TRAIN]++;
        if (!ds->streamed && (ds->n + m) * row_bytes > limit && (rc = start_streaming(ds, err)))
            break;
        if (ds->streamed) {
            if (ds->spool_X != NULL && (rc = spool_write(ds, X, w, m, err)) != 0)
                break;
        } else {
            if (grow(&ds->X, &cap_X, (ds->n + m) * ds->d, err) != 0 ||
                (ds->weighted && grow(&ds->w, &cap_w, ds->n + m, err) != 0)) {
                rc = -1;
                break;
            }
            memcpy(ds->X + ds->n * ds->d, X, m * ds->d * sizeof *X);
            if (ds->weighted)
                memcpy(ds->w + ds->n, w, m * sizeof *w);
        }
        ds->n += m;
    }
    free(X);
    free(w);
    ds->n_side[SIDE_ALL] = ds->n;
    if (rc == 0 && ds->n == 0) {
        set_err(err, "%s: no data rows%s", input_name(in),
                input_has_header(in) ? " after the header" : "");
        rc = -1;
    }
    if (rc == 0 && ds->streamed && ds->spool_X == NULL && input_rewind(in, err) != 0)
        rc = -1;
    if (rc == 0 && ds->spool_X != NULL && fflush(ds->spool_X) != 0)
        rc = -1;
    return rc;
}

void dataset_begin(dataset *ds, int side)
{
    ds->side = side;
    ds->next_row = 0;
}

/* Up to max_rows rows of every side, from wherever the rows are. */
static long read_any(dataset *ds, double *X, double *w, size_t max_rows)
{
    if (!ds->streamed) {
        size_t m = ds->n - ds->next_row < max_rows ? ds->n - ds->next_row : max_rows;
        memcpy(X, ds->X + ds->next_row * ds->d, m * ds->d * sizeof *X);
        if (ds->weighted && w != NULL)
            memcpy(w, ds->w + ds->next_row, m * sizeof *w);
        return (long)m;
    }
    if (ds->spool_X == NULL) {
        long got = input_read(ds->in, X, w, max_rows, ds->err);
        if (got == 0 && input_rewind(ds->in, ds->err) != 0)
            return -1;
        return got;
    }
    if (ds->next_row == 0) {
        rewind(ds->spool_X);
        if (ds->spool_w != NULL)
            rewind(ds->spool_w);
    }
    size_t m = ds->n - ds->next_row < max_rows ? ds->n - ds->next_row : max_rows;
    if (fread(X, sizeof *X * ds->d, m, ds->spool_X) != m ||
        (ds->spool_w != NULL && fread(w, sizeof *w, m, ds->spool_w) != m)) {
        set_err(ds->err, "cannot read the temporary copy of %s", input_name(ds->in));
        return -1;
    }
    return (long)m;
}

long dataset_reader(void *user, double *X, double *w, size_t max_rows)
{
    dataset *ds = user;
    if (ds->side == SIDE_ALL) {
        long got = read_any(ds, X, w, max_rows);
        if (got > 0)
            ds->next_row += (size_t)got;
        else if (got == 0)
            ds->next_row = 0;
        return got;
    }
    /* One side only: read into a scratch block and keep the side's rows. */
    if (ds->tmp_rows < max_rows) {
        free(ds->tmp_X);
        free(ds->tmp_w);
        size_t bytes;
        ds->tmp_X = mul_size(max_rows, ds->d, &bytes) == 0 &&
                            mul_size(bytes, sizeof *ds->tmp_X, &bytes) == 0
                        ? malloc(bytes)
                        : NULL;
        ds->tmp_w = malloc(max_rows * sizeof *ds->tmp_w);
        ds->tmp_rows = max_rows;
        if (ds->tmp_X == NULL || ds->tmp_w == NULL) {
            ds->tmp_rows = 0;
            set_err(ds->err, "out of memory");
            return -1;
        }
    }
    for (;;) {
        for (size_t i = 0; i < max_rows; i++)
            ds->tmp_w[i] = 1.0;
        long got = read_any(ds, ds->tmp_X, ds->tmp_w, max_rows);
        if (got <= 0) {
            ds->next_row = 0;
            return got;
        }
        size_t kept = 0;
        for (size_t i = 0; i < (size_t)got; i++) {
            int held = dataset_is_heldout(ds, ds->next_row + i);
            if (held != (ds->side == SIDE_HELDOUT))
                continue;
            memcpy(X + kept * ds->d, ds->tmp_X + i * ds->d, ds->d * sizeof *X);
            if (w != NULL)
                w[kept] = ds->tmp_w[i];
            kept++;
        }
        ds->next_row += (size_t)got;
        if (kept > 0)
            return (long)kept;
    }
}

int dataset_side(const dataset *ds, int side, double **X, double **w, size_t *n, int *owned)
{
    if (side == SIDE_ALL) {
        *X = ds->X;
        *w = ds->w;
        *n = ds->n;
        *owned = 0;
        return 0;
    }
    size_t m = ds->n_side[side];
    *owned = 1;
    *n = m;
    *X = malloc((m ? m : 1) * ds->d * sizeof **X);
    *w = ds->weighted ? malloc((m ? m : 1) * sizeof **w) : NULL;
    if (*X == NULL || (ds->weighted && *w == NULL)) {
        free(*X);
        free(*w);
        return -1;
    }
    size_t t = 0;
    for (size_t i = 0; i < ds->n; i++) {
        if (dataset_is_heldout(ds, i) != (side == SIDE_HELDOUT))
            continue;
        memcpy(*X + t * ds->d, ds->X + i * ds->d, ds->d * sizeof **X);
        if (ds->weighted)
            (*w)[t] = ds->w[i];
        t++;
    }
    return 0;
}

void dataset_free(dataset *ds)
{
    input_close(ds->in);
    free(ds->X);
    free(ds->w);
    free(ds->tmp_X);
    free(ds->tmp_w);
    if (ds->spool_X != NULL)
        fclose(ds->spool_X);
    if (ds->spool_w != NULL)
        fclose(ds->spool_w);
    memset(ds, 0, sizeof *ds);
}
