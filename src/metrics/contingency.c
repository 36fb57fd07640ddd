/*
 * The contingency table of two labelings, as its nonzero cells: the items
 * are put in column-major order by one stable counting sort (the first
 * labeling's partition lists them by row already), and equal (column, row)
 * neighbours are counted. O(n + rows + cols) time and memory, whatever
 * the number of cells.
 */
#include "metrics/contingency.h"

#include <string.h>

/* The items by column, then row: a stable counting sort of pa's order by
 * the column of each item. Uses pb's starts as the columns' cursors. */
static void by_column(const mix__partition *pa, mix__partition *pb, uint32_t *items)
{
    for (size_t r = 0; r < pa->n; r++) {
        uint32_t item = pa->order[r];
        items[pb->start[pb->code[item]]++] = item;
    }
}

/* The cells of the column-major item list, into t; with t NULL, only
 * their number. */
static size_t cells(const uint32_t *items, size_t n, const mix__partition *pa,
                    const mix__partition *pb, mix__contingency *t)
{
    size_t nnz = 0;
    for (size_t r = 0; r < n;) {
        uint32_t row = pa->code[items[r]], col = pb->code[items[r]];
        size_t s = r + 1;
        while (s < n && pa->code[items[s]] == row && pb->code[items[s]] == col)
            s++;
        if (t != NULL) {
            t->row[nnz] = row;
            t->col[nnz] = col;
            t->count[nnz] = (uint32_t)(s - r);
        }
        nnz++;
        r = s;
    }
    return nnz;
}

static int fill(mix__contingency *t, mix__partition *pa, mix__partition *pb)
{
    t->rows = pa->k;
    t->cols = pb->k;
    t->a = mix__alloc_array(t->rows, sizeof *t->a);
    t->b = mix__alloc_array(t->cols, sizeof *t->b);
    uint32_t *items = mix__alloc_array(t->n, sizeof *items);
    if (t->a == NULL || t->b == NULL || items == NULL) {
        mix__free(items);
        return MIX_ENOMEM;
    }
    for (size_t c = 0; c < t->rows; c++)
        t->a[c] = (uint32_t)mix__partition_size(pa, c);
    for (size_t c = 0; c < t->cols; c++)
        t->b[c] = (uint32_t)mix__partition_size(pb, c);
    by_column(pa, pb, items);
    t->nnz = cells(items, t->n, pa, pb, NULL);
    t->row = mix__alloc_array(t->nnz, sizeof *t->row);
    t->col = mix__alloc_array(t->nnz, sizeof *t->col);
    t->count = mix__alloc_array(t->nnz, sizeof *t->count);
    if (t->row == NULL || t->col == NULL || t->count == NULL) {
        mix__free(items);
        return MIX_ENOMEM;
    }
    cells(items, t->n, pa, pb, t);
    mix__free(items);
    return MIX_OK;
}

int mix__contingency_make(mix__contingency *t, const int32_t *labels_a, const int32_t *labels_b,
                          size_t n)
{
    memset(t, 0, sizeof *t);
    t->n = n;
    mix__partition pa, pb;
    int rc = mix__partition_make(&pa, labels_a, n);
    if (rc != MIX_OK)
        return rc;
    rc = mix__partition_make(&pb, labels_b, n);
    if (rc == MIX_OK) {
        rc = fill(t, &pa, &pb);
        mix__partition_free(&pb);
    }
    mix__partition_free(&pa);
    if (rc != MIX_OK)
        mix__contingency_free(t);
    return rc;
}

void mix__contingency_free(mix__contingency *t)
{
    mix__free(t->row);
    mix__free(t->col);
    mix__free(t->count);
    mix__free(t->a);
    mix__free(t->b);
    memset(t, 0, sizeof *t);
}
