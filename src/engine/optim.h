/*
 * Adam (Kingma and Ba, Algorithm 1), step for step as torch.optim.Adam
 * computes it (PyTorch 1.13, single-tensor path, no weight decay, no
 * amsgrad): the gradient fitting of both models steps with it.
 */
#ifndef MIX__ENGINE_OPTIM_H
#define MIX__ENGINE_OPTIM_H

#include <stddef.h>

typedef struct mix__adam_opts {
    double lr, beta1, beta2, eps;
} mix__adam_opts;

/* The defaults of the work the library grew from (DESIGN.md): learning
 * rate 0.01, betas 0.9 and 0.99, epsilon 1e-5. */
#define MIX__ADAM_DEFAULT_LR 0.01
#define MIX__ADAM_DEFAULT_BETA1 0.9
#define MIX__ADAM_DEFAULT_BETA2 0.99
#define MIX__ADAM_DEFAULT_EPS 1e-5

/* State of one optimisation: the moments (len each, caller-owned) and the
 * step count. */
typedef struct mix__adam {
    mix__adam_opts o;
    size_t len;
    double *m, *v;
    long t;
} mix__adam;

/* Zero moments and step count. */
void mix__adam_reset(mix__adam *a);

/* One step: theta -= lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t)
 * + eps), with m and v the running moments of grad. */
void mix__adam_step(mix__adam *a, double *theta, const double *grad);

#endif /* MIX__ENGINE_OPTIM_H */
