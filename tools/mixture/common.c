/* What the commands share: input options, inputs and model files opened
 * with the tool's error reports. */
#include "cmd.h"

#include "cli.h"
#include "output.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int input_option(const arg_iter *it, int id, const char *value, input_opts *o)
{
    switch (id) {
    case OPT_COLUMNS:
        o->columns = value;
        return 0;
    case OPT_HEADER:
        o->header = 1;
        return 0;
    case OPT_NO_HEADER:
        o->header = 0;
        return 0;
    case OPT_DELIMITER:
        if (strcmp(value, "tab") == 0 || strcmp(value, "\\t") == 0)
            o->delimiter = '\t';
        else if (strcmp(value, "space") == 0 || strcmp(value, "whitespace") == 0)
            o->delimiter = ' ';
        else if (strlen(value) == 1 && strchr(",;\t| ", value[0]) != NULL)
            o->delimiter = value[0];
        else
            return usage_error(it->cmd, "%s: '%s' is not one of , ; | tab space", it->name,
                               value);
        return 0;
    default:
        return usage_error(it->cmd, "internal error: option %s", it->name);
    }
}

int format_option(const arg_iter *it, const char *value, int *format)
{
    static const char *const names[] = {"csv", "npy"};
    int choice;
    int rc = parse_choice(it, value, names, 2, &choice);
    if (rc == 0)
        *format = choice == 0 ? FORMAT_CSV : FORMAT_NPY;
    return rc;
}

input *open_input(const char *cmd, const char *path, const input_opts *o, int *status)
{
    char err[ERR_LEN];
    int usage;
    input *in = input_open(path, o, err, &usage);
    if (in == NULL)
        *status = usage ? usage_error(cmd, "%s", err) : fail(cmd, "%s", err);
    return in;
}

int open_model(const char *cmd, const char *path, model *m)
{
    char err[ERR_LEN];
    if (model_load(m, path, err) != 0)
        return fail(cmd, "%s", err);
    return 0;
}

int print_help(const char *text)
{
    fputs(text, stdout);
    return EXIT_OK;
}

int open_model_input(const char *cmd, const char *model_path, const char *in_path,
                     input_opts *io, model *m, input **in)
{
    int status = open_model(cmd, model_path, m);
    if (status != 0)
        return status;
    if (!model_is_fitted(m)) {
        model_free(m);
        return fail(cmd, "%s: the model is not fitted", model_path);
    }
    io->binary = m->kind == KIND_BMM;
    *in = open_input(cmd, in_path, io, &status);
    if (*in == NULL) {
        model_free(m);
        return status;
    }
    if (input_cols(*in) != model_d(m)) {
        status = fail(cmd, "%s: %zu column%s where the model (%s) has %zu features%s",
                      input_name(*in), input_cols(*in), input_cols(*in) == 1 ? "" : "s",
                      model_path, model_d(m),
                      input_cols(*in) > model_d(m) ? " (select them with --columns)" : "");
        input_close(*in);
        *in = NULL;
        model_free(m);
        return status;
    }
    return 0;
}

int walk_rows(const char *cmd, input *in, block_fn fn, void *user)
{
    char err[ERR_LEN];
    size_t d = input_cols(in), rows = 0, block = input_block_rows(in, BLOCK_ROWS), bytes;
    double *X = NULL;
    if (mul_size(block, d, &bytes) == 0 && mul_size(bytes, sizeof *X, &bytes) == 0)
        X = malloc(bytes);
    if (X == NULL)
        return fail(cmd, "out of memory");
    int status = EXIT_OK;
    for (;;) {
        long got = input_read(in, X, NULL, block, err);
        if (got < 0) {
            status = fail(cmd, "%s", err);
            break;
        }
        if (got == 0) {
            if (rows == 0)
                status = fail(cmd, "%s: no data rows%s", input_name(in),
                              input_has_header(in) ? " after the header" : "");
            break;
        }
        rows += (size_t)got;
        if (fn(user, X, (size_t)got, err) != 0) {
            status = fail(cmd, "%s", err);
            break;
        }
    }
    free(X);
    return status;
}
