/*
 * The public Gaussian mixture layer: argument checking, options, given
 * parameters, the model and error text. The arithmetic lives in gmm/ (the
 * model) and below. A call that fails changes nothing but the error text.
 */
#include "api/handles.h"

#include "core/data.h"
#include "core/limits.h"
#include "core/threads.h"
#include "engine/theta.h"

#include <math.h>
#include <string.h>

static void clear_given(gmm_t *g)
{
    mix__free(g->opt.given_weights);
    mix__free(g->opt.given_means);
    mix__free(g->opt.given_cov);
    g->opt.given_weights = g->opt.given_means = g->opt.given_cov = NULL;
    g->opt.given_d = 0;
}

gmm_t *mix_gmm_create(size_t n_components, mix_covariance cov)
{
    const mix__family *fam = mix__family_of(cov);
    if (n_components == 0 || n_components > INT32_MAX || fam == NULL)
        return NULL;
    gmm_t *g = mix__calloc(1, sizeof *g);
    if (g == NULL)
        return NULL;
    mix__err_init(&g->err);
    g->k = n_components;
    g->fam = fam;
    g->opt = mix__gmm_default_opts();
    g->model.lower_bound = NAN;
    return g;
}

void mix_gmm_free(gmm_t *g)
{
    if (g == NULL)
        return;
    mix__mmodel_free(&g->model);
    clear_given(g);
    mix__err_destroy(&g->err);
    mix__free(g);
}

/* --- options -------------------------------------------------------------- */

int mix_gmm_set_init(gmm_t *g, mix_init init)
{
    if (g == NULL)
        return MIX_EINVAL;
    if ((int)init < MIX_INIT_KMEANS || (int)init > MIX_INIT_HIERARCHICAL)
        return mix__fail(&g->err, MIX_EINVAL, "init: %d is not a mix_init value", (int)init);
    g->opt.init = init;
    return MIX_OK;
}

int mix_gmm_set_n_init(gmm_t *g, int n_init)
{
    if (g == NULL)
        return MIX_EINVAL;
    int rc = mix__check_range(&g->err, "n_init", n_init, 1, MIX__MAX_N_INIT);
    if (rc == MIX_OK)
        g->opt.n_init = n_init;
    return rc;
}

int mix_gmm_set_max_iter(gmm_t *g, int max_iter)
{
    if (g == NULL)
        return MIX_EINVAL;
    int rc = mix__check_range(&g->err, "max_iter", max_iter, 0, MIX__MAX_MAX_ITER);
    if (rc == MIX_OK)
        g->opt.max_iter = max_iter;
    return rc;
}

int mix_gmm_set_tol(gmm_t *g, double tol)
{
    if (g == NULL)
        return MIX_EINVAL;
    int rc = mix__check_nonneg(&g->err, "tol", tol);
    if (rc == MIX_OK)
        g->opt.tol = tol;
    return rc;
}

int mix_gmm_set_reg_covar(gmm_t *g, double reg_covar)
{
    if (g == NULL)
        return MIX_EINVAL;
    int rc = mix__check_nonneg(&g->err, "reg_covar", reg_covar);
    if (rc == MIX_OK)
        g->opt.reg = reg_covar;
    return rc;
}

int mix_gmm_set_seed(gmm_t *g, uint64_t seed)
{
    if (g == NULL)
        return MIX_EINVAL;
    g->opt.seed = seed;
    return MIX_OK;
}

int mix_gmm_set_warm_start(gmm_t *g, int warm_start)
{
    if (g == NULL)
        return MIX_EINVAL;
    int rc = mix__check_range(&g->err, "warm_start", warm_start, 0, 1);
    if (rc == MIX_OK)
        g->opt.warm_start = warm_start;
    return rc;
}

int mix_gmm_set_threads(gmm_t *g, int n_threads)
{
    if (g == NULL)
        return MIX_EINVAL;
    int rc = mix__check_range(&g->err, "threads", n_threads, 0, MIX__MAX_THREADS);
    if (rc == MIX_OK)
        g->opt.threads = n_threads;
    return rc;
}

int mix_gmm_set_callback(gmm_t *g, mix_iter_callback callback, void *user_data)
{
    if (g == NULL)
        return MIX_EINVAL;
    g->opt.callback = callback;
    g->opt.callback_data = user_data;
    return MIX_OK;
}

int mix_gmm_set_method(gmm_t *g, mix_method method)
{
    if (g == NULL)
        return MIX_EINVAL;
    if ((int)method != MIX_METHOD_EM && (int)method != MIX_METHOD_ADAM)
        return mix__fail(&g->err, MIX_EINVAL, "method: %d is not a mix_method value", (int)method);
    g->opt.method = method;
    return MIX_OK;
}

int mix_gmm_set_adam(gmm_t *g, double learning_rate, double beta1, double beta2, double epsilon)
{
    if (g == NULL)
        return MIX_EINVAL;
    int rc = mix__check_adam(&g->err, learning_rate, beta1, beta2, epsilon);
    if (rc == MIX_OK)
        g->opt.adam = (mix__adam_opts){learning_rate, beta1, beta2, epsilon};
    return rc;
}

int mix_gmm_set_batch_size(gmm_t *g, size_t batch_size)
{
    if (g == NULL)
        return MIX_EINVAL;
    g->opt.batch_size = batch_size;
    return MIX_OK;
}

/* --- given parameters ----------------------------------------------------- */

static int check_weights_param(gmm_t *g, const double *w)
{
    double sum = 0;
    for (size_t j = 0; j < g->k; j++) {
        if (!isfinite(w[j]))
            return mix__fail(&g->err, MIX_EDATA, "weights[%zu] is not finite", j);
        if (w[j] < 0 || w[j] > 1)
            return mix__fail(&g->err, MIX_EINVAL, "weights[%zu] = %g is outside [0, 1]", j, w[j]);
        sum += w[j];
    }
    if (fabs(sum - 1.0) > MIX__GMM_WEIGHT_SUM_TOL)
        return mix__fail(&g->err, MIX_EINVAL, "weights sum to %.17g, not 1", sum);
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
static int adopt_params(gmm_t *g, size_t d, const double *w, const double *mu, const double *cov)
{
    mix__mmodel m;
    long bad = -1;
    int rc = mix__mmodel_from_params(&m, g->fam, g->k, d, w, mu, cov, &bad);
    if (rc == MIX_ENUMERIC) /* checked positive definite: lost in the scaling */
        return mix__fail(&g->err, MIX_EDATA,
                         "component %ld: the covariance is not positive definite once scaled "
                         "(values too close to the limits of a double)",
                         bad);
    if (rc == MIX_EDATA)
        return mix__fail(&g->err, rc, "the parameters' precisions are not representable");
    if (rc != MIX_OK)
        return mix__fail(&g->err, rc, "out of memory storing the parameters");
    mix__mmodel_free(&g->model);
    g->model = m;
    g->fitted = 1;
    return MIX_OK;
}

int mix_gmm_set_params(gmm_t *g, size_t d, const double *weights, const double *means,
                       const double *covariances)
{
    if (g == NULL)
        return MIX_EINVAL;
    if (weights == NULL && means == NULL && covariances == NULL) {
        clear_given(g);
        return MIX_OK;
    }
    size_t kd, cl_bytes;
    if (d == 0)
        return mix__fail(&g->err, MIX_EDIM, "d = 0");
    if (mix__mul_overflow(g->k, d, &kd) || mix__mul_overflow(kd, d * sizeof(double), &cl_bytes))
        return mix__fail(&g->err, MIX_EDIM, "k * d * d overflows for d = %zu", d);
    int rc = MIX_OK;
    if (weights != NULL)
        rc = check_weights_param(g, weights);
    if (rc == MIX_OK && means != NULL)
        rc = mix__check_finite(&g->err, means, g->k, d, "means");
    if (rc == MIX_OK && covariances != NULL)
        rc = mix__gmm_check_covariances(g->fam, g->k, d, covariances, &g->err);
    if (rc != MIX_OK)
        return rc;
    double *w = weights ? dup(weights, g->k) : NULL;
    double *mu = means ? dup(means, kd) : NULL;
    double *c = covariances ? dup(covariances, mix__cov_len(g->fam, g->k, d)) : NULL;
    if ((weights && !w) || (means && !mu) || (covariances && !c))
        rc = mix__fail(&g->err, MIX_ENOMEM, "out of memory copying the parameters");
    if (rc == MIX_OK && weights && means && covariances)
        rc = adopt_params(g, d, weights, means, covariances);
    if (rc != MIX_OK) {
        mix__free(w);
        mix__free(mu);
        mix__free(c);
        return rc;
    }
    clear_given(g);
    g->opt.given_weights = w;
    g->opt.given_means = mu;
    g->opt.given_cov = c;
    g->opt.given_d = d;
    return MIX_OK;
}

/* --- fit ------------------------------------------------------------------ */

static int check_fit_args(gmm_t *g, const double *X, size_t n, size_t d, const double *w,
                          double *w_factor)
{
    int rc = mix__check_fit_data(&g->err, X, n, d, w, g->k, "n_components", w_factor);
    if (rc != MIX_OK)
        return rc;
    if (g->opt.given_d != 0 && g->opt.given_d != d)
        return mix__fail(&g->err, MIX_EDIM, "X has %zu features but the given parameters have %zu",
                         d, g->opt.given_d);
    if (g->opt.warm_start && g->fitted && g->model.d != d)
        return mix__fail(&g->err, MIX_EDIM,
                         "warm start: X has %zu features but the model has %zu", d, g->model.d);
    return MIX_OK;
}

int mix_gmm_fit(gmm_t *g, const double *X, size_t n, size_t d, const double *sample_weight)
{
    if (g == NULL)
        return MIX_EINVAL;
    double w_factor;
    int rc = check_fit_args(g, X, n, d, sample_weight, &w_factor);
    if (rc != MIX_OK)
        return rc;
    mix__mmodel m;
    rc = mix__gmm_fit(g->fam, g->k, &g->opt, g->opt.warm_start && g->fitted ? &g->model : NULL,
                      X, n, d, sample_weight, w_factor, &m, &g->err);
    if (rc != MIX_OK)
        return rc;
    mix__mmodel_free(&g->model);
    g->model = m;
    g->fitted = 1;
    return MIX_OK;
}

/* --- theta and the likelihood's gradient ----------------------------------- */

size_t mix_gmm_theta_size(const gmm_t *g, size_t d)
{
    size_t kd, kdd;
    if (g == NULL || d == 0 || mix__mul_overflow(g->k, d, &kd) || mix__mul_overflow(kd, d, &kdd) ||
        kdd > SIZE_MAX / 8)
        return 0;
    return mix__theta_len(g->fam, g->k, d);
}

int mix_gmm_get_theta(const gmm_t *g, double *theta)
{
    if (g == NULL)
        return MIX_EINVAL;
    if (!g->fitted)
        return mix__fail(mix__gmm_err(g), MIX_ESTATE,
                         "the model is not fitted; call mix_gmm_fit or mix_gmm_set_params first");
    if (theta == NULL)
        return mix__fail(mix__gmm_err(g), MIX_EINVAL, "theta is NULL");
    mix__theta_from_public(g->fam, g->k, g->model.d, g->model.u.weights, g->model.means,
                           g->model.prec_chol, theta);
    return MIX_OK;
}

/* The size of theta for d, or MIX_EDIM with a message. */
static int check_theta_d(gmm_t *g, size_t d, const void *theta)
{
    if (theta == NULL)
        return mix__fail(mix__gmm_err(g), MIX_EINVAL, "theta is NULL");
    if (mix_gmm_theta_size(g, d) == 0)
        return mix__fail(mix__gmm_err(g), MIX_EDIM, "d = %zu gives no valid theta for k = %zu",
                         d, g->k);
    return MIX_OK;
}

int mix_gmm_set_theta(gmm_t *g, size_t d, const double *theta)
{
    if (g == NULL)
        return MIX_EINVAL;
    int rc = check_theta_d(g, d, theta);
    if (rc != MIX_OK)
        return rc;
    const size_t k = g->k, cl = mix__cov_len(g->fam, k, d);
    double *w = mix__alloc_array(k, sizeof(double)), *mu = mix__alloc_array(k * d, sizeof(double));
    double *cov = mix__alloc_array(cl, sizeof(double));
    if (w == NULL || mu == NULL || cov == NULL)
        rc = mix__fail(&g->err, MIX_ENOMEM, "out of memory converting theta");
    if (rc == MIX_OK)
        rc = mix__gmm_params_of_theta(g->fam, k, d, theta, w, mu, cov, &g->err);
    if (rc == MIX_OK)
        rc = mix_gmm_set_params(g, d, w, mu, cov);
    mix__free(w);
    mix__free(mu);
    mix__free(cov);
    return rc;
}

int mix_gmm_nll_grad(const gmm_t *g, const double *X, size_t n, size_t d,
                     const double *sample_weight, const double *theta, double *nll, double *grad)
{
    if (g == NULL)
        return MIX_EINVAL;
    mix__err *err = mix__gmm_err(g);
    int rc = mix__check_shape(err, X, n, d, "X");
    if (rc == MIX_OK)
        rc = check_theta_d((gmm_t *)g, d, theta);
    if (rc == MIX_OK && nll == NULL)
        rc = mix__fail(err, MIX_EINVAL, "nll is NULL");
    size_t n_positive;
    double w_factor = 1.0;
    if (rc == MIX_OK)
        rc = mix__check_weights(err, sample_weight, n, 1, &n_positive, &w_factor);
    const size_t len = rc == MIX_OK ? mix__theta_len(g->fam, g->k, d) : 0;
    for (size_t i = 0; rc == MIX_OK && i < len; i++)
        if (!isfinite(theta[i]))
            rc = mix__fail(err, MIX_EDATA, "theta[%zu] is %s", i,
                           isnan(theta[i]) ? "NaN" : "infinite");
    if (rc != MIX_OK)
        return rc;
    return mix__gmm_nll_grad(g->fam, g->k, mix__threads_resolve(g->opt.threads), X, n, d,
                             sample_weight, w_factor, theta, nll, grad, err);
}

/* --- questions to the model ----------------------------------------------- */

static int check_query(const gmm_t *g, const double *X, size_t n, size_t d, const void *out,
                       const char *out_name)
{
    if (!g->fitted)
        return mix__fail(mix__gmm_err(g), MIX_ESTATE,
                         "the model is not fitted; call mix_gmm_fit or mix_gmm_set_params first");
    double max_abs_u;
    int rc = mix__check_query_data(mix__gmm_err(g), X, n, d, g->model.d, out, out_name, g->model.shift,
                                   g->model.inv_scale, &max_abs_u);
    if (rc != MIX_OK)
        return rc;
    if (mix__gmm_check_reach(&g->model, max_abs_u) != MIX_OK)
        return mix__fail(mix__gmm_err(g), MIX_EDATA,
                         "X lies so far from every component that its densities are not "
                         "representable");
    return MIX_OK;
}

/* A checked pass; outputs as mix__mixture_assign. */
static int query(const gmm_t *g, const double *X, size_t n, size_t d, const void *out,
                 const char *out_name, int32_t *labels, double *resp, double *logp, double *total)
{
    if (g == NULL)
        return MIX_EINVAL;
    int rc = check_query(g, X, n, d, out, out_name);
    if (rc != MIX_OK)
        return rc;
    if (resp != NULL && (rc = mix__check_cells(mix__gmm_err(g), n, g->k)) != MIX_OK)
        return rc;
    rc = mix__mixture_assign(&g->model, X, n, mix__threads_resolve(g->opt.threads), labels, resp, logp,
                         total);
    return rc == MIX_OK ? rc : mix__fail(mix__gmm_err(g), rc, "out of memory evaluating %zu rows", n);
}

int mix_gmm_predict(const gmm_t *g, const double *X, size_t n, size_t d, int32_t *labels)
{
    return query(g, X, n, d, labels, "labels", labels, NULL, NULL, NULL);
}

int mix_gmm_predict_proba(const gmm_t *g, const double *X, size_t n, size_t d, double *resp)
{
    return query(g, X, n, d, resp, "resp", NULL, resp, NULL, NULL);
}

int mix_gmm_score_samples(const gmm_t *g, const double *X, size_t n, size_t d, double *logp)
{
    return query(g, X, n, d, logp, "logp", NULL, NULL, logp, NULL);
}

int mix_gmm_loglik(const gmm_t *g, const double *X, size_t n, size_t d, double *total_logp)
{
    double total;
    int rc = query(g, X, n, d, total_logp, "total_logp", NULL, NULL, NULL, &total);
    if (rc == MIX_OK)
        *total_logp = total;
    return rc;
}

int mix_gmm_score(const gmm_t *g, const double *X, size_t n, size_t d, double *mean_logp)
{
    double total;
    int rc = query(g, X, n, d, mean_logp, "mean_logp", NULL, NULL, NULL, &total);
    if (rc == MIX_OK)
        *mean_logp = total / (double)n;
    return rc;
}

/* -2 log L + penalty * p, with log L written as scikit-learn does, mean * n. */
static int criterion(const gmm_t *g, const double *X, size_t n, size_t d, double *out,
                     const char *name, int bic)
{
    double mean;
    int rc = query(g, X, n, d, out, name, NULL, NULL, NULL, &mean);
    if (rc != MIX_OK)
        return rc;
    mean /= (double)n;
    double p = (double)mix__params_count(&g->model.u);
    *out = -2.0 * mean * (double)n + p * (bic ? log((double)n) : 2.0);
    return MIX_OK;
}

int mix_gmm_bic(const gmm_t *g, const double *X, size_t n, size_t d, double *bic)
{
    return criterion(g, X, n, d, bic, "bic", 1);
}

int mix_gmm_aic(const gmm_t *g, const double *X, size_t n, size_t d, double *aic)
{
    return criterion(g, X, n, d, aic, "aic", 0);
}

int mix_gmm_sample(const gmm_t *g, size_t n, uint64_t seed, double *X_out, int32_t *labels_out)
{
    if (g == NULL)
        return MIX_EINVAL;
    if (!g->fitted)
        return mix__fail(mix__gmm_err(g), MIX_ESTATE, "the model is not fitted");
    if (X_out == NULL)
        return mix__fail(mix__gmm_err(g), MIX_EINVAL, "X_out is NULL");
    int rc = mix__check_shape(mix__gmm_err(g), X_out, n, g->model.d, "X_out");
    if (rc != MIX_OK)
        return rc;
    rc = mix__gmm_sample(&g->model, n, seed, X_out, labels_out);
    return rc == MIX_OK ? rc : mix__fail(mix__gmm_err(g), rc, "out of memory sampling");
}

/* --- getters -------------------------------------------------------------- */

const double *mix_gmm_weights(const gmm_t *g)
{
    return g && g->fitted ? g->model.u.weights : NULL;
}

const double *mix_gmm_means(const gmm_t *g)
{
    return g && g->fitted ? g->model.means : NULL;
}

const double *mix_gmm_covariances(const gmm_t *g)
{
    return g && g->fitted ? g->model.cov : NULL;
}

const double *mix_gmm_precisions_cholesky(const gmm_t *g)
{
    return g && g->fitted ? g->model.prec_chol : NULL;
}

size_t mix_gmm_covariances_size(const gmm_t *g)
{
    return g && g->fitted ? mix__cov_len(g->fam, g->k, g->model.d) : 0;
}

int mix_gmm_converged(const gmm_t *g)
{
    return g && g->fitted ? g->model.converged : 0;
}

int mix_gmm_n_iter(const gmm_t *g)
{
    return g && g->fitted ? g->model.n_iter : 0;
}

double mix_gmm_lower_bound(const gmm_t *g)
{
    return g && g->fitted ? g->model.lower_bound : NAN;
}

size_t mix_gmm_n_parameters(const gmm_t *g)
{
    return g && g->fitted ? mix__params_count(&g->model.u) : 0;
}

size_t mix_gmm_n_components(const gmm_t *g)
{
    return g ? g->k : 0;
}

size_t mix_gmm_n_features(const gmm_t *g)
{
    return g && g->fitted ? g->model.d : 0;
}

int mix_gmm_covariance_type(const gmm_t *g)
{
    return g ? (int)g->fam->type : MIX_EINVAL;
}

int mix_gmm_is_fitted(const gmm_t *g)
{
    return g ? g->fitted : 0;
}

const char *mix_gmm_errmsg(const gmm_t *g)
{
    return g ? g->err.msg : "NULL handle";
}
