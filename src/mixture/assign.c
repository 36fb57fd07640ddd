/* Questions to a mixture about new data: labels, responsibilities,
 * log-densities, their sum. One pass, block by block, through the same
 * E-step as a fit (engine/estep.c). */
#include "mixture/mixture.h"

#include "core/pass.h"
#include "engine/em.h"

typedef struct assign_ctx {
    const mix__mmodel *m;
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
        /* A row impossible under every component (a Bernoulli probability of
         * exactly 0 or 1) has log-density -inf, label 0, and the weights as
         * its responsibilities: no component explains it better. */
        const int impossible = S.top[i] == -INFINITY;
        double lse = impossible ? -INFINITY : log(sum) + S.top[i];
        if (a->resp != NULL)
            for (size_t j = 0; j < k; j++)
                e[j] = impossible ? p->weights[j] : e[j] / sum;
        if (a->logp != NULL)
            a->logp[r] = lse + a->offset;
        stats[0] += lse + a->offset;
    }
}

int mix__mixture_assign(const mix__mmodel *m, const double *X, size_t n, int threads,
                        int32_t *labels, double *resp, double *logp, double *total)
{
    const mix__params *p = &m->u;
    mix__data data = {.X = X, .n = n, .d = m->d, .n_all = n, .shift = m->shift,
                      .inv_scale = m->inv_scale, .w_factor = 1.0};
    mix__pass pass;
    size_t scratch = mix__estep_scratch_len(p->fam, p->k, m->d, 0);
    double work = mix__family_sizes_of(p->fam, p->k, m->d, 0).row_work;
    if (mix__pass_init(&pass, &data, MIX__BLOCK_ROWS, 1, scratch, threads, work) != MIX_OK)
        return MIX_ENOMEM;
    assign_ctx a = {m, labels, resp, logp, mix__log_jacobian(m->d, m->inv_scale)};
    double sum;
    mix__pass_run(&pass, assign_block, &a, 1, &sum, NULL);
    mix__pass_free(&pass);
    if (total != NULL)
        *total = sum;
    return MIX_OK;
}
