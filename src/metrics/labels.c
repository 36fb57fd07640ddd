/* Labelings as clusters numbered in label order; see labels.h. */
#include "metrics/contingency.h"

#include <string.h>

/* Flipping the sign bit maps INT32_MIN .. INT32_MAX onto 0 .. UINT32_MAX
 * in the same order, so that unsigned byte digits sort signed labels. */
static inline uint32_t key_of(int32_t label)
{
    return (uint32_t)label ^ 0x80000000u;
}

/*
 * order[] (the items) stably sorted by their label, least significant byte
 * first. A byte that is the same for every label is skipped: labels
 * 0 .. 255 take one pass. Returns the buffer holding the result (order or
 * tmp; the other is scratch).
 */
static uint32_t *radix_sort(const int32_t *labels, size_t n, uint32_t *order, uint32_t *tmp)
{
    for (size_t i = 0; i < n; i++)
        order[i] = (uint32_t)i;
    for (unsigned shift = 0; shift < 32; shift += 8) {
        size_t count[257] = {0};
        for (size_t i = 0; i < n; i++)
            count[((key_of(labels[i]) >> shift) & 255u) + 1]++;
        if (count[((key_of(labels[0]) >> shift) & 255u) + 1] == n)
            continue;
        for (int b = 0; b < 256; b++)
            count[b + 1] += count[b];
        for (size_t r = 0; r < n; r++) {
            uint32_t item = order[r];
            tmp[count[(key_of(labels[item]) >> shift) & 255u]++] = item;
        }
        uint32_t *swap = order;
        order = tmp;
        tmp = swap;
    }
    return order;
}

int mix__partition_make(mix__partition *p, const int32_t *labels, size_t n)
{
    memset(p, 0, sizeof *p);
    p->n = n;
    uint32_t *buf1 = mix__alloc_array(n, sizeof *buf1), *buf2 = mix__alloc_array(n, sizeof *buf2);
    p->code = mix__alloc_array(n, sizeof *p->code);
    if (buf1 == NULL || buf2 == NULL || p->code == NULL) {
        mix__free(buf1);
        mix__free(buf2);
        mix__partition_free(p);
        return MIX_ENOMEM;
    }
    p->order = radix_sort(labels, n, buf1, buf2);
    mix__free(p->order == buf1 ? buf2 : buf1);

    size_t k = 0;
    for (size_t r = 0; r < n; r++) {
        if (r > 0 && labels[p->order[r]] != labels[p->order[r - 1]])
            k++;
        p->code[p->order[r]] = (uint32_t)k;
    }
    p->k = n > 0 ? k + 1 : 0;
    p->start = mix__alloc_array(p->k + 1, sizeof *p->start);
    if (p->start == NULL) {
        mix__partition_free(p);
        return MIX_ENOMEM;
    }
    p->start[0] = 0;
    for (size_t r = 0, c = 0; r < n; r++)
        if (r + 1 == n || p->code[p->order[r + 1]] != c)
            p->start[++c] = r + 1;
    return MIX_OK;
}

void mix__partition_free(mix__partition *p)
{
    mix__free(p->code);
    mix__free(p->order);
    mix__free(p->start);
    memset(p, 0, sizeof *p);
}
