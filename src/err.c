/* Per-handle error records. */
#include "common.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

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
    char text[MIX_ERRMSG_LEN];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    pthread_mutex_lock(&err->lock);
    memcpy(err->msg, text, sizeof text);
    pthread_mutex_unlock(&err->lock);
    return code;
}
