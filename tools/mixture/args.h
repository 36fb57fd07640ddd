/*
 * Command-line arguments: one option table per command, walked in order.
 *
 * Long options are "--name VALUE" or "--name=VALUE", short ones "-k VALUE"
 * or "-kVALUE"; "--" ends the options and a lone "-" is an operand
 * (standard input). Value parsers check the whole string and the range and
 * report a usage error naming the option.
 */
#ifndef MIXTURE_ARGS_H
#define MIXTURE_ARGS_H

#include <stddef.h>
#include <stdint.h>

typedef struct opt_spec {
    const char *name;  /* long name, without "--" */
    char short_name;   /* 0 when there is none */
    int takes_value;
    int id;            /* what args_next() returns for it; > 0 */
} opt_spec;

enum { ARG_END = 0, ARG_OPERAND = -1, ARG_ERROR = -2 };

typedef struct arg_iter {
    int argc;
    char **argv;
    int i;
    int only_operands; /* after "--" */
    const char *cmd;   /* for messages */
    char name[48];     /* the option just returned, as written ("--tol", "-k") */
} arg_iter;

void args_init(arg_iter *it, const char *cmd, int argc, char **argv);

/* The next option's id with *value set (NULL for a flag), ARG_OPERAND with
 * *value the operand, ARG_END, or ARG_ERROR after printing a usage error. */
int args_next(arg_iter *it, const opt_spec *specs, const char **value);

/* Value parsers: 0, or EXIT_USAGE after printing a usage error naming the
 * option it->name. */
int parse_long(const arg_iter *it, const char *s, long min, long max, long *out);
int parse_size(const arg_iter *it, const char *s, size_t min, size_t *out);
int parse_u64(const arg_iter *it, const char *s, uint64_t *out);
int parse_double(const arg_iter *it, const char *s, double min, double max, int min_open,
                 double *out);
/* s among names[0..count-1] (case-sensitive); *out is its index. */
int parse_choice(const arg_iter *it, const char *s, const char *const *names, int count,
                 int *out);

#endif /* MIXTURE_ARGS_H */
