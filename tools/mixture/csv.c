/* CSV input: physical lines, fields, delimiter and header detection. */
#define _POSIX_C_SOURCE 200809L /* getc_unlocked */
#include "csv.h"

#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int csv_is_number(const char *s)
{
    char *end;
    if (*s == '\0')
        return 0;
    (void)strtod(s, &end);
    return *end == '\0';
}

/* One physical line into r->line with its '\n' (none at the end of the
 * input), NUL-terminated: its length, -1 at the end of the input, -2 with
 * err set (a read error, or a line longer than CSV_MAX_LINE). getline()
 * would take a line of any length, and all the memory with it. */
static long get_line(csv_reader *r, char *err)
{
    size_t len = 0;
    for (;;) {
        int c = getc_unlocked(r->f);
        if (c == EOF) {
            if (ferror(r->f)) {
                set_err(err, "%s: read error: %s", r->name, strerror(errno ? errno : EIO));
                return -2;
            }
            if (len == 0)
                return -1;
            break;
        }
        if (c != '\n' && len == CSV_MAX_LINE) {
            set_err(err, "%s: line %zu is longer than %d bytes", r->name, r->physical + 1,
                    CSV_MAX_LINE);
            return -2;
        }
        if (len + 2 > r->line_cap) {
            size_t cap = r->line_cap < 128 ? 256 : 2 * r->line_cap;
            if (cap > (size_t)CSV_MAX_LINE + 2)
                cap = (size_t)CSV_MAX_LINE + 2;
            char *p = realloc(r->line, cap);
            if (p == NULL) {
                set_err(err, "%s: out of memory at line %zu", r->name, r->physical + 1);
                return -2;
            }
            r->line = p;
            r->line_cap = cap;
        }
        r->line[len++] = (char)c;
        if (c == '\n')
            break;
    }
    r->line[len] = '\0';
    return (long)len;
}

/* The next line that is not blank or a comment into r->line, without its
 * line end: 1, 0 at the end of the input, -1 with err set. */
static int read_line(csv_reader *r, char *err)
{
    for (;;) {
        errno = 0;
        if (r->seekable && fgetpos(r->f, &r->line_pos) != 0) {
            set_err(err, "%s: cannot tell the position: %s", r->name, strerror(errno));
            return -1;
        }
        long len = get_line(r, err);
        if (len < 0)
            return len == -1 ? 0 : -1;
        r->physical++;
        if ((size_t)len != strlen(r->line)) {
            set_err(err, "%s: line %zu: a NUL byte (not a text file?)", r->name, r->physical);
            return -1;
        }
        while (len > 0 && (r->line[len - 1] == '\n' || r->line[len - 1] == '\r'))
            r->line[--len] = '\0';
        size_t i = 0;
        while (r->line[i] == ' ' || r->line[i] == '\t')
            i++;
        if (r->line[i] == '\0' || r->line[i] == '#')
            continue;
        return 1;
    }
}

static int push_field(csv_reader *r, char *field, char *err)
{
    if (r->count == r->fields_cap) {
        size_t cap = r->fields_cap ? 2 * r->fields_cap : 64;
        char **p = realloc(r->fields, cap * sizeof *p);
        if (p == NULL) {
            set_err(err, "%s: out of memory at line %zu", r->name, r->line_no);
            return -1;
        }
        r->fields = p;
        r->fields_cap = cap;
    }
    r->fields[r->count++] = field;
    return 0;
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t';
}

/* Split r->line in place into r->fields. */
static int split(csv_reader *r, char *err)
{
    char *p = r->line;
    r->count = 0;
    if (r->delim == ' ') {
        for (;;) {
            while (is_blank(*p))
                p++;
            if (*p == '\0')
                return 0;
            char *start = p;
            while (*p != '\0' && !is_blank(*p))
                p++;
            int last = *p == '\0';
            *p = '\0';
            if (push_field(r, start, err) != 0)
                return -1;
            if (last)
                return 0;
            p++;
        }
    }
    for (;;) {
        while (is_blank(*p) && *p != r->delim)
            p++;
        char *start = p, *out = p;
        if (*p == '"') {
            p++;
            for (;;) {
                if (*p == '\0') {
                    set_err(err, "%s: line %zu, column %zu: unterminated quote", r->name,
                            r->line_no, r->count + 1);
                    return -1;
                }
                if (*p == '"' && p[1] == '"') {
                    *out++ = '"';
                    p += 2;
                } else if (*p == '"') {
                    p++;
                    break;
                } else {
                    *out++ = *p++;
                }
            }
            while (is_blank(*p) && *p != r->delim)
                p++;
            if (*p != '\0' && *p != r->delim) {
                set_err(err, "%s: line %zu, column %zu: text after a closing quote", r->name,
                        r->line_no, r->count + 1);
                return -1;
            }
        } else {
            while (*p != '\0' && *p != r->delim)
                p++;
            out = p;
            while (out > start && is_blank(out[-1]) && out[-1] != r->delim)
                out--;
        }
        int last = *p == '\0';
        *out = '\0';
        if (push_field(r, start, err) != 0)
            return -1;
        if (last)
            return 0;
        p++;
    }
}

static char detect_delimiter(const char *line)
{
    static const char candidates[] = {',', '\t', ';', '|'};
    size_t best = 0;
    char delim = ' ';
    for (size_t c = 0; c < sizeof candidates; c++) {
        size_t count = 0;
        int quoted = 0;
        for (const char *p = line; *p != '\0'; p++) {
            if (*p == '"')
                quoted = !quoted;
            else if (*p == candidates[c] && !quoted)
                count++;
        }
        if (count > best) {
            best = count;
            delim = candidates[c];
        }
    }
    return delim;
}

/* Keep the current fields as the header's names. */
static int keep_names(csv_reader *r, char *err)
{
    size_t bytes = 0;
    for (size_t j = 0; j < r->count; j++)
        bytes += strlen(r->fields[j]) + 1;
    r->names = malloc(r->count * sizeof *r->names);
    r->names_buf = malloc(bytes);
    if (r->names == NULL || r->names_buf == NULL) {
        set_err(err, "%s: out of memory", r->name);
        return -1;
    }
    char *p = r->names_buf;
    for (size_t j = 0; j < r->count; j++) {
        size_t len = strlen(r->fields[j]) + 1;
        memcpy(p, r->fields[j], len);
        r->names[j] = p;
        p += len;
    }
    return 0;
}

/* Split a copy of text; the fields stay valid until the next split. */
static int split_text(csv_reader *r, const char *text, size_t line_no, char *err)
{
    size_t len = strlen(text) + 1;
    if (len > r->line_cap) {
        char *p = realloc(r->line, len);
        if (p == NULL) {
            set_err(err, "%s: out of memory", r->name);
            return -1;
        }
        r->line = p;
        r->line_cap = len;
    }
    memcpy(r->line, text, len);
    r->line_no = line_no;
    return split(r, err);
}

int csv_open(csv_reader *r, FILE *f, const char *name, int seekable, char delim, int header,
             char *err)
{
    memset(r, 0, sizeof *r);
    r->f = f;
    r->name = name;
    r->seekable = seekable;
    fpos_t pos[2];
    while (r->n_ahead < 2) {
        int got = read_line(r, err);
        if (got < 0)
            return -1;
        if (got == 0)
            break;
        pos[r->n_ahead] = r->line_pos;
        r->ahead_no[r->n_ahead] = r->physical;
        r->ahead[r->n_ahead] = strdup(r->line);
        if (r->ahead[r->n_ahead++] == NULL) {
            set_err(err, "%s: out of memory", name);
            return -1;
        }
    }
    if (r->n_ahead == 0) {
        set_err(err, "%s: empty input (no rows)", name);
        return -1;
    }
    r->delim = delim ? delim : detect_delimiter(r->ahead[0]);
    /* The kinds of the second line's fields, then the first line's. */
    unsigned char *second_numeric = NULL;
    size_t second_count = 0;
    if (r->n_ahead == 2) {
        if (split_text(r, r->ahead[1], r->ahead_no[1], err) != 0)
            return -1;
        second_count = r->count;
        second_numeric = malloc(second_count + 1);
        if (second_numeric == NULL) {
            set_err(err, "%s: out of memory", name);
            return -1;
        }
        for (size_t j = 0; j < second_count; j++)
            second_numeric[j] = (unsigned char)csv_is_number(r->fields[j]);
    }
    if (split_text(r, r->ahead[0], r->ahead_no[0], err) != 0) {
        free(second_numeric);
        return -1;
    }
    r->n_fields = r->count;
    if (header < 0) {
        header = 0;
        for (size_t j = 0; j < r->count; j++)
            if (!csv_is_number(r->fields[j]) &&
                (second_numeric == NULL || (j < second_count && second_numeric[j])))
                header = 1;
    }
    free(second_numeric);
    r->has_header = header;
    if (header && keep_names(r, err) != 0)
        return -1;
    r->ahead_pos = header ? 1 : 0;
    if (seekable) {
        /* Where the data start: the first data line read ahead, or here. */
        if (r->ahead_pos < r->n_ahead) {
            r->data_pos = pos[r->ahead_pos];
            r->data_line = r->ahead_no[r->ahead_pos] - 1;
        } else if (fgetpos(f, &r->data_pos) != 0) {
            set_err(err, "%s: cannot tell the position: %s", name, strerror(errno));
            return -1;
        } else {
            r->data_line = r->physical;
        }
        /* Comments and blank lines between are skipped again on reading. */
        return csv_rewind(r, err);
    }
    return 0;
}

int csv_next(csv_reader *r, char *err)
{
    if (r->ahead_pos < r->n_ahead) {
        size_t a = r->ahead_pos++;
        if (split_text(r, r->ahead[a], r->ahead_no[a], err) != 0)
            return -1;
        return 1;
    }
    int got = read_line(r, err);
    if (got <= 0)
        return got;
    r->line_no = r->physical;
    return split(r, err) == 0 ? 1 : -1;
}

int csv_rewind(csv_reader *r, char *err)
{
    if (!r->seekable) {
        set_err(err, "%s: cannot read the input twice", r->name);
        return -1;
    }
    clearerr(r->f);
    if (fsetpos(r->f, &r->data_pos) != 0) {
        set_err(err, "%s: cannot seek: %s", r->name, strerror(errno));
        return -1;
    }
    r->physical = r->data_line;
    r->ahead_pos = r->n_ahead;
    return 0;
}

void csv_close(csv_reader *r)
{
    free(r->names);
    free(r->names_buf);
    free(r->fields);
    free(r->line);
    free(r->ahead[0]);
    free(r->ahead[1]);
    memset(r, 0, sizeof *r);
}
