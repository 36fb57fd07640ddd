/* The data a command reads: one interface over CSV and .npy, checked cells. */
#define _POSIX_C_SOURCE 200809L /* fileno, fstat */
#include "input.h"

#include "cli.h"
#include "csv.h"
#include "npy.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct input {
    char *name;
    FILE *f;
    int is_npy;
    int seekable;
    csv_reader csv;
    npy_reader npy;
    size_t n_source;   /* columns in the file */
    size_t *cols;      /* selected columns, 0-based source indices */
    size_t d;
    long weight_col;   /* source index, or -1 */
    int binary;
    double *row;       /* one .npy block of source columns */
    size_t row_cap;
    size_t rows_read;  /* in this pass, for .npy messages */
};

/* Parse one column reference: a number from 1, or a header name. */
static int column_ref(const input *in, const char *s, size_t len, size_t *out, char *err)
{
    char buf[256];
    if (len == 0 || len >= sizeof buf) {
        set_err(err, "bad column '%.*s'", (int)(len < 64 ? len : 64), s);
        return -1;
    }
    memcpy(buf, s, len);
    buf[len] = '\0';
    char *end;
    errno = 0;
    unsigned long long v = strtoull(buf, &end, 10);
    if (*end == '\0' && buf[0] >= '0' && buf[0] <= '9') {
        if (v < 1 || v > in->n_source || errno == ERANGE) {
            set_err(err, "column %s does not exist: %s has %zu column%s", buf, in->name,
                    in->n_source, in->n_source == 1 ? "" : "s");
            return -1;
        }
        *out = (size_t)v - 1;
        return 0;
    }
    if (in->is_npy || !in->csv.has_header) {
        set_err(err, "column '%s': %s has no header; name columns by number from 1", buf,
                in->name);
        return -1;
    }
    for (size_t j = 0; j < in->n_source; j++)
        if (strcmp(in->csv.names[j], buf) == 0) {
            *out = j;
            return 0;
        }
    set_err(err, "no column named '%s' in %s", buf, in->name);
    return -1;
}

/* The items of the --columns list into in->cols; taken has a bit for each
 * source column, set once the column is selected. */
static int select_list(input *in, const char *list, unsigned char *taken, char *err)
{
    const char *p = list;
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        const char *dash = memchr(p, '-', len);
        size_t lo, hi;
        int is_range = 0;
        if (dash != NULL) {
            /* a range when both sides are numbers or empty */
            int numeric = 1;
            for (const char *c = p; c < p + len; c++)
                if (c != dash && (*c < '0' || *c > '9'))
                    numeric = 0;
            is_range = numeric && len > 1;
        }
        if (is_range) {
            size_t left = (size_t)(dash - p), right = len - left - 1;
            if (left == 0)
                lo = 0;
            else if (column_ref(in, p, left, &lo, err) != 0)
                return -1;
            if (right == 0)
                hi = in->n_source - 1;
            else if (column_ref(in, dash + 1, right, &hi, err) != 0)
                return -1;
            if (hi < lo) {
                set_err(err, "empty column range '%.*s'", (int)len, p);
                return -1;
            }
        } else {
            if (column_ref(in, p, len, &lo, err) != 0)
                return -1;
            hi = lo;
        }
        for (size_t j = lo; j <= hi; j++) {
            if ((long)j == in->weight_col) {
                set_err(err, "column %zu is the weights column; it cannot be a feature too",
                        j + 1);
                return -1;
            }
            if (taken[j / CHAR_BIT] & 1u << j % CHAR_BIT) {
                set_err(err, "column %zu is selected twice", j + 1);
                return -1;
            }
            taken[j / CHAR_BIT] |= (unsigned char)(1u << j % CHAR_BIT);
            in->cols[in->d++] = j;
        }
        if (comma == NULL)
            break;
        p = comma + 1;
    }
    return 0;
}

/* The columns: every one but the weights, or the --columns list: items
 * "N", "N-M", "N-", "-M" or a name, separated by commas, in the order
 * given. */
static int select_columns(input *in, const char *list, char *err)
{
    size_t bytes;
    if (mul_size(in->n_source, sizeof *in->cols, &bytes) != 0 ||
        (in->cols = malloc(bytes)) == NULL) {
        set_err(err, "out of memory");
        return -1;
    }
    in->d = 0;
    if (list == NULL) {
        for (size_t j = 0; j < in->n_source; j++)
            if ((long)j != in->weight_col)
                in->cols[in->d++] = j;
        if (in->d == 0) {
            set_err(err, "%s: no column left besides the weights", in->name);
            return -1;
        }
        return 0;
    }
    /* the columns taken so far, a bit each */
    unsigned char *taken = calloc(in->n_source / CHAR_BIT + 1, 1);
    if (taken == NULL) {
        set_err(err, "out of memory");
        return -1;
    }
    int rc = select_list(in, list, taken, err);
    free(taken);
    return rc;
}

input *input_open(const char *path, const input_opts *o, char *err, int *usage)
{
    *usage = 0;
    input *in = calloc(1, sizeof *in);
    if (in == NULL) {
        set_err(err, "out of memory");
        return NULL;
    }
    in->weight_col = -1;
    in->binary = o->binary;
    int is_stdin = strcmp(path, "-") == 0;
    in->name = strdup(is_stdin ? "<stdin>" : path);
    if (in->name == NULL) {
        set_err(err, "out of memory");
        free(in);
        return NULL;
    }
    in->f = is_stdin ? stdin : fopen(path, "rb");
    if (in->f == NULL) {
        set_err(err, "%s: %s", path, strerror(errno));
        input_close(in);
        return NULL;
    }
    struct stat st;
    if (fstat(fileno(in->f), &st) == 0 && S_ISDIR(st.st_mode)) {
        set_err(err, "%s: is a directory", path);
        input_close(in);
        return NULL;
    }
    in->seekable = fstat(fileno(in->f), &st) == 0 && S_ISREG(st.st_mode);
    int c = getc(in->f);
    if (c == EOF) {
        if (ferror(in->f))
            set_err(err, "%s: read error: %s", in->name, strerror(errno));
        else
            set_err(err, "%s: empty input (no rows)", in->name);
        input_close(in);
        return NULL;
    }
    ungetc(c, in->f);
    in->is_npy = c == 0x93;
    int rc;
    if (in->is_npy && (o->delimiter != 0 || o->header >= 0)) {
        /* CSV options that do not apply: a usage error, not ignored */
        set_err(err, "%s: %s is for CSV input; this is a .npy file", in->name,
                o->delimiter != 0 ? "--delimiter" : o->header ? "--header" : "--no-header");
        *usage = 1;
        input_close(in);
        return NULL;
    }
    if (in->is_npy) {
        rc = npy_open(&in->npy, in->f, in->name, in->seekable, err);
        in->n_source = in->npy.d;
        if (rc == 0 && in->npy.n == 0) {
            set_err(err, "%s: no rows (the array is empty)", in->name);
            rc = -1;
        }
    } else {
        int delim = o->delimiter;
        rc = csv_open(&in->csv, in->f, in->name, in->seekable, (char)delim, o->header, err);
        in->n_source = in->csv.n_fields;
    }
    if (rc != 0) {
        input_close(in);
        return NULL;
    }
    if (o->weights_column != NULL) {
        size_t wc;
        if (column_ref(in, o->weights_column, strlen(o->weights_column), &wc, err) != 0) {
            *usage = 1;
            input_close(in);
            return NULL;
        }
        in->weight_col = (long)wc;
    }
    if (select_columns(in, o->columns, err) != 0) {
        *usage = 1;
        input_close(in);
        return NULL;
    }
    return in;
}

/* Check one value read from source column j of the current line or row. */
static int check_value(const input *in, double v, size_t j, int is_weight, const char *where,
                       char *err)
{
    if (isnan(v)) {
        set_err(err, "%s: %s, column %zu: NaN", in->name, where, j + 1);
        return -1;
    }
    if (isinf(v)) {
        set_err(err, "%s: %s, column %zu: infinite value", in->name, where, j + 1);
        return -1;
    }
    if (is_weight && v < 0) {
        set_err(err, "%s: %s, column %zu: negative weight %g", in->name, where, j + 1, v);
        return -1;
    }
    if (!is_weight && in->binary && v != 0 && v != 1) {
        set_err(err, "%s: %s, column %zu: %g is not 0 or 1 (a Bernoulli mixture needs 0/1 data)",
                in->name, where, j + 1, v);
        return -1;
    }
    return 0;
}

static int csv_cell(const input *in, size_t j, double *out, char *err)
{
    const char *s = in->csv.fields[j];
    char where[64];
    snprintf(where, sizeof where, "line %zu", in->csv.line_no);
    if (*s == '\0') {
        set_err(err, "%s: %s, column %zu: empty cell", in->name, where, j + 1);
        return -1;
    }
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (*end != '\0') {
        set_err(err, "%s: %s, column %zu: '%.40s' is not a number%s", in->name, where, j + 1, s,
                in->csv.line_no <= 2 && !in->csv.has_header
                    ? " (a header line? see --header)"
                    : " (choose numeric columns with --columns)");
        return -1;
    }
    if (errno == ERANGE && isinf(v)) {
        set_err(err, "%s: %s, column %zu: %.40s is out of the range of a double", in->name,
                where, j + 1, s);
        return -1;
    }
    *out = v;
    return check_value(in, v, j, (long)j == in->weight_col, where, err);
}

static long read_csv(input *in, double *X, double *w, size_t max_rows, char *err)
{
    size_t m = 0;
    while (m < max_rows) {
        int got = csv_next(&in->csv, err);
        if (got < 0)
            return -1;
        if (got == 0)
            break;
        if (in->csv.count != in->csv.n_fields) {
            set_err(err, "%s: line %zu, column %zu: %zu fields where the first line has %zu",
                    in->name, in->csv.line_no,
                    (in->csv.count < in->csv.n_fields ? in->csv.count : in->csv.n_fields) + 1,
                    in->csv.count, in->csv.n_fields);
            return -1;
        }
        for (size_t t = 0; t < in->d; t++)
            if (csv_cell(in, in->cols[t], &X[m * in->d + t], err) != 0)
                return -1;
        if (in->weight_col >= 0) {
            double v;
            if (csv_cell(in, (size_t)in->weight_col, &v, err) != 0)
                return -1;
            if (w != NULL)
                w[m] = v;
        }
        m++;
    }
    return (long)m;
}

static long read_npy(input *in, double *X, double *w, size_t max_rows, char *err)
{
    size_t ns = in->n_source, block = input_block_rows(in, max_rows), m = 0;
    if (block > in->row_cap) {
        size_t bytes;
        double *p = NULL;
        if (mul_size(block, ns, &bytes) != 0 || mul_size(bytes, sizeof *p, &bytes) != 0 ||
            (p = realloc(in->row, bytes)) == NULL) {
            set_err(err, "out of memory");
            return -1;
        }
        in->row = p;
        in->row_cap = block;
    }
    while (m < max_rows) {
        long got = npy_read(&in->npy, in->row, max_rows - m < block ? max_rows - m : block, err);
        if (got < 0)
            return -1;
        if (got == 0)
            break;
        for (size_t i = 0; i < (size_t)got; i++, m++) {
            char where[64];
            snprintf(where, sizeof where, "row %zu", in->rows_read + 1);
            const double *src = in->row + i * ns;
            for (size_t t = 0; t < in->d; t++) {
                double v = src[in->cols[t]];
                if (check_value(in, v, in->cols[t], 0, where, err) != 0)
                    return -1;
                X[m * in->d + t] = v;
            }
            if (in->weight_col >= 0) {
                double v = src[in->weight_col];
                if (check_value(in, v, (size_t)in->weight_col, 1, where, err) != 0)
                    return -1;
                if (w != NULL)
                    w[m] = v;
            }
            in->rows_read++;
        }
    }
    return (long)m;
}

long input_read(input *in, double *X, double *w, size_t max_rows, char *err)
{
    return in->is_npy ? read_npy(in, X, w, max_rows, err) : read_csv(in, X, w, max_rows, err);
}

int input_rewind(input *in, char *err)
{
    in->rows_read = 0;
    return in->is_npy ? npy_rewind(&in->npy, err) : csv_rewind(&in->csv, err);
}

size_t input_block_rows(const input *in, size_t max_rows)
{
    size_t row_bytes, rows;
    if (mul_size(in->n_source ? in->n_source : 1, sizeof(double), &row_bytes) != 0)
        return 1;
    rows = INPUT_BLOCK_BYTES / row_bytes;
    if (rows > max_rows)
        rows = max_rows;
    return rows ? rows : 1;
}

int input_seekable(const input *in)
{
    return in->seekable;
}

size_t input_cols(const input *in)
{
    return in->d;
}

int input_weighted(const input *in)
{
    return in->weight_col >= 0;
}

int input_has_header(const input *in)
{
    return !in->is_npy && in->csv.has_header;
}

const char *input_name(const input *in)
{
    return in->name;
}

void input_close(input *in)
{
    if (in == NULL)
        return;
    if (in->is_npy)
        npy_close(&in->npy);
    else
        csv_close(&in->csv);
    if (in->f != NULL && in->f != stdin)
        fclose(in->f);
    free(in->cols);
    free(in->row);
    free(in->name);
    free(in);
}
