/* Static text of the status codes: the public name of core's table. */
#include "core/common.h"

const char *mix_strerror(int status)
{
    return mix__strerror(status);
}
