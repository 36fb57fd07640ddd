/*
 * What every part of the command-line tool shares: exit statuses and the
 * one-line error reports on standard error.
 *
 * Exit statuses are pinned (mixture(1), tools/mixture/mixture.1, "EXIT
 * STATUS"): 0 success, 2 a usage error, 1 anything else. Every failure
 * prints exactly one line, "mixture: ..." or "mixture CMD: ...", and a
 * failure in data names the file, line (or row) and column at fault.
 */
#ifndef MIXTURE_CLI_H
#define MIXTURE_CLI_H

#include <stddef.h>

enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

/* Room for a message built by a lower layer and printed by the command. */
enum { ERR_LEN = 1024 };

#if defined(__GNUC__)
#define CLI_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define CLI_PRINTF(f, a)
#endif

/* "mixture CMD: message" on stderr; return EXIT_USAGE (the command line is
 * wrong; the message suggests `mixture CMD --help`). */
int usage_error(const char *cmd, const char *fmt, ...) CLI_PRINTF(2, 3);

/* "mixture CMD: message" on stderr; return EXIT_FAIL. */
int fail(const char *cmd, const char *fmt, ...) CLI_PRINTF(2, 3);

/* snprintf into err (ERR_LEN bytes) that never fails to terminate. */
void set_err(char *err, const char *fmt, ...) CLI_PRINTF(2, 3);

/* a * b into *out: 0, or -1 (and *out untouched) when the product does
 * not fit in a size_t. */
int mul_size(size_t a, size_t b, size_t *out);

#endif /* MIXTURE_CLI_H */
