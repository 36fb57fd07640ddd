/*
 * The unconstrained parameters of a mixture, theta (include/mixture.h
 * pins the layout): [logits (k) | means (k x d) | covariance part], the
 * covariance part being the precision Cholesky factors in scikit-learn's
 * precisions_cholesky_ convention with every diagonal entry stored as its
 * natural log: full k blocks of d (d + 1) / 2 (each factor's upper triangle,
 * row by row), tied one such block, diagonal k x d, spherical k. Theta is
 * in the units of the data; parameters are in engine units (shift,
 * inv_scale, core/data.h). And the gradient of the negative
 * log-likelihood with respect to theta, from one E-step's statistics.
 */
#ifndef MIX__ENGINE_THETA_H
#define MIX__ENGINE_THETA_H

#include "engine/family.h"

/* k + k d + the covariances' free parameters. */
size_t mix__theta_len(const mix__family *fam, size_t k, size_t d);

/* p (engine units) from theta (data units): weights = softmax(logits) and
 * log weights = log_softmax(logits), means, the precision factors, then
 * the family's precompute from them. Returns -1, or the component whose
 * factor is not usable (a diagonal entry that overflows or vanishes, or a
 * covariance that is not finite). */
long mix__params_from_theta(mix__params *p, const double *theta, const double *shift,
                            double inv_scale);

/* theta (data units) from p (engine units, prec_chol set): the logits are
 * the log weights. */
void mix__theta_from_params(const mix__params *p, double *theta, const double *shift,
                            double inv_scale);

/* theta from a model's public arrays, all in data units. */
void mix__theta_from_public(const mix__family *fam, size_t k, size_t d, const double *weights,
                            const double *means, const double *prec_chol, double *theta);

/*
 * The gradient (theta layout, data units) of nll = -sum_i w_i log p(x_i)
 * at p, from the statistics of an E-step at p (R, S1 and the family's
 * moments, the fixed statistics for the tied family). W is the sum of the
 * weights; work holds cov_len + max(2 d, d d) doubles; the weights of the
 * pass were multiplied by w_factor (core/data.h), which the result
 * divides out. Returns 0, or -1 when a value is not finite (a component far
 * beyond the range of double from the data).
 */
int mix__theta_grad(const mix__params *p, const mix__suffstats *st, double W, double inv_scale,
                    double w_factor, double *work, double *grad);

#endif /* MIX__ENGINE_THETA_H */
