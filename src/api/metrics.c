/* Comparing partitions: the adjusted Rand index, computed exactly from the
 * pair confusion matrix in 128-bit integers, as scikit-learn does with
 * Python integers. */
#include "core/common.h"

#include <stdlib.h>

__extension__ typedef __int128 mix__i128;

static int cmp_u64(const void *pa, const void *pb)
{
    uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;
    return a < b ? -1 : a > b;
}

/* Sum over distinct values of key of (count of the value)^2; keys sorted. */
static mix__i128 sum_squared_counts(uint64_t *key, size_t n)
{
    qsort(key, n, sizeof *key, cmp_u64);
    mix__i128 sum = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && key[j] == key[i])
            j++;
        sum += (mix__i128)(j - i) * (mix__i128)(j - i);
        i = j;
    }
    return sum;
}

int mix_adjusted_rand_index(const int32_t *labels_a, const int32_t *labels_b, size_t n,
                            double *ari)
{
    if (labels_a == NULL || labels_b == NULL || ari == NULL)
        return MIX_EINVAL;
    if (n == 0)
        return MIX_EDIM;
    if (n > ((size_t)1 << 31))
        return MIX_EDIM;
    for (size_t i = 0; i < n; i++)
        if (labels_a[i] < 0 || labels_b[i] < 0)
            return MIX_EINVAL;
    uint64_t *key = mix__alloc_array(n, sizeof *key);
    if (key == NULL)
        return MIX_ENOMEM;
    for (size_t i = 0; i < n; i++)
        key[i] = ((uint64_t)labels_a[i] << 32) | (uint32_t)labels_b[i];
    mix__i128 s_ab = sum_squared_counts(key, n);
    for (size_t i = 0; i < n; i++)
        key[i] = (uint64_t)labels_a[i];
    mix__i128 s_a = sum_squared_counts(key, n);
    for (size_t i = 0; i < n; i++)
        key[i] = (uint64_t)labels_b[i];
    mix__i128 s_b = sum_squared_counts(key, n);
    mix__free(key);

    mix__i128 nn = (mix__i128)n;
    mix__i128 tp = s_ab - nn, fp = s_b - s_ab, fn = s_a - s_ab;
    mix__i128 tn = nn * nn - fp - fn - s_ab;
    if (fn == 0 && fp == 0) {
        *ari = 1.0;
        return MIX_OK;
    }
    mix__i128 num = 2 * (tp * tn - fn * fp);
    mix__i128 den = (tp + fn) * (fn + tn) + (tp + fp) * (fp + tn);
    /* Each conversion rounds once (relative 1e-16); long double is avoided
     * because tools such as valgrind emulate it at double precision. */
    *ari = (double)num / (double)den;
    return MIX_OK;
}
