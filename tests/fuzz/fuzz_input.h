/*
 * Shared by the fuzz targets: turn the fuzzer's bytes into shapes, options
 * and data, and check the invariants every result must satisfy. A broken
 * invariant traps, which libFuzzer records as a crash.
 */
#ifndef FUZZ_INPUT_H
#define FUZZ_INPUT_H

#include <math.h>
#include <mixture.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct fuzz_in {
    const uint8_t *p;
    size_t left;
} fuzz_in;

static inline uint8_t fz_byte(fuzz_in *in)
{
    if (in->left == 0)
        return 0;
    in->left--;
    return *in->p++;
}

static inline uint32_t fz_u32(fuzz_in *in)
{
    uint32_t v = 0;
    for (int i = 0; i < 4; i++)
        v = v << 8 | fz_byte(in);
    return v;
}

/* Values that break naive code, and ordinary ones. */
static inline double fz_value(fuzz_in *in, uint64_t *rng)
{
    static const double special[] = {0.0,     -0.0,    1.0,      -1.0,     1e308,   -1e308,
                                     1e-310,  5e-324,  1e150,    -1e150,   1e-150,  NAN,
                                     INFINITY, -INFINITY, 3.5,     1e-300,  2.0e154, -7.25};
    uint8_t b = fz_byte(in);
    if (b < 200) { /* most values: ordinary draws around a few centers */
        *rng = *rng * 6364136223846793005u + 1442695040888963407u;
        return (double)(b % 5) * 3.0 + (double)(*rng >> 11) * 0x1.0p-53;
    }
    return special[b % (sizeof special / sizeof special[0])];
}

/* n x d values; with some probability rows repeat earlier ones. */
static inline double *fz_matrix(fuzz_in *in, size_t n, size_t d, uint64_t *rng)
{
    double *X = malloc((n ? n : 1) * (d ? d : 1) * sizeof *X);
    if (X == NULL)
        abort();
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && fz_byte(in) > 220) {
            memcpy(X + i * d, X + (i - 1) * d, d * sizeof *X);
            continue;
        }
        for (size_t j = 0; j < d; j++)
            X[i * d + j] = fz_value(in, rng);
    }
    return X;
}

/* Shapes: mostly small; sometimes d = 1000 with a handful of rows, or k
 * near n, above n, or huge. */
static inline void fz_shape(fuzz_in *in, size_t *n, size_t *d, size_t *k)
{
    uint8_t kind = fz_byte(in);
    *n = fz_byte(in) % 96;
    *d = 1 + fz_byte(in) % 8;
    if (kind % 16 == 0) {
        *d = 1000;
        *n = fz_byte(in) % 5;
    }
    uint8_t kk = fz_byte(in);
    if (kind % 7 == 1)
        *k = *n + kk % 3; /* k near n, possibly above */
    else if (kind % 11 == 2)
        *k = (size_t)fz_u32(in); /* huge */
    else
        *k = kk % 10;
}

static inline int fz_status_ok(int rc)
{
    return rc <= 0 && rc >= MIX_ECANCELED;
}

static inline void fz_require(int cond)
{
    if (!cond)
        __builtin_trap();
}

static inline void fz_require_finite(const double *a, size_t n)
{
    for (size_t i = 0; i < n; i++)
        fz_require(isfinite(a[i]));
}

static inline void fz_require_labels(const int32_t *l, size_t n, size_t k)
{
    for (size_t i = 0; i < n; i++)
        fz_require(l[i] >= 0 && (size_t)l[i] < k);
}

/* Stops a fit after a few iterations when the input asks so. */
static inline int fz_cancel_at(void *user, int run, int iteration, double objective, double change)
{
    (void)run;
    fz_require(!isnan(objective) && !isnan(change));
    return iteration >= *(int *)user;
}

#endif /* FUZZ_INPUT_H */
