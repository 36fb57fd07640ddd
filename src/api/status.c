/* Static text of the status codes. */
#include "core/common.h"

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

const char *mix_strerror(int status)
{
    if (status > 0 || status < MIX_ECANCELED)
        return "unknown status code";
    return status_text[-status];
}
