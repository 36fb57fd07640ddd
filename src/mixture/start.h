/*
 * How a Gaussian mixture's runs start (private to gmm/): the init methods
 * as the starts EM takes (engine/em.h's mix__em_start).
 */
#ifndef MIX__GMM_START_H
#define MIX__GMM_START_H

#include "core/data.h"
#include "engine/em.h"

/* The start for the init method (a mix_init), kept at *init while the fit
 * runs. */
mix__em_start mix__mixture_start(const mix_init *init);

/* The hierarchical start (hc_start.c): the agglomeration's rows and labels
 * (out->sub, sub_labels, n_sub) and the partition's means in engine units
 * (out->centers, k x d). */
int mix__hc_start(const mix__data *data, size_t k, int threads, uint64_t seed,
                  mix__em_start_out *out, mix__err *err);

#endif /* MIX__GMM_START_H */
