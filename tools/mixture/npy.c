/* NumPy .npy files: the header's dictionary, values of any real dtype. */
#define _POSIX_C_SOURCE 200809L /* fileno, fstat, ftello */
#include "npy.h"

#include "cli.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

static const unsigned char MAGIC[6] = {0x93, 'N', 'U', 'M', 'P', 'Y'};

/* One value of the header dictionary: its text, without the blanks around. */
typedef struct span {
    const char *p;
    size_t len;
} span;

static const char *skip_blanks(const char *p)
{
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        p++;
    return p;
}

/* The end of the value starting at p: the ',' or '}' after it at the
 * dictionary's level, or NULL when the text ends first. Quoted strings and
 * bracketed values are skipped whole, whatever they hold. */
static const char *value_end(const char *p)
{
    int depth = 0;
    for (;;) {
        char c = *p;
        if (c == '\0')
            return NULL;
        if (c == '\'' || c == '"') {
            const char *close = strchr(p + 1, c);
            if (close == NULL)
                return NULL;
            p = close + 1;
            continue;
        }
        if (c == '(' || c == '[' || c == '{') {
            depth++;
        } else if (c == ')' || c == ']' || c == '}') {
            if (depth == 0)
                return c == '}' ? p : NULL;
            depth--;
        } else if (c == ',' && depth == 0) {
            return p;
        }
        p++;
    }
}

/* The header dictionary, {'key': value, ...}: the values of the keys named
 * in keys (n of them) into out (len 0 when absent). Keys are matched whole,
 * as quoted keys at the dictionary's level followed by ':'; other keys are
 * skipped. -1 when the text is not such a dictionary or a key repeats. */
static int parse_dict(const char *dict, const char *const *keys, span *out, int n)
{
    for (int i = 0; i < n; i++)
        out[i] = (span){NULL, 0};
    const char *p = skip_blanks(dict);
    if (*p++ != '{')
        return -1;
    for (;;) {
        p = skip_blanks(p);
        if (*p == '}')
            break;
        if (*p != '\'' && *p != '"')
            return -1;
        const char *key = p + 1, *close = strchr(key, *p);
        if (close == NULL)
            return -1;
        p = skip_blanks(close + 1);
        if (*p++ != ':')
            return -1;
        const char *v = skip_blanks(p), *end = value_end(v);
        if (end == NULL || end == v)
            return -1;
        p = end;
        while (end > v && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\n' || end[-1] == '\r'))
            end--;
        for (int i = 0; i < n; i++)
            if (strlen(keys[i]) == (size_t)(close - key) &&
                memcmp(keys[i], key, (size_t)(close - key)) == 0) {
                if (out[i].p != NULL)
                    return -1;
                out[i] = (span){v, (size_t)(end - v)};
            }
        if (*p == ',')
            p++;
    }
    return *skip_blanks(p + 1) == '\0' ? 0 : -1;
}

static int span_is(span s, const char *word)
{
    return s.len == strlen(word) && memcmp(s.p, word, s.len) == 0;
}

static int parse_descr(npy_reader *r, span s, char *err)
{
    const char *v = s.p;
    char q = *v;
    if (q != '\'' && q != '"')
        goto bad;
    const char *end = v + s.len - 1;
    if (s.len < 2 || *end != q || end - v - 1 < 3 || end - v - 1 > 4)
        goto bad;
    char order = v[1], type = v[2];
    char *stop;
    long size = strtol(v + 3, &stop, 10);
    if (stop != end)
        goto bad;
    static const uint16_t one = 1;
    const int little = *(const unsigned char *)&one == 1;
    if (order == '<')
        r->swap = !little;
    else if (order == '>')
        r->swap = little;
    else if (order == '|' || order == '=')
        r->swap = 0;
    else
        goto bad;
    if ((type == 'f' && (size == 4 || size == 8)) ||
        ((type == 'i' || type == 'u') && (size == 1 || size == 2 || size == 4 || size == 8)) ||
        (type == 'b' && size == 1)) {
        r->type = type;
        r->size = (int)size;
        return 0;
    }
bad:
    set_err(err, "%s: unsupported .npy dtype %.*s (float32, float64, integers and bool are)",
            r->name, (int)(s.len < 12 ? s.len : 12), v);
    return -1;
}

static int parse_shape(npy_reader *r, span s, char *err)
{
    const char *v = s.p;
    size_t dims[3];
    int count = 0;
    if (*v != '(')
        goto bad;
    v++;
    for (;;) {
        while (*v == ' ')
            v++;
        if (*v == ')') {
            if (v + 1 != s.p + s.len)
                goto bad;
            break;
        }
        char *stop;
        errno = 0;
        unsigned long long x = strtoull(v, &stop, 10);
        if (stop == v || errno == ERANGE || x > SIZE_MAX / 16 || count == 3)
            goto bad;
        dims[count++] = (size_t)x;
        v = stop;
        while (*v == ' ')
            v++;
        if (*v == ',')
            v++;
        else if (*v != ')')
            goto bad;
    }
    if (count == 1) {
        r->n = dims[0];
        r->d = 1;
    } else if (count == 2) {
        r->n = dims[0];
        r->d = dims[1];
    } else {
        set_err(err, "%s: a .npy array of %d dimensions; rows need 1 or 2", r->name, count);
        return -1;
    }
    if (r->d == 0 || (r->n != 0 && r->d > SIZE_MAX / 8 / r->n)) {
        set_err(err, "%s: a .npy array with no columns or too many values", r->name);
        return -1;
    }
    return 0;
bad:
    set_err(err, "%s: bad shape in the .npy header", r->name);
    return -1;
}

/* A file holds exactly the data its header announces: checked before the
 * shape sizes anything. (A pipe is read as it comes; its end is found
 * by reading.) */
static int check_size(npy_reader *r, char *err)
{
    struct stat st;
    off_t here = ftello(r->f);
    if (here < 0 || fstat(fileno(r->f), &st) != 0) {
        set_err(err, "%s: cannot tell the size: %s", r->name, strerror(errno));
        return -1;
    }
    /* n * d * size fits in a size_t (parse_shape); the sum may not */
    uintmax_t data = (uintmax_t)r->n * r->d * (uintmax_t)r->size, header = (uintmax_t)here;
    uintmax_t need = data > UINTMAX_MAX - header ? UINTMAX_MAX : header + data;
    uintmax_t actual = (uintmax_t)st.st_size;
    if (need != actual) {
        set_err(err, "%s: %s: its header announces %zu row%s of %zu value%s of %d byte%s, "
                     "%ju bytes in all, but the file has %ju bytes",
                r->name, need > actual ? "truncated .npy data" : "trailing bytes after the .npy data",
                r->n, r->n == 1 ? "" : "s", r->d, r->d == 1 ? "" : "s", r->size,
                r->size == 1 ? "" : "s", need, actual);
        return -1;
    }
    return 0;
}

int npy_open(npy_reader *r, FILE *f, const char *name, int seekable, char *err)
{
    memset(r, 0, sizeof *r);
    r->f = f;
    r->name = name;
    r->seekable = seekable;
    unsigned char head[10];
    if (fread(head, 1, 8, f) != 8 || memcmp(head, MAGIC, 6) != 0) {
        set_err(err, "%s: not a .npy file (truncated or bad magic)", name);
        return -1;
    }
    size_t hlen;
    if (head[6] == 1) {
        if (fread(head + 8, 1, 2, f) != 2)
            goto truncated;
        hlen = (size_t)head[8] | (size_t)head[9] << 8;
    } else if (head[6] == 2 || head[6] == 3) {
        unsigned char l[4];
        if (fread(l, 1, 4, f) != 4)
            goto truncated;
        hlen = (size_t)l[0] | (size_t)l[1] << 8 | (size_t)l[2] << 16 | (size_t)l[3] << 24;
        if (hlen > (1u << 24)) {
            set_err(err, "%s: .npy header of %zu bytes: too long", name, hlen);
            return -1;
        }
    } else {
        set_err(err, "%s: .npy format version %d.%d is not supported", name, head[6], head[7]);
        return -1;
    }
    char *dict = malloc(hlen + 1);
    if (dict == NULL) {
        set_err(err, "%s: out of memory", name);
        return -1;
    }
    if (fread(dict, 1, hlen, f) != hlen) {
        free(dict);
        goto truncated;
    }
    dict[hlen] = '\0';
    static const char *const keys[3] = {"descr", "fortran_order", "shape"};
    span v[3];
    int rc = -1;
    if (parse_dict(dict, keys, v, 3) != 0)
        set_err(err, "%s: the .npy header is not a dictionary of quoted keys", name);
    else if (v[0].p == NULL || v[1].p == NULL || v[2].p == NULL)
        set_err(err, "%s: the .npy header lacks descr, fortran_order or shape", name);
    else if (parse_descr(r, v[0], err) == 0 && parse_shape(r, v[2], err) == 0) {
        if (span_is(v[1], "True") || span_is(v[1], "False")) {
            r->fortran = span_is(v[1], "True") && r->d > 1;
            rc = 0;
        } else {
            set_err(err, "%s: bad fortran_order in the .npy header", name);
        }
    }
    free(dict);
    if (rc != 0)
        return -1;
    if (r->fortran && !seekable) {
        set_err(err, "%s: a Fortran-order .npy array can be read from a file only, "
                     "not from a pipe", name);
        return -1;
    }
    if (seekable && fgetpos(f, &r->data_pos) != 0) {
        set_err(err, "%s: cannot tell the position: %s", name, strerror(errno));
        return -1;
    }
    return seekable ? check_size(r, err) : 0;
truncated:
    set_err(err, "%s: truncated .npy header", name);
    return -1;
}

static double value_at(const npy_reader *r, const unsigned char *p)
{
    unsigned char b[8];
    for (int i = 0; i < r->size; i++)
        b[i] = r->swap ? p[r->size - 1 - i] : p[i];
    switch (r->type) {
    case 'f':
        if (r->size == 8) {
            double v;
            memcpy(&v, b, 8);
            return v;
        } else {
            float v;
            memcpy(&v, b, 4);
            return (double)v;
        }
    case 'b':
        return b[0] != 0;
    case 'u': {
        uint64_t u = 0;
        for (int i = r->size - 1; i >= 0; i--)
            u = u << 8 | b[i];
        return (double)u;
    }
    default: {
        uint64_t u = 0;
        for (int i = r->size - 1; i >= 0; i--)
            u = u << 8 | b[i];
        if (r->size < 8 && (u >> (8 * r->size - 1)) & 1)
            u |= ~(uint64_t)0 << (8 * r->size); /* sign extension */
        int64_t s;
        memcpy(&s, &u, 8);
        return (double)s;
    }
    }
}

static int read_exact(npy_reader *r, void *dst, size_t bytes, char *err)
{
    if (fread(dst, 1, bytes, r->f) == bytes)
        return 0;
    if (ferror(r->f))
        set_err(err, "%s: read error: %s", r->name, strerror(errno ? errno : EIO));
    else
        set_err(err, "%s: truncated .npy data: %zu rows announced, fewer present", r->name,
                r->n);
    return -1;
}

long npy_read(npy_reader *r, double *X, size_t max_rows, char *err)
{
    size_t m = r->n - r->row < max_rows ? r->n - r->row : max_rows;
    if (m == 0)
        return 0;
    size_t bytes = m * r->d * (size_t)r->size;
    if (bytes > r->buf_cap) {
        unsigned char *p = realloc(r->buf, bytes);
        if (p == NULL) {
            set_err(err, "%s: out of memory", r->name);
            return -1;
        }
        r->buf = p;
        r->buf_cap = bytes;
    }
    if (!r->fortran) {
        if (read_exact(r, r->buf, bytes, err) != 0)
            return -1;
        for (size_t t = 0; t < m * r->d; t++)
            X[t] = value_at(r, r->buf + t * (size_t)r->size);
    } else {
        /* column j of rows [row, row + m) is contiguous */
        for (size_t j = 0; j < r->d; j++) {
            if (fsetpos(r->f, &r->data_pos) != 0 ||
                fseek(r->f, (long)((j * r->n + r->row) * (size_t)r->size), SEEK_CUR) != 0) {
                set_err(err, "%s: cannot seek: %s", r->name, strerror(errno));
                return -1;
            }
            if (read_exact(r, r->buf, m * (size_t)r->size, err) != 0)
                return -1;
            for (size_t i = 0; i < m; i++)
                X[i * r->d + j] = value_at(r, r->buf + i * (size_t)r->size);
        }
    }
    r->row += m;
    return (long)m;
}

int npy_rewind(npy_reader *r, char *err)
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
    r->row = 0;
    return 0;
}

void npy_close(npy_reader *r)
{
    free(r->buf);
    memset(r, 0, sizeof *r);
}

void npy_header(unsigned char out[NPY_HEADER_LEN], size_t n, size_t d, int is_int)
{
    char dict[NPY_HEADER_LEN];
    char shape[64];
    if (d == 0)
        snprintf(shape, sizeof shape, "(%zu,)", n);
    else
        snprintf(shape, sizeof shape, "(%zu, %zu)", n, d);
    int len = snprintf(dict, sizeof dict, "{'descr': '%s', 'fortran_order': False, 'shape': %s, }",
                       is_int ? "<i4" : "<f8", shape);
    memcpy(out, MAGIC, 6);
    out[6] = 1;
    out[7] = 0;
    const size_t hlen = NPY_HEADER_LEN - 10;
    out[8] = (unsigned char)(hlen & 0xff);
    out[9] = (unsigned char)(hlen >> 8);
    memset(out + 10, ' ', hlen);
    memcpy(out + 10, dict, (size_t)len);
    out[NPY_HEADER_LEN - 1] = '\n';
}
