/* mixture predict: labels (or probabilities) of the rows of INPUT. */
#include "cmd.h"

#include "cli.h"
#include "output.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char HELP[] =
    "usage: mixture predict [--proba] [-o PATH] [--format csv|npy] MODEL INPUT\n"
    "\n"
    "The cluster or component of each row of INPUT (a CSV or .npy file, or - for\n"
    "standard input) under MODEL, one per line; with --proba, each component's\n"
    "probability for each row (Gaussian and Bernoulli mixtures).\n"
    "\n"
    "  --proba              probabilities (n x k) instead of labels\n"
    "  -o PATH              write there (written aside, then renamed) instead of standard output\n"
    "  --format csv|npy     output format (default: npy when PATH ends in .npy, else csv)\n"
    "  --columns LIST, --delimiter D, --header, --no-header   as for mixture fit\n"
    "\n"
    "A CSV output has a header line (label, or p0 ... pK-1) when INPUT has one.\n"
    "Labels in .npy are int32, probabilities float64.\n";

enum { OPT_PROBA = OPT_OWN };

static const opt_spec SPECS[] = {{"help", 'h', 0, OPT_HELP},   {"output", 'o', 1, OPT_OUTPUT},
                                 {"format", 0, 1, OPT_FORMAT}, {"proba", 0, 0, OPT_PROBA},
                                 INPUT_OPTIONS,                {NULL, 0, 0, 0}};

typedef struct job {
    const model *m;
    output *out;
    int proba;
    int32_t *labels;
    double *resp;
} job;

static int block(void *user, const double *X, size_t n, char *err)
{
    job *j = user;
    int rc = j->proba ? model_proba(j->m, X, n, j->resp) : model_predict(j->m, X, n, j->labels);
    if (rc != MIX_OK) {
        set_err(err, "%s: %s", mix_strerror(rc), model_errmsg(j->m));
        return -1;
    }
    return output_rows(j->out, j->proba ? j->resp : NULL, j->proba ? NULL : j->labels, n, err);
}

int cmd_predict(int argc, char **argv)
{
    const char *cmd = "predict", *out_path = NULL, *value, *operands[2];
    int n_operands = 0, format = FORMAT_AUTO, proba = 0, id, rc;
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
        } else if (id == OPT_PROBA) {
            proba = 1;
        } else if ((rc = input_option(&it, id, value, &io)) != 0) {
            return rc;
        }
    }
    if (n_operands < 2)
        return usage_error(cmd, "MODEL and INPUT are required");
    model m;
    input *in;
    if ((rc = open_model_input(cmd, operands[0], operands[1], &io, &m, &in)) != 0)
        return rc;
    if (proba && m.kind == KIND_KMEANS) {
        input_close(in);
        model_free(&m);
        return fail(cmd, "%s: --proba needs a mixture; this is a K-means model", operands[0]);
    }
    size_t k = model_k(&m);
    job j = {&m, NULL, proba, malloc(BLOCK_ROWS * sizeof(int32_t)),
             malloc((size_t)BLOCK_ROWS * k * sizeof(double))};
    output out = {0};
    char err[ERR_LEN];
    int status = EXIT_OK;
    j.out = &out;
    if (j.labels == NULL || j.resp == NULL)
        status = fail(cmd, "out of memory");
    else if (output_open(&out, out_path, format, proba ? k : 0, !proba, !proba, err) != 0 ||
             (input_has_header(in) && output_header_names(&out, "p", 1, "label", err) != 0))
        status = fail(cmd, "%s", err);
    if (status == EXIT_OK)
        status = walk_rows(cmd, in, block, &j);
    if (output_close(&out, status == EXIT_OK, err) != 0 && status == EXIT_OK)
        status = fail(cmd, "%s", err);
    free(j.labels);
    free(j.resp);
    input_close(in);
    model_free(&m);
    return status;
}
