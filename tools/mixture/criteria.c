/* Log-likelihood, BIC and AIC over blocks of rows. */
#include "criteria.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const double LOG_2PI = 1.8378770664093454836;

int score_init(fit_score *s, const model *m)
{
    memset(s, 0, sizeof *s);
    s->k = model_k(m);
    s->d = model_d(m);
    if (m->km != NULL) {
        s->counts = calloc(s->k, sizeof *s->counts);
        if (s->counts == NULL)
            return MIX_ENOMEM;
    }
    return MIX_OK;
}

void score_free(fit_score *s)
{
    free(s->counts);
    s->counts = NULL;
}

static void add(fit_score *s, double v)
{
    double t = s->total + v;
    s->comp += fabs(s->total) >= fabs(v) ? (s->total - t) + v : (v - t) + s->total;
    s->total = t;
}

int score_block(const model *m, const double *X, size_t n, fit_score *s)
{
    double total;
    int rc = model_score_total(m, X, n, &total);
    if (rc != MIX_OK)
        return rc;
    if (m->km != NULL) {
        int32_t *labels = malloc(n * sizeof *labels);
        if (labels == NULL)
            return MIX_ENOMEM;
        rc = model_predict(m, X, n, labels);
        for (size_t i = 0; rc == MIX_OK && i < n; i++)
            s->counts[labels[i]]++;
        free(labels);
        if (rc != MIX_OK)
            return rc;
    }
    add(s, total);
    s->n += n;
    return MIX_OK;
}

double score_sum(const fit_score *s)
{
    return s->total + s->comp;
}

size_t score_n_params(const model *m)
{
    size_t k = model_k(m), d = model_d(m);
    if (m->km != NULL)
        return k * d + 1 + (k - 1);
    return model_n_parameters(m);
}

/* K-means: sum_j c_j ln w_j - (n d / 2) ln(2 pi var) - inertia / (2 var). */
static double hard_loglik(const fit_score *s, const size_t *weight_counts, size_t weight_n,
                          double var)
{
    double ll = 0.0;
    for (size_t j = 0; j < s->k; j++)
        if (s->counts[j] > 0) {
            double wj = weight_counts[j] > 0 ? (double)weight_counts[j] / (double)weight_n
                                             : 10 * 2.220446049250313e-16 / (double)weight_n;
            ll += (double)s->counts[j] * log(wj);
        }
    double nd = (double)s->n * (double)s->d;
    return ll - 0.5 * nd * (LOG_2PI + log(var)) + score_sum(s) / (2.0 * var);
}

/* The shared variance; the smallest normal double when every row sits on
 * its center, rather than a log of 0. */
static double hard_variance(const fit_score *s)
{
    double var = -score_sum(s) / ((double)s->n * (double)s->d);
    return var > DBL_MIN ? var : DBL_MIN;
}

double score_loglik(const model *m, const fit_score *s)
{
    if (m->km == NULL)
        return score_sum(s);
    return hard_loglik(s, s->counts, s->n, hard_variance(s));
}

double score_bic(const model *m, const fit_score *s)
{
    return -2.0 * score_loglik(m, s) + (double)score_n_params(m) * log((double)s->n);
}

double score_aic(const model *m, const fit_score *s)
{
    return -2.0 * score_loglik(m, s) + 2.0 * (double)score_n_params(m);
}

double score_heldout(const model *m, const fit_score *train, const fit_score *heldout)
{
    if (m->km == NULL)
        return score_sum(heldout);
    return hard_loglik(heldout, train->counts, train->n, hard_variance(train));
}
