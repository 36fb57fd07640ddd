/*
 * The public Gaussian mixture layer: thin wrappers over the mixture
 * handle's calls (api/mixture.c), and what is Gaussian (covariance types,
 * reg_covar, gradient fitting and theta, the reach of new rows). The
 * arithmetic lives in gmm/ and below. A call that fails changes nothing
 * but the error text.
 */
#include "api/handles.h"

#include "core/data.h"
#include "core/threads.h"
#include "engine/theta.h"
#include "gmm/gmm.h"
#include "io/io.h"

#include <math.h>
#include <string.h>

/* --- what is Gaussian in the shared calls ----------------------------------- */

static int check_means(mix__err *err, const double *mu, size_t k, size_t d)
{
    return mix__check_finite(err, mu, k, d, "means");
}

/* Rows so far from every component that their densities are not
 * representable are refused. */
static int check_rows(const mix__mhandle *h, const double *X, size_t n, size_t d,
                      double max_abs_u)
{
    (void)X, (void)n, (void)d;
    if (mix__gmm_check_reach(&h->model, max_abs_u) != MIX_OK)
        return mix__fail(mix__mh_err(h), MIX_EDATA,
                         "X lies so far from every component that its densities are not "
                         "representable");
    return MIX_OK;
}

static int fit(const mix__mhandle *h, const mix__mmodel *warm, const mix__source *src,
               mix__mmodel *m)
{
    return mix__gmm_fit(h->fam, h->k, &h->opt, warm, src, m, mix__mh_err(h));
}

static const mix__mkind gmm_kind = {
    .name = "gmm",
    .io_kind = MIX__IO_GMM,
    .last_init = MIX_INIT_HIERARCHICAL,
    .check_means = check_means,
    .check_cov = mix__gmm_check_covariances,
    .check_rows = check_rows,
    .fit = fit,
    .sample = mix__gmm_sample,
};

/* --- life cycle ------------------------------------------------------------ */

gmm_t *mix_gmm_create(size_t n_components, mix_covariance cov)
{
    const mix__family *fam = mix__family_of(cov);
    if (n_components == 0 || n_components > INT32_MAX || fam == NULL)
        return NULL;
    gmm_t *g = mix__calloc(1, sizeof *g);
    if (g == NULL)
        return NULL;
    mix__mh_init(&g->h, n_components, fam, &gmm_kind, mix__gmm_default_opts());
    return g;
}

void mix_gmm_free(gmm_t *g)
{
    if (g == NULL)
        return;
    mix__mh_destroy(&g->h);
    mix__free(g);
}

/* --- options -------------------------------------------------------------- */

int mix_gmm_set_init(gmm_t *g, mix_init init)
{
    return g ? mix__mh_set_init(&g->h, init) : MIX_EINVAL;
}

int mix_gmm_set_n_init(gmm_t *g, int n_init)
{
    return g ? mix__mh_set_n_init(&g->h, n_init) : MIX_EINVAL;
}

int mix_gmm_set_max_iter(gmm_t *g, int max_iter)
{
    return g ? mix__mh_set_max_iter(&g->h, max_iter) : MIX_EINVAL;
}

int mix_gmm_set_tol(gmm_t *g, double tol)
{
    return g ? mix__mh_set_tol(&g->h, tol) : MIX_EINVAL;
}

int mix_gmm_set_reg_covar(gmm_t *g, double reg_covar)
{
    return g ? mix__mh_set_reg(&g->h, "reg_covar", reg_covar) : MIX_EINVAL;
}

int mix_gmm_set_seed(gmm_t *g, uint64_t seed)
{
    if (g == NULL)
        return MIX_EINVAL;
    g->h.opt.seed = seed;
    return MIX_OK;
}

int mix_gmm_set_warm_start(gmm_t *g, int warm_start)
{
    return g ? mix__mh_set_warm_start(&g->h, warm_start) : MIX_EINVAL;
}

int mix_gmm_set_threads(gmm_t *g, int n_threads)
{
    return g ? mix__mh_set_threads(&g->h, n_threads) : MIX_EINVAL;
}

int mix_gmm_set_callback(gmm_t *g, mix_iter_callback callback, void *user_data)
{
    if (g == NULL)
        return MIX_EINVAL;
    g->h.opt.callback = callback;
    g->h.opt.callback_data = user_data;
    return MIX_OK;
}

int mix_gmm_set_method(gmm_t *g, mix_method method)
{
    if (g == NULL)
        return MIX_EINVAL;
    if ((int)method != MIX_METHOD_EM && (int)method != MIX_METHOD_ADAM)
        return mix__fail(&g->h.err, MIX_EINVAL, "method: %d is not a mix_method value",
                         (int)method);
    g->h.opt.method = method;
    return MIX_OK;
}

int mix_gmm_set_adam(gmm_t *g, double learning_rate, double beta1, double beta2, double epsilon)
{
    if (g == NULL)
        return MIX_EINVAL;
    int rc = mix__check_adam(&g->h.err, learning_rate, beta1, beta2, epsilon);
    if (rc == MIX_OK)
        g->h.opt.adam = (mix__adam_opts){learning_rate, beta1, beta2, epsilon};
    return rc;
}

int mix_gmm_set_batch_size(gmm_t *g, size_t batch_size)
{
    if (g == NULL)
        return MIX_EINVAL;
    g->h.opt.batch_size = batch_size;
    return MIX_OK;
}

int mix_gmm_set_params(gmm_t *g, size_t d, const double *weights, const double *means,
                       const double *covariances)
{
    return g ? mix__mh_set_params(&g->h, d, weights, means, covariances) : MIX_EINVAL;
}

/* --- fit ------------------------------------------------------------------ */

int mix_gmm_fit(gmm_t *g, const double *X, size_t n, size_t d, const double *sample_weight)
{
    return g ? mix__mh_fit(&g->h, X, n, d, sample_weight) : MIX_EINVAL;
}

int mix_gmm_fit_stream(gmm_t *g, size_t d, mix_read_fn read, void *user)
{
    return g ? mix__mh_fit_stream(&g->h, d, read, user) : MIX_EINVAL;
}

int mix_gmm_set_distributed(gmm_t *g, int rank, int size, mix_allreduce_fn allreduce, void *user)
{
    return g ? mix__mh_set_distributed(&g->h, rank, size, allreduce, user) : MIX_EINVAL;
}

int mix_gmm_partial_fit(gmm_t *g, const double *X, size_t n, size_t d, const double *sample_weight)
{
    return g ? mix__mh_partial_fit(&g->h, X, n, d, sample_weight) : MIX_EINVAL;
}

int mix_gmm_set_online(gmm_t *g, double kappa, double t0)
{
    return g ? mix__mh_set_online(&g->h, kappa, t0) : MIX_EINVAL;
}

/* --- saved models ------------------------------------------------------------ */

int mix_gmm_save(const gmm_t *g, const char *path)
{
    return g ? mix__mh_save(&g->h, path) : MIX_EINVAL;
}

int mix_gmm_save_buffer(const gmm_t *g, void *buf, size_t capacity, size_t *size)
{
    return g ? mix__mh_save_buffer(&g->h, buf, capacity, size) : MIX_EINVAL;
}

int mix_gmm_load(gmm_t *g, const char *path)
{
    return g ? mix__mh_load(&g->h, path) : MIX_EINVAL;
}

int mix_gmm_load_buffer(gmm_t *g, const void *buf, size_t size)
{
    return g ? mix__mh_load_buffer(&g->h, buf, size) : MIX_EINVAL;
}

/* --- theta and the likelihood's gradient ----------------------------------- */

size_t mix_gmm_theta_size(const gmm_t *g, size_t d)
{
    size_t kd, kdd;
    if (g == NULL || d == 0 || mix__mul_overflow(g->h.k, d, &kd) || mix__mul_overflow(kd, d, &kdd) ||
        kdd > SIZE_MAX / 8)
        return 0;
    return mix__theta_len(g->h.fam, g->h.k, d);
}

int mix_gmm_get_theta(const gmm_t *g, double *theta)
{
    if (g == NULL)
        return MIX_EINVAL;
    if (!g->h.fitted)
        return mix__fail(mix__mh_err(&g->h), MIX_ESTATE,
                         "the model is not fitted; call mix_gmm_fit or mix_gmm_set_params first");
    if (theta == NULL)
        return mix__fail(mix__mh_err(&g->h), MIX_EINVAL, "theta is NULL");
    mix__theta_from_public(g->h.fam, g->h.k, g->h.model.d, g->h.model.u.weights, g->h.model.means,
                           g->h.model.prec_chol, theta);
    return MIX_OK;
}

/* The size of theta for d, or MIX_EDIM with a message. */
static int check_theta_d(gmm_t *g, size_t d, const void *theta)
{
    if (theta == NULL)
        return mix__fail(mix__mh_err(&g->h), MIX_EINVAL, "theta is NULL");
    if (mix_gmm_theta_size(g, d) == 0)
        return mix__fail(mix__mh_err(&g->h), MIX_EDIM, "d = %zu gives no valid theta for k = %zu",
                         d, g->h.k);
    return MIX_OK;
}

int mix_gmm_set_theta(gmm_t *g, size_t d, const double *theta)
{
    if (g == NULL)
        return MIX_EINVAL;
    int rc = check_theta_d(g, d, theta);
    if (rc != MIX_OK)
        return rc;
    const size_t k = g->h.k, cl = mix__cov_len(g->h.fam, k, d);
    double *w = mix__alloc_array(k, sizeof(double)), *mu = mix__alloc_array(k * d, sizeof(double));
    double *cov = mix__alloc_array(cl, sizeof(double));
    if (w == NULL || mu == NULL || cov == NULL)
        rc = mix__fail(&g->h.err, MIX_ENOMEM, "out of memory converting theta");
    if (rc == MIX_OK)
        rc = mix__gmm_params_of_theta(g->h.fam, k, d, theta, w, mu, cov, &g->h.err);
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
    mix__err *err = mix__mh_err(&g->h);
    int rc = mix__check_shape(err, X, n, d, "X");
    if (rc == MIX_OK)
        rc = check_theta_d((gmm_t *)g, d, theta);
    if (rc == MIX_OK && nll == NULL)
        rc = mix__fail(err, MIX_EINVAL, "nll is NULL");
    size_t n_positive;
    double w_factor = 1.0;
    if (rc == MIX_OK)
        rc = mix__check_weights(err, sample_weight, n, 1, &n_positive, &w_factor);
    const size_t len = rc == MIX_OK ? mix__theta_len(g->h.fam, g->h.k, d) : 0;
    for (size_t i = 0; rc == MIX_OK && i < len; i++)
        if (!isfinite(theta[i]))
            rc = mix__fail(err, MIX_EDATA, "theta[%zu] is %s", i,
                           isnan(theta[i]) ? "NaN" : "infinite");
    if (rc != MIX_OK)
        return rc;
    return mix__gmm_nll_grad(g->h.fam, g->h.k, mix__threads_resolve(g->h.opt.threads), X, n, d,
                             sample_weight, w_factor, theta, nll, grad, err);
}

/* --- questions to the model ----------------------------------------------- */

int mix_gmm_predict(const gmm_t *g, const double *X, size_t n, size_t d, int32_t *labels)
{
    return g ? mix__mh_query(&g->h, X, n, d, labels, "labels", labels, NULL, NULL, NULL)
             : MIX_EINVAL;
}

int mix_gmm_predict_proba(const gmm_t *g, const double *X, size_t n, size_t d, double *resp)
{
    return g ? mix__mh_query(&g->h, X, n, d, resp, "resp", NULL, resp, NULL, NULL) : MIX_EINVAL;
}

int mix_gmm_score_samples(const gmm_t *g, const double *X, size_t n, size_t d, double *logp)
{
    return g ? mix__mh_query(&g->h, X, n, d, logp, "logp", NULL, NULL, logp, NULL) : MIX_EINVAL;
}

int mix_gmm_loglik(const gmm_t *g, const double *X, size_t n, size_t d, double *total_logp)
{
    return g ? mix__mh_loglik(&g->h, X, n, d, total_logp) : MIX_EINVAL;
}

int mix_gmm_score(const gmm_t *g, const double *X, size_t n, size_t d, double *mean_logp)
{
    return g ? mix__mh_score(&g->h, X, n, d, mean_logp) : MIX_EINVAL;
}

int mix_gmm_bic(const gmm_t *g, const double *X, size_t n, size_t d, double *bic)
{
    return g ? mix__mh_criterion(&g->h, X, n, d, bic, 1) : MIX_EINVAL;
}

int mix_gmm_aic(const gmm_t *g, const double *X, size_t n, size_t d, double *aic)
{
    return g ? mix__mh_criterion(&g->h, X, n, d, aic, 0) : MIX_EINVAL;
}

int mix_gmm_sample(const gmm_t *g, size_t n, uint64_t seed, double *X_out, int32_t *labels_out)
{
    return g ? mix__mh_sample(&g->h, n, seed, X_out, labels_out) : MIX_EINVAL;
}

/* --- getters -------------------------------------------------------------- */

const double *mix_gmm_weights(const gmm_t *g)
{
    return g && g->h.fitted ? g->h.model.u.weights : NULL;
}

const double *mix_gmm_means(const gmm_t *g)
{
    return g && g->h.fitted ? g->h.model.means : NULL;
}

const double *mix_gmm_covariances(const gmm_t *g)
{
    return g && g->h.fitted ? g->h.model.cov : NULL;
}

const double *mix_gmm_precisions_cholesky(const gmm_t *g)
{
    return g && g->h.fitted ? g->h.model.prec_chol : NULL;
}

size_t mix_gmm_covariances_size(const gmm_t *g)
{
    return g && g->h.fitted ? mix__cov_len(g->h.fam, g->h.k, g->h.model.d) : 0;
}

int mix_gmm_converged(const gmm_t *g)
{
    return g && g->h.fitted ? g->h.model.converged : 0;
}

int mix_gmm_n_iter(const gmm_t *g)
{
    return g && g->h.fitted ? g->h.model.n_iter : 0;
}

double mix_gmm_lower_bound(const gmm_t *g)
{
    return g && g->h.fitted ? g->h.model.lower_bound : NAN;
}

size_t mix_gmm_n_parameters(const gmm_t *g)
{
    return g && g->h.fitted ? mix__params_count(&g->h.model.u) : 0;
}

size_t mix_gmm_n_components(const gmm_t *g)
{
    return g ? g->h.k : 0;
}

size_t mix_gmm_n_features(const gmm_t *g)
{
    return g && g->h.fitted ? g->h.model.d : 0;
}

int mix_gmm_covariance_type(const gmm_t *g)
{
    return g ? g->h.fam->type : MIX_EINVAL;
}

int mix_gmm_is_fitted(const gmm_t *g)
{
    return g ? g->h.fitted : 0;
}

const char *mix_gmm_errmsg(const gmm_t *g)
{
    return g ? g->h.err.msg : "NULL handle";
}
