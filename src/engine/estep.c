/* The E-step of a block, shared by EM (em.c) and the queries of a fitted
 * model (gmm/assign.c); see em.h. */
#include "engine/em.h"

#include "core/pass.h"
#include "kernels/lse.h"

size_t mix__estep_scratch_len(const mix__family *fam, size_t k, size_t d, int with_resp)
{
    const size_t B = MIX__BLOCK_ROWS;
    return (with_resp ? 2 : 1) * B * k + 3 * B + mix__family_sizes_of(fam, k, d, B).scratch;
}

mix__estep_scratch mix__estep_scratch_at(double *scratch, size_t k, int with_resp)
{
    const size_t B = MIX__BLOCK_ROWS;
    mix__estep_scratch S;
    S.logp = scratch;
    S.resp = with_resp ? S.logp + B * k : NULL;
    S.top = S.logp + (with_resp ? 2 : 1) * B * k;
    S.sum = S.top + B;
    S.w = S.sum + B;
    S.fam = S.w + B;
    return S;
}

void mix__estep_rows(const mix__params *p, const double *U, size_t rows,
                     const mix__estep_scratch *S, double *ex, int32_t *best)
{
    p->fam->log_prob(p, U, rows, S->logp, S->fam);
    mix__lse_rows(S->logp, p->log_weights, rows, p->k, ex, S->top, best, S->sum);
}
