/*
 * The four covariance families of the Gaussian mixture (private to gmm/),
 * each one file implementing engine/family.h.
 */
#ifndef MIX__GMM_FAMILIES_H
#define MIX__GMM_FAMILIES_H

#include "engine/family.h"

extern const mix__family mix__family_full, mix__family_tied, mix__family_diag,
    mix__family_spherical;

#endif /* MIX__GMM_FAMILIES_H */
