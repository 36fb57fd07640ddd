/* Sums in numpy's order; see sum.h. */
#include "kernels/sum.h"

#define BLOCK 128  /* numpy's PW_BLOCKSIZE */
#define CHUNK 8192 /* numpy's NPY_BUFSIZE */

/* One block of at most BLOCK values, as numpy's pairwise_sum base cases:
 * fewer than eight from 0 in order, else eight running sums combined as a
 * tree, then the leftovers in order. */
static double block_sum(const double *a, size_t n)
{
    if (n < 8) {
        double res = 0.;
        for (size_t i = 0; i < n; i++)
            res += a[i];
        return res;
    }
    double r[8];
    for (int j = 0; j < 8; j++)
        r[j] = a[j];
    size_t i = 8;
    for (; i < n - n % 8; i += 8)
        for (int j = 0; j < 8; j++)
            r[j] += a[i + j];
    double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; i++)
        res += a[i];
    return res;
}

typedef struct source {
    const double *a; /* stored values, or NULL */
    mix__fill_fn fill;
    void *ctx;
} source;

static double pairwise(const source *s, size_t first, size_t n)
{
    if (n <= BLOCK) {
        if (s->a != NULL)
            return block_sum(s->a + first, n);
        double buf[BLOCK];
        s->fill(s->ctx, first, n, buf);
        return block_sum(buf, n);
    }
    size_t n2 = n / 2;
    n2 -= n2 % 8;
    return pairwise(s, first, n2) + pairwise(s, first + n2, n - n2);
}

/* np.add.reduce: from its identity, 0, one chunk at a time. */
static double reduce(const source *s, size_t n)
{
    double res = 0.;
    for (size_t first = 0; first < n; first += CHUNK)
        res += pairwise(s, first, n - first < CHUNK ? n - first : CHUNK);
    return res;
}

double mix__sum_numpy(const double *a, size_t n)
{
    source s = {a, 0, 0};
    return reduce(&s, n);
}

double mix__sum_numpy_fill(size_t n, mix__fill_fn fill, void *ctx)
{
    source s = {0, fill, ctx};
    return reduce(&s, n);
}
