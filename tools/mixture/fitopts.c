/* The fit options that `mixture fit` and `mixture select` share. */
#include "cmd.h"

#include "cli.h"

#include <math.h>
#include <string.h>

static const char *const KINDS[] = {"kmeans", "gmm", "bmm"};
static const char *const COVARIANCES[] = {"full", "tied", "diag", "spherical"};
static const char *const METHODS[] = {"em", "adam"};
/* scikit-learn's spellings, in mix_init order, then aliases */
static const char *const INITS[] = {"kmeans",   "k-means++",        "random",
                                    "random_from_data", "hierarchical", "kmeans++",
                                    "random-from-data"};

void fit_io_defaults(fit_io *io)
{
    io->memory_limit = (size_t)1024 << 20;
}

int fit_option(const arg_iter *it, int id, const char *value, fit_opts *o, fit_io *io)
{
    int choice, rc = 0;
    long v;
    switch (id) {
    case OPT_MODEL:
        if ((rc = parse_choice(it, value, KINDS, 3, &choice)) == 0)
            o->kind = (model_kind)(choice + 1);
        return rc;
    case OPT_COVARIANCE:
        return parse_choice(it, value, COVARIANCES, 4, &o->covariance);
    case OPT_METHOD:
        return parse_choice(it, value, METHODS, 2, &o->method);
    case OPT_INIT:
        if ((rc = parse_choice(it, value, INITS, 7, &choice)) == 0)
            o->init = choice == 5 ? MIX_INIT_KMEANSPP : choice == 6 ? MIX_INIT_RANDOM_FROM_DATA
                                                                    : choice;
        return rc;
    case OPT_N_INIT:
        return parse_long(it, value, 1, 100000, &o->n_init);
    case OPT_MAX_ITER:
        return parse_long(it, value, 0, 1000000000, &o->max_iter);
    case OPT_TOL:
        return parse_double(it, value, 0, HUGE_VAL, 0, &o->tol);
    case OPT_SEED:
        o->has_seed = 1;
        return parse_u64(it, value, &o->seed);
    case OPT_THREADS:
        return parse_long(it, value, 0, 1024, &o->threads);
    case OPT_REG_COVAR:
        return parse_double(it, value, 0, HUGE_VAL, 0, &o->reg_covar);
    case OPT_ALPHA:
        return parse_double(it, value, 0, HUGE_VAL, 0, &o->alpha);
    case OPT_LEARNING_RATE:
        return parse_double(it, value, 0, HUGE_VAL, 1, &o->learning_rate);
    case OPT_BATCH_SIZE:
        return parse_long(it, value, 0, 2147483647, &o->batch_size);
    case OPT_STREAM:
        io->memory_limit = 0;
        return 0;
    case OPT_MEMORY_LIMIT:
        if ((rc = parse_long(it, value, 0, 1L << 30, &v)) == 0)
            io->memory_limit = (size_t)v << 20;
        return rc;
    default:
        return usage_error(it->cmd, "internal error: option %s", it->name);
    }
}

int check_fit_opts(const char *cmd, const fit_opts *o, const unsigned char *given)
{
    static const struct {
        int id;
        const char *name;
        unsigned kinds; /* bit kind: the kinds the option applies to */
    } applies[] = {
        {OPT_COVARIANCE, "--covariance", 1u << KIND_GMM},
        {OPT_REG_COVAR, "--reg-covar", 1u << KIND_GMM},
        {OPT_ALPHA, "--alpha", 1u << KIND_BMM},
        {OPT_METHOD, "--method", 1u << KIND_GMM | 1u << KIND_KMEANS},
        {OPT_LEARNING_RATE, "--learning-rate", 1u << KIND_GMM | 1u << KIND_KMEANS},
        {OPT_BATCH_SIZE, "--batch-size", 1u << KIND_GMM | 1u << KIND_KMEANS},
    };
    for (size_t t = 0; t < sizeof applies / sizeof applies[0]; t++)
        if (given[applies[t].id] && !(applies[t].kinds & (1u << o->kind)))
            return usage_error(cmd, "%s does not apply to a %s model", applies[t].name,
                               kind_name(o->kind));
    if (o->method != MIX_METHOD_ADAM) {
        if (given[OPT_LEARNING_RATE])
            return usage_error(cmd, "--learning-rate goes with --method adam");
        if (given[OPT_BATCH_SIZE])
            return usage_error(cmd, "--batch-size goes with --method adam");
    }
    if (given[OPT_STREAM] && given[OPT_MEMORY_LIMIT])
        return usage_error(cmd, "--stream and --memory-limit exclude each other "
                                "(--stream is --memory-limit 0)");
    if (o->init == MIX_INIT_HIERARCHICAL && o->kind != KIND_GMM)
        return usage_error(cmd, "--init hierarchical is for Gaussian mixtures only");
    if (o->init == MIX_INIT_KMEANS && o->kind == KIND_KMEANS)
        return usage_error(cmd, "--init kmeans is for mixtures; K-means starts from "
                                "k-means++, random or random_from_data");
    return 0;
}

const char *model_label(const fit_opts *o)
{
    static const char *const gmm_labels[] = {"gmm (full)", "gmm (tied)", "gmm (diag)",
                                             "gmm (spherical)"};
    return o->kind == KIND_GMM ? gmm_labels[o->covariance] : kind_name(o->kind);
}
