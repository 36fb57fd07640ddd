/*
 * NumPy .npy files (format versions 1.0, 2.0 and 3.0): reading a 1-D or
 * 2-D array of any real, integer or boolean dtype of either byte order, in
 * C or Fortran order, row block by row block; writing the header of a 1-D
 * or 2-D float64 or int32 array whose length is known only at the end.
 */
#ifndef MIXTURE_NPY_H
#define MIXTURE_NPY_H

#include <stddef.h>
#include <stdio.h>

typedef struct npy_reader {
    FILE *f;
    const char *name;
    char type;          /* 'f' float, 'i' signed, 'u' unsigned, 'b' bool */
    int size;           /* bytes per value: 1, 2, 4 or 8 */
    int swap;           /* stored in the other byte order */
    int fortran;        /* column-major */
    size_t n, d;        /* rows, columns (a 1-D array is one column) */
    size_t row;         /* the next row to read */
    int seekable;
    fpos_t data_pos;    /* the first value */
    unsigned char *buf; /* raw values of one block */
    size_t buf_cap;
} npy_reader;

/* Read and check the header; the magic bytes are still to be read. */
int npy_open(npy_reader *r, FILE *f, const char *name, int seekable, char *err);

/* Up to max_rows rows of all d columns into X (row-major doubles): rows
 * read, 0 at the end, -1 with err set. */
long npy_read(npy_reader *r, double *X, size_t max_rows, char *err);

int npy_rewind(npy_reader *r, char *err);
void npy_close(npy_reader *r);

/* The 128-byte header of a little-endian array of n rows (of d columns, or
 * 1-D when d is 0), dtype "<f8" (is_int 0) or "<i4" (is_int 1). */
enum { NPY_HEADER_LEN = 128 };
void npy_header(unsigned char out[NPY_HEADER_LEN], size_t n, size_t d, int is_int);

#endif /* MIXTURE_NPY_H */
