/*
 * Gradient fitting of a mixture: Adam (optim.h) on theta (theta.h), in the
 * units of the data, so that a fit is torch.optim.Adam on the same theta
 * and loss, step for step. Each step is one E-step pass (the same pass EM
 * makes) at the parameters theta gives, and the gradient from its
 * statistics. Runs start as EM's do (em.c); mini-batches are drawn from a
 * fresh shuffle of the rows every epoch.
 */
#include "engine/em_int.h"

#include "engine/theta.h"

#include <string.h>

/* Scratch of mix__theta_grad. */
static size_t work_len(const mix__family *fam, size_t k, size_t d)
{
    return mix__cov_len(fam, k, d) + (2 * d > d * d ? 2 * d : d * d);
}

int mix__adam_alloc(mix__em *em)
{
    const size_t k = em->k, d = em->d, n = em->data->n;
    const size_t len = mix__theta_len(em->fam, k, d);
    em->theta = mix__alloc_array(len, sizeof(double));
    em->grad = mix__alloc_array(len, sizeof(double));
    em->work = mix__alloc_array(work_len(em->fam, k, d), sizeof(double));
    em->adam.m = mix__alloc_array(len, sizeof(double));
    em->adam.v = mix__alloc_array(len, sizeof(double));
    em->adam.len = len;
    em->adam.o = em->o->adam;
    if (!em->theta || !em->grad || !em->work || !em->adam.m || !em->adam.v)
        return MIX_ENOMEM;
    size_t batch = em->o->batch_size;
    if (batch == 0)
        return MIX_OK;
    batch = batch < n ? batch : n;
    em->perm = mix__alloc_array(n, sizeof(size_t));
    em->Xb = mix__alloc_array(batch * d, sizeof(double));
    if (em->data->w != NULL)
        em->wb = mix__alloc_array(batch, sizeof(double));
    if (!em->perm || !em->Xb || (em->data->w != NULL && !em->wb))
        return MIX_ENOMEM;
    em->bdata = *em->data;
    em->bdata.dist = NULL; /* a mini-batch is this process's rows (in memory, one rank) */
    em->bdata.X = em->Xb;
    em->bdata.w = em->wb;
    em->bdata.n = batch;
    const mix__family_sizes fs = mix__family_sizes_of(em->fam, k, d, MIX__BLOCK_ROWS);
    return mix__pass_init(&em->bpass, &em->bdata, MIX__BLOCK_ROWS, em->st.len,
                          mix__estep_scratch_len(em->fam, k, d, 1), em->pass.n_workers,
                          2.0 * fs.row_work);
}

void mix__adam_free(mix__em *em)
{
    mix__free(em->theta);
    mix__free(em->grad);
    mix__free(em->work);
    mix__free(em->adam.m);
    mix__free(em->adam.v);
    mix__free(em->perm);
    mix__free(em->Xb);
    mix__free(em->wb);
    mix__pass_free(&em->bpass);
}

static int diverged(mix__em *em, const char *what)
{
    return mix__fail(em->err, MIX_ENUMERIC,
                     "Adam diverged in epoch %d of run %d (%s); lower the learning rate "
                     "(mix_gmm_set_adam) or start closer to the data",
                     em->iterated + 1, em->run, what);
}

/* em->cur from theta; MIX_ENUMERIC when theta gives no usable mixture. */
static int params_of_theta(mix__em *em)
{
    for (size_t i = 0; i < em->adam.len; i++)
        if (!isfinite(em->theta[i]))
            return diverged(em, "a parameter is not finite");
    long bad = mix__params_from_theta(&em->cur, em->theta, em->data->shift, em->data->inv_scale);
    if (bad >= 0)
        return diverged(em, "a component's scale ran to 0 or infinity");
    return MIX_OK;
}

/* One step on the rows of pass/data: the E-step at theta, the gradient,
 * Adam's update; *mean_ll the rows' mean log-likelihood (engine units)
 * before the step, NaN for rows that all weigh 0 (a mini-batch can: its
 * gradient is zero and Adam still steps, as torch.optim.Adam would). */
static int step(mix__em *em, mix__pass *pass, const mix__data *data, int with_fixed,
                double *mean_ll)
{
    int rc = params_of_theta(em);
    if (rc == MIX_OK && mix__em_e_step(em, pass, data, with_fixed) != MIX_OK)
        rc = diverged(em, "some rows have no density under any component");
    const double W = rc == MIX_OK ? em->total[em->st.ws] : 0;
    if (rc == MIX_OK && W > 0 && !isfinite(em->lb))
        rc = diverged(em, "the log-likelihood is not finite");
    if (rc != MIX_OK)
        return rc;
    if (W == 0) {
        memset(em->grad, 0, em->adam.len * sizeof(double));
    } else {
        const mix__suffstats st = mix__em_suffstats(em, with_fixed);
        if (mix__theta_grad(&em->cur, &st, W, data->inv_scale, data->w_factor, em->work,
                            em->grad) != 0)
            return diverged(em, "the gradient is not finite");
    }
    mix__adam_step(&em->adam, em->theta, em->grad);
    *mean_ll = W > 0 ? em->lb : NAN;
    return MIX_OK;
}

/* Fisher-Yates with the run's generator: a fresh order every epoch. */
static void shuffle(mix__em *em)
{
    const size_t n = em->data->n;
    for (size_t i = 0; i < n; i++)
        em->perm[i] = i;
    for (size_t i = n; i > 1; i--) {
        size_t j = (size_t)mix__rng_below(&em->shuffle, i);
        size_t t = em->perm[i - 1];
        em->perm[i - 1] = em->perm[j];
        em->perm[j] = t;
    }
}

/* The rows perm[b0 .. b0 + rows) as the mini-batch. */
static void gather(mix__em *em, size_t b0, size_t rows)
{
    const size_t d = em->d;
    const mix__data *v = em->data;
    for (size_t i = 0; i < rows; i++) {
        const size_t r = em->perm[b0 + i];
        memcpy(em->Xb + i * d, v->X + r * d, d * sizeof(double));
        if (em->wb != NULL)
            em->wb[i] = v->w[r];
    }
    em->bdata.n = rows;
    mix__pass_rebind(&em->bpass, &em->bdata);
}

/* An epoch of mini-batches; *objective the mean of the batches' mean
 * log-likelihoods (engine units), batches of zero weight left out. */
static int epoch_batches(mix__em *em, double *objective)
{
    const size_t n = em->data->n, batch = em->bpass.n_cap;
    const int with_fixed = em->fam->accumulate_fixed != NULL;
    double sum = 0;
    size_t count = 0;
    shuffle(em);
    for (size_t b0 = 0; b0 < n; b0 += batch) {
        const size_t rows = n - b0 < batch ? n - b0 : batch;
        double ll;
        gather(em, b0, rows);
        int rc = step(em, &em->bpass, &em->bdata, with_fixed, &ll);
        if (rc != MIX_OK)
            return rc;
        if (!isnan(ll)) { /* a batch of zero weights has no mean */
            sum += ll;
            count++;
        }
    }
    *objective = sum / (double)count; /* the data's weights have a positive sum */
    return MIX_OK;
}

static int adam_init_run(void *method)
{
    mix__em *em = method;
    int rc = mix__em_start_run(em);
    if (rc != MIX_OK)
        return rc;
    mix__theta_from_params(&em->cur, em->theta, em->data->shift, em->data->inv_scale);
    mix__adam_reset(&em->adam);
    mix__rng_seed(&em->shuffle, em->run_seed ^ 0x5851f42d4c957f2du);
    return MIX_OK;
}

static int adam_iterate(void *method, double *objective, double *change, int *converged)
{
    mix__em *em = method;
    double mean_ll;
    int rc = em->perm != NULL ? epoch_batches(em, &mean_ll)
                              : step(em, &em->pass, em->data, 0, &mean_ll);
    if (rc != MIX_OK)
        return rc;
    em->iterated++;
    *change = mean_ll - em->prev_lb;
    *converged = em->o->tol > 0 && fabs(*change) < em->o->tol;
    *objective = mean_ll + em->ll_offset;
    em->prev_lb = mean_ll;
    return MIX_OK;
}

/* The lower bound of a gradient fit is the mean log-likelihood of the
 * model it returns: one more pass at the final theta. */
static int adam_finish_run(void *method, double *score)
{
    mix__em *em = method;
    int rc = params_of_theta(em);
    if (rc == MIX_OK && mix__em_e_step(em, &em->pass, em->data, 0) != MIX_OK)
        rc = diverged(em, "some rows have no density under any component");
    if (rc == MIX_OK && !isfinite(em->lb))
        rc = diverged(em, "the log-likelihood is not finite");
    if (rc == MIX_OK)
        *score = em->lb;
    return rc;
}

static void adam_keep(void *method)
{
    mix__em *em = method;
    mix__params_copy(&em->best, &em->cur);
}

const mix__restart_ops mix__adam_ops = {
    .init_run = adam_init_run,
    .iterate = adam_iterate,
    .finish_run = adam_finish_run,
    .keep = adam_keep,
};

int mix__em_nll_grad(const mix__family *fam, size_t k, const mix__data *data, int threads,
                     const double *theta, double *nll, double *grad, mix__err *err)
{
    const mix__em_opts opts = {.method = MIX_METHOD_EM,
                               .start = {.kind = MIX__START_RANDOM},
                               .threads = threads};
    mix__em em;
    int rc = mix__em_setup(&em, fam, k, data, &opts,
                           MIX__EM_FIXED_IN_PASS | MIX__EM_NO_WHOLE_FIXED, err);
    if (rc != MIX_OK)
        return rc;
    const size_t len = mix__theta_len(fam, k, data->d);
    double *work = mix__alloc_array(work_len(fam, k, data->d) + len, sizeof(double));
    if (work == NULL) {
        mix__em_free(&em);
        return mix__fail(err, MIX_ENOMEM, "out of memory for the gradient");
    }
    long bad = mix__params_from_theta(&em.cur, theta, data->shift, data->inv_scale);
    if (bad >= 0)
        rc = mix__fail(err, MIX_ENUMERIC,
                       "theta: component %ld has a precision factor or weight that is not "
                       "usable (a diagonal entry whose exponential overflows or vanishes)",
                       bad);
    else
        rc = mix__em_e_step(&em, &em.pass, data, 1);
    double W = 0, value = 0;
    if (rc == MIX_OK) {
        W = em.total[em.st.ws];
        value = -(em.total[em.st.ll] + W * em.ll_offset) / data->w_factor;
        if (!isfinite(value))
            rc = mix__fail(err, MIX_ENUMERIC, "the negative log-likelihood at theta is not finite");
    }
    /* The gradient goes to the caller only whole and finite. */
    double *g = grad != NULL ? work + work_len(fam, k, data->d) : NULL;
    if (rc == MIX_OK && g != NULL) {
        const mix__suffstats st = mix__em_suffstats(&em, 1);
        if (mix__theta_grad(&em.cur, &st, W, data->inv_scale, data->w_factor, work, g) != 0)
            rc = mix__fail(err, MIX_ENUMERIC,
                           "the gradient at theta is not representable (a component lies too "
                           "far from the data for its terms to fit a double)");
    }
    if (rc == MIX_OK) {
        *nll = value;
        if (grad != NULL)
            memcpy(grad, g, len * sizeof(double));
    }
    mix__free(work);
    mix__em_free(&em);
    return rc;
}
