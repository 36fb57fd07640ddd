/*
 * A tiny CSV reader shared by the examples: a header line, numeric columns,
 * and an optional last column of class names (turned into integer labels).
 * Not part of the library.
 */
#ifndef EXAMPLES_CSV_H
#define EXAMPLES_CSV_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CSV_MAX_COLS 128
#define CSV_MAX_CLASSES 64

typedef struct csv_table {
    size_t n, d;                         /* rows, numeric columns */
    double *X;                           /* n x d */
    int32_t *y;                          /* n class labels, or NULL */
    char names[CSV_MAX_COLS][32];        /* numeric column names */
    char classes[CSV_MAX_CLASSES][32];   /* class names, in order of appearance */
    size_t n_classes;
} csv_table;

static inline void csv_free(csv_table *t)
{
    free(t->X);
    free(t->y);
}

/* Returns 0, or -1 with a message on stderr. The last column holds the
 * classes when its values are names, or always with last_is_class (digits'
 * labels are numbers). */
static inline int csv_read_classes(const char *path, csv_table *t, int last_is_class)
{
    memset(t, 0, sizeof *t);
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        perror(path);
        return -1;
    }
    char line[8192];
    size_t cols = 0, cap = 0;
    int has_class = 0;
    if (fgets(line, sizeof line, f) == NULL)
        goto bad;
    for (char *tok = strtok(line, ",\r\n"); tok && cols < CSV_MAX_COLS; tok = strtok(NULL, ",\r\n"))
        snprintf(t->names[cols++], sizeof t->names[0], "%s", tok);
    while (fgets(line, sizeof line, f) != NULL) {
        if (line[0] == '\n' || line[0] == '\0')
            continue;
        if (t->n == cap) {
            cap = cap ? 2 * cap : 256;
            double *X = realloc(t->X, cap * cols * sizeof *X);
            int32_t *y = realloc(t->y, cap * sizeof *y);
            if (X == NULL || y == NULL) {
                free(X ? X : t->X);
                free(y ? y : t->y);
                t->X = NULL;
                t->y = NULL;
                goto bad;
            }
            t->X = X;
            t->y = y;
        }
        size_t c = 0;
        for (char *tok = strtok(line, ",\r\n"); tok && c < cols; tok = strtok(NULL, ",\r\n"), c++) {
            char *end;
            double v = strtod(tok, &end);
            if (*end == '\0' && !(last_is_class && c == cols - 1)) {
                t->X[t->n * cols + c] = v;
                continue;
            }
            if (c != cols - 1)
                goto bad; /* only the last column may hold names */
            has_class = 1;
            size_t k = 0;
            while (k < t->n_classes && strcmp(t->classes[k], tok) != 0)
                k++;
            if (k == t->n_classes && t->n_classes < CSV_MAX_CLASSES)
                snprintf(t->classes[t->n_classes++], sizeof t->classes[0], "%s", tok);
            t->y[t->n] = (int32_t)k;
        }
        if (c != cols)
            goto bad;
        t->n++;
    }
    fclose(f);
    t->d = has_class ? cols - 1 : cols;
    if (has_class) /* compact rows: drop the class column */
        for (size_t i = 0; i < t->n; i++)
            memmove(t->X + i * t->d, t->X + i * cols, t->d * sizeof *t->X);
    else {
        free(t->y);
        t->y = NULL;
    }
    return 0;
bad:
    fprintf(stderr, "%s: not a CSV file of numbers (line %zu)\n", path, t->n + 2);
    fclose(f);
    csv_free(t);
    return -1;
}

static inline int csv_read(const char *path, csv_table *t)
{
    return csv_read_classes(path, t, 0);
}

#endif /* EXAMPLES_CSV_H */
