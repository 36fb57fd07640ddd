/* Adam; see optim.h. */
#include "engine/optim.h"

#include <math.h>
#include <string.h>

void mix__adam_reset(mix__adam *a)
{
    memset(a->m, 0, a->len * sizeof(double));
    memset(a->v, 0, a->len * sizeof(double));
    a->t = 0;
}

void mix__adam_step(mix__adam *a, double *theta, const double *grad)
{
    const mix__adam_opts *o = &a->o;
    a->t++;
    /* PyTorch computes the bias corrections in double precision with
     * Python's pow, once per step. */
    const double bc1 = 1.0 - pow(o->beta1, (double)a->t);
    const double bc2 = 1.0 - pow(o->beta2, (double)a->t);
    const double step = o->lr / bc1, bc2_sqrt = sqrt(bc2);
    for (size_t i = 0; i < a->len; i++) {
        const double g = grad[i];
        a->m[i] = a->m[i] * o->beta1 + g * (1.0 - o->beta1);
        a->v[i] = a->v[i] * o->beta2 + (1.0 - o->beta2) * g * g;
        const double denom = sqrt(a->v[i]) / bc2_sqrt + o->eps;
        theta[i] += -step * (a->m[i] / denom);
    }
}
