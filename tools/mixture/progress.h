/*
 * The progress bar of long fits, on standard error when it is a terminal
 * (and not --quiet): run, iteration, objective and elapsed time, redrawn
 * in place at most ten times a second and erased at the end. Nothing is
 * written when standard error is not a terminal.
 */
#ifndef MIXTURE_PROGRESS_H
#define MIXTURE_PROGRESS_H

typedef struct progress {
    int enabled;
    const char *label;   /* what is fitted, e.g. "k = 3" */
    const char *objective_name;
    int n_init, max_iter;
    double start, last_draw;
    int drawn;
} progress;

/* enabled: the caller's choice (not --quiet); the bar shows only on a tty. */
void progress_init(progress *p, int enabled, const char *label, const char *objective_name,
                   int n_init, int max_iter);

/* The library's iteration callback (mix_iter_callback); user is a progress. */
int progress_callback(void *user, int run, int iteration, double objective, double change);

/* Erase the bar. */
void progress_done(progress *p);

/* Seconds since an arbitrary origin (monotonic). */
double progress_now(void);

#endif /* MIXTURE_PROGRESS_H */
