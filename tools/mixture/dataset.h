/*
 * The rows of a fit: read once from the input, checked, and kept in memory
 * while they fit in the memory limit; beyond it they are streamed to the
 * library through its reader API (mix_*_fit_stream), re-read from the file
 * every pass, or, for a pipe, from a temporary binary copy of the rows.
 * Streamed and in-memory fits give the same model, bit for bit.
 *
 * A split (select --criterion heldout) holds out each row with a given
 * probability, decided by a hash of the seed and the row's index, so that
 * every pass sees the same rows on each side.
 */
#ifndef MIXTURE_DATASET_H
#define MIXTURE_DATASET_H

#include "cli.h"
#include "input.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum { SIDE_ALL = 0, SIDE_TRAIN = 1, SIDE_HELDOUT = 2 };

typedef struct dataset {
    input *in;
    size_t n, d;          /* all rows */
    int weighted;
    double *X, *w;        /* in memory (w NULL when unweighted), or NULL */
    FILE *spool_X, *spool_w; /* streamed from temporary copies (pipes) */
    int streamed;
    /* the split */
    double heldout;       /* probability that a row is held out; 0: none */
    uint64_t split_seed;
    size_t n_side[3];     /* rows on each side */
    /* the reader's state */
    int side;             /* which rows the reader gives */
    size_t next_row;      /* index of the next row of the pass */
    double *tmp_X, *tmp_w;
    size_t tmp_rows;
    char err[ERR_LEN];    /* why the reader failed */
} dataset;

/* Read every row of in (which the dataset then owns) and keep them in
 * memory within limit bytes, else prepare streaming. With heldout > 0,
 * split the rows. Returns 0, or -1 with err set. */
int dataset_load(dataset *ds, input *in, size_t limit, double heldout, uint64_t split_seed,
                 char *err);

/* Is row i held out? */
int dataset_is_heldout(const dataset *ds, size_t i);

/* The reader (mix_read_fn) over the rows of ds->side; ds is the user
 * pointer. Call dataset_begin() before a pass. */
long dataset_reader(void *user, double *X, double *w, size_t max_rows);
void dataset_begin(dataset *ds, int side);

/* In memory: the rows (and weights) of one side, as copies when the side
 * is not all rows (*owned set to 1: free them). */
int dataset_side(const dataset *ds, int side, double **X, double **w, size_t *n, int *owned);

void dataset_free(dataset *ds);

#endif /* MIXTURE_DATASET_H */
