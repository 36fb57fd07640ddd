/*
 * CSV input: lines split into fields, with the delimiter and the header
 * line detected when not given.
 *
 * A line is a physical line (a quoted field cannot span lines) of at most
 * CSV_MAX_LINE bytes. Blank
 * lines and lines starting with '#' are skipped. Fields are separated by
 * one character (',' ';' '\t' '|') or, with the delimiter ' ', by runs of
 * blanks (NumPy's savetxt); unquoted fields lose surrounding blanks;
 * "quoted" fields may hold the delimiter and "" for a quote. Detection
 * looks at the first two lines: the delimiter is the most frequent of
 * ',' '\t' ';' '|' on the first (blanks when there is none), and the first
 * line is a header when one of its fields is not a number where the second
 * line's is (the rule of Python's csv.Sniffer, simplified).
 */
#ifndef MIXTURE_CSV_H
#define MIXTURE_CSV_H

#include <stdio.h>

/* The longest line read, in bytes without its line end: a longer one is a
 * data error ("line L is longer than N bytes"), not a reason to take all
 * the memory. */
enum { CSV_MAX_LINE = 64 << 20 };

typedef struct csv_reader {
    FILE *f;
    const char *name;    /* the input's name, for messages */
    char delim;          /* ' ' means runs of blanks */
    int has_header;
    size_t n_fields;     /* fields per line: the first line's */
    char **names;        /* the header's fields (n_fields), or NULL */
    char *names_buf;
    size_t line_no;      /* physical line number of the line in fields */
    char **fields;       /* the current line's fields */
    size_t count;        /* how many */
    size_t fields_cap;
    char *line;
    size_t line_cap;
    char *ahead[2];      /* lines read ahead for detection, not yet returned */
    size_t ahead_no[2];  /* their line numbers */
    size_t n_ahead, ahead_pos;
    size_t physical;     /* physical lines read so far */
    int seekable;
    fpos_t line_pos;     /* where the last line read started */
    fpos_t data_pos;     /* where the data lines start (seekable inputs) */
    size_t data_line;    /* physical lines before them */
} csv_reader;

/* delim: 0 to detect; header: -1 detect, 0 none, 1 the first line. On
 * failure returns -1 with err (ERR_LEN bytes) set; csv_close() is still
 * due. */
int csv_open(csv_reader *r, FILE *f, const char *name, int seekable, char delim, int header,
             char *err);

/* The next data line in r->fields (r->count of them): 1, 0 at the end,
 * -1 with err set. */
int csv_next(csv_reader *r, char *err);

/* Back to the first data line (seekable inputs only). */
int csv_rewind(csv_reader *r, char *err);

void csv_close(csv_reader *r);

/* Is s (a whole field) a number as the tool reads numbers (strtod in the C
 * locale, nan and inf included)? */
int csv_is_number(const char *s);

#endif /* MIXTURE_CSV_H */
