/* Questions to a Gaussian mixture about new data: labels,
 * responsibilities, log-densities, their sum. One pass, block by block. */
#include "gmm/gmm.h"

#include "core/pass.h"
#include "engine/em.h"
#include "kernels/sqdist.h"

#include <float.h>

/* Beyond this squared Mahalanobis distance a density is not representable. */
#define MAHA_LIMIT 1e300

typedef struct assign_ctx {
    const mix__gmodel *m;
    const mix__data *data;
    int32_t *labels;
    double *resp, *logp;
    double offset; /* engine -> data units */
} assign_ctx;

static void assign_block(void *ctx, const mix__block *b, double *stats, double *scratch)
{
    assign_ctx *a = ctx;
    const mix__params *p = &a->m->u;
    const size_t k = p->k;
    const mix__estep_scratch S = mix__estep_scratch_at(scratch, k, 0);
    double *ex = a->resp != NULL ? a->resp + b->row0 * k : S.logp;
    mix__estep_rows(p, b->U, b->rows, &S, ex, a->labels != NULL ? a->labels + b->row0 : NULL);
    for (size_t i = 0; i < b->rows; i++) {
        const size_t r = b->row0 + i;
        double *e = ex + i * k, sum = S.sum[i];
        double lse = log(sum) + S.top[i];
        if (a->resp != NULL)
            for (size_t j = 0; j < k; j++)
                e[j] /= sum;
        if (a->logp != NULL)
            a->logp[r] = lse + a->offset;
        stats[0] += lse + a->offset;
    }
}

int mix__gmm_assign(const mix__gmodel *m, const double *X, size_t n, int threads,
                    int32_t *labels, double *resp, double *logp, double *total)
{
    const mix__params *p = &m->u;
    mix__data data = {X, n, m->d, NULL, m->shift, m->inv_scale, 0, 1.0};
    mix__pass pass;
    size_t scratch = mix__estep_scratch_len(p->fam, p->k, m->d, 0);
    double work = mix__family_sizes_of(p->fam, p->k, m->d, 0).row_work;
    if (mix__pass_init(&pass, &data, MIX__BLOCK_ROWS, 1, scratch, threads, work) != MIX_OK)
        return MIX_ENOMEM;
    assign_ctx a = {m, &data, labels, resp, logp, mix__log_jacobian(m->d, m->inv_scale)};
    double sum;
    mix__pass_run(&pass, assign_block, &a, 1, &sum);
    mix__pass_free(&pass);
    if (total != NULL)
        *total = sum;
    return MIX_OK;
}

/*
 * A bound on every squared Mahalanobis distance: ||(u - mu) U|| is at most
 * (|u| sqrt(d) + |mu|) times the Frobenius norm of U, and the sum of the
 * squares of all precision factors bounds each one's (times d for the
 * spherical family's scalar factors).
 */
int mix__gmm_check_reach(const mix__gmodel *m, double max_abs_u)
{
    const mix__params *p = &m->u;
    const size_t k = p->k, d = p->d, cl = mix__cov_len(p->fam, k, d);
    double prec2 = 0, mu = 0;
    for (size_t i = 0; i < cl; i++)
        prec2 += p->prec_chol[i] * p->prec_chol[i];
    for (size_t j = 0; j < k; j++)
        mu = fmax(mu, sqrt(mix__norm2(p->means + j * d, d)));
    double reach = max_abs_u * sqrt((double)d) + mu;
    return reach * reach * prec2 * (double)d < MAHA_LIMIT ? MIX_OK : MIX_EDATA;
}
