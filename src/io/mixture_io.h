/*
 * What the two halves of the mixtures' codec share (private to io/):
 * mixture_io.c encodes and decodes the records, mixture_check.c checks the
 * values read once the checksum is verified.
 */
#ifndef MIX__IO_MIXTURE_IO_H
#define MIX__IO_MIXTURE_IO_H

#include "io/io.h"
#include "io/stream.h"

/* What a load fills: the state, which data-unit arrays were stored, and
 * whether those derived are finite. */
typedef struct loading {
    mix__mixture_state *s;
    unsigned stored;
    int derived_finite;
} loading;

static inline int gaussian(mix__io_kind kind)
{
    return kind == MIX__IO_GMM;
}

/* The codec's finish: the values of a decoded state (a loading), checked
 * as the setters and the model need them; the rest of what the E-step
 * precomputes, computed. */
int mix__mixture_finish(mix__reader *r, void *state);

#endif /* MIX__IO_MIXTURE_IO_H */
