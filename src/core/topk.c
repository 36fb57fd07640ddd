/* Top-m selection with a binary min-heap; see topk.h. */
#include "core/topk.h"

#include <stdlib.h>

/* a ranks below b: smaller key, or equal key and smaller index. */
static int below(const mix__topk_item *a, const mix__topk_item *b)
{
    return a->key < b->key || (a->key == b->key && a->index < b->index);
}

static void sift_down(mix__topk_item *h, size_t size, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, low = i;
        if (l < size && below(&h[l], &h[low]))
            low = l;
        if (r < size && below(&h[r], &h[low]))
            low = r;
        if (low == i)
            return;
        mix__topk_item tmp = h[i];
        h[i] = h[low];
        h[low] = tmp;
        i = low;
    }
}

void mix__topk_init(mix__topk *t, mix__topk_item *storage, size_t m)
{
    t->heap = storage;
    t->m = m;
    t->size = 0;
}

void mix__topk_push(mix__topk *t, double key, size_t index)
{
    mix__topk_item it = {key, index};
    if (t->m == 0)
        return;
    if (t->size < t->m) {
        size_t i = t->size++;
        t->heap[i] = it;
        while (i > 0 && below(&t->heap[i], &t->heap[(i - 1) / 2])) {
            mix__topk_item tmp = t->heap[i];
            t->heap[i] = t->heap[(i - 1) / 2];
            t->heap[(i - 1) / 2] = tmp;
            i = (i - 1) / 2;
        }
    } else if (below(&t->heap[0], &it)) {
        t->heap[0] = it;
        sift_down(t->heap, t->size, 0);
    }
}

static int best_first(const void *pa, const void *pb)
{
    const mix__topk_item *a = pa, *b = pb;
    return below(b, a) ? -1 : below(a, b) ? 1 : 0;
}

size_t mix__topk_sort(mix__topk *t)
{
    qsort(t->heap, t->size, sizeof *t->heap, best_first);
    return t->size;
}

int mix__topk_gather(const mix__dist *g, mix__topk_item *storage, size_t got, size_t m,
                     double *mine, double *all, size_t *total, int local_rc, mix__err *err)
{
    const size_t per = 1 + 2 * m;
    mine[0] = (double)got;
    for (size_t q = 0; q < got; q++) {
        mine[1 + 2 * q] = storage[q].key;
        mine[2 + 2 * q] = (double)storage[q].index;
    }
    int rc = mix__dist_gather(g, mine, per, all, local_rc, err);
    if (rc != MIX_OK)
        return rc;
    mix__topk top;
    mix__topk_init(&top, storage, m);
    for (int r = 0; r < mix__dist_size(g); r++) {
        const double *l = all + (size_t)r * per;
        for (size_t q = 0; q < (size_t)l[0]; q++)
            mix__topk_push(&top, l[1 + 2 * q], (size_t)l[2 + 2 * q]);
    }
    *total = mix__topk_sort(&top);
    return MIX_OK;
}
