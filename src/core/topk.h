/*
 * The m largest of a stream of (key, index) pairs, in O(log m) per pair.
 * Among equal keys the larger index ranks higher, which is the order
 * numpy's argpartition gives scikit-learn for the farthest point.
 */
#ifndef MIX__CORE_TOPK_H
#define MIX__CORE_TOPK_H

#include "core/dist.h"

#include <stddef.h>

typedef struct mix__topk_item {
    double key;
    size_t index;
} mix__topk_item;

typedef struct mix__topk {
    mix__topk_item *heap; /* min-heap of the m best so far; caller-owned, m items */
    size_t m, size;
} mix__topk;

void mix__topk_init(mix__topk *t, mix__topk_item *storage, size_t m);
void mix__topk_push(mix__topk *t, double key, size_t index);
/* Sort the kept items best first (in place, in storage); returns how many. */
size_t mix__topk_sort(mix__topk *t);

/*
 * The m best items of all ranks of a distributed fit (core/dist.h): this
 * rank's `got` items (storage, sorted) cross to every rank through mine
 * (1 + 2 m doubles) and all (ranks x (1 + 2 m) + MIX__DIST_STATUS), and
 * storage then holds the m best of them all, sorted; *total says how many.
 * A reduction every rank makes, carrying local_rc; codes as mix__dist_sum.
 * One process: the items stay as they are.
 */
int mix__topk_gather(const mix__dist *g, mix__topk_item *storage, size_t got, size_t m,
                     double *mine, double *all, size_t *total, int local_rc, mix__err *err);

#endif /* MIX__CORE_TOPK_H */
