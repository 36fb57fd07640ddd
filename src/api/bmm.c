/*
 * The public Bernoulli mixture layer: thin wrappers over the mixture
 * handle's calls (api/mixture.c), and what is Bernoulli (0/1 rows, the
 * probabilities, alpha). The arithmetic lives in bmm/ and below. A call
 * that fails changes nothing but the error text.
 */
#include "api/handles.h"

#include "bmm/bmm.h"
#include "core/data.h"
#include "io/io.h"

#include <math.h>

/* --- what is Bernoulli in the shared calls ---------------------------------- */

static int check_rows(const mix__mhandle *h, const double *X, size_t n, size_t d,
                      double max_abs_u)
{
    (void)max_abs_u;
    return mix__bmm_check_binary(mix__mh_err(h), X, n, d, "X");
}

static int fit(const mix__mhandle *h, const mix__mmodel *warm, const mix__source *src,
               mix__mmodel *m)
{
    return mix__bmm_fit(h->k, &h->opt, warm, src, m, mix__mh_err(h));
}

static const mix__mkind bmm_kind = {
    .name = "bmm",
    .io_kind = MIX__IO_BMM,
    .last_init = MIX_INIT_RANDOM_FROM_DATA,
    .check_means = mix__bmm_check_probs,
    .check_cov = NULL,
    .check_rows = check_rows,
    .fit = fit,
    .sample = mix__bmm_sample,
};

/* --- life cycle ------------------------------------------------------------ */

bmm_t *mix_bmm_create(size_t n_components)
{
    if (n_components == 0 || n_components > INT32_MAX)
        return NULL;
    bmm_t *b = mix__calloc(1, sizeof *b);
    if (b == NULL)
        return NULL;
    mix__mh_init(&b->h, n_components, &mix__family_bernoulli, &bmm_kind,
                 mix__bmm_default_opts());
    return b;
}

void mix_bmm_free(bmm_t *b)
{
    if (b == NULL)
        return;
    mix__mh_destroy(&b->h);
    mix__free(b);
}

/* --- options -------------------------------------------------------------- */

int mix_bmm_set_init(bmm_t *b, mix_init init)
{
    return b ? mix__mh_set_init(&b->h, init) : MIX_EINVAL;
}

int mix_bmm_set_params(bmm_t *b, size_t d, const double *weights, const double *probs)
{
    return b ? mix__mh_set_params(&b->h, d, weights, probs, NULL) : MIX_EINVAL;
}

int mix_bmm_set_alpha(bmm_t *b, double alpha)
{
    return b ? mix__mh_set_reg(&b->h, "alpha", alpha) : MIX_EINVAL;
}

int mix_bmm_set_n_init(bmm_t *b, int n_init)
{
    return b ? mix__mh_set_n_init(&b->h, n_init) : MIX_EINVAL;
}

int mix_bmm_set_max_iter(bmm_t *b, int max_iter)
{
    return b ? mix__mh_set_max_iter(&b->h, max_iter) : MIX_EINVAL;
}

int mix_bmm_set_tol(bmm_t *b, double tol)
{
    return b ? mix__mh_set_tol(&b->h, tol) : MIX_EINVAL;
}

int mix_bmm_set_seed(bmm_t *b, uint64_t seed)
{
    if (b == NULL)
        return MIX_EINVAL;
    b->h.opt.seed = seed;
    return MIX_OK;
}

int mix_bmm_set_threads(bmm_t *b, int n_threads)
{
    return b ? mix__mh_set_threads(&b->h, n_threads) : MIX_EINVAL;
}

int mix_bmm_set_warm_start(bmm_t *b, int warm_start)
{
    return b ? mix__mh_set_warm_start(&b->h, warm_start) : MIX_EINVAL;
}

int mix_bmm_set_callback(bmm_t *b, mix_iter_callback callback, void *user_data)
{
    if (b == NULL)
        return MIX_EINVAL;
    b->h.opt.callback = callback;
    b->h.opt.callback_data = user_data;
    return MIX_OK;
}

/* --- fit and questions ---------------------------------------------------- */

int mix_bmm_fit(bmm_t *b, const double *X, size_t n, size_t d, const double *sample_weight)
{
    return b ? mix__mh_fit(&b->h, X, n, d, sample_weight) : MIX_EINVAL;
}

int mix_bmm_fit_stream(bmm_t *b, size_t d, mix_read_fn read, void *user)
{
    return b ? mix__mh_fit_stream(&b->h, d, read, user) : MIX_EINVAL;
}

int mix_bmm_set_distributed(bmm_t *b, int rank, int size, mix_allreduce_fn allreduce, void *user)
{
    return b ? mix__mh_set_distributed(&b->h, rank, size, allreduce, user) : MIX_EINVAL;
}

int mix_bmm_predict(const bmm_t *b, const double *X, size_t n, size_t d, int32_t *labels)
{
    return b ? mix__mh_query(&b->h, X, n, d, labels, "labels", labels, NULL, NULL, NULL)
             : MIX_EINVAL;
}

int mix_bmm_predict_proba(const bmm_t *b, const double *X, size_t n, size_t d, double *resp)
{
    return b ? mix__mh_query(&b->h, X, n, d, resp, "resp", NULL, resp, NULL, NULL) : MIX_EINVAL;
}

int mix_bmm_score_samples(const bmm_t *b, const double *X, size_t n, size_t d, double *logp)
{
    return b ? mix__mh_query(&b->h, X, n, d, logp, "logp", NULL, NULL, logp, NULL) : MIX_EINVAL;
}

int mix_bmm_score(const bmm_t *b, const double *X, size_t n, size_t d, double *mean_logp)
{
    return b ? mix__mh_score(&b->h, X, n, d, mean_logp) : MIX_EINVAL;
}

int mix_bmm_loglik(const bmm_t *b, const double *X, size_t n, size_t d, double *total_logp)
{
    return b ? mix__mh_loglik(&b->h, X, n, d, total_logp) : MIX_EINVAL;
}

int mix_bmm_bic(const bmm_t *b, const double *X, size_t n, size_t d, double *bic)
{
    return b ? mix__mh_criterion(&b->h, X, n, d, bic, 1) : MIX_EINVAL;
}

int mix_bmm_aic(const bmm_t *b, const double *X, size_t n, size_t d, double *aic)
{
    return b ? mix__mh_criterion(&b->h, X, n, d, aic, 0) : MIX_EINVAL;
}

int mix_bmm_sample(const bmm_t *b, size_t n, uint64_t seed, double *X_out, int32_t *labels_out)
{
    return b ? mix__mh_sample(&b->h, n, seed, X_out, labels_out) : MIX_EINVAL;
}

/* --- saved models ------------------------------------------------------------ */

int mix_bmm_save(const bmm_t *b, const char *path)
{
    return b ? mix__mh_save(&b->h, path) : MIX_EINVAL;
}

int mix_bmm_save_buffer(const bmm_t *b, void *buf, size_t capacity, size_t *size)
{
    return b ? mix__mh_save_buffer(&b->h, buf, capacity, size) : MIX_EINVAL;
}

int mix_bmm_load(bmm_t *b, const char *path)
{
    return b ? mix__mh_load(&b->h, path) : MIX_EINVAL;
}

int mix_bmm_load_buffer(bmm_t *b, const void *buf, size_t size)
{
    return b ? mix__mh_load_buffer(&b->h, buf, size) : MIX_EINVAL;
}

/* --- getters -------------------------------------------------------------- */

const double *mix_bmm_weights(const bmm_t *b)
{
    return b && b->h.fitted ? b->h.model.u.weights : NULL;
}

const double *mix_bmm_probs(const bmm_t *b)
{
    return b && b->h.fitted ? b->h.model.means : NULL;
}

int mix_bmm_converged(const bmm_t *b)
{
    return b && b->h.fitted ? b->h.model.converged : 0;
}

int mix_bmm_n_iter(const bmm_t *b)
{
    return b && b->h.fitted ? b->h.model.n_iter : 0;
}

int mix_bmm_is_fitted(const bmm_t *b)
{
    return b ? b->h.fitted : 0;
}

double mix_bmm_lower_bound(const bmm_t *b)
{
    return b && b->h.fitted ? b->h.model.lower_bound : NAN;
}

size_t mix_bmm_n_parameters(const bmm_t *b)
{
    return b && b->h.fitted ? mix__params_count(&b->h.model.u) : 0;
}

size_t mix_bmm_n_components(const bmm_t *b)
{
    return b ? b->h.k : 0;
}

size_t mix_bmm_n_features(const bmm_t *b)
{
    return b && b->h.fitted ? b->h.model.d : 0;
}

const char *mix_bmm_errmsg(const bmm_t *b)
{
    return b ? b->h.err.msg : "NULL handle";
}
