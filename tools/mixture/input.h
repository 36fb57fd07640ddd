/*
 * The data a command reads: a CSV or .npy file, or standard input ("-"),
 * as rows of the selected columns (and a weight per row when a weights
 * column is named), checked as they are read: a cell that is not a number,
 * empty, NaN or infinite, a line with another number of fields, a negative
 * weight, or (for Bernoulli mixtures) a value other than 0 and 1 stops the
 * read with a message naming the input, the line (CSV) or row (.npy), and
 * the column, all counted from 1.
 *
 * The format is told by the first bytes (the .npy magic), not the name.
 */
#ifndef MIXTURE_INPUT_H
#define MIXTURE_INPUT_H

#include <stddef.h>

typedef struct input_opts {
    const char *columns;        /* --columns LIST, or NULL for all */
    const char *weights_column; /* --weights-column C, or NULL */
    char delimiter;             /* 0: detect */
    int header;                 /* -1 detect, 0 none, 1 present */
    int binary;                 /* values must be 0 or 1 */
} input_opts;

typedef struct input input;

/* Open path ("-" for standard input) and read what the format needs to
 * know the columns. Returns NULL with err (ERR_LEN bytes) set; *usage is
 * then 1 when the options were at fault (a column that does not exist). */
input *input_open(const char *path, const input_opts *o, char *err, int *usage);

/* Up to max_rows rows into X (row-major, input_cols() columns) and their
 * weights into w when the input has a weights column and w is not NULL:
 * rows read, 0 at the end, -1 with err set. */
long input_read(input *in, double *X, double *w, size_t max_rows, char *err);

/* Back to the first row; -1 with err set when the input is not a file that
 * can be read again (a pipe). */
int input_rewind(input *in, char *err);
int input_seekable(const input *in);

/* How many rows to read at a time: max_rows, or fewer when a block of rows
 * of all the source's columns would pass INPUT_BLOCK_BYTES; at least 1.
 * A block's memory stays within that budget, or one row, however many
 * columns the input announces. */
enum { INPUT_BLOCK_BYTES = 64 << 20 };
size_t input_block_rows(const input *in, size_t max_rows);

size_t input_cols(const input *in);
int input_weighted(const input *in);
int input_has_header(const input *in);
const char *input_name(const input *in);

void input_close(input *in);

#endif /* MIXTURE_INPUT_H */
