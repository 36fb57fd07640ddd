/* The public layer's part shared by the mixture handles; see mixture.h. A
 * call that fails changes nothing but the error text. */
#include "api/mixture.h"

#include "core/data.h"
#include "core/limits.h"
#include "core/threads.h"

#include <math.h>
#include <string.h>

/* scikit-learn's tolerance on sum(weights) == 1 for given weights. */
#define WEIGHT_SUM_TOL 1e-8

static void clear_given(mix__mhandle *h)
{
    mix__free(h->opt.given_weights);
    mix__free(h->opt.given_means);
    mix__free(h->opt.given_cov);
    h->opt.given_weights = h->opt.given_means = h->opt.given_cov = NULL;
    h->opt.given_d = 0;
}

void mix__mh_init(mix__mhandle *h, size_t k, const mix__family *fam, const mix__mkind *kind,
                  mix__mixture_opts opts)
{
    mix__err_init(&h->err);
    h->k = k;
    h->fam = fam;
    h->kind = kind;
    h->opt = opts;
    h->model.lower_bound = NAN;
}

void mix__mh_destroy(mix__mhandle *h)
{
    mix__mmodel_free(&h->model);
    clear_given(h);
    mix__err_destroy(&h->err);
}

/* --- options -------------------------------------------------------------- */

int mix__mh_set_init(mix__mhandle *h, mix_init init)
{
    if ((int)init < MIX_INIT_KMEANS || (int)init > (int)h->kind->last_init)
        return mix__fail(&h->err, MIX_EINVAL, "init: %d is not a mix_init value for %s", (int)init,
                         h->kind->name);
    h->opt.init = init;
    return MIX_OK;
}

int mix__mh_set_n_init(mix__mhandle *h, int n_init)
{
    int rc = mix__check_range(&h->err, "n_init", n_init, 1, MIX__MAX_N_INIT);
    if (rc == MIX_OK)
        h->opt.n_init = n_init;
    return rc;
}

int mix__mh_set_max_iter(mix__mhandle *h, int max_iter)
{
    int rc = mix__check_range(&h->err, "max_iter", max_iter, 0, MIX__MAX_MAX_ITER);
    if (rc == MIX_OK)
        h->opt.max_iter = max_iter;
    return rc;
}

int mix__mh_set_tol(mix__mhandle *h, double tol)
{
    int rc = mix__check_nonneg(&h->err, "tol", tol);
    if (rc == MIX_OK)
        h->opt.tol = tol;
    return rc;
}

int mix__mh_set_reg(mix__mhandle *h, const char *name, double reg)
{
    int rc = mix__check_nonneg(&h->err, name, reg);
    if (rc == MIX_OK)
        h->opt.reg = reg;
    return rc;
}

int mix__mh_set_warm_start(mix__mhandle *h, int warm_start)
{
    int rc = mix__check_range(&h->err, "warm_start", warm_start, 0, 1);
    if (rc == MIX_OK)
        h->opt.warm_start = warm_start;
    return rc;
}

int mix__mh_set_threads(mix__mhandle *h, int n_threads)
{
    int rc = mix__check_range(&h->err, "threads", n_threads, 0, MIX__MAX_THREADS);
    if (rc == MIX_OK)
        h->opt.threads = n_threads;
    return rc;
}

/* --- given parameters ----------------------------------------------------- */

static int check_weights_param(mix__mhandle *h, const double *w)
{
    double sum = 0;
    for (size_t j = 0; j < h->k; j++) {
        if (!isfinite(w[j]))
            return mix__fail(&h->err, MIX_EDATA, "weights[%zu] is not finite", j);
        if (w[j] < 0 || w[j] > 1)
            return mix__fail(&h->err, MIX_EINVAL, "weights[%zu] = %g is outside [0, 1]", j, w[j]);
        sum += w[j];
    }
    if (fabs(sum - 1.0) > WEIGHT_SUM_TOL)
        return mix__fail(&h->err, MIX_EINVAL, "weights sum to %.17g, not 1", sum);
    return MIX_OK;
}

static double *dup(const double *a, size_t n)
{
    double *c = mix__alloc_array(n, sizeof(double));
    if (c != NULL)
        memcpy(c, a, n * sizeof(double));
    return c;
}

/* Make the given complete parameters the handle's model. */
static int adopt_params(mix__mhandle *h, size_t d, const double *w, const double *mu,
                        const double *cov)
{
    mix__mmodel m;
    long bad = -1;
    int rc = mix__mmodel_from_params(&m, h->fam, h->k, d, w, mu, cov, &bad);
    if (rc == MIX_ENUMERIC) /* checked when given: lost in the scaling */
        return mix__fail(&h->err, MIX_EDATA,
                         "component %ld: the parameters are not usable once scaled (values "
                         "too close to the limits of a double)",
                         bad);
    if (rc == MIX_EDATA)
        return mix__fail(&h->err, rc, "the parameters' precisions are not representable");
    if (rc != MIX_OK)
        return mix__fail(&h->err, rc, "out of memory storing the parameters");
    mix__mmodel_free(&h->model);
    h->model = m;
    h->fitted = 1;
    return MIX_OK;
}

int mix__mh_set_params(mix__mhandle *h, size_t d, const double *weights, const double *means,
                       const double *cov)
{
    if (weights == NULL && means == NULL && cov == NULL) {
        clear_given(h);
        return MIX_OK;
    }
    size_t kd, cl_bytes;
    if (d == 0)
        return mix__fail(&h->err, MIX_EDIM, "d = 0");
    if (mix__mul_overflow(h->k, d, &kd) || mix__mul_overflow(kd, d * sizeof(double), &cl_bytes))
        return mix__fail(&h->err, MIX_EDIM, "k * d * d overflows for d = %zu", d);
    const size_t cl = mix__cov_len(h->fam, h->k, d);
    int rc = MIX_OK;
    if (weights != NULL)
        rc = check_weights_param(h, weights);
    if (rc == MIX_OK && means != NULL)
        rc = h->kind->check_means(&h->err, means, h->k, d);
    if (rc == MIX_OK && cov != NULL && h->kind->check_cov != NULL)
        rc = h->kind->check_cov(h->fam, h->k, d, cov, &h->err);
    if (rc != MIX_OK)
        return rc;
    double *w = weights ? dup(weights, h->k) : NULL;
    double *mu = means ? dup(means, kd) : NULL;
    double *c = cov && cl ? dup(cov, cl) : NULL;
    if ((weights && !w) || (means && !mu) || (cov && cl && !c))
        rc = mix__fail(&h->err, MIX_ENOMEM, "out of memory copying the parameters");
    if (rc == MIX_OK && weights && means && (cov || cl == 0))
        rc = adopt_params(h, d, weights, means, cov);
    if (rc != MIX_OK) {
        mix__free(w);
        mix__free(mu);
        mix__free(c);
        return rc;
    }
    clear_given(h);
    h->opt.given_weights = w;
    h->opt.given_means = mu;
    h->opt.given_cov = c;
    h->opt.given_d = d;
    return MIX_OK;
}

/* --- fit ------------------------------------------------------------------ */

/* What a fit of d columns needs of the handle's options, and that Adam's
 * mini-batches have the rows in memory on one rank. */
static int check_fit_options(mix__mhandle *h, size_t d, int streamed)
{
    if (h->opt.given_d != 0 && h->opt.given_d != d)
        return mix__fail(&h->err, MIX_EDIM, "X has %zu features but the given parameters have %zu",
                         d, h->opt.given_d);
    if (h->opt.warm_start && h->fitted && h->model.d != d)
        return mix__fail(&h->err, MIX_EDIM,
                         "warm start: X has %zu features but the model has %zu", d, h->model.d);
    if (h->opt.method == MIX_METHOD_ADAM && h->opt.batch_size > 0 &&
        (streamed || mix__dist_on(&h->dist)))
        return mix__fail(&h->err, MIX_EINVAL,
                         "Adam's mini-batches shuffle rows in memory on one process; use "
                         "mix_%s_set_batch_size(h, 0) for a %s fit",
                         h->kind->name, streamed ? "streamed" : "distributed");
    return MIX_OK;
}

/* What every rank of a distributed fit must agree on (core/dist.h). */
static uint64_t fingerprint(const mix__mhandle *h, size_t d)
{
    const mix__mixture_opts *o = &h->opt;
    const int has_callback = o->callback != NULL, warm = o->warm_start && h->fitted;
    const size_t k = h->k, cl = mix__cov_len(h->fam, k, o->given_d);
    uint64_t f = MIX__FP_START;
    f = mix__dist_fold(f, &d, sizeof d);
    f = mix__dist_fold(f, &k, sizeof k);
    f = mix__dist_fold(f, &h->fam->type, sizeof h->fam->type);
    f = mix__dist_fold(f, &o->method, sizeof o->method);
    f = mix__dist_fold(f, &o->adam.lr, sizeof o->adam.lr);
    f = mix__dist_fold(f, &o->adam.beta1, sizeof o->adam.beta1);
    f = mix__dist_fold(f, &o->adam.beta2, sizeof o->adam.beta2);
    f = mix__dist_fold(f, &o->adam.eps, sizeof o->adam.eps);
    f = mix__dist_fold(f, &o->batch_size, sizeof o->batch_size);
    f = mix__dist_fold(f, &o->init, sizeof o->init);
    f = mix__dist_fold(f, &o->n_init, sizeof o->n_init);
    f = mix__dist_fold(f, &o->max_iter, sizeof o->max_iter);
    f = mix__dist_fold(f, &o->tol, sizeof o->tol);
    f = mix__dist_fold(f, &o->reg, sizeof o->reg);
    f = mix__dist_fold(f, &o->seed, sizeof o->seed);
    f = mix__dist_fold(f, &has_callback, sizeof has_callback);
    f = mix__dist_fold(f, &warm, sizeof warm);
    f = mix__dist_fold(f, &o->given_d, sizeof o->given_d);
    if (o->given_weights != NULL)
        f = mix__dist_fold(f, o->given_weights, k * sizeof(double));
    if (o->given_means != NULL)
        f = mix__dist_fold(f, o->given_means, k * o->given_d * sizeof(double));
    if (o->given_cov != NULL)
        f = mix__dist_fold(f, o->given_cov, cl * sizeof(double));
    return f;
}

/* Fit the rows of src and keep the model. */
static int fit_source(mix__mhandle *h, const mix__source *src)
{
    mix__mmodel m;
    int rc = h->kind->fit(h, h->opt.warm_start && h->fitted ? &h->model : NULL, src, &m);
    if (rc != MIX_OK)
        return rc;
    mix__mmodel_free(&h->model);
    h->model = m;
    h->fitted = 1;
    return MIX_OK;
}

int mix__mh_fit(mix__mhandle *h, const double *X, size_t n, size_t d, const double *w)
{
    int rc = mix__check_fit_rows(&h->err, X, n, d, mix__dist_on(&h->dist));
    if (rc == MIX_OK)
        rc = check_fit_options(h, d, 0);
    /* Every rank's first reduction carries the outcome of its checks. */
    rc = mix__dist_agree(&h->dist, fingerprint(h, d), rc, &h->err);
    if (rc != MIX_OK)
        return rc;
    const mix__source src = {.X = X, .w = w, .n = n, .d = d, .dist = &h->dist};
    return fit_source(h, &src);
}

int mix__mh_fit_stream(mix__mhandle *h, size_t d, mix_read_fn read, void *user)
{
    int rc = mix__check_reader(&h->err, d, read);
    if (rc == MIX_OK)
        rc = check_fit_options(h, d, 1);
    rc = mix__dist_agree(&h->dist, fingerprint(h, d), rc, &h->err);
    if (rc != MIX_OK)
        return rc;
    const mix__source src = {.d = d, .read = read, .user = user, .dist = &h->dist};
    return fit_source(h, &src);
}

int mix__mh_set_online(mix__mhandle *h, double kappa, double t0)
{
    if (!(kappa > 0.5 && kappa <= 1.0))
        return mix__fail(&h->err, MIX_EINVAL, "kappa = %g is out of range (0.5, 1]", kappa);
    int rc = mix__check_nonneg(&h->err, "t0", t0);
    if (rc == MIX_OK) {
        h->opt.online_kappa = kappa;
        h->opt.online_t0 = t0;
    }
    return rc;
}

int mix__mh_partial_fit(mix__mhandle *h, const double *X, size_t n, size_t d, const double *w)
{
    if (mix__dist_on(&h->dist))
        return mix__fail(&h->err, MIX_EINVAL,
                         "partial_fit runs in one process: call mix_%s_set_distributed(h, 0, "
                         "1, NULL, NULL) first",
                         h->kind->name);
    if (!h->fitted) /* the first chunk: a fit as mix_*_fit makes it */
        return mix__mh_fit(h, X, n, d, w);
    double max_abs_u;
    int rc = mix__check_query_data(&h->err, X, n, d, h->model.d, X, "X", h->model.shift,
                                   h->model.inv_scale, &max_abs_u);
    if (rc == MIX_OK)
        rc = h->kind->check_rows(h, X, n, d, max_abs_u);
    size_t n_positive;
    double w_factor;
    if (rc == MIX_OK)
        rc = mix__check_weights(&h->err, w, n, 0, &n_positive, &w_factor);
    if (rc != MIX_OK)
        return rc;
    mix__mmodel m;
    rc = mix__mixture_partial_fit(&h->model, &h->opt, X, n, d, w, w_factor, &m, &h->err);
    if (rc != MIX_OK)
        return rc;
    mix__mmodel_free(&h->model);
    h->model = m;
    return MIX_OK;
}

int mix__mh_set_distributed(mix__mhandle *h, int rank, int size, mix_allreduce_fn allreduce,
                            void *user)
{
    int rc = mix__check_dist(&h->err, rank, size, allreduce);
    if (rc == MIX_OK)
        h->dist = mix__dist_make(rank, size, allreduce, user);
    return rc;
}

/* --- questions to the model ----------------------------------------------- */

int mix__mh_query(const mix__mhandle *h, const double *X, size_t n, size_t d, const void *out,
                  const char *out_name, int32_t *labels, double *resp, double *logp,
                  double *total)
{
    mix__err *err = mix__mh_err(h);
    if (!h->fitted)
        return mix__fail(err, MIX_ESTATE,
                         "the model is not fitted; call mix_%s_fit or mix_%s_set_params first",
                         h->kind->name, h->kind->name);
    double max_abs_u;
    int rc = mix__check_query_data(err, X, n, d, h->model.d, out, out_name, h->model.shift,
                                   h->model.inv_scale, &max_abs_u);
    if (rc == MIX_OK)
        rc = h->kind->check_rows(h, X, n, d, max_abs_u);
    if (rc == MIX_OK && resp != NULL)
        rc = mix__check_cells(err, n, h->k);
    if (rc != MIX_OK)
        return rc;
    rc = mix__mixture_assign(&h->model, X, n, mix__threads_resolve(h->opt.threads), labels, resp,
                             logp, total);
    return rc == MIX_OK ? rc : mix__fail(err, rc, "out of memory evaluating %zu rows", n);
}

int mix__mh_loglik(const mix__mhandle *h, const double *X, size_t n, size_t d, double *total)
{
    double sum;
    int rc = mix__mh_query(h, X, n, d, total, "total_logp", NULL, NULL, NULL, &sum);
    if (rc == MIX_OK)
        *total = sum;
    return rc;
}

int mix__mh_score(const mix__mhandle *h, const double *X, size_t n, size_t d, double *mean)
{
    double total;
    int rc = mix__mh_query(h, X, n, d, mean, "mean_logp", NULL, NULL, NULL, &total);
    if (rc == MIX_OK)
        *mean = total / (double)n;
    return rc;
}

/* -2 log L + penalty * p, with log L written as scikit-learn does, mean * n. */
int mix__mh_criterion(const mix__mhandle *h, const double *X, size_t n, size_t d, double *out,
                      int bic)
{
    double mean;
    int rc = mix__mh_query(h, X, n, d, out, bic ? "bic" : "aic", NULL, NULL, NULL, &mean);
    if (rc != MIX_OK)
        return rc;
    mean /= (double)n;
    double p = (double)mix__params_count(&h->model.u);
    *out = -2.0 * mean * (double)n + p * (bic ? log((double)n) : 2.0);
    return MIX_OK;
}

int mix__mh_sample(const mix__mhandle *h, size_t n, uint64_t seed, double *X, int32_t *labels)
{
    mix__err *err = mix__mh_err(h);
    if (!h->fitted)
        return mix__fail(err, MIX_ESTATE, "the model is not fitted");
    if (X == NULL)
        return mix__fail(err, MIX_EINVAL, "X_out is NULL");
    int rc = mix__check_shape(err, X, n, h->model.d, "X_out");
    if (rc != MIX_OK)
        return rc;
    rc = h->kind->sample(&h->model, n, seed, X, labels);
    return rc == MIX_OK ? rc : mix__fail(err, rc, "out of memory sampling");
}
