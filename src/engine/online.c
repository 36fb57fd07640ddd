/*
 * Stepwise (online) EM: Cappé and Moulines (2009), "On-line
 * expectation-maximization algorithm for latent data models", in the form
 * of Liang and Klein (2009). The model keeps s, the running averages of
 * the statistics per unit of weight; a chunk's E-step at the current
 * parameters gives its own averages s_hat, then
 *     s <- (1 - rho) s + rho s_hat,   rho = (t + t0)^-kappa,
 * and the parameters are the M-step of s. Second moments are taken about
 * fixed reference points (the means when s was made), so that averages
 * over steps are of the same quantity.
 */
#include "engine/em_int.h"

#include <string.h>

size_t mix__em_online_len(const mix__family *fam, size_t k, size_t d)
{
    const mix__family_sizes fs = mix__family_sizes_of(fam, k, d, 0);
    /* R | S1 | loglik, weight, lost | moments | fixed: em.c's layout */
    return k + k * d + 3 + fs.moments + fs.fixed;
}

/* s from the parameters: what data distributed as p would give. */
static void expect(const mix__em *em, const mix__params *p, double *s)
{
    const size_t k = em->k, d = em->d;
    memset(s, 0, em->st.len * sizeof(double));
    for (size_t j = 0; j < k; j++) {
        s[j] = p->weights[j];
        for (size_t t = 0; t < d; t++)
            s[em->st.s1 + j * d + t] = p->weights[j] * p->means[j * d + t];
    }
    em->fam->expect(p, em->reg, em->shift, s + em->st.m, s + em->st.fixed);
}

/* s <- (1 - rho) s + rho s_hat, s_hat the chunk's sums per unit weight. */
static void blend(const mix__em *em, double *s, double rho)
{
    const double *T = em->total, inv_w = 1.0 / T[em->st.ws];
    for (size_t i = 0; i < em->st.len; i++) {
        if (i == em->st.ll || i == em->st.ws || i == em->st.lost)
            continue;
        s[i] = (1.0 - rho) * s[i] + rho * (T[i] * inv_w);
    }
}

int mix__em_online_step(const mix__family *fam, const mix__data *chunk, mix__params *p,
                        double *s, double *ref, int fresh, double rho, double reg, int threads,
                        double *ll, mix__err *err)
{
    const size_t k = p->k, d = p->d;
    mix__em_opts eo = {.method = MIX_METHOD_EM, .n_init = 1, .reg = reg, .threads = threads};
    mix__em em;
    int rc = mix__em_setup(&em, fam, k, chunk, &eo,
                           MIX__EM_FIXED_IN_PASS | MIX__EM_NO_WHOLE_FIXED, err);
    if (rc != MIX_OK)
        return rc;
    mix__params_copy(&em.cur, p);
    if (fresh) /* the reference points: the means when s is made */
        memcpy(ref, p->means, k * d * sizeof(double));
    memcpy(em.shift, ref, k * d * sizeof(double));
    em.keep_shift = 1;
    if (fresh)
        expect(&em, p, s);
    rc = mix__em_e_step(&em, &em.pass, chunk, 1);
    if (rc == MIX_OK && !(em.total[em.st.ws] > 0))
        rc = mix__fail(err, MIX_EINVAL, "the chunk's weights are all zero");
    if (rc == MIX_OK) {
        *ll = em.lb;
        blend(&em, s, rho);
        memcpy(em.total, s, em.st.len * sizeof(double));
        mix__em_estimate(&em, 1);
        rc = mix__em_finish_params(&em, 0);
    }
    if (rc == MIX_OK)
        mix__params_copy(p, &em.cur);
    mix__em_free(&em);
    return rc;
}
