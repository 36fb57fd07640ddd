/* mixture sample: rows drawn from a mixture model. */
#include "cmd.h"

#include "cli.h"
#include "output.h"

#include <stdlib.h>

static const char HELP[] =
    "usage: mixture sample -n N [--seed S] [-o PATH] [--format csv|npy] [--header] MODEL\n"
    "\n"
    "N rows drawn from a Gaussian or Bernoulli mixture MODEL, each with the component\n"
    "it came from in the last column (scikit-learn's sample). The same seed gives the\n"
    "same rows.\n"
    "\n"
    "  -n N                 number of rows (required)\n"
    "  --seed S             seed of the draws (default 0)\n"
    "  -o PATH              write there (written aside, then renamed) instead of standard output\n"
    "  --format csv|npy     output format (default: npy when PATH ends in .npy, else csv);\n"
    "                       .npy holds float64 rows with the label as the last column\n"
    "  --header             a CSV header line: x0 ... xD-1,label (CSV output only)\n";

enum { OPT_N = OPT_OWN, OPT_SAMPLE_SEED };

static const opt_spec SPECS[] = {
    {"help", 'h', 0, OPT_HELP}, {"output", 'o', 1, OPT_OUTPUT}, {"format", 0, 1, OPT_FORMAT},
    {"header", 0, 0, OPT_HEADER}, {"n", 'n', 1, OPT_N}, {"seed", 0, 1, OPT_SAMPLE_SEED},
    {NULL, 0, 0, 0}};

int cmd_sample(int argc, char **argv)
{
    const char *cmd = "sample", *out_path = NULL, *value, *model_path = NULL;
    int format = FORMAT_AUTO, header = 0, id, rc;
    size_t n = 0;
    uint64_t seed = 0;
    arg_iter it;
    args_init(&it, cmd, argc, argv);
    while ((id = args_next(&it, SPECS, &value)) != ARG_END) {
        if (id == ARG_ERROR)
            return EXIT_USAGE;
        if (id == ARG_OPERAND) {
            if (model_path != NULL)
                return usage_error(cmd, "one MODEL only; '%s' is one too many", value);
            model_path = value;
        } else if (id == OPT_HELP) {
            return print_help(HELP);
        } else if (id == OPT_OUTPUT) {
            out_path = value;
        } else if (id == OPT_FORMAT) {
            if ((rc = format_option(&it, value, &format)) != 0)
                return rc;
        } else if (id == OPT_HEADER) {
            header = 1;
        } else if (id == OPT_N) {
            if ((rc = parse_size(&it, value, 1, &n)) != 0)
                return rc;
        } else if ((rc = parse_u64(&it, value, &seed)) != 0) {
            return rc;
        }
    }
    if (n == 0)
        return usage_error(cmd, "-n N is required");
    if (model_path == NULL)
        return usage_error(cmd, "MODEL is required");
    if (header && output_is_npy(out_path, format))
        return usage_error(cmd, "--header is for a CSV output, not .npy");
    model m;
    if ((rc = open_model(cmd, model_path, &m)) != 0)
        return rc;
    if (m.kind == KIND_KMEANS) {
        model_free(&m);
        return fail(cmd, "%s: sample needs a mixture; this is a K-means model", model_path);
    }
    if (!model_is_fitted(&m)) {
        model_free(&m);
        return fail(cmd, "%s: the model is not fitted", model_path);
    }
    size_t d = model_d(&m);
    double *X = n <= SIZE_MAX / sizeof(double) / d ? malloc(n * d * sizeof *X) : NULL;
    int32_t *labels = malloc(n * sizeof *labels);
    output out = {0};
    char err[ERR_LEN];
    int status = EXIT_OK;
    if (X == NULL || labels == NULL)
        status = fail(cmd, "out of memory for %zu rows", n);
    else if ((rc = model_sample(&m, n, seed, X, labels)) != MIX_OK)
        status = fail(cmd, "%s: %s", mix_strerror(rc), model_errmsg(&m));
    else if (output_open(&out, out_path, format, d, 1, 0, err) != 0 ||
             (header && output_header_names(&out, "x", 1, "label", err) != 0) ||
             output_rows(&out, X, labels, n, err) != 0)
        status = fail(cmd, "%s", err);
    if (output_close(&out, status == EXIT_OK, err) != 0 && status == EXIT_OK)
        status = fail(cmd, "%s", err);
    free(X);
    free(labels);
    model_free(&m);
    return status;
}
