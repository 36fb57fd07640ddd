/* mixture transform: each row's distance to each K-means center. */
#include "cmd.h"

#include "cli.h"
#include "output.h"

#include <stdlib.h>

static const char HELP[] =
    "usage: mixture transform [-o PATH] [--format csv|npy] MODEL INPUT\n"
    "\n"
    "The Euclidean distance from each row of INPUT to each center of a K-means\n"
    "MODEL (n x k; scikit-learn's KMeans.transform).\n"
    "\n"
    "  -o PATH              write there (written aside, then renamed) instead of standard output\n"
    "  --format csv|npy     output format (default: npy when PATH ends in .npy, else csv)\n"
    "  --columns LIST, --delimiter D, --header, --no-header   as for mixture fit\n"
    "\n"
    "A CSV output has a header line (d0 ... dK-1) when INPUT has one.\n";

static const opt_spec SPECS[] = {{"help", 'h', 0, OPT_HELP}, {"output", 'o', 1, OPT_OUTPUT},
                                 {"format", 0, 1, OPT_FORMAT}, INPUT_OPTIONS, {NULL, 0, 0, 0}};

typedef struct job {
    const model *m;
    output *out;
    double *dist;
} job;

static int block(void *user, const double *X, size_t n, char *err)
{
    job *j = user;
    int rc = mix_kmeans_transform(j->m->km, X, n, model_d(j->m), j->dist);
    if (rc != MIX_OK) {
        set_err(err, "%s: %s", mix_strerror(rc), model_errmsg(j->m));
        return -1;
    }
    return output_rows(j->out, j->dist, NULL, n, err);
}

int cmd_transform(int argc, char **argv)
{
    const char *cmd = "transform", *out_path = NULL, *value, *operands[2];
    int n_operands = 0, format = FORMAT_AUTO, id, rc;
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
    if (m.kind != KIND_KMEANS) {
        const char *title = kind_title(m.kind);
        input_close(in);
        model_free(&m);
        return fail(cmd, "%s: transform needs a K-means model; this is a %s", operands[0], title);
    }
    size_t k = model_k(&m);
    output out = {0};
    job j = {&m, &out, malloc((size_t)BLOCK_ROWS * k * sizeof(double))};
    char err[ERR_LEN];
    int status = EXIT_OK;
    if (j.dist == NULL)
        status = fail(cmd, "out of memory");
    else if (output_open(&out, out_path, format, k, 0, 0, err) != 0 ||
             (input_has_header(in) && output_header_names(&out, "d", 1, NULL, err) != 0))
        status = fail(cmd, "%s", err);
    if (status == EXIT_OK)
        status = walk_rows(cmd, in, block, &j);
    if (output_close(&out, status == EXIT_OK, err) != 0 && status == EXIT_OK)
        status = fail(cmd, "%s", err);
    free(j.dist);
    input_close(in);
    model_free(&m);
    return status;
}
