/* Results as CSV or .npy, on standard output or in a file written aside. */
#define _POSIX_C_SOURCE 200809L /* mkstemp, fdopen, fchmod, umask, fsync */
#include "output.h"

#include "cli.h"
#include "npy.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void format_double(char *buf, size_t size, double v)
{
    for (int digits = 15; digits <= 17; digits++) {
        snprintf(buf, size, "%.*g", digits, v);
        if (strtod(buf, NULL) == v)
            return;
    }
}

static int ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

int output_is_npy(const char *path, int format)
{
    if (path != NULL && strcmp(path, "-") == 0)
        path = NULL;
    return format == FORMAT_AUTO ? path != NULL && ends_with(path, ".npy") : format == FORMAT_NPY;
}

int output_open(output *o, const char *path, int format, size_t n_double, int has_label,
                int one_d, char *err)
{
    memset(o, 0, sizeof *o);
    o->npy = output_is_npy(path, format);
    if (path != NULL && strcmp(path, "-") == 0)
        path = NULL;
    o->n_double = n_double;
    o->has_label = has_label != 0;
    o->one_d = one_d != 0 && n_double + o->has_label == 1;
    if (path == NULL && !o->npy) {
        o->f = stdout;
        return 0;
    }
    if (path == NULL) {
        /* .npy on standard output: its length is known at the end only */
        o->f = tmpfile();
        if (o->f == NULL) {
            set_err(err, "cannot create a temporary file: %s", strerror(errno));
            return -1;
        }
    } else {
        o->path = strdup(path);
        o->tmp_path = malloc(strlen(path) + 16);
        if (o->path == NULL || o->tmp_path == NULL) {
            set_err(err, "out of memory");
            return -1;
        }
        sprintf(o->tmp_path, "%s.tmp.XXXXXX", path);
        int fd = mkstemp(o->tmp_path);
        if (fd < 0) {
            set_err(err, "%s: cannot create a file there: %s", path, strerror(errno));
            free(o->tmp_path);
            o->tmp_path = NULL;
            return -1;
        }
        mode_t mask = umask(0);
        umask(mask);
        if (fchmod(fd, 0666 & ~mask) != 0 || (o->f = fdopen(fd, "wb")) == NULL) {
            set_err(err, "%s: %s", path, strerror(errno));
            close(fd);
            return -1;
        }
    }
    if (o->npy) {
        unsigned char head[NPY_HEADER_LEN];
        npy_header(head, 0, 0, 0);
        if (fwrite(head, 1, sizeof head, o->f) != sizeof head) {
            set_err(err, "%s: write error: %s", path ? path : "<stdout>", strerror(errno));
            return -1;
        }
    }
    return 0;
}

static int put(output *o, const char *s, size_t *len, char *err)
{
    size_t add = strlen(s);
    if (*len + add + 2 > o->line_cap) {
        size_t cap = 2 * (*len + add + 2) + 256;
        char *p = realloc(o->line, cap);
        if (p == NULL) {
            set_err(err, "out of memory");
            return -1;
        }
        o->line = p;
        o->line_cap = cap;
    }
    memcpy(o->line + *len, s, add + 1);
    *len += add;
    return 0;
}

static int write_line(output *o, size_t len, char *err)
{
    o->line[len++] = '\n';
    if (fwrite(o->line, 1, len, o->f) != len) {
        set_err(err, "%s: write error: %s", o->path ? o->path : "<stdout>", strerror(errno));
        return -1;
    }
    return 0;
}

int output_header_names(output *o, const char *prefix, int numbered, const char *label_name,
                        char *err)
{
    if (o->npy)
        return 0;
    size_t len = 0;
    char name[64];
    if (put(o, "", &len, err) != 0)
        return -1;
    for (size_t j = 0; j < o->n_double; j++) {
        if (numbered)
            snprintf(name, sizeof name, "%s%zu", prefix, j);
        else
            snprintf(name, sizeof name, "%s", prefix);
        if ((j > 0 && put(o, ",", &len, err) != 0) || put(o, name, &len, err) != 0)
            return -1;
    }
    if (o->has_label &&
        ((o->n_double > 0 && put(o, ",", &len, err) != 0) || put(o, label_name, &len, err) != 0))
        return -1;
    return write_line(o, len, err);
}

int output_rows(output *o, const double *X, const int32_t *labels, size_t m, char *err)
{
    for (size_t i = 0; i < m; i++) {
        if (o->npy) {
            size_t written = 0;
            if (o->n_double == 0) {
                written = fwrite(&labels[i], sizeof labels[i], 1, o->f) == 1;
            } else {
                written = fwrite(X + i * o->n_double, sizeof *X, o->n_double, o->f) == o->n_double;
                double label = o->has_label ? (double)labels[i] : 0.0;
                if (written && o->has_label)
                    written = fwrite(&label, sizeof label, 1, o->f) == 1;
            }
            if (!written) {
                set_err(err, "%s: write error: %s", o->path ? o->path : "<stdout>",
                        strerror(errno));
                return -1;
            }
            continue;
        }
        char cell[40];
        size_t len = 0;
        if (put(o, "", &len, err) != 0)
            return -1;
        for (size_t j = 0; j < o->n_double; j++) {
            format_double(cell, sizeof cell, X[i * o->n_double + j]);
            if ((j > 0 && put(o, ",", &len, err) != 0) || put(o, cell, &len, err) != 0)
                return -1;
        }
        if (o->has_label) {
            snprintf(cell, sizeof cell, "%s%d", o->n_double ? "," : "", (int)labels[i]);
            if (put(o, cell, &len, err) != 0)
                return -1;
        }
        if (write_line(o, len, err) != 0)
            return -1;
    }
    o->rows += m;
    return 0;
}

/* Copy the finished .npy from the temporary file to standard output. */
static int copy_to_stdout(FILE *f, char *err)
{
    char buf[1 << 16];
    rewind(f);
    size_t got;
    while ((got = fread(buf, 1, sizeof buf, f)) > 0)
        if (fwrite(buf, 1, got, stdout) != got) {
            set_err(err, "<stdout>: write error: %s", strerror(errno));
            return -1;
        }
    if (ferror(f)) {
        set_err(err, "cannot read a temporary file");
        return -1;
    }
    return 0;
}

int output_close(output *o, int ok, char *err)
{
    int rc = 0;
    const char *name = o->path ? o->path : "<stdout>";
    if (ok && o->npy && o->f != NULL) {
        unsigned char head[NPY_HEADER_LEN];
        size_t cols = o->n_double + o->has_label;
        npy_header(head, o->rows, o->one_d ? 0 : cols, o->n_double == 0);
        if (fflush(o->f) != 0 || fseek(o->f, 0, SEEK_SET) != 0 ||
            fwrite(head, 1, sizeof head, o->f) != sizeof head || fflush(o->f) != 0) {
            set_err(err, "%s: write error: %s", name, strerror(errno));
            rc = -1;
        } else if (o->path == NULL) {
            rc = copy_to_stdout(o->f, err);
        }
    }
    /* A file written aside reaches the disk before it is renamed over the
     * path, so that a crash leaves the old file or the new, never an empty
     * or partial one under the path's name. */
    if (ok && rc == 0 && o->tmp_path != NULL && o->f != NULL &&
        (fflush(o->f) != 0 || fsync(fileno(o->f)) != 0)) {
        set_err(err, "%s: write error: %s", name, strerror(errno));
        rc = -1;
    }
    if (o->f == stdout) {
        if (ok && fflush(stdout) != 0) {
            set_err(err, "<stdout>: write error: %s", strerror(errno));
            rc = -1;
        }
    } else if (o->f != NULL && fclose(o->f) != 0 && ok && rc == 0) {
        set_err(err, "%s: write error: %s", name, strerror(errno));
        rc = -1;
    }
    if (o->tmp_path != NULL) {
        if (ok && rc == 0 && rename(o->tmp_path, o->path) != 0) {
            set_err(err, "%s: cannot rename the finished file into place: %s", o->path,
                    strerror(errno));
            rc = -1;
        }
        if (!ok || rc != 0)
            remove(o->tmp_path);
    }
    if (ok && rc == 0 && o->path == NULL && o->npy && fflush(stdout) != 0) {
        set_err(err, "<stdout>: write error: %s", strerror(errno));
        rc = -1;
    }
    free(o->path);
    free(o->tmp_path);
    free(o->line);
    memset(o, 0, sizeof *o);
    return rc;
}
