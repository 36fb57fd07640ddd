/*
 * The commands (one file each) and what they share: the input options,
 * opening inputs and model files with the error reports of the tool.
 */
#ifndef MIXTURE_CMD_H
#define MIXTURE_CMD_H

#include "args.h"
#include "input.h"
#include "model.h"

int cmd_fit(int argc, char **argv);
int cmd_predict(int argc, char **argv);
int cmd_score(int argc, char **argv);
int cmd_transform(int argc, char **argv);
int cmd_sample(int argc, char **argv);
int cmd_select(int argc, char **argv);
int cmd_info(int argc, char **argv);

/* Option ids shared by the commands (each command's table lists those it
 * takes, with its own ids above OPT_OWN). */
enum {
    OPT_HELP = 1, OPT_QUIET, OPT_OUTPUT, OPT_FORMAT, OPT_COLUMNS, OPT_DELIMITER, OPT_HEADER,
    OPT_NO_HEADER, OPT_OWN = 100
};

#define INPUT_OPTIONS                                                                     \
    {"columns", 0, 1, OPT_COLUMNS}, {"delimiter", 0, 1, OPT_DELIMITER},                   \
        {"header", 0, 0, OPT_HEADER}, {"no-header", 0, 0, OPT_NO_HEADER}

/* The fit options shared by fit and select (fitopts.c). */
enum {
    OPT_MODEL = 50, OPT_COVARIANCE, OPT_METHOD, OPT_INIT, OPT_N_INIT, OPT_MAX_ITER, OPT_TOL,
    OPT_SEED, OPT_THREADS, OPT_REG_COVAR, OPT_ALPHA, OPT_LEARNING_RATE, OPT_BATCH_SIZE,
    OPT_STREAM, OPT_MEMORY_LIMIT
};

#define FIT_OPTIONS                                                                           {"model", 0, 1, OPT_MODEL}, {"covariance", 0, 1, OPT_COVARIANCE},                             {"method", 0, 1, OPT_METHOD}, {"init", 0, 1, OPT_INIT},                                   {"n-init", 0, 1, OPT_N_INIT}, {"max-iter", 0, 1, OPT_MAX_ITER},                           {"tol", 0, 1, OPT_TOL}, {"seed", 0, 1, OPT_SEED}, {"threads", 0, 1, OPT_THREADS},         {"reg-covar", 0, 1, OPT_REG_COVAR}, {"alpha", 0, 1, OPT_ALPHA},                           {"learning-rate", 0, 1, OPT_LEARNING_RATE}, {"batch-size", 0, 1, OPT_BATCH_SIZE},         {"stream", 0, 0, OPT_STREAM}, {"memory-limit", 0, 1, OPT_MEMORY_LIMIT}

/* Where the rows of a fit go: memory up to limit bytes, else streamed. */
typedef struct fit_io {
    size_t memory_limit;
} fit_io;

/* Apply a fit option (ids OPT_MODEL..OPT_MEMORY_LIMIT): 0 or EXIT_USAGE. */
int fit_option(const arg_iter *it, int id, const char *value, fit_opts *o, fit_io *io);
void fit_io_defaults(fit_io *io);

/* Options that do not apply to the model kind: EXIT_USAGE after a report. */
int check_fit_opts(const char *cmd, const fit_opts *o, const unsigned char *given);

/* "gmm (full)", "kmeans", "bmm": what is fitted, for reports. */
const char *model_label(const fit_opts *o);

/* Apply a shared input option: 0 done, EXIT_USAGE on a bad value. */
int input_option(const arg_iter *it, int id, const char *value, input_opts *o);

/* --format csv|npy: 0 or EXIT_USAGE. */
int format_option(const arg_iter *it, const char *value, int *format);

/* Open an input; on failure print the one-line report and set *status
 * (EXIT_USAGE for a column option at fault, else EXIT_FAIL). */
input *open_input(const char *cmd, const char *path, const input_opts *o, int *status);

/* Load a model file into m; on failure print the report and return
 * EXIT_FAIL. */
int open_model(const char *cmd, const char *path, model *m);

/* For the per-row commands: load MODEL, open INPUT (0/1 cells for a
 * Bernoulli mixture) and check it has the model's number of columns. On
 * failure the report is printed, nothing is left open, and the status is
 * returned. */
int open_model_input(const char *cmd, const char *model_path, const char *in_path,
                     input_opts *io, model *m, input **in);

/* Walk the rows of in block by block: fn(user, X, m, err) for each block.
 * On failure prints the report (the input's, or fn's err) and returns
 * EXIT_FAIL. */
typedef int (*block_fn)(void *user, const double *X, size_t m, char *err);
int walk_rows(const char *cmd, input *in, block_fn fn, void *user);

/* Print help text and return EXIT_OK. */
int print_help(const char *text);

/* Rows per block when a command walks its input. */
enum { BLOCK_ROWS = 65536 };

#endif /* MIXTURE_CMD_H */
