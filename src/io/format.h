/*
 * The constants of the saved-model format, version 2 (private to io/;
 * docs/format.md is the specification). Everything is little-endian: a
 * 32-byte header, records (a 16-byte record header, then a payload whose
 * length is a multiple of 8, so that every array starts 8-byte aligned),
 * and the CRC-32C of every byte before it.
 */
#ifndef MIX__IO_FORMAT_H
#define MIX__IO_FORMAT_H

#include <stdint.h>

#define MIX__FMT_MAGIC "\x89MIX\r\n\x1a\n" /* PNG's trick: 8-bit, CR LF, ^Z, LF */
#define MIX__FMT_MAGIC_LEN 8
#define MIX__FMT_VERSION 2u /* 2: KCNT, MONL, MSTP; version 1 files load */
#define MIX__FMT_HEADER_LEN 32u
#define MIX__FMT_RECORD_LEN 16u
#define MIX__FMT_CRC_LEN 4u
#define MIX__FMT_MIN_LEN (MIX__FMT_HEADER_LEN + MIX__FMT_CRC_LEN)

/* Record flags: a reader that does not know an optional record skips it. */
#define MIX__REC_OPTIONAL 1u

/* A tag is four ASCII letters, read as a little-endian integer. */
#define MIX__TAG(a, b, c, d) \
    ((uint32_t)(a) | (uint32_t)(b) << 8 | (uint32_t)(c) << 16 | (uint32_t)(d) << 24)

/* K-means. */
#define TAG_KOPT MIX__TAG('K', 'O', 'P', 'T') /* options */
#define TAG_ICEN MIX__TAG('I', 'C', 'E', 'N') /* initial centers */
#define TAG_KFIT MIX__TAG('K', 'F', 'I', 'T') /* the model's scalars */
#define TAG_CENT MIX__TAG('C', 'E', 'N', 'T') /* centers, data units */
#define TAG_CENU MIX__TAG('C', 'E', 'N', 'U') /* centers, engine units */
#define TAG_CNRM MIX__TAG('C', 'N', 'R', 'M') /* their squared norms */
#define TAG_KCNT MIX__TAG('K', 'C', 'N', 'T') /* the clusters' weights (version 2) */
/* Both. */
#define TAG_SHFT MIX__TAG('S', 'H', 'F', 'T') /* the engine units' shift */
/* Mixtures. */
#define TAG_MOPT MIX__TAG('M', 'O', 'P', 'T') /* options */
#define TAG_GWGT MIX__TAG('G', 'W', 'G', 'T') /* given weights */
#define TAG_GMEA MIX__TAG('G', 'M', 'E', 'A') /* given means (probabilities) */
#define TAG_GCOV MIX__TAG('G', 'C', 'O', 'V') /* given covariances */
#define TAG_MFIT MIX__TAG('M', 'F', 'I', 'T') /* the model's scalars */
#define TAG_WGHT MIX__TAG('W', 'G', 'H', 'T') /* weights */
#define TAG_LWGT MIX__TAG('L', 'W', 'G', 'T') /* log weights */
#define TAG_MEAU MIX__TAG('M', 'E', 'A', 'U') /* means, engine units */
#define TAG_COVU MIX__TAG('C', 'O', 'V', 'U') /* covariances, engine units */
#define TAG_PRCU MIX__TAG('P', 'R', 'C', 'U') /* precision factors, engine units */
#define TAG_LDET MIX__TAG('L', 'D', 'E', 'T') /* log det of the precision factors */
#define TAG_FACT MIX__TAG('F', 'A', 'C', 'T') /* covariance factors, engine units */
#define TAG_MEAN MIX__TAG('M', 'E', 'A', 'N') /* means, data units */
#define TAG_COVD MIX__TAG('C', 'O', 'V', 'D') /* covariances, data units */
#define TAG_PRCD MIX__TAG('P', 'R', 'C', 'D') /* precision factors, data units */
#define TAG_MONL MIX__TAG('M', 'O', 'N', 'L') /* stepwise EM's options (version 2) */
#define TAG_MSTP MIX__TAG('M', 'S', 'T', 'P') /* stepwise EM's state (version 2) */

/* Payload lengths of the fixed records (8-byte fields). */
#define KOPT_LEN (15u * 8u)
#define KFIT_LEN (4u * 8u)
#define MOPT_LEN (18u * 8u)
#define MFIT_LEN (6u * 8u)
#define MONL_LEN (2u * 8u)

/* MOPT's `given` bits and MFIT's `stored` bits. */
#define GIVEN_WEIGHTS 1u
#define GIVEN_MEANS 2u
#define GIVEN_COV 4u
#define STORED_COVD 1u
#define STORED_PRCD 2u

#endif /* MIX__IO_FORMAT_H */
