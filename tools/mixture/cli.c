/* The tool's error reports: one line each on standard error. */
#include "cli.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>

static void report(const char *cmd, const char *fmt, va_list ap, const char *tail)
    CLI_PRINTF(2, 0);

static void report(const char *cmd, const char *fmt, va_list ap, const char *tail)
{
    char raw[ERR_LEN], msg[4 * ERR_LEN];
    vsnprintf(raw, sizeof raw, fmt, ap);
    /* one line whatever the values quoted: control characters (a value
     * "\n7" given on the command line) are written as C escapes */
    size_t len = 0;
    for (const unsigned char *p = (const unsigned char *)raw; *p != '\0'; p++) {
        if (*p >= 0x20 && *p != 0x7f)
            msg[len++] = (char)*p;
        else if (*p == '\n' || *p == '\t' || *p == '\r')
            len += (size_t)sprintf(msg + len, "\\%c", *p == '\n' ? 'n' : *p == '\t' ? 't' : 'r');
        else
            len += (size_t)sprintf(msg + len, "\\x%02x", *p);
    }
    msg[len] = '\0';
    if (cmd != NULL)
        fprintf(stderr, "mixture %s: %s%s\n", cmd, msg, tail);
    else
        fprintf(stderr, "mixture: %s%s\n", msg, tail);
    fflush(stderr);
}

int usage_error(const char *cmd, const char *fmt, ...)
{
    char tail[64];
    snprintf(tail, sizeof tail, " (see mixture %s%s--help)", cmd ? cmd : "", cmd ? " " : "");
    va_list ap;
    va_start(ap, fmt);
    report(cmd, fmt, ap, tail);
    va_end(ap);
    return EXIT_USAGE;
}

int fail(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report(cmd, fmt, ap, "");
    va_end(ap);
    return EXIT_FAIL;
}

void set_err(char *err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, ERR_LEN, fmt, ap);
    va_end(ap);
}

int mul_size(size_t a, size_t b, size_t *out)
{
    if (b != 0 && a > SIZE_MAX / b)
        return -1;
    *out = a * b;
    return 0;
}
