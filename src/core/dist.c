/* Reductions over the ranks of a distributed fit; see dist.h. */
#include "core/dist.h"

#include <string.h>

int mix__dist_sum(const mix__dist *g, double *buf, size_t len, int local_rc, mix__err *err)
{
    if (!mix__dist_on(g))
        return local_rc;
    buf[len] = local_rc != MIX_OK;
    buf[len + 1] = local_rc != MIX_OK ? (double)g->rank : 0.0;
    int r = g->allreduce(g->user, buf, len + MIX__DIST_STATUS);
    if (local_rc != MIX_OK)
        return local_rc;
    if (r != 0)
        return mix__fail(err, MIX_EIO, "the allreduce callback failed (returned %d) on rank %d",
                         r, g->rank);
    if (buf[len] == 1)
        return mix__fail(err, MIX_EIO, "rank %.0f failed (its own error message says why); "
                         "every rank stops", buf[len + 1]);
    if (buf[len] != 0)
        return mix__fail(err, MIX_EIO, "%.0f ranks failed (their own error messages say why); "
                         "every rank stops", buf[len]);
    return MIX_OK;
}

int mix__dist_status(const mix__dist *g, int local_rc, mix__err *err)
{
    double buf[MIX__DIST_STATUS];
    return mix__dist_sum(g, buf, 0, local_rc, err);
}

uint64_t mix__dist_fold(uint64_t h, const void *p, size_t n)
{
    const unsigned char *c = p;
    for (size_t i = 0; i < n; i++) {
        h ^= c[i];
        h *= 1099511628211u;
    }
    return h;
}

int mix__dist_agree(const mix__dist *g, uint64_t fp, int local_rc, mix__err *err)
{
    if (!mix__dist_on(g))
        return local_rc;
    /* 16 bits, so that the sums of f and f^2 over up to 2^20 ranks are
     * exact: they equal size f and size f^2 on every rank exactly when all
     * the f are equal (else, by Cauchy-Schwarz, the spread shows on every
     * rank). */
    const double f = (double)((fp ^ (fp >> 16) ^ (fp >> 32) ^ (fp >> 48)) & 0xffffu);
    double buf[2 + MIX__DIST_STATUS] = {f, f * f};
    int rc = mix__dist_sum(g, buf, 2, local_rc, err);
    if (rc == MIX_OK && (buf[0] != g->size * f || buf[1] != g->size * (f * f)))
        rc = mix__fail(err, MIX_EINVAL,
                       "the ranks do not fit the same thing: the width, the number of "
                       "clusters or components, or an option differs between ranks");
    return rc;
}

int mix__dist_gather(const mix__dist *g, const double *mine, size_t m, double *all,
                     int local_rc, mix__err *err)
{
    if (!mix__dist_on(g)) {
        if (m > 0)
            memcpy(all, mine, m * sizeof(double));
        return local_rc;
    }
    const size_t len = (size_t)g->size * m;
    memset(all, 0, len * sizeof(double));
    if (local_rc == MIX_OK && m > 0)
        memcpy(all + (size_t)g->rank * m, mine, m * sizeof(double));
    return mix__dist_sum(g, all, len, local_rc, err);
}
