/*
 * Results as CSV or .npy, on standard output or in a file.
 *
 * A file is written aside (a temporary name in the same directory) and
 * renamed over its path only when complete, so a failed command never
 * leaves a half-written file. A row is some doubles, then optionally an
 * integer label; CSV prints each double in the fewest digits that read
 * back as the same double. A .npy output is float64 ("<f8"), or int32
 * ("<i4") for labels alone; its length is written at the end.
 */
#ifndef MIXTURE_OUTPUT_H
#define MIXTURE_OUTPUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum { FORMAT_AUTO = -1, FORMAT_CSV = 0, FORMAT_NPY = 1 };

typedef struct output {
    int npy;
    FILE *f;            /* stdout, or the file written aside */
    char *path;         /* the final path, or NULL for standard output */
    char *tmp_path;     /* the file written aside */
    size_t n_double, has_label, one_d;
    size_t rows;
    char *line;         /* one CSV row */
    size_t line_cap;
} output;

/* path NULL or "-": standard output. format FORMAT_AUTO: .npy when path
 * ends in ".npy", else CSV. Rows hold n_double doubles and, with
 * has_label, a label; one_d makes a one-column .npy array 1-D. */
int output_open(output *o, const char *path, int format, size_t n_double, int has_label,
                int one_d, char *err);

/* Whether output_open(path, format) writes .npy: for the commands' checks
 * of options that apply to one format only. */
int output_is_npy(const char *path, int format);

/* CSV only: a header line whose double columns are prefix0, prefix1, ...
 * (or prefix alone when there is one and !numbered), then label_name. */
int output_header_names(output *o, const char *prefix, int numbered, const char *label_name,
                        char *err);

/* m rows: X (m x n_double, or NULL when n_double is 0) and labels (m, or
 * NULL when there are none). */
int output_rows(output *o, const double *X, const int32_t *labels, size_t m, char *err);

/* ok: complete the output (the .npy length, the rename); !ok: remove what
 * was written aside. Returns -1 with err set when completing fails. */
int output_close(output *o, int ok, char *err);

/* The fewest significant digits (up to 17) that read back as v, into buf. */
void format_double(char *buf, size_t size, double v);

#endif /* MIXTURE_OUTPUT_H */
