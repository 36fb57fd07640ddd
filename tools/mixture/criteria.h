/*
 * Log-likelihood, BIC and AIC of a model on rows walked block by block,
 * for `mixture score` and `mixture select`.
 *
 * Mixtures: the library's log-likelihood; p is mix_*_n_parameters().
 * K-means has no likelihood of its own; it is read as the hard-assignment
 * mixture of spherical Gaussians with one shared variance (X-means, Pelleg
 * and Moore 2000): weights n_j / n, variance sigma^2 = inertia / (n d), so
 * LL = sum_j n_j ln(n_j / n) - (n d / 2) ln(2 pi sigma^2) - n d / 2, with
 * p = k d + 1 + (k - 1). Held-out rows are scored with the training rows'
 * weights and variance.
 */
#ifndef MIXTURE_CRITERIA_H
#define MIXTURE_CRITERIA_H

#include "model.h"

typedef struct fit_score {
    size_t n;          /* rows */
    double total;      /* sum of log-likelihoods (K-means: of minus squared distances) */
    double comp;       /* its Neumaier compensation */
    size_t *counts;    /* K-means: rows per cluster */
    size_t k, d;
} fit_score;

int score_init(fit_score *s, const model *m);
void score_free(fit_score *s);

/* Add the rows of a block; the library's status. */
int score_block(const model *m, const double *X, size_t n, fit_score *s);

double score_sum(const fit_score *s);      /* the compensated total */
size_t score_n_params(const model *m);
double score_loglik(const model *m, const fit_score *s);
double score_bic(const model *m, const fit_score *s);
double score_aic(const model *m, const fit_score *s);

/* K-means: the log-likelihood of held-out rows under the hard mixture of
 * the training rows (train). Mixtures: score_loglik(m, heldout). */
double score_heldout(const model *m, const fit_score *train, const fit_score *heldout);

#endif /* MIXTURE_CRITERIA_H */
