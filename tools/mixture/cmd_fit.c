/* mixture fit: fit a model to INPUT and write it to MODEL. */
#include "cmd.h"

#include "cli.h"
#include "dataset.h"
#include "progress.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static const char HELP[] =
    "usage: mixture fit [--model kmeans|gmm|bmm] -k K [--covariance full|tied|diag|spherical]\n"
    "                   [--method em|adam] [--init NAME] [--n-init N] [--max-iter N] [--tol T]\n"
    "                   [--seed S] [--threads T] [--weights-column C] [--quiet] -o MODEL INPUT\n"
    "\n"
    "Fit a model to the rows of INPUT (a CSV or .npy file, or - for standard input)\n"
    "and write it to MODEL in libmixture's model format (docs/format.md).\n"
    "\n"
    "Model:\n"
    "  --model KIND         kmeans, gmm (Gaussian mixture, the default) or bmm (Bernoulli\n"
    "                       mixture of 0/1 data)\n"
    "  -k K                 number of clusters or components (required)\n"
    "  --covariance TYPE    gmm: full (default), tied, diag or spherical\n"
    "  --method em|adam     em (EM, Lloyd for K-means; default) or adam (gradient fitting)\n"
    "  --init NAME          kmeans (mixtures' default), k-means++ (K-means' default), random,\n"
    "                       random_from_data, hierarchical (gmm)\n"
    "  --n-init N           restarts, the best kept (default 10 for kmeans, 1 for mixtures)\n"
    "  --max-iter N         iterations per run (default 300 for kmeans, 100 for mixtures)\n"
    "  --tol T              convergence threshold (default 1e-4 for kmeans, 1e-3 for mixtures)\n"
    "  --seed S             seed of the random starts (default 0)\n"
    "  --threads T          threads, 0 for all cores (default); results do not depend on it\n"
    "  --reg-covar R        gmm: added to covariance diagonals (default 1e-6)\n"
    "  --alpha A            bmm: pseudo-count of the probabilities (default 1)\n"
    "  --learning-rate L    adam: step size (default 0.01)\n"
    "  --batch-size B       adam: rows per step, 0 for all rows (default)\n"
    "Input:\n"
    "  --columns LIST       the feature columns, from 1: \"1-4\", \"2,5-\", or header names\n"
    "                       (default: every column but the weights)\n"
    "  --weights-column C   a column of non-negative sample weights (number or name)\n"
    "  --delimiter D        , ; | tab or space (default: detected)\n"
    "  --header, --no-header  whether the first line names the columns (default: detected)\n"
    "  --stream             stream the rows from the file every pass (as for data larger\n"
    "                       than --memory-limit); the model is the same, bit for bit\n"
    "  --memory-limit MIB   keep at most this many MiB (2^20 bytes) of data in memory\n"
    "                       (default 1024); --stream is --memory-limit 0\n"
    "Output:\n"
    "  -o MODEL             the model file to write (required; written aside, then renamed)\n"
    "  -q, --quiet          no progress bar and no summary\n"
    "\n"
    "The summary (model, rows, iterations, lower bound or inertia) goes to standard output;\n"
    "a progress bar to standard error when it is a terminal. Exit status: 0 success,\n"
    "2 usage error, 1 anything else (bad data, named by file, line and column; a numeric\n"
    "failure; a file that cannot be read or written).\n";

enum { OPT_K = OPT_OWN, OPT_WEIGHTS };

static const opt_spec SPECS[] = {
    {"help", 'h', 0, OPT_HELP}, {"quiet", 'q', 0, OPT_QUIET}, {"output", 'o', 1, OPT_OUTPUT},
    {"k", 'k', 1, OPT_K}, {"weights-column", 0, 1, OPT_WEIGHTS}, INPUT_OPTIONS, FIT_OPTIONS,
    {NULL, 0, 0, 0}};

/* "8 iterations, converged, lower bound -1.2" */
static void describe_fit(const model *m, char *buf, size_t size)
{
    if (m->km != NULL)
        snprintf(buf, size, "%d iterations, inertia %.10g", mix_kmeans_n_iter(m->km),
                 mix_kmeans_inertia(m->km));
    else if (m->gmm != NULL)
        snprintf(buf, size, "%d iterations, %s, lower bound %.10g", mix_gmm_n_iter(m->gmm),
                 mix_gmm_converged(m->gmm) ? "converged" : "not converged",
                 mix_gmm_lower_bound(m->gmm));
    else
        snprintf(buf, size, "%d iterations, %s, lower bound %.10g", mix_bmm_n_iter(m->bmm),
                 mix_bmm_converged(m->bmm) ? "converged" : "not converged",
                 mix_bmm_lower_bound(m->bmm));
}

int cmd_fit(int argc, char **argv)
{
    const char *cmd = "fit", *out_path = NULL, *in_path = NULL, *value;
    input_opts io = {.header = -1};
    fit_opts fo;
    fit_io fio;
    fit_opts_defaults(&fo);
    fit_io_defaults(&fio);
    unsigned char given[OPT_OWN + 8] = {0};
    int quiet = 0, id, rc;
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
        } else if (id == OPT_K) {
            long k;
            /* the library's range: mix_*_create take 1 <= k <= INT32_MAX */
            if ((rc = parse_long(&it, value, 1, INT32_MAX, &k)) != 0)
                return rc;
            fo.k = (size_t)k;
        } else if (id == OPT_WEIGHTS) {
            io.weights_column = value;
        } else if (id >= OPT_MODEL && id <= OPT_MEMORY_LIMIT) {
            if ((rc = fit_option(&it, id, value, &fo, &fio)) != 0)
                return rc;
        } else if ((rc = input_option(&it, id, value, &io)) != 0) {
            return rc;
        }
    }
    if (!given[OPT_K])
        return usage_error(cmd, "-k K is required");
    if (out_path == NULL)
        return usage_error(cmd, "-o MODEL is required");
    if (in_path == NULL)
        return usage_error(cmd, "INPUT is required (a path, or - for standard input)");
    if ((rc = check_fit_opts(cmd, &fo, given)) != 0)
        return rc;
    io.binary = fo.kind == KIND_BMM;

    char err[ERR_LEN];
    int usage;
    model m;
    if (model_create(&m, &fo, err, &usage) != 0)
        return usage ? usage_error(cmd, "%s", err) : fail(cmd, "%s", err);
    int status = EXIT_FAIL;
    input *in = open_input(cmd, in_path, &io, &status);
    if (in == NULL) {
        model_free(&m);
        return status;
    }
    dataset ds;
    if (dataset_load(&ds, in, fio.memory_limit, 0, 0, err) != 0) {
        dataset_free(&ds);
        model_free(&m);
        return fail(cmd, "%s", err);
    }
    char label[64];
    snprintf(label, sizeof label, "%s k = %zu", model_label(&fo), fo.k);
    progress bar;
    progress_init(&bar, !quiet, label, fo.kind == KIND_KMEANS ? "inertia" : "log-lik",
                  (int)(fo.n_init > 0 ? fo.n_init : fo.kind == KIND_KMEANS ? 10 : 1),
                  (int)(fo.max_iter > 0 ? fo.max_iter : fo.kind == KIND_KMEANS ? 300 : 100));
    model_set_callback(&m, progress_callback, &bar);
    rc = model_fit(&m, &ds, SIDE_ALL);
    progress_done(&bar);
    if (rc != MIX_OK) {
        if (rc == MIX_EIO && ds.err[0] != '\0')
            status = fail(cmd, "%s", ds.err);
        else
            status = fail(cmd, "%s: %s: %s", input_name(in), mix_strerror(rc), model_errmsg(&m));
    } else if (model_save(&m, out_path, err) != 0) {
        status = fail(cmd, "%s", err);
    } else {
        status = EXIT_OK;
        if (!quiet) {
            char what[160];
            describe_fit(&m, what, sizeof what);
            printf("%s, k = %zu: %zu rows x %zu columns%s%s: %s; model written to %s\n",
                   model_label(&fo), fo.k, ds.n, ds.d, ds.weighted ? ", weighted" : "",
                   ds.streamed ? ", streamed" : "", what, out_path);
        }
    }
    dataset_free(&ds);
    model_free(&m);
    return status;
}
