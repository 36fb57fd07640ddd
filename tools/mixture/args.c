/* Command-line arguments: options from a table, values checked in full. */
#include "args.h"

#include "cli.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void args_init(arg_iter *it, const char *cmd, int argc, char **argv)
{
    memset(it, 0, sizeof *it);
    it->argc = argc;
    it->argv = argv;
    it->i = 0;
    it->cmd = cmd;
}

static const opt_spec *find_long(const opt_spec *specs, const char *name, size_t len)
{
    for (const opt_spec *s = specs; s->name != NULL; s++)
        if (strlen(s->name) == len && strncmp(s->name, name, len) == 0)
            return s;
    return NULL;
}

static const opt_spec *find_short(const opt_spec *specs, char c)
{
    for (const opt_spec *s = specs; s->name != NULL; s++)
        if (s->short_name != 0 && s->short_name == c)
            return s;
    return NULL;
}

/* The value of option s: inline (after '=' or the short letter) or the next
 * argument. */
static int take_value(arg_iter *it, const opt_spec *s, const char *inline_value,
                      const char **value)
{
    if (!s->takes_value) {
        if (inline_value != NULL) {
            usage_error(it->cmd, "option %s takes no value", it->name);
            return ARG_ERROR;
        }
        *value = NULL;
        return s->id;
    }
    if (inline_value != NULL) {
        *value = inline_value;
        return s->id;
    }
    if (it->i >= it->argc) {
        usage_error(it->cmd, "option %s needs a value", it->name);
        return ARG_ERROR;
    }
    *value = it->argv[it->i++];
    return s->id;
}

int args_next(arg_iter *it, const opt_spec *specs, const char **value)
{
    if (it->i >= it->argc)
        return ARG_END;
    const char *a = it->argv[it->i++];
    if (it->only_operands || a[0] != '-' || a[1] == '\0') {
        *value = a;
        return ARG_OPERAND;
    }
    if (strcmp(a, "--") == 0) {
        it->only_operands = 1;
        return args_next(it, specs, value);
    }
    if (a[1] == '-') {
        const char *name = a + 2, *eq = strchr(name, '=');
        size_t len = eq ? (size_t)(eq - name) : strlen(name);
        snprintf(it->name, sizeof it->name, "--%.*s", (int)(len < 40 ? len : 40), name);
        const opt_spec *s = find_long(specs, name, len);
        if (s == NULL) {
            usage_error(it->cmd, "unknown option %s", it->name);
            return ARG_ERROR;
        }
        return take_value(it, s, eq ? eq + 1 : NULL, value);
    }
    snprintf(it->name, sizeof it->name, "-%c", a[1]);
    const opt_spec *s = find_short(specs, a[1]);
    if (s == NULL) {
        usage_error(it->cmd, "unknown option %s", it->name);
        return ARG_ERROR;
    }
    return take_value(it, s, a[2] != '\0' ? a + 2 : NULL, value);
}

/* strtol, strtoull and strtod skip leading white space and take a sign
 * (strtoull negates "-1" into 2^64 - 1): a value must start with a digit,
 * or with '-' where negative values are in range. */
static int bad_start(const char *s, int minus_ok)
{
    return isspace((unsigned char)s[0]) || s[0] == '+' || (s[0] == '-' && !minus_ok);
}

int parse_long(const arg_iter *it, const char *s, long min, long max, long *out)
{
    char *end;
    errno = 0;
    if (bad_start(s, min < 0))
        return usage_error(it->cmd, "%s: '%s' is not %s", it->name, s,
                           min < 0 ? "an integer" : "a non-negative integer");
    long v = strtol(s, &end, 10);
    if (end == s || *end != '\0' || errno == ERANGE)
        return usage_error(it->cmd, "%s: '%s' is not an integer", it->name, s);
    if (v < min || v > max)
        return usage_error(it->cmd, "%s: %ld is out of range [%ld, %ld]", it->name, v, min, max);
    *out = v;
    return 0;
}

int parse_u64(const arg_iter *it, const char *s, uint64_t *out)
{
    char *end;
    errno = 0;
    if (bad_start(s, 0))
        return usage_error(it->cmd, "%s: '%s' is not a non-negative integer", it->name, s);
    unsigned long long v = strtoull(s, &end, 10);
    if (end == s || *end != '\0' || errno == ERANGE || v > UINT64_MAX)
        return usage_error(it->cmd, "%s: '%s' is not an integer in [0, 2^64)", it->name, s);
    *out = (uint64_t)v;
    return 0;
}

int parse_size(const arg_iter *it, const char *s, size_t min, size_t *out)
{
    uint64_t v;
    int rc = parse_u64(it, s, &v);
    if (rc != 0)
        return rc;
    if (v < min || v > SIZE_MAX / 2)
        return usage_error(it->cmd, "%s: %s is out of range (at least %zu)", it->name, s, min);
    *out = (size_t)v;
    return 0;
}

int parse_double(const arg_iter *it, const char *s, double min, double max, int min_open,
                 double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (isspace((unsigned char)s[0]) || end == s || *end != '\0' || !isfinite(v))
        return usage_error(it->cmd, "%s: '%s' is not a finite number", it->name, s);
    if (v < min || v > max || (min_open && v == min))
        return usage_error(it->cmd, "%s: %s is out of range %s%g, %g]", it->name, s,
                           min_open ? "(" : "[", min, max);
    *out = v;
    return 0;
}

int parse_choice(const arg_iter *it, const char *s, const char *const *names, int count,
                 int *out)
{
    char list[256] = "";
    for (int i = 0; i < count; i++) {
        if (strcmp(s, names[i]) == 0) {
            *out = i;
            return 0;
        }
        size_t used = strlen(list);
        snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "", names[i]);
    }
    return usage_error(it->cmd, "%s: '%s' is not one of %s", it->name, s, list);
}
