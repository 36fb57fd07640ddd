/* mixture select: fit k over a range and choose k by BIC, AIC or held-out
 * log-likelihood, printing the table the choice came from. */
#include "cmd.h"

#include "cli.h"
#include "criteria.h"
#include "dataset.h"
#include "progress.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char HELP[] =
    "usage: mixture select [--model gmm|kmeans|bmm] [--covariance ...] --k-min A --k-max B\n"
    "                      [--criterion bic|aic|heldout] [--heldout F] [-o MODEL] INPUT\n"
    "\n"
    "Fit one model for each k from A to B and choose k by the lowest BIC (default) or\n"
    "AIC on INPUT, or by the highest log-likelihood of held-out rows (the lowest held-out\n"
    "NLL) of a model fitted to the other rows. Prints the table the choice came from, then\n"
    "\"chosen k = K\".\n"
    "\n"
    "  --k-min A, --k-max B   the range of k (required; 1 <= A <= B)\n"
    "  --criterion C          bic (default), aic or heldout\n"
    "  --heldout F            heldout: each row is held out with probability F (default 0.2),\n"
    "                         drawn from --seed\n"
    "  -o MODEL               also write the chosen model there\n"
    "  -q, --quiet            no progress bar\n"
    "  --model, --covariance, --method, --init, --n-init, --max-iter, --tol, --seed,\n"
    "  --threads, --reg-covar, --alpha, --learning-rate, --batch-size, --stream,\n"
    "  --memory-limit, --columns, --delimiter, --header, --no-header   as for mixture fit\n"
    "\n"
    "K-means is scored as a hard mixture of spherical Gaussians with one variance\n"
    "(X-means' BIC; see the man page). The log-likelihood column is of the rows fitted.\n";

enum { OPT_K_MIN = OPT_OWN, OPT_K_MAX, OPT_CRITERION, OPT_HELDOUT };

static const opt_spec SPECS[] = {
    {"help", 'h', 0, OPT_HELP}, {"quiet", 'q', 0, OPT_QUIET}, {"output", 'o', 1, OPT_OUTPUT},
    {"k-min", 0, 1, OPT_K_MIN}, {"k-max", 0, 1, OPT_K_MAX}, {"criterion", 0, 1, OPT_CRITERION},
    {"heldout", 0, 1, OPT_HELDOUT}, INPUT_OPTIONS, FIT_OPTIONS, {NULL, 0, 0, 0}};

enum { CRIT_BIC, CRIT_AIC, CRIT_HELDOUT };

/* The score of one side of ds under m, block by block. */
static int score_side(const model *m, dataset *ds, int side, fit_score *s)
{
    int rc = score_init(s, m);
    if (rc != MIX_OK)
        return rc;
    if (!ds->streamed) {
        double *X, *w;
        size_t n;
        int owned;
        if (dataset_side(ds, side, &X, &w, &n, &owned) != 0)
            return MIX_ENOMEM;
        rc = n > 0 ? score_block(m, X, n, s) : MIX_OK;
        if (owned) {
            free(X);
            free(w);
        }
        return rc;
    }
    size_t block = input_block_rows(ds->in, BLOCK_ROWS), bytes;
    double *X = NULL;
    double *w = malloc(block * sizeof *w);
    if (mul_size(block, ds->d, &bytes) == 0 && mul_size(bytes, sizeof *X, &bytes) == 0)
        X = malloc(bytes);
    if (X == NULL || w == NULL) {
        free(X);
        free(w);
        return MIX_ENOMEM;
    }
    dataset_begin(ds, side);
    long got;
    while (rc == MIX_OK && (got = dataset_reader(ds, X, w, block)) != 0)
        rc = got < 0 ? MIX_EIO : score_block(m, X, (size_t)got, s);
    free(X);
    free(w);
    return rc;
}

typedef struct row {
    size_t k;
    int ok;
    size_t params;
    double loglik, bic, aic, heldout_nll;
    int n_iter, converged;
} row;

static int n_iter_of(const model *m)
{
    return m->km ? mix_kmeans_n_iter(m->km) : m->gmm ? mix_gmm_n_iter(m->gmm)
                                                     : mix_bmm_n_iter(m->bmm);
}

static int converged_of(const model *m)
{
    return m->km ? -1 : m->gmm ? mix_gmm_converged(m->gmm) : mix_bmm_converged(m->bmm);
}

/* Fit k and fill r; keeps the model in *m on success. */
static int fit_one(const char *cmd, fit_opts fo, size_t k, dataset *ds, int criterion,
                   int quiet, model *m, row *r)
{
    char err[ERR_LEN], label[64];
    int usage;
    fo.k = k;
    memset(r, 0, sizeof *r);
    r->k = k;
    if (model_create(m, &fo, err, &usage) != 0)
        return usage ? usage_error(cmd, "%s", err) : fail(cmd, "%s", err);
    snprintf(label, sizeof label, "%s k = %zu", model_label(&fo), k);
    progress bar;
    progress_init(&bar, !quiet, label, fo.kind == KIND_KMEANS ? "inertia" : "log-lik",
                  (int)(fo.n_init > 0 ? fo.n_init : fo.kind == KIND_KMEANS ? 10 : 1),
                  (int)(fo.max_iter > 0 ? fo.max_iter : fo.kind == KIND_KMEANS ? 300 : 100));
    model_set_callback(m, progress_callback, &bar);
    int side = criterion == CRIT_HELDOUT ? SIDE_TRAIN : SIDE_ALL;
    int rc = model_fit(m, ds, side);
    progress_done(&bar);
    fit_score train = {0}, held = {0};
    if (rc == MIX_OK)
        rc = score_side(m, ds, side, &train);
    if (rc == MIX_OK && criterion == CRIT_HELDOUT)
        rc = score_side(m, ds, SIDE_HELDOUT, &held);
    if (rc != MIX_OK) {
        /* one k failing (too few rows, a singular covariance) is reported
         * and leaves a gap in the table */
        fprintf(stderr, "mixture %s: k = %zu: %s: %s\n", cmd, k, mix_strerror(rc),
                rc == MIX_EIO && ds->err[0] ? ds->err : model_errmsg(m));
        score_free(&train);
        score_free(&held);
        model_free(m);
        return rc == MIX_EIO ? EXIT_FAIL : 0;
    }
    r->ok = 1;
    r->params = score_n_params(m);
    r->loglik = score_loglik(m, &train);
    r->bic = score_bic(m, &train);
    r->aic = score_aic(m, &train);
    if (criterion == CRIT_HELDOUT)
        r->heldout_nll = -score_heldout(m, &train, &held) / (double)held.n;
    r->n_iter = n_iter_of(m);
    r->converged = converged_of(m);
    score_free(&train);
    score_free(&held);
    return 0;
}

static double key(const row *r, int criterion)
{
    return criterion == CRIT_BIC ? r->bic : criterion == CRIT_AIC ? r->aic : r->heldout_nll;
}

static void print_table(const row *rows, size_t count, int criterion, size_t chosen)
{
    printf("%4s %10s %16s %16s %16s", "k", "parameters", "log-likelihood", "BIC", "AIC");
    if (criterion == CRIT_HELDOUT)
        printf(" %14s", "heldout NLL");
    printf(" %10s %9s\n", "iterations", "converged");
    for (size_t t = 0; t < count; t++) {
        const row *r = &rows[t];
        if (!r->ok) {
            printf("%4zu %10s %16s %16s %16s%s %10s %9s\n", r->k, "-", "failed", "-", "-",
                   criterion == CRIT_HELDOUT ? "              -" : "", "-", "-");
            continue;
        }
        printf("%4zu %10zu %16.8g %16.8g %16.8g", r->k, r->params, r->loglik, r->bic, r->aic);
        if (criterion == CRIT_HELDOUT)
            printf(" %14.8g", r->heldout_nll);
        printf(" %10d %9s%s\n", r->n_iter,
               r->converged < 0 ? "-" : r->converged ? "yes" : "no", t == chosen ? "  *" : "");
    }
}

int cmd_select(int argc, char **argv)
{
    const char *cmd = "select", *out_path = NULL, *in_path = NULL, *value;
    static const char *const CRITERIA[] = {"bic", "aic", "heldout"};
    input_opts io = {.header = -1};
    fit_opts fo;
    fit_io fio;
    fit_opts_defaults(&fo);
    fit_io_defaults(&fio);
    unsigned char given[OPT_OWN + 8] = {0};
    long k_min = 0, k_max = 0;
    int quiet = 0, criterion = CRIT_BIC, id, rc;
    double heldout = 0.2;
    arg_iter it;
    args_init(&it, cmd, argc, argv);
    while ((id = args_next(&it, SPECS, &value)) != ARG_END) {
        if (id == ARG_ERROR)
            return EXIT_USAGE;
        if (id > 0)
            given[id] = 1;
        if (id == ARG_OPERAND) {
            if (in_path != NULL)
                return usage_error(cmd, "one INPUT only ('%s' and '%s')", in_path, value);
            in_path = value;
        } else if (id == OPT_HELP) {
            return print_help(HELP);
        } else if (id == OPT_QUIET) {
            quiet = 1;
        } else if (id == OPT_OUTPUT) {
            out_path = value;
        } else if (id == OPT_K_MIN || id == OPT_K_MAX) {
            if ((rc = parse_long(&it, value, 1, 100000, id == OPT_K_MIN ? &k_min : &k_max)) != 0)
                return rc;
        } else if (id == OPT_CRITERION) {
            if ((rc = parse_choice(&it, value, CRITERIA, 3, &criterion)) != 0)
                return rc;
        } else if (id == OPT_HELDOUT) {
            if ((rc = parse_double(&it, value, 0, 1, 1, &heldout)) != 0)
                return rc;
            if (heldout >= 1)
                return usage_error(cmd, "--heldout: %s leaves no rows to fit", value);
        } else if (id >= OPT_MODEL && id <= OPT_MEMORY_LIMIT) {
            if ((rc = fit_option(&it, id, value, &fo, &fio)) != 0)
                return rc;
        } else if ((rc = input_option(&it, id, value, &io)) != 0) {
            return rc;
        }
    }
    if (!given[OPT_K_MIN] || !given[OPT_K_MAX])
        return usage_error(cmd, "--k-min and --k-max are required");
    if (k_min > k_max)
        return usage_error(cmd, "--k-min %ld is above --k-max %ld", k_min, k_max);
    if (given[OPT_HELDOUT] && criterion != CRIT_HELDOUT)
        return usage_error(cmd, "--heldout goes with --criterion heldout");
    if (in_path == NULL)
        return usage_error(cmd, "INPUT is required (a path, or - for standard input)");
    if ((rc = check_fit_opts(cmd, &fo, given)) != 0)
        return rc;
    io.binary = fo.kind == KIND_BMM;

    int status = EXIT_FAIL;
    input *in = open_input(cmd, in_path, &io, &status);
    if (in == NULL)
        return status;
    char err[ERR_LEN];
    dataset ds;
    if (dataset_load(&ds, in, fio.memory_limit, criterion == CRIT_HELDOUT ? heldout : 0,
                     fo.seed, err) != 0) {
        dataset_free(&ds);
        return fail(cmd, "%s", err);
    }
    if (criterion == CRIT_HELDOUT && (ds.n_side[SIDE_TRAIN] == 0 || ds.n_side[SIDE_HELDOUT] == 0)) {
        status = fail(cmd, "%s: %zu rows: too few to hold out a fraction %g and fit the rest",
                      input_name(in), ds.n, heldout);
        dataset_free(&ds);
        return status;
    }
    size_t count = (size_t)(k_max - k_min + 1), chosen = count;
    row *rows = calloc(count, sizeof *rows);
    model best = {0};
    status = rows == NULL ? fail(cmd, "out of memory") : EXIT_OK;
    for (size_t t = 0; status == EXIT_OK && t < count; t++) {
        model m;
        status = fit_one(cmd, fo, (size_t)k_min + t, &ds, criterion, quiet, &m, &rows[t]);
        if (status != EXIT_OK || !rows[t].ok)
            continue;
        if (chosen == count || key(&rows[t], criterion) < key(&rows[chosen], criterion)) {
            chosen = t;
            model_free(&best);
            best = m;
        } else {
            model_free(&m);
        }
    }
    if (status == EXIT_OK && chosen == count)
        status = fail(cmd, "no k from %ld to %ld could be fitted", k_min, k_max);
    if (status == EXIT_OK) {
        static const char *const WHY[] = {"lowest BIC", "lowest AIC", "lowest held-out NLL"};
        printf("%s on %s: %zu rows x %zu columns", model_label(&fo), input_name(in), ds.n, ds.d);
        if (criterion == CRIT_HELDOUT)
            printf(" (%zu fitted, %zu held out)", ds.n_side[SIDE_TRAIN], ds.n_side[SIDE_HELDOUT]);
        printf("; criterion %s (%s)\n", CRITERIA[criterion], WHY[criterion]);
        print_table(rows, count, criterion, chosen);
        printf("chosen k = %zu\n", rows[chosen].k);
        if (fflush(stdout) != 0)
            status = fail(cmd, "<stdout>: write error");
        else if (out_path != NULL && model_save(&best, out_path, err) != 0)
            status = fail(cmd, "%s", err);
    }
    model_free(&best);
    free(rows);
    dataset_free(&ds);
    return status;
}
