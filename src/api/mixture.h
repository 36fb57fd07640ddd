/*
 * The public layer's part shared by the mixture handles (gmm_t, bmm_t;
 * private to api/): the state a mixture handle holds and the checks,
 * options, given parameters, fit, questions and getters both models have.
 * What differs is in a small table (mix__mkind) each model fills.
 */
#ifndef MIX__API_MIXTURE_H
#define MIX__API_MIXTURE_H

#include "core/common.h"
#include "mixture/mixture.h"

typedef struct mix__mhandle mix__mhandle;

typedef struct mix__mkind {
    const char *name;       /* "gmm" or "bmm", for messages (mix_<name>_fit) */
    int io_kind;            /* its kind in a saved model (io/io.h's mix__io_kind) */
    mix_init last_init;     /* the init values accepted are 0 .. last_init */
    /* Given means (or probabilities) and covariances usable by the model
     * (check_cov is NULL for a family without covariances). */
    int (*check_means)(mix__err *err, const double *mu, size_t k, size_t d);
    int (*check_cov)(const mix__family *fam, size_t k, size_t d, const double *cov,
                     mix__err *err);
    /* New rows (shape, width and finiteness checked) the model can answer
     * for; max_abs_u is their reach in the model's units. */
    int (*check_rows)(const mix__mhandle *h, const double *X, size_t n, size_t d,
                      double max_abs_u);
    /* The fit of the rows of src (see mix__gmm_fit). */
    int (*fit)(const mix__mhandle *h, const mix__mmodel *warm, const mix__source *src,
               mix__mmodel *m);
    int (*sample)(const mix__mmodel *m, size_t n, uint64_t seed, double *X, int32_t *labels);
} mix__mkind;

struct mix__mhandle {
    mix__err err;
    size_t k;
    const mix__family *fam;
    const mix__mkind *kind;
    mix__mixture_opts opt;
    mix__dist dist; /* the ranks of a distributed fit (allreduce NULL: one process) */
    int fitted;
    mix__mmodel model;
};

/* The error record of a const handle: logically mutable (core/common.h). */
static inline mix__err *mix__mh_err(const mix__mhandle *h)
{
    return (mix__err *)&h->err;
}

void mix__mh_init(mix__mhandle *h, size_t k, const mix__family *fam, const mix__mkind *kind,
                  mix__mixture_opts opts);
void mix__mh_destroy(mix__mhandle *h);

/* --- options: each checks its value (MIX_EINVAL and a message) ----------- */
int mix__mh_set_init(mix__mhandle *h, mix_init init);
int mix__mh_set_n_init(mix__mhandle *h, int n_init);
int mix__mh_set_max_iter(mix__mhandle *h, int max_iter);
int mix__mh_set_tol(mix__mhandle *h, double tol);
int mix__mh_set_reg(mix__mhandle *h, const char *name, double reg);
int mix__mh_set_warm_start(mix__mhandle *h, int warm_start);
int mix__mh_set_threads(mix__mhandle *h, int n_threads);

/* Given parameters (weights k, means k x d, covariances of the family's
 * length; each may be NULL, all NULL clears them): checked, copied, and
 * made the model when complete (covariances are complete when the family
 * has none). */
int mix__mh_set_params(mix__mhandle *h, size_t d, const double *weights, const double *means,
                       const double *cov);

int mix__mh_fit(mix__mhandle *h, const double *X, size_t n, size_t d, const double *w);
int mix__mh_fit_stream(mix__mhandle *h, size_t d, mix_read_fn read, void *user);
/* One step of stepwise EM on a chunk (the first call fits the chunk). */
int mix__mh_partial_fit(mix__mhandle *h, const double *X, size_t n, size_t d, const double *w);
int mix__mh_set_online(mix__mhandle *h, double kappa, double t0);
int mix__mh_set_distributed(mix__mhandle *h, int rank, int size, mix_allreduce_fn allreduce,
                            void *user);

/* A checked pass over new rows; outputs as mix__mixture_assign. */
int mix__mh_query(const mix__mhandle *h, const double *X, size_t n, size_t d, const void *out,
                  const char *out_name, int32_t *labels, double *resp, double *logp,
                  double *total);
int mix__mh_score(const mix__mhandle *h, const double *X, size_t n, size_t d, double *mean);
int mix__mh_loglik(const mix__mhandle *h, const double *X, size_t n, size_t d, double *total);
/* -2 log L + p ln n (bic) or + 2 p. */
int mix__mh_criterion(const mix__mhandle *h, const double *X, size_t n, size_t d, double *out,
                      int bic);
int mix__mh_sample(const mix__mhandle *h, size_t n, uint64_t seed, double *X, int32_t *labels);

/* --- saved models (mixture_io.c): as the mix_gmm_save* / load* calls ---- */
int mix__mh_save(const mix__mhandle *h, const char *path);
int mix__mh_save_buffer(const mix__mhandle *h, void *buf, size_t capacity, size_t *size);
int mix__mh_load(mix__mhandle *h, const char *path);
int mix__mh_load_buffer(mix__mhandle *h, const void *buf, size_t size);

#endif /* MIX__API_MIXTURE_H */
