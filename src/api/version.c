/* Run-time version, for programs that cannot see the header's macros. */
#include "core/common.h"

unsigned mix_version_number(void)
{
    return MIX_VERSION_NUMBER;
}

const char *mix_version_string(void)
{
    return MIX_VERSION_STRING;
}
