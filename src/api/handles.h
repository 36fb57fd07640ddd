/*
 * The handles behind the public opaque types (private to api/): each holds
 * its error record, its options as the model layer takes them, and its
 * model. The public layer validates arguments, keeps this state and writes
 * the error text; the arithmetic is in the model folders (kmeans/, gmm/).
 */
#ifndef MIX__API_HANDLES_H
#define MIX__API_HANDLES_H

#include "api/mixture.h"
#include "core/common.h"
#include "kmeans/kmeans.h"

struct kmeans_t {
    mix__err err;
    size_t k;
    mix__kmeans_opts opt;
    mix__dist dist; /* the ranks of a distributed fit (allreduce NULL: one process) */
    int fitted;
    mix__kmodel model;
};

/* The mixtures: a mixture handle (api/mixture.h) each. */
struct gmm_t {
    mix__mhandle h;
};

struct bmm_t {
    mix__mhandle h;
};

/* The error record of a const handle: logically mutable (see core/common.h). */
static inline mix__err *mix__kmeans_err(const kmeans_t *km)
{
    return (mix__err *)&km->err;
}

#endif /* MIX__API_HANDLES_H */
