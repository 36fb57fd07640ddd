/*
 * CRC-32C (Castagnoli): the checksum of saved models (io/). Reflected
 * polynomial 0x82F63B78, initial value and final xor 0xFFFFFFFF, as iSCSI,
 * ext4 and SSE 4.2's crc32 instruction; the CRC of the nine ASCII bytes
 * "123456789" is 0xE3069283.
 */
#ifndef MIX__CORE_CRC32C_H
#define MIX__CORE_CRC32C_H

#include <stddef.h>
#include <stdint.h>

/* The CRC of the bytes before (crc; 0 for none) followed by p[0..n): so
 * mix__crc32c(mix__crc32c(0, a, n), b, m) is the CRC of a then b. */
uint32_t mix__crc32c(uint32_t crc, const void *p, size_t n);

/* The same in portable C only (mix__crc32c uses the CPU's crc32
 * instruction where there is one); for the tests. */
uint32_t mix__crc32c_portable(uint32_t crc, const void *p, size_t n);

#endif /* MIX__CORE_CRC32C_H */
