/* The progress bar of long fits, on a terminal only. */
#define _POSIX_C_SOURCE 200809L /* clock_gettime, fileno, isatty */
#include "progress.h"

#include <stdio.h>
#include <time.h>
#include <unistd.h>

double progress_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

void progress_init(progress *p, int enabled, const char *label, const char *objective_name,
                   int n_init, int max_iter)
{
    p->enabled = enabled && isatty(fileno(stderr));
    p->label = label;
    p->objective_name = objective_name;
    p->n_init = n_init > 0 ? n_init : 1;
    p->max_iter = max_iter > 0 ? max_iter : 1;
    p->start = progress_now();
    p->last_draw = -1.0;
    p->drawn = 0;
}

int progress_callback(void *user, int run, int iteration, double objective, double change)
{
    (void)change;
    progress *p = user;
    if (!p->enabled)
        return 0;
    double now = progress_now();
    if (p->drawn && now - p->last_draw < 0.1)
        return 0;
    p->last_draw = now;
    enum { WIDTH = 24 };
    double done = ((double)run + (double)iteration / p->max_iter) / p->n_init;
    int filled = (int)(done * WIDTH + 0.5);
    if (filled > WIDTH)
        filled = WIDTH;
    char bar[WIDTH + 1];
    for (int i = 0; i < WIDTH; i++)
        bar[i] = i < filled ? '#' : '.';
    bar[WIDTH] = '\0';
    double t = now - p->start;
    fprintf(stderr, "\r\033[K%s [%s] run %d/%d  iteration %d  %s %.6g  %d:%04.1f", p->label, bar,
            run + 1, p->n_init, iteration, p->objective_name, objective, (int)(t / 60),
            t - 60.0 * (int)(t / 60));
    fflush(stderr);
    p->drawn = 1;
    return 0;
}

void progress_done(progress *p)
{
    if (p->drawn) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
    }
    p->drawn = 0;
}
