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

/* The hierarchical start (hc_start.c): labels (n; -1 for rows left out of
 * the agglomeration) and the partition's means in engine units (k x d). */
int mix__hc_start(const mix__data *data, size_t k, uint64_t seed, int32_t *labels,
                  double *centers, mix__err *err);

#endif /* MIX__GMM_START_H */
