/* Scale and means of the data metrics; see clusters.h. */
#include "metrics/clusters.h"

#include "core/data.h"
#include "kernels/sum.h"

#include <math.h>
#include <string.h>

double mix__metrics_scale(const double *X, size_t n, size_t d)
{
    double top = 0;
    for (size_t i = 0; i < n * d; i++)
        top = fabs(X[i]) > top ? fabs(X[i]) : top;
    return mix__scale_for_spread(top / 2);
}

const double *mix__scaled_row(const double *X, size_t d, size_t i, double scale, double *buf)
{
    const double *x = X + i * d;
    if (scale == 1.0)
        return x;
    for (size_t t = 0; t < d; t++)
        buf[t] = x[t] * scale;
    return buf;
}

typedef struct column {
    const double *X;
    const uint32_t *rows;
    double scale;
} column;

static void fill_column(void *ctx, size_t first, size_t count, double *buf)
{
    const column *c = ctx;
    for (size_t r = 0; r < count; r++) {
        size_t i = c->rows ? c->rows[first + r] : first + r;
        buf[r] = c->X[i] * c->scale;
    }
}

void mix__rows_mean(const double *X, size_t d, const uint32_t *rows, size_t count, double scale,
                    double *mean, double *buf)
{
    if (d == 1) {
        column c = {X, rows, scale};
        mean[0] = mix__sum_numpy_fill(count, fill_column, &c) / (double)count;
        return;
    }
    memset(mean, 0, d * sizeof *mean);
    for (size_t r = 0; r < count; r++) {
        const double *x = mix__scaled_row(X, d, rows ? rows[r] : r, scale, buf);
        for (size_t t = 0; t < d; t++)
            mean[t] += x[t];
    }
    for (size_t t = 0; t < d; t++)
        mean[t] /= (double)count;
}

void mix__cluster_means(const double *X, size_t d, const mix__partition *p, double scale,
                        double *means, double *buf)
{
    for (size_t c = 0; c < p->k; c++)
        mix__rows_mean(X, d, p->order + p->start[c], mix__partition_size(p, c), scale,
                       means + c * d, buf);
}
