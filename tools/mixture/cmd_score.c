/* mixture score: log-likelihood of INPUT under MODEL, BIC, AIC. */
#include "cmd.h"

#include "cli.h"
#include "criteria.h"
#include "output.h"

#include <stdio.h>
#include <stdlib.h>

static const char HELP[] =
    "usage: mixture score [--per-row | --total | --bic | --aic] [-o PATH] [--format csv|npy]\n"
    "                     MODEL INPUT\n"
    "\n"
    "The mean log-likelihood of the rows of INPUT under a mixture MODEL (scikit-learn's\n"
    "score), printed as one number. For a K-means MODEL, minus the inertia of INPUT\n"
    "(scikit-learn's KMeans.score).\n"
    "\n"
    "  --per-row            one value per row instead (score_samples; K-means: minus the\n"
    "                       squared distance to the closest center)\n"
    "  --total              the total log-likelihood (K-means: minus the inertia)\n"
    "  --bic, --aic         the Bayesian or Akaike information criterion of MODEL on INPUT,\n"
    "                       -2 LL + p ln n or -2 LL + 2 p (K-means: as a hard mixture of\n"
    "                       spherical Gaussians with one variance, see the man page)\n"
    "  -o PATH              write there (written aside, then renamed) instead of standard output\n"
    "  --format csv|npy     output format of --per-row (default: npy when PATH ends in .npy);\n"
    "                       the other results are one number, printed as text (csv)\n"
    "  --columns LIST, --delimiter D, --header, --no-header   as for mixture fit\n";

enum { OPT_PER_ROW = OPT_OWN, OPT_TOTAL, OPT_BIC, OPT_AIC };

static const opt_spec SPECS[] = {
    {"help", 'h', 0, OPT_HELP}, {"output", 'o', 1, OPT_OUTPUT}, {"format", 0, 1, OPT_FORMAT},
    {"per-row", 0, 0, OPT_PER_ROW}, {"total", 0, 0, OPT_TOTAL}, {"bic", 0, 0, OPT_BIC},
    {"aic", 0, 0, OPT_AIC}, INPUT_OPTIONS, {NULL, 0, 0, 0}};

typedef struct job {
    const model *m;
    output *out;   /* --per-row */
    fit_score *sum;
    double *values;
} job;

static int block(void *user, const double *X, size_t n, char *err)
{
    job *j = user;
    int rc = j->out ? model_score_rows(j->m, X, n, j->values) : score_block(j->m, X, n, j->sum);
    if (rc != MIX_OK) {
        set_err(err, "%s: %s", mix_strerror(rc), model_errmsg(j->m));
        return -1;
    }
    return j->out ? output_rows(j->out, j->values, NULL, n, err) : 0;
}

int cmd_score(int argc, char **argv)
{
    const char *cmd = "score", *out_path = NULL, *value, *operands[2];
    int n_operands = 0, format = FORMAT_AUTO, what = 0, id, rc;
    input_opts io = {.header = -1};
    arg_iter it;
    args_init(&it, cmd, argc, argv);
    while ((id = args_next(&it, SPECS, &value)) != ARG_END) {
        if (id == ARG_ERROR)
            return EXIT_USAGE;
        if (id == ARG_OPERAND) {
            if (n_operands == 2)
                return usage_error(cmd, "MODEL and INPUT only; '%s' is one too many", value);
            operands[n_operands++] = value;
        } else if (id == OPT_HELP) {
            return print_help(HELP);
        } else if (id == OPT_OUTPUT) {
            out_path = value;
        } else if (id == OPT_FORMAT) {
            if ((rc = format_option(&it, value, &format)) != 0)
                return rc;
        } else if (id >= OPT_PER_ROW && id <= OPT_AIC) {
            if (what != 0 && what != id)
                return usage_error(cmd, "--per-row, --total, --bic and --aic exclude each other");
            what = id;
        } else if ((rc = input_option(&it, id, value, &io)) != 0) {
            return rc;
        }
    }
    if (n_operands < 2)
        return usage_error(cmd, "MODEL and INPUT are required");
    /* the other results are one number, printed as CSV text */
    if (what != OPT_PER_ROW && output_is_npy(out_path, format))
        return usage_error(cmd, "%s goes with --per-row; the %s is one number, written as text",
                           format == FORMAT_NPY ? "--format npy" : "a .npy output",
                           what == OPT_TOTAL ? "total" : what == OPT_BIC ? "BIC"
                                                       : what == OPT_AIC ? "AIC"
                                                                         : "score");
    model m;
    input *in;
    if ((rc = open_model_input(cmd, operands[0], operands[1], &io, &m, &in)) != 0)
        return rc;
    output out = {0};
    fit_score sum;
    job j = {&m, what == OPT_PER_ROW ? &out : NULL, &sum, malloc(BLOCK_ROWS * sizeof(double))};
    char err[ERR_LEN];
    int status = EXIT_OK;
    if (score_init(&sum, &m) != MIX_OK || j.values == NULL)
        status = fail(cmd, "out of memory");
    else if (output_open(&out, out_path, format,
                         what == OPT_PER_ROW ? 1 : 0, 0, 1, err) != 0 ||
             (what == OPT_PER_ROW && input_has_header(in) &&
              output_header_names(&out, m.kind == KIND_KMEANS ? "score" : "log_likelihood", 0,
                                  NULL, err) != 0))
        status = fail(cmd, "%s", err);
    if (status == EXIT_OK)
        status = walk_rows(cmd, in, block, &j);
    if (status == EXIT_OK && what != OPT_PER_ROW) {
        double v = what == OPT_BIC     ? score_bic(&m, &sum)
                   : what == OPT_AIC   ? score_aic(&m, &sum)
                   : what == OPT_TOTAL || m.kind == KIND_KMEANS ? score_sum(&sum)
                                                               : score_sum(&sum) / (double)sum.n;
        char buf[40];
        format_double(buf, sizeof buf, v);
        if (fprintf(out.f, "%s\n", buf) < 0)
            status = fail(cmd, "write error");
    }
    if (output_close(&out, status == EXIT_OK, err) != 0 && status == EXIT_OK)
        status = fail(cmd, "%s", err);
    score_free(&sum);
    free(j.values);
    input_close(in);
    model_free(&m);
    return status;
}
