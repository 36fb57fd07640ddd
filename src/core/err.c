/* Per-handle error records, and the status codes' text. */
#include "core/common.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *const status_text[] = {
    [0] = "success",
    [-MIX_EINVAL] = "invalid argument",
    [-MIX_ENOMEM] = "out of memory",
    [-MIX_EDATA] = "input data contain NaN or infinity, or a result overflows",
    [-MIX_EDIM] = "invalid shape (zero or overflowing size, dimension mismatch, or fewer samples than clusters)",
    [-MIX_ESTATE] = "model is not fitted",
    [-MIX_ENUMERIC] = "numerical failure",
    [-MIX_EIO] = "input/output error",
    [-MIX_EFORMAT] = "malformed or unsupported data format",
    [-MIX_ECANCELED] = "canceled by the iteration callback",
};

_Static_assert(sizeof status_text / sizeof status_text[0] == 1 - MIX_ECANCELED,
               "every status code needs a text");

const char *mix__strerror(int status)
{
    if (status > 0 || status < MIX_ECANCELED)
        return "unknown status code";
    return status_text[-status];
}

void mix__err_init(mix__err *err)
{
    pthread_mutex_init(&err->lock, NULL);
    strcpy(err->msg, "no error");
}

void mix__err_destroy(mix__err *err)
{
    pthread_mutex_destroy(&err->lock);
}

int mix__fail(mix__err *err, int code, const char *fmt, ...)
{
    if (err == NULL)
        return code;
    char text[MIX__ERRMSG_LEN];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    pthread_mutex_lock(&err->lock);
    memcpy(err->msg, text, sizeof text);
    pthread_mutex_unlock(&err->lock);
    return code;
}

int mix__check_range(mix__err *err, const char *name, int v, int lo, int hi)
{
    if (v < lo || v > hi)
        return mix__fail(err, MIX_EINVAL, "%s = %d is out of range [%d, %d]", name, v, lo, hi);
    return MIX_OK;
}

int mix__check_nonneg(mix__err *err, const char *name, double v)
{
    if (!(v >= 0) || !isfinite(v))
        return mix__fail(err, MIX_EINVAL, "%s = %g must be finite and >= 0", name, v);
    return MIX_OK;
}

int mix__check_adam(mix__err *err, double lr, double beta1, double beta2, double eps)
{
    if (!(lr > 0) || !isfinite(lr))
        return mix__fail(err, MIX_EINVAL, "learning_rate = %g must be finite and > 0", lr);
    if (!(beta1 >= 0 && beta1 < 1))
        return mix__fail(err, MIX_EINVAL, "beta1 = %g is out of range [0, 1)", beta1);
    if (!(beta2 >= 0 && beta2 < 1))
        return mix__fail(err, MIX_EINVAL, "beta2 = %g is out of range [0, 1)", beta2);
    return mix__check_nonneg(err, "epsilon", eps);
}

int mix__check_dist(mix__err *err, int rank, int size, mix_allreduce_fn allreduce)
{
    if (size < 1)
        return mix__fail(err, MIX_EINVAL, "size = %d: there must be at least one rank", size);
    if (rank < 0 || rank >= size)
        return mix__fail(err, MIX_EINVAL, "rank = %d is out of range [0, %d]", rank, size - 1);
    if (size > 1 && allreduce == NULL)
        return mix__fail(err, MIX_EINVAL, "size = %d needs an allreduce callback", size);
    return MIX_OK;
}
