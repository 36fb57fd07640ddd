/*
 * mixture: the command-line tool of libmixture. Fits K-means, Gaussian
 * and Bernoulli mixtures to CSV or .npy data, and answers with a model
 * file: labels, probabilities, log-likelihoods, distances, samples, the
 * choice of k. The synopsis and exit statuses are pinned by the man page,
 * mixture(1) (tools/mixture/mixture.1; README.md, "From the shell"):
 * options are added, never renamed.
 */
#include "cli.h"
#include "cmd.h"

#include <errno.h>
#include <mixture.h>
#include <stdio.h>
#include <string.h>

static const char HELP[] =
    "usage: mixture COMMAND [OPTIONS] ...\n"
    "\n"
    "K-means, Gaussian and Bernoulli mixtures on CSV or .npy data (libmixture %s).\n"
    "\n"
    "  fit        fit a model to INPUT and write it to a model file (-o MODEL)\n"
    "  predict    labels (or --proba probabilities) of the rows of INPUT\n"
    "  score      mean log-likelihood of INPUT (or --per-row, --total, --bic, --aic)\n"
    "  transform  distances of the rows of INPUT to the K-means centers\n"
    "  sample     rows drawn from a mixture, with their component\n"
    "  select     fit k over a range and choose k by BIC, AIC or held-out log-likelihood\n"
    "  info       what a model file holds: kind, shapes, options, fit results\n"
    "\n"
    "INPUT is a CSV (header optional, delimiter detected) or .npy file, or - for\n"
    "standard input. `mixture COMMAND --help` tells each command's options; man mixture\n"
    "tells all. Exit status: 0 success, 2 usage error, 1 anything else (bad data, named\n"
    "by file, line and column; a numeric failure; a file that cannot be read or written).\n";

static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
} COMMANDS[] = {{"fit", cmd_fit},     {"predict", cmd_predict}, {"score", cmd_score},
                {"transform", cmd_transform}, {"sample", cmd_sample}, {"select", cmd_select},
                {"info", cmd_info}};

/* A successful run's standard output reached its file (a full disk, a
 * closed pipe, /dev/full): else the failure is reported and the status 1. */
static int flushed(const char *cmd, int status)
{
    if (status != EXIT_OK)
        return status;
    errno = 0;
    if (fflush(stdout) == 0 && !ferror(stdout))
        return EXIT_OK;
    return errno != 0 ? fail(cmd, "<stdout>: write error: %s", strerror(errno))
                      : fail(cmd, "<stdout>: write error");
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return usage_error(NULL, "a command is required: fit, predict, score, transform, "
                                 "sample, select or info");
    const char *name = argv[1];
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 || strcmp(name, "help") == 0) {
        printf(HELP, mix_version_string());
        return flushed(NULL, EXIT_OK);
    }
    if (strcmp(name, "--version") == 0) {
        printf("mixture (libmixture) %s\n", mix_version_string());
        return flushed(NULL, EXIT_OK);
    }
    for (size_t c = 0; c < sizeof COMMANDS / sizeof COMMANDS[0]; c++)
        if (strcmp(name, COMMANDS[c].name) == 0)
            return flushed(name, COMMANDS[c].run(argc - 2, argv + 2));
    return usage_error(NULL, "unknown command '%s'", name);
}
