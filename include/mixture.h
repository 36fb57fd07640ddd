/*
 * libmixture: K-means and Gaussian mixture models with a stable C API.
 *
 * This is the only public header. It includes nothing but <stddef.h> and
 * <stdint.h>, uses no BLAS or LAPACK types, and every constant defined here
 * as a macro can also be read through a function, for FFI users.
 *
 * SPDX-License-Identifier: BSD-3-Clause
 */
#ifndef MIXTURE_H
#define MIXTURE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** @cond INTERNAL */
#if defined(MIX_BUILDING_LIBRARY) && defined(__GNUC__)
#define MIX_API __attribute__((visibility("default")))
#else
#define MIX_API
#endif
/** @endcond */

/**
 * @defgroup version Version
 * @brief Compile-time and run-time version of the library.
 *
 * The header is the single source of the version: the Makefile reads these
 * macros to name the shared object and to set its SONAME
 * (`libmixture.so.MIX_VERSION_MAJOR`). Programs loaded through an FFI cannot
 * see macros; they call mix_version_number() and mix_version_string().
 * A program compiled against one version and run against another can
 * compare #MIX_VERSION_NUMBER with mix_version_number().
 *
 * Every release that adds functions gives them a symbol version node of
 * their own, `LIBMIXTURE_MAJOR.MINOR` (the functions of 0.1.0 and 0.2.0 are
 * in the first node, `LIBMIXTURE_1.0`); each function's `@since` names the
 * release that added it.
 * @{
 */
/** Major version: incremented when the ABI changes incompatibly. */
#define MIX_VERSION_MAJOR 0
/** Minor version: incremented when symbols or enumerators are added. */
#define MIX_VERSION_MINOR 4
/** Patch version: incremented for fixes that change no interface. */
#define MIX_VERSION_PATCH 0
/** The version as one integer: MAJOR * 10000 + MINOR * 100 + PATCH. */
#define MIX_VERSION_NUMBER \
    (MIX_VERSION_MAJOR * 10000 + MIX_VERSION_MINOR * 100 + MIX_VERSION_PATCH)
/** @cond INTERNAL */
#define MIX_STR_(x) #x
#define MIX_STR(x) MIX_STR_(x)
/** @endcond */
/** The version as a string, "MAJOR.MINOR.PATCH". */
#define MIX_VERSION_STRING \
    MIX_STR(MIX_VERSION_MAJOR) "." MIX_STR(MIX_VERSION_MINOR) "." MIX_STR(MIX_VERSION_PATCH)

/**
 * @brief Version of the library actually loaded, as #MIX_VERSION_NUMBER.
 * @return MAJOR * 10000 + MINOR * 100 + PATCH.
 * @par Thread-safety
 * Safe from any thread.
 * @since 0.1.0
 */
MIX_API unsigned mix_version_number(void);

/**
 * @brief Version of the library actually loaded, as "MAJOR.MINOR.PATCH".
 * @return A static string; never NULL, never to be freed.
 * @par Thread-safety
 * Safe from any thread.
 * @since 0.1.0
 */
MIX_API const char *mix_version_string(void);
/** @} */

/**
 * @defgroup status Status codes
 * @brief Every function that can fail returns one of these codes.
 *
 * #MIX_OK is zero; every error is negative, and the value of each code is
 * fixed forever (new codes get new values). Three levels of information are
 * available: the code itself, its static text (mix_strerror()), and the
 * detail of the last failure on a handle (mix_kmeans_errmsg()), which names
 * the offending row, column, cluster or option.
 * @{
 */
/** Status codes returned by the library. */
typedef enum mix_status {
    MIX_OK = 0,         /**< Success. */
    MIX_EINVAL = -1,    /**< Invalid argument: NULL pointer, option out of range, bad weights. */
    MIX_ENOMEM = -2,    /**< Memory allocation failed. */
    MIX_EDATA = -3,     /**< Input data contain NaN or infinity, or results would overflow. */
    MIX_EDIM = -4,      /**< Shape error: zero size, size overflow, d mismatch, fewer samples than clusters. */
    MIX_ESTATE = -5,    /**< The handle is not in a state that allows the call (e.g. not fitted). */
    MIX_ENUMERIC = -6,  /**< Numerical failure (e.g. a covariance is not positive definite). */
    MIX_EIO = -7,       /**< Input/output error. */
    MIX_EFORMAT = -8,   /**< Malformed, truncated or unsupported serialized data. */
    MIX_ECANCELED = -9  /**< The iteration callback asked to stop; nothing was changed. */
} mix_status;

/**
 * @brief Static text describing a status code.
 * @param[in] status A value returned by a libmixture function.
 * @return A static string such as "invalid argument"; for a value that is
 *         not a libmixture code, "unknown status code". Never NULL, never
 *         to be freed.
 * @par Thread-safety
 * Safe from any thread.
 * @since 0.1.0
 */
MIX_API const char *mix_strerror(int status);
/** @} */

/**
 * @defgroup enums Enumerations
 * @brief Options shared by the models.
 *
 * Enumerator values are fixed forever; new enumerators are only appended.
 * @{
 */
/** How a model chooses its starting point. */
typedef enum mix_init {
    /** Run K-means and start from its partition (GMM only; the GMM default). */
    MIX_INIT_KMEANS = 0,
    /** Greedy k-means++ seeding, as scikit-learn (the K-means default). */
    MIX_INIT_KMEANSPP = 1,
    /** K-means: same as #MIX_INIT_RANDOM_FROM_DATA (scikit-learn's "random").
        GMM: random responsibilities. */
    MIX_INIT_RANDOM = 2,
    /** Distinct rows drawn at random (with probability proportional to
        sample weight) become the starting centers. */
    MIX_INIT_RANDOM_FROM_DATA = 3,
    /** GMM only (since 0.4.0): R mclust's default start, model-based
        hierarchical agglomeration (Fraley 1998) with the unconstrained
        (VVV) merge criterion on the SVD-scaled data, cut at k clusters; EM
        starts from that partition, whatever the covariance type. The first
        run starts from it; the other runs of mix_gmm_set_n_init() start as
        #MIX_INIT_KMEANS does, so the hierarchical start is one of the
        restarts. Above 2000 rows it agglomerates 2000 distinct rows drawn
        uniformly with the handle's seed (mclust's subset), and the first
        M-step uses those rows only. Time and memory grow as the square of
        the rows agglomerated (about 0.3 s and 16 MB at 2000 rows, d <= 10).
        Sample weights weigh the M-steps, not the agglomeration. */
    MIX_INIT_HIERARCHICAL = 4
} mix_init;

/** How K-means assigns rows to centers. All give the same labels and
 *  centers (bit for bit): they differ only in speed. */
typedef enum mix_kmeans_algorithm {
    /** Hamerly's bounds when k d >= 512, where they pay, Lloyd below
        (the default). */
    MIX_KMEANS_AUTO = 0,
    /** Lloyd: every distance of every row, every iteration
        (scikit-learn's algorithm="lloyd"). */
    MIX_KMEANS_LLOYD = 1,
    /** Hamerly: an upper and a lower bound per row skip the rows whose
        closest center cannot have changed (two doubles per row). */
    MIX_KMEANS_HAMERLY = 2
} mix_kmeans_algorithm;

/** How a model is fitted (since 0.4.0). */
typedef enum mix_method {
    /** EM for mixtures, Lloyd's algorithm for K-means (the default). */
    MIX_METHOD_EM = 0,
    /** Gradient descent with Adam on the negative log-likelihood (mixtures,
        in the parametrisation of mix_gmm_get_theta()) or on the K-means
        distortion (the centers). */
    MIX_METHOD_ADAM = 1
} mix_method;

/** Covariance structure of a Gaussian mixture. */
typedef enum mix_covariance {
    MIX_COV_FULL = 0,      /**< Each component has its own full covariance matrix. */
    MIX_COV_TIED = 1,      /**< All components share one full covariance matrix. */
    MIX_COV_DIAG = 2,      /**< Each component has its own diagonal covariance. */
    MIX_COV_SPHERICAL = 3  /**< Each component has its own single variance. */
} mix_covariance;

/**
 * @brief Iteration callback, for progress reporting and early stopping.
 *
 * Called once after every iteration of every restart, on the thread that
 * called the fit function.
 *
 * @param[in] user_data The pointer given when the callback was set.
 * @param[in] run       Index of the current restart, from 0 to n_init - 1.
 * @param[in] iteration Iteration just completed, from 1.
 * @param[in] objective K-means: inertia of the assignment made in this
 *                      iteration (in the units of the data; +infinity if it
 *                      exceeds the range of a double there). GMM: mean
 *                      log-likelihood before this iteration's M-step.
 * @param[in] change    K-means: squared shift of the centers in this
 *                      iteration. GMM: change of the mean log-likelihood.
 * @return 0 to continue; any other value stops the fit, which then returns
 *         #MIX_ECANCELED and leaves the handle exactly as it was before the
 *         call. In a distributed fit every rank calls its callback with the
 *         same values; one rank's stop stops every rank (the others return
 *         #MIX_EIO naming it).
 */
typedef int (*mix_iter_callback)(void *user_data, int run, int iteration,
                                 double objective, double change);
/**
 * @brief Rows on demand, for fits of data larger than memory
 *        (mix_kmeans_fit_stream(), mix_gmm_fit_stream(), mix_bmm_fit_stream()).
 *
 * Fill up to @p max_rows rows (row-major, d columns) into @p X and, if the
 * fit is weighted, their weights into @p w (pre-filled with 1); return the
 * number of rows written, 0 at the end of the data (the next call then
 * starts a new pass from the beginning), or a negative value on error
 * (the fit then fails with #MIX_EIO). A pass must give the same rows in the
 * same order every time (later passes are checked for their count, finite
 * values (0 or 1 for a Bernoulli mixture) and valid weights: #MIX_EDATA),
 * and must end: a reader that never
 * returns 0 is never left. Any number of rows per call is fine, the
 * library re-blocks them. Called on the thread that called the fit. After
 * a failed fit the reader may be in the middle of a pass: rewind it before
 * fitting again.
 * @param[in]  user     The pointer given to the fit.
 * @param[out] X        Room for @p max_rows rows of d doubles.
 * @param[out] w        Room for @p max_rows weights, each 1 on entry.
 * @param[in]  max_rows At least 1.
 * @return Rows written (<= @p max_rows), 0 at the end of a pass, < 0 on error.
 * @since 0.4.0
 */
typedef long (*mix_read_fn)(void *user, double *X, double *w, size_t max_rows);

/**
 * @brief In-place sum of @p len doubles over every process of a distributed
 *        fit (for example MPI_Allreduce with MPI_SUM on MPI_COMM_WORLD); see
 *        mix_kmeans_set_distributed().
 *
 * Every process calls it the same number of times with the same @p len, in
 * the same order, and every process must get the same sums, bit for bit
 * (MPI_Allreduce does, for a given number of processes: the fit's decisions
 * are taken from them on every rank alike). The library never links MPI.
 * Called only on the thread that called the fit, between passes over the
 * rows, never from the library's worker threads: MPI initialised with
 * MPI_THREAD_FUNNELED (or MPI_THREAD_SINGLE, when the fit runs on the
 * thread that initialised MPI) is enough.
 * @param[in]     user The pointer given to the set_distributed call.
 * @param[in,out] buf  @p len values, replaced by their sums over the processes.
 * @param[in]     len  At least 2.
 * @return 0 on success; anything else fails the fit with #MIX_EIO on this
 *         process. Whether the others see a failure is the callback's
 *         affair (MPI's default error handler ends the job); a failure the
 *         library sees on one rank, by contrast, it reports to all.
 * @since 0.4.0
 */
typedef int (*mix_allreduce_fn)(void *user, double *buf, size_t len);
/** @} */

/**
 * @defgroup kmeans K-means
 * @brief K-means clustering (Lloyd's algorithm) with k-means++ seeding,
 *        restarts and sample weights, matching scikit-learn's `KMeans`.
 *
 * Typical use:
 * @code
 * kmeans_t *km = mix_kmeans_create(3);
 * if (!km) return MIX_ENOMEM;
 * mix_kmeans_set_seed(km, 42);
 * int rc = mix_kmeans_fit(km, X, n, d, NULL);
 * if (rc != MIX_OK) fprintf(stderr, "%s\n", mix_kmeans_errmsg(km));
 * else printf("inertia %g\n", mix_kmeans_inertia(km));
 * mix_kmeans_free(km);
 * @endcode
 *
 * **Conventions.** Data are row-major `double`, @p n rows of @p d columns.
 * Labels are `int32_t` in [0, k). Defaults are scikit-learn's: k-means++
 * seeding, 10 restarts (1 when initial centers are given), 300 iterations,
 * `tol` 1e-4 relative to the mean variance of the features.
 *
 * **Errors.** Functions that can fail return #MIX_OK or a negative
 * #mix_status; mix_kmeans_errmsg() then gives the detail. A call that fails
 * leaves the model exactly as it was: a failed or cancelled fit does not
 * destroy an earlier fitted model.
 *
 * **Thread-safety.** A handle is not thread-safe except where stated: calls
 * that take a `const kmeans_t *` (predict, transform, score and the getters)
 * may run concurrently on one fitted handle; every other call on a handle
 * must not overlap with any call on the same handle. Distinct handles are
 * independent: the library has no global mutable state.
 *
 * **Determinism.** The random number generator lives in the handle and is
 * restarted from the seed at every fit, so the same data, options and seed
 * give bit-identical results, whatever the number of threads.
 * @{
 */

/** Opaque K-means model. */
typedef struct kmeans_t kmeans_t;

/**
 * @brief Create a K-means model with default options.
 * @param[in] n_clusters Number of clusters k; must be at least 1.
 * @return A new handle owned by the caller (release it with
 *         mix_kmeans_free()), or NULL when @p n_clusters is 0 or is too
 *         large to allocate, or memory is exhausted.
 * @par Thread-safety
 * Safe from any thread.
 * @since 0.1.0
 */
MIX_API kmeans_t *mix_kmeans_create(size_t n_clusters);

/**
 * @brief Release a model and everything it owns.
 * @param[in] km The handle, or NULL (then nothing happens).
 * Every pointer previously returned by a getter becomes invalid.
 * @since 0.1.0
 */
MIX_API void mix_kmeans_free(kmeans_t *km);

/**
 * @brief Choose the seeding method.
 * @param[in,out] km   The handle.
 * @param[in]     init #MIX_INIT_KMEANSPP (default), #MIX_INIT_RANDOM or
 *                     #MIX_INIT_RANDOM_FROM_DATA (these two are the same
 *                     for K-means). Discards centers given with
 *                     mix_kmeans_set_init_centers().
 * @return #MIX_OK; #MIX_EINVAL if @p km is NULL or @p init is
 *         #MIX_INIT_KMEANS, #MIX_INIT_HIERARCHICAL (mixtures only) or not a
 *         #mix_init value.
 * The model made from given centers, if any, stays until the next fit.
 * @since 0.1.0
 */
MIX_API int mix_kmeans_set_init(kmeans_t *km, mix_init init);

/**
 * @brief Start from given centers instead of seeding (scikit-learn's
 *        `init=array`).
 * @param[in,out] km      The handle.
 * @param[in]     centers k x d row-major array; copied, the caller keeps
 *                        ownership.
 * @param[in]     d       Number of features; the next fit must use the same.
 * @return #MIX_OK; #MIX_EINVAL if a pointer is NULL; #MIX_EDIM if @p d is 0
 *         or k * d overflows; #MIX_EDATA if a center is NaN or infinite;
 *         #MIX_ENOMEM. On failure nothing changes.
 *
 * With given centers a fit makes a single run, whatever mix_kmeans_set_n_init()
 * said, as scikit-learn does.
 *
 * The centers also become the handle's model at once (since 0.4.0), as
 * when a scikit-learn user assigns `cluster_centers_`: predict, transform
 * and score use them without a fit, replacing any fitted model. Such a
 * model has no training data: mix_kmeans_labels() is NULL,
 * mix_kmeans_n_samples() and mix_kmeans_n_iter() are 0 and
 * mix_kmeans_inertia() is NaN until the next fit, which starts from these
 * centers.
 * @since 0.1.0
 */
MIX_API int mix_kmeans_set_init_centers(kmeans_t *km, const double *centers, size_t d);

/**
 * @brief Number of restarts; the run with the lowest inertia is kept.
 * @param[in,out] km     The handle.
 * @param[in]     n_init From 1 to 100000. Default 10 (1 with given centers).
 * @return #MIX_OK; #MIX_EINVAL if @p km is NULL or @p n_init is out of range.
 * @since 0.1.0
 */
MIX_API int mix_kmeans_set_n_init(kmeans_t *km, int n_init);

/**
 * @brief Maximum number of Lloyd iterations per run.
 * @param[in,out] km       The handle.
 * @param[in]     max_iter From 1 to 1000000000. Default 300.
 * @return #MIX_OK; #MIX_EINVAL if @p km is NULL or the value is out of range.
 * @since 0.1.0
 */
MIX_API int mix_kmeans_set_max_iter(kmeans_t *km, int max_iter);

/**
 * @brief Convergence tolerance, as scikit-learn defines it.
 *
 * A run stops when the labels no longer change, or when the sum over
 * clusters of the squared center shift is at most @p tol times the mean of
 * the per-feature variances of the training data.
 * @param[in,out] km  The handle.
 * @param[in]     tol Finite and >= 0. Default 1e-4.
 * @return #MIX_OK; #MIX_EINVAL if @p km is NULL or @p tol is negative, NaN
 *         or infinite.
 * @since 0.1.0
 */
MIX_API int mix_kmeans_set_tol(kmeans_t *km, double tol);

/**
 * @brief Seed of the handle's random number generator.
 *
 * The generator (xoshiro256**, seeded through splitmix64) is restarted from
 * this seed at the start of every fit. Default 0.
 * @param[in,out] km   The handle.
 * @param[in]     seed Any value.
 * @return #MIX_OK; #MIX_EINVAL if @p km is NULL.
 * @since 0.1.0
 */
MIX_API int mix_kmeans_set_seed(kmeans_t *km, uint64_t seed);

/**
 * @brief Upper bound on the threads used by fit, predict, transform and score.
 *
 * Results do not depend on this number. BLAS calls made by the library are
 * kept small enough to run single-threaded, so the total never exceeds it.
 * @param[in,out] km        The handle.
 * @param[in]     n_threads 0 (default) for all online cores, or 1 to 1024.
 * @return #MIX_OK; #MIX_EINVAL if @p km is NULL or the value is out of range.
 * @since 0.1.0
 */
MIX_API int mix_kmeans_set_threads(kmeans_t *km, int n_threads);

/**
 * @brief Choose how rows are assigned to centers.
 *
 * The choice changes speed only: the bounds skip a row only when its
 * closest center provably stays the same even with the rounding of the
 * distance computation, and the cluster sums are computed the same way,
 * so every algorithm gives bit-identical labels, centers and inertia.
 * @param[in,out] km        The handle.
 * @param[in]     algorithm A #mix_kmeans_algorithm value. Default #MIX_KMEANS_AUTO.
 * @return #MIX_OK; #MIX_EINVAL if @p km is NULL or the value is not one.
 * @since 0.3.0
 */
MIX_API int mix_kmeans_set_algorithm(kmeans_t *km, mix_kmeans_algorithm algorithm);

/**
 * @brief Choose how K-means is fitted: Lloyd's algorithm (#MIX_METHOD_EM,
 *        the default) or Adam on the distortion.
 *
 * With #MIX_METHOD_ADAM a run minimises sum_i w_i min_j ||x_i - c_j||^2
 * over the centers with Adam (mix_kmeans_set_adam(),
 * mix_kmeans_set_batch_size()), starting from the same seeding as Lloyd;
 * max_iter counts epochs, tol stops a run when the epoch's inertia changes
 * by less than tol times the data's mean variance (0: exactly max_iter
 * epochs); an empty cluster's center stays where it is (its gradient is
 * zero); labels and inertia refer to the final centers; the run with the
 * lowest inertia is kept. The callback's objective is the epoch's inertia
 * (the sum of its batches' inertias, each at the centers before its step).
 * @param[in,out] km     The handle.
 * @param[in]     method A #mix_method value.
 * @return #MIX_OK; #MIX_EINVAL if @p km is NULL or @p method is not one.
 * @since 0.4.0
 */
MIX_API int mix_kmeans_set_method(kmeans_t *km, mix_method method);

/**
 * @brief Adam's step for #MIX_METHOD_ADAM (see mix_gmm_set_adam()).
 * @param[in,out] km            The handle.
 * @param[in]     learning_rate Finite and > 0. Default 0.01.
 * @param[in]     beta1         In [0, 1). Default 0.9.
 * @param[in]     beta2         In [0, 1). Default 0.99.
 * @param[in]     epsilon       Finite and >= 0. Default 1e-5.
 * @return #MIX_OK; #MIX_EINVAL if @p km is NULL or a value is out of range.
 * @since 0.4.0
 */
MIX_API int mix_kmeans_set_adam(kmeans_t *km, double learning_rate, double beta1, double beta2,
                                double epsilon);

/**
 * @brief Rows per Adam step: 0 (default) for the whole data, otherwise
 *        shuffled mini-batches (see mix_gmm_set_batch_size()).
 * @param[in,out] km         The handle.
 * @param[in]     batch_size Rows per step, or 0.
 * @return #MIX_OK; #MIX_EINVAL if @p km is NULL.
 * @since 0.4.0
 */
MIX_API int mix_kmeans_set_batch_size(kmeans_t *km, size_t batch_size);

/**
 * @brief Set or clear the iteration callback.
 * @param[in,out] km        The handle.
 * @param[in]     callback  Function called after each iteration, or NULL.
 * @param[in]     user_data Passed unchanged to @p callback.
 * @return #MIX_OK; #MIX_EINVAL if @p km is NULL.
 * @since 0.1.0
 */
MIX_API int mix_kmeans_set_callback(kmeans_t *km, mix_iter_callback callback, void *user_data);

/**
 * @brief Fit the model to data.
 *
 * Runs n_init seeding + Lloyd runs and keeps the one with the lowest
 * inertia. Empty clusters are moved to the points farthest from their
 * centers (as scikit-learn), so centers are never NaN.
 *
 * @param[in,out] km            The handle; on success it holds the new model.
 * @param[in]     X             n x d row-major data; not retained.
 * @param[in]     n             Number of samples; at least k.
 * @param[in]     d             Number of features; at least 1.
 * @param[in]     sample_weight n non-negative finite weights with a positive
 *                              sum, or NULL for unit weights. Weights act as
 *                              repetition counts in seeding, updates and
 *                              inertia. At least k rows need a positive weight.
 * @return #MIX_OK; #MIX_EINVAL (NULL pointer, negative or all-zero weights);
 *         #MIX_EDIM (n or d is 0, n * d overflows, n < k, d differs from the
 *         initial centers'); #MIX_EDATA (NaN or infinity in @p X or the
 *         weights); #MIX_ENOMEM; #MIX_ECANCELED (the callback stopped the
 *         fit). On any failure the handle keeps its previous model.
 * @since 0.1.0
 */
MIX_API int mix_kmeans_fit(kmeans_t *km, const double *X, size_t n, size_t d,
                           const double *sample_weight);

/**
 * @brief Fit the model to rows read on demand: data larger than memory.
 *
 * The same fit as mix_kmeans_fit() (every init, restarts, weights, threads,
 * the callback, Adam with full batches), bit-identical to it on the same
 * rows whatever number of rows @p read gives per call: the library
 * re-blocks the rows and keeps a few blocks in memory, never the data.
 * Each pass over the data calls @p read until it returns 0. Passes per fit:
 * 1 (checks and column statistics; 2 if a column's sum overflows), 2 for
 * the variance behind tol (none when tol = 0), 1 for the weights' total
 * when k-means++ needs it and tol = 0 (or the callback, its inertia); then
 * per run: the seeding (k-means++ 2k, random rows 2, given centers 0), 1
 * per iteration (Adam: per epoch), 2 more per iteration that refills an
 * empty cluster, and 1 at the end (labels to the final centers, inertia).
 * docs/scaling.md counts them for every model. After a streamed fit mix_kmeans_labels() is NULL (the
 * rows are gone: predict them in another pass if needed) and
 * mix_kmeans_n_samples() is the number of rows read.
 *
 * @param[in,out] km   The handle; on success it holds the new model.
 * @param[in]     d    Number of features; at least 1.
 * @param[in]     read The rows' reader (see #mix_read_fn); called on the
 *                     calling thread only.
 * @param[in]     user Passed unchanged to @p read.
 * @return As mix_kmeans_fit(), and #MIX_EIO when @p read returns a negative
 *         value; #MIX_EDATA when a pass gives another number of rows than
 *         the first, or @p read returns more rows than asked; #MIX_EINVAL
 *         when @p read is NULL or Adam is set to mini-batches (they need
 *         the rows in memory). Messages name the row (counted from 0 in
 *         each pass) and column at fault. On any failure the handle keeps
 *         its previous model.
 * @par Thread-safety
 * As mix_kmeans_fit().
 * @since 0.4.0
 */
MIX_API int mix_kmeans_fit_stream(kmeans_t *km, size_t d, mix_read_fn read, void *user);

/**
 * @brief Fit over several processes: each holds a shard of the rows.
 *
 * After this call, mix_kmeans_fit() and mix_kmeans_fit_stream() on rank
 * @p rank of @p size fit this rank's shard as part of the whole: every
 * global quantity of the fit (column statistics, the seeding's potentials
 * and chosen rows, Lloyd's sums, the inertia) crosses the ranks only
 * through @p allreduce (an in-place sum, e.g. MPI_Allreduce; the library
 * never links MPI). Every rank calls the fit with the same options and
 * width; shards may differ in size, be empty (n = 0, X may be NULL), and
 * be in memory on one rank and streamed on another. The result equals the
 * one-process fit of the shards concatenated in rank order to rounding
 * (1e-10 relative; the reductions sum in another order) and is the same on
 * every rank and from run to run. Getters then give the global model
 * (centers, inertia over all shards); mix_kmeans_labels() gives this
 * rank's rows and mix_kmeans_n_samples() their number. Every reduction
 * carries a status word: a failure on one rank (its data, reader or
 * memory, or its iteration callback asking to stop) fails the fit on every
 * rank, the others with #MIX_EIO naming it. Ranks must fit with the same
 * width and options: the first reduction compares a fingerprint of them,
 * and ranks that differ all fail with #MIX_EINVAL. Adam's mini-batches are
 * refused (#MIX_EINVAL). Predictions and scores stay local.
 * docs/scaling.md says what crosses the network per iteration.
 *
 * @param[in,out] km        The handle.
 * @param[in]     rank      This process's rank, in [0, @p size).
 * @param[in]     size      Number of processes; at least 1.
 * @param[in]     allreduce The sum over the processes; may be NULL only when
 *                          @p size is 1.
 * @param[in]     user      Passed unchanged to @p allreduce.
 * @return #MIX_OK; #MIX_EINVAL (NULL handle, rank or size out of range,
 *         no @p allreduce for several ranks). `(km, 0, 1, NULL, NULL)`
 *         returns the handle to one-process fitting.
 * @since 0.4.0
 */
MIX_API int mix_kmeans_set_distributed(kmeans_t *km, int rank, int size,
                                       mix_allreduce_fn allreduce, void *user);

/**
 * @brief One step of mini-batch K-means on a chunk of rows, for data that
 *        can be read only once: scikit-learn's MiniBatchKMeans.partial_fit.
 *
 * The chunk's rows are assigned to the current centers; every center that
 * receives rows becomes the weighted mean of all the rows it has received
 * so far, c <- (c W + sum_i w_i x_i) / (W + sum_i w_i), W being the weight
 * it had received before (scikit-learn's weight_sums, with
 * reassignment_ratio = 0: no random reassignment). The first call on a
 * handle without a model starts from the centers given with
 * mix_kmeans_set_init_centers(), used as given, or else from the handle's
 * init method (k-means++ or random rows, the seed's first run) on this
 * whole chunk (scikit-learn seeds from a random subset of 3 x batch_size of
 * its rows), whose rows must then number at least k; a handle with a model
 * (fitted, or given centers) continues from it, a full fit's cluster
 * weights counting as W. Afterwards mix_kmeans_labels() and
 * mix_kmeans_inertia() refer to this chunk and the new centers,
 * mix_kmeans_n_samples() is the chunk's size and mix_kmeans_n_iter() counts
 * one more step. Runs in one process (refused after
 * mix_kmeans_set_distributed() with several ranks or a callback).
 *
 * @param[in,out] km            The handle.
 * @param[in]     X             n x d row-major rows; not retained.
 * @param[in]     n             Rows in the chunk; at least 1 (at least k for
 *                              the first call).
 * @param[in]     d             Features; the model's, once there is one.
 * @param[in]     sample_weight n non-negative finite weights, or NULL.
 * @return #MIX_OK; #MIX_EINVAL (NULL pointer, negative weights, a
 *         distributed handle); #MIX_EDIM (n or d 0, d differs from the
 *         model's, fewer than k rows or positive weights in the first
 *         chunk); #MIX_EDATA (NaN or infinity, or a center that overflows);
 *         #MIX_ENOMEM. On failure the handle keeps its model.
 * @par Thread-safety
 * As mix_kmeans_fit().
 * @since 0.4.0
 */
MIX_API int mix_kmeans_partial_fit(kmeans_t *km, const double *X, size_t n, size_t d,
                                   const double *sample_weight);

/**
 * @brief Index of the closest center for each row.
 * @param[in]  km     A fitted handle.
 * @param[in]  X      n x d row-major data.
 * @param[in]  n      Number of rows; at least 1.
 * @param[in]  d      Number of features; must equal the model's.
 * @param[out] labels n labels, written only on success.
 * @return #MIX_OK; #MIX_EINVAL; #MIX_ESTATE (not fitted); #MIX_EDIM;
 *         #MIX_EDATA; #MIX_ENOMEM.
 * @par Thread-safety
 * May run concurrently with other const calls on the same handle.
 * @since 0.1.0
 */
MIX_API int mix_kmeans_predict(const kmeans_t *km, const double *X, size_t n, size_t d,
                               int32_t *labels);

/**
 * @brief Euclidean distance from each row to each center.
 * @param[in]  km   A fitted handle.
 * @param[in]  X    n x d row-major data.
 * @param[in]  n    Number of rows; at least 1.
 * @param[in]  d    Number of features; must equal the model's.
 * @param[out] dist n x k row-major distances, written only on success.
 * @return As mix_kmeans_predict(); #MIX_EDATA also when a distance overflows.
 * @par Thread-safety
 * May run concurrently with other const calls on the same handle.
 * @since 0.1.0
 */
MIX_API int mix_kmeans_transform(const kmeans_t *km, const double *X, size_t n, size_t d,
                                 double *dist);

/**
 * @brief Opposite of the inertia of @p X under the model (scikit-learn's
 *        `KMeans.score`): minus the sum of squared distances from each row
 *        to its closest center.
 * @param[in]  km    A fitted handle.
 * @param[in]  X     n x d row-major data.
 * @param[in]  n     Number of rows; at least 1.
 * @param[in]  d     Number of features; must equal the model's.
 * @param[out] score The score (<= 0), written only on success.
 * @return As mix_kmeans_predict(); #MIX_EDATA also when the sum overflows.
 * @par Thread-safety
 * May run concurrently with other const calls on the same handle.
 * @since 0.1.0
 */
MIX_API int mix_kmeans_score(const kmeans_t *km, const double *X, size_t n, size_t d,
                             double *score);

/**
 * @brief Weighted form of mix_kmeans_score(): minus the weighted sum of
 *        squared distances.
 * @param[in]  km            A fitted handle.
 * @param[in]  X             n x d row-major data.
 * @param[in]  n             Number of rows; at least 1.
 * @param[in]  d             Number of features; must equal the model's.
 * @param[in]  sample_weight n finite non-negative weights, or NULL for 1.
 * @param[out] score         The score, written only on success.
 * @return As mix_kmeans_score(); #MIX_EINVAL for negative weights.
 * @par Thread-safety
 * May run concurrently with other const calls on the same handle.
 * @since 0.1.0
 */
MIX_API int mix_kmeans_score_weighted(const kmeans_t *km, const double *X, size_t n, size_t d,
                                      const double *sample_weight, double *score);

/**
 * @brief Cluster centers of the fitted model.
 * @param[in] km The handle.
 * @return A borrowed k x d row-major array, valid until the next successful
 *         fit, mix_kmeans_set_init_centers(), load or mix_kmeans_free();
 *         NULL if @p km is NULL or holds no model.
 * @since 0.1.0
 */
MIX_API const double *mix_kmeans_centers(const kmeans_t *km);

/**
 * @brief Labels of the training rows from the last successful fit.
 * @param[in] km The handle.
 * @return A borrowed array of mix_kmeans_n_samples() labels, valid until the
 *         next successful fit, mix_kmeans_set_init_centers(), load or
 *         mix_kmeans_free(); NULL if not fitted (also for a model made from
 *         given centers, or loaded: labels are not saved).
 * @since 0.1.0
 */
MIX_API const int32_t *mix_kmeans_labels(const kmeans_t *km);

/**
 * @brief Inertia of the fitted model on its training data: the (weighted)
 *        sum of squared distances of rows to their centers.
 * @param[in] km The handle.
 * @return The inertia (>= 0); NaN if @p km is NULL, not fitted, or holds
 *         centers given with mix_kmeans_set_init_centers() and not fitted.
 * @since 0.1.0
 */
MIX_API double mix_kmeans_inertia(const kmeans_t *km);

/**
 * @brief Number of Lloyd iterations of the kept run.
 * @param[in] km The handle.
 * @return From 1 to max_iter; 0 if @p km is NULL, not fitted, or holds
 *         given centers not fitted.
 * @since 0.1.0
 */
MIX_API int mix_kmeans_n_iter(const kmeans_t *km);

/**
 * @brief Number of clusters k given at creation.
 * @param[in] km The handle.
 * @return k; 0 if @p km is NULL.
 * @since 0.1.0
 */
MIX_API size_t mix_kmeans_n_clusters(const kmeans_t *km);

/**
 * @brief Number of features d of the model (fitted or given centers).
 * @param[in] km The handle.
 * @return d; 0 if @p km is NULL or holds no model.
 * @since 0.1.0
 */
MIX_API size_t mix_kmeans_n_features(const kmeans_t *km);

/**
 * @brief Number of training rows of the fitted model (length of
 *        mix_kmeans_labels()).
 * @param[in] km The handle.
 * @return n; 0 if @p km is NULL, not fitted, or holds given centers not
 *         fitted.
 * @since 0.1.0
 */
MIX_API size_t mix_kmeans_n_samples(const kmeans_t *km);

/**
 * @brief Whether the handle holds a model: fitted, or centers given with
 *        mix_kmeans_set_init_centers().
 * @param[in] km The handle.
 * @return 1 if it holds one, 0 otherwise (also for NULL).
 * @since 0.1.0
 */
MIX_API int mix_kmeans_is_fitted(const kmeans_t *km);

/**
 * @brief Detail of the last failure on this handle.
 *
 * Reading the message does not change it. It stays until the next failing
 * call on the handle; a successful call does not clear it. Failures of const
 * calls are recorded too (under a lock in the handle): when several threads
 * share a handle, read the message only once they are done.
 * @param[in] km The handle, or NULL.
 * @return A borrowed string, valid until the next call on the handle:
 *         "no error" if nothing failed yet, "NULL handle" if @p km is NULL.
 * @since 0.1.0
 */
MIX_API const char *mix_kmeans_errmsg(const kmeans_t *km);
/** @} */

/**
 * @defgroup gmm Gaussian mixtures
 * @brief Gaussian mixture models fitted by EM with full, tied, diagonal or
 *        spherical covariances, matching scikit-learn's `GaussianMixture`,
 *        with sample weights.
 *
 * Typical use:
 * @code
 * gmm_t *g = mix_gmm_create(3, MIX_COV_FULL);
 * if (!g) return MIX_ENOMEM;
 * int rc = mix_gmm_fit(g, X, n, d, NULL);
 * if (rc != MIX_OK) fprintf(stderr, "%s\n", mix_gmm_errmsg(g));
 * double bic;
 * if (rc == MIX_OK && mix_gmm_bic(g, X, n, d, &bic) == MIX_OK) printf("BIC %g\n", bic);
 * mix_gmm_free(g);
 * @endcode
 *
 * **Model.** p(x) = sum_k w_k N(x | mu_k, Sigma_k). Shapes of the
 * covariance arrays, as scikit-learn's `covariances_`: full k x d x d, tied
 * d x d, diagonal k x d (the variances), spherical k (one variance per
 * component). `precisions_cholesky` has the same shape and scikit-learn's
 * definition: for full and tied, the upper triangular U with U U^T the
 * precision (inverse covariance); for diagonal and spherical, 1/sqrt of the
 * variances.
 *
 * **Defaults** are scikit-learn's: init by K-means, 1 run, 100 iterations,
 * tol 1e-3 on the change of the mean log-likelihood, reg_covar 1e-6 added
 * to the diagonal of every covariance.
 *
 * **Sample weights** (scikit-learn has none) multiply each row's
 * contribution to every sum of the EM updates and to the log-likelihood:
 * an integer weight is a repetition count, so fitting with weight 3 on a
 * row gives the model of the data with the row repeated three times (from
 * the same starting parameters; random initialisations draw differently).
 * The lower bound is then the weighted mean log-likelihood.
 *
 * **Errors and state.** As for K-means: a failing call changes nothing
 * but the error text; a failed or canceled fit keeps the previous model.
 * Not converging within max_iter is not an error (mix_gmm_converged() is 0).
 *
 * **Thread-safety.** As for K-means: the const calls (predict,
 * predict_proba, score_samples, score, loglik, bic, aic, sample, getters)
 * may run concurrently on one fitted handle; other calls must not overlap
 * with any call on the same handle. Results do not depend on the number of
 * threads.
 * @{
 */

/** Opaque Gaussian mixture model. */
typedef struct gmm_t gmm_t;

/**
 * @brief Create a Gaussian mixture with default options.
 * @param[in] n_components Number of components k; at least 1.
 * @param[in] cov          Covariance structure.
 * @return A new handle owned by the caller (release it with mix_gmm_free()),
 *         or NULL when @p n_components is 0 or too large, @p cov is not a
 *         #mix_covariance value, or memory is exhausted.
 * @par Thread-safety
 * Safe from any thread.
 * @since 0.2.0
 */
MIX_API gmm_t *mix_gmm_create(size_t n_components, mix_covariance cov);

/**
 * @brief Release a model and everything it owns.
 * @param[in] g The handle, or NULL (then nothing happens). Every pointer
 *              returned by a getter becomes invalid.
 * @since 0.2.0
 */
MIX_API void mix_gmm_free(gmm_t *g);

/**
 * @brief Choose how a fit starts.
 * @param[in,out] g    The handle.
 * @param[in]     init #MIX_INIT_KMEANS (default: responsibilities from a
 *                     K-means partition), #MIX_INIT_KMEANSPP (each component
 *                     starts on one k-means++ row), #MIX_INIT_RANDOM (random
 *                     responsibilities) or #MIX_INIT_RANDOM_FROM_DATA (each
 *                     component starts on one random row), as scikit-learn's
 *                     `init_params`, or #MIX_INIT_HIERARCHICAL (R mclust's
 *                     agglomeration for the first run, K-means for the
 *                     others). Parameters given with mix_gmm_set_params()
 *                     override what this produces.
 * @return #MIX_OK; #MIX_EINVAL if @p g is NULL or @p init is not a #mix_init.
 * @since 0.2.0
 */
MIX_API int mix_gmm_set_init(gmm_t *g, mix_init init);

/**
 * @brief Give starting (or complete) parameters, in the units of the data.
 *
 * Each array may be NULL: that part is then left to the initialisation
 * method (scikit-learn's `weights_init`, `means_init`, `precisions_init`,
 * except that covariances are given, not precisions). With all three
 * given, the handle also becomes a usable model at once, for predict,
 * score and sample without fitting: a model brought from elsewhere
 * (converged 0, n_iter 0, lower bound NaN). The arrays are copied. All
 * three NULL clears earlier ones.
 * @param[in,out] g           The handle.
 * @param[in]     d           Number of features (> 0 when an array is given).
 * @param[in]     weights     k weights in [0, 1] summing to 1 (within 1e-8), or NULL.
 * @param[in]     means       k x d means, or NULL.
 * @param[in]     covariances Covariances in the shape of the covariance
 *                            type, or NULL: full and tied symmetric (to
 *                            numpy's allclose) and positive definite (their
 *                            Cholesky factorisation succeeds), diagonal and
 *                            spherical positive. Checked whether or not the
 *                            other arrays are given.
 * @return #MIX_OK; #MIX_EINVAL (NULL handle, weights out of range or not
 *         summing to 1, covariances not symmetric, not positive definite or
 *         not positive: the message names the component and the defect);
 *         #MIX_EDATA (NaN or infinity, or parameters whose precisions are
 *         not representable); #MIX_EDIM (d is 0 or sizes overflow);
 *         #MIX_ENOMEM.
 * @since 0.2.0
 */
MIX_API int mix_gmm_set_params(gmm_t *g, size_t d, const double *weights, const double *means,
                               const double *covariances);

/**
 * @brief Number of EM runs from different starts; the run with the highest
 *        lower bound is kept.
 * @param[in,out] g      The handle.
 * @param[in]     n_init From 1 to 100000. Default 1.
 * @return #MIX_OK; #MIX_EINVAL if @p g is NULL or the value is out of range.
 * @since 0.2.0
 */
MIX_API int mix_gmm_set_n_init(gmm_t *g, int n_init);

/**
 * @brief Maximum number of EM iterations per run.
 * @param[in,out] g        The handle.
 * @param[in]     max_iter From 0 to 1000000000. Default 100. With 0 the model
 *                         is the starting parameters and the lower bound is
 *                         their mean log-likelihood.
 * @return #MIX_OK; #MIX_EINVAL if @p g is NULL or the value is out of range.
 * @since 0.2.0
 */
MIX_API int mix_gmm_set_max_iter(gmm_t *g, int max_iter);

/**
 * @brief Convergence threshold on the change of the mean log-likelihood
 *        between two iterations (a run stops when |change| < tol).
 * @param[in,out] g   The handle.
 * @param[in]     tol Finite and >= 0 (0 runs max_iter iterations). Default 1e-3.
 * @return #MIX_OK; #MIX_EINVAL if @p g is NULL or @p tol is negative or not finite.
 * @since 0.2.0
 */
MIX_API int mix_gmm_set_tol(gmm_t *g, double tol);

/**
 * @brief Non-negative value added to the diagonal of every covariance, in
 *        the units of the data squared, so that they stay positive definite.
 * @param[in,out] g         The handle.
 * @param[in]     reg_covar Finite and >= 0. Default 1e-6.
 * @return #MIX_OK; #MIX_EINVAL if @p g is NULL or the value is out of range.
 * @since 0.2.0
 */
MIX_API int mix_gmm_set_reg_covar(gmm_t *g, double reg_covar);

/**
 * @brief Seed of the handle's random number generator, restarted at every
 *        fit (see mix_kmeans_set_seed()). Default 0.
 * @param[in,out] g    The handle.
 * @param[in]     seed Any value.
 * @return #MIX_OK; #MIX_EINVAL if @p g is NULL.
 * @since 0.2.0
 */
MIX_API int mix_gmm_set_seed(gmm_t *g, uint64_t seed);

/**
 * @brief Continue from the current model instead of initialising.
 *
 * When set and the handle holds a model (fitted, or complete parameters
 * from mix_gmm_set_params()), the next fit makes one run starting from it,
 * as scikit-learn's `warm_start`.
 * @param[in,out] g          The handle.
 * @param[in]     warm_start 0 (default) or 1.
 * @return #MIX_OK; #MIX_EINVAL if @p g is NULL or the value is not 0 or 1.
 * @since 0.2.0
 */
MIX_API int mix_gmm_set_warm_start(gmm_t *g, int warm_start);

/**
 * @brief Upper bound on the threads a call uses (see mix_kmeans_set_threads()).
 * @param[in,out] g         The handle.
 * @param[in]     n_threads 0 (default) for all online cores, or 1 to 1024.
 * @return #MIX_OK; #MIX_EINVAL if @p g is NULL or the value is out of range.
 * @since 0.2.0
 */
MIX_API int mix_gmm_set_threads(gmm_t *g, int n_threads);

/**
 * @brief Set or clear the iteration callback (objective: the mean
 *        log-likelihood before the iteration's M-step).
 * @param[in,out] g         The handle.
 * @param[in]     callback  Function called after each iteration, or NULL.
 * @param[in]     user_data Passed unchanged to @p callback.
 * @return #MIX_OK; #MIX_EINVAL if @p g is NULL.
 * @since 0.2.0
 */
MIX_API int mix_gmm_set_callback(gmm_t *g, mix_iter_callback callback, void *user_data);

/**
 * @brief Choose how the mixture is fitted: EM (default) or Adam.
 *
 * With #MIX_METHOD_ADAM a fit minimises the negative log-likelihood
 * -sum_i w_i log p(x_i) over theta (see mix_gmm_get_theta()) with Adam
 * (mix_gmm_set_adam(), mix_gmm_set_batch_size()); max_iter counts epochs;
 * tol (default 1e-3 as for EM) stops a run when the epoch's objective, the
 * mean log-likelihood, changes by less than tol (0 runs exactly max_iter
 * epochs); restarts start as EM's would and the run with the highest final
 * lower bound is kept; reg_covar plays no part (the parametrisation keeps
 * every covariance positive definite); the lower bound is the mean
 * log-likelihood of the returned model. A run that diverges (a learning
 * rate too large, a scale running to 0 or infinity) fails the fit with
 * #MIX_ENUMERIC, the previous model intact. See the "two ways" page.
 * @param[in,out] g      The handle.
 * @param[in]     method A #mix_method value.
 * @return #MIX_OK; #MIX_EINVAL if @p g is NULL or @p method is not one.
 * @since 0.4.0
 */
MIX_API int mix_gmm_set_method(gmm_t *g, mix_method method);

/**
 * @brief Adam's step, as torch.optim.Adam defines it: with g the gradient,
 *        m = beta1 m + (1 - beta1) g, v = beta2 v + (1 - beta2) g^2, and at
 *        step t theta -= lr / (1 - beta1^t) * m / (sqrt(v / (1 - beta2^t))
 *        + epsilon).
 * @param[in,out] g             The handle.
 * @param[in]     learning_rate Finite and > 0. Default 0.01.
 * @param[in]     beta1         In [0, 1). Default 0.9.
 * @param[in]     beta2         In [0, 1). Default 0.99.
 * @param[in]     epsilon       Finite and >= 0. Default 1e-5.
 * @return #MIX_OK; #MIX_EINVAL if @p g is NULL or a value is out of range
 *         (nothing is changed then).
 * @since 0.4.0
 */
MIX_API int mix_gmm_set_adam(gmm_t *g, double learning_rate, double beta1, double beta2,
                             double epsilon);

/**
 * @brief Rows per Adam step.
 *
 * 0 (default): one step per epoch on the whole data. Otherwise every epoch
 * shuffles the rows afresh (a generator seeded from the handle's seed, so
 * the same seed gives the same fit) and steps on consecutive batches of
 * this many rows, the last one partial; each step follows the batch's
 * summed negative log-likelihood, and the epoch's objective (the callback's)
 * is the mean of the batches' mean log-likelihoods. A size of n or more is
 * one shuffled batch.
 * @param[in,out] g          The handle.
 * @param[in]     batch_size Rows per step, or 0.
 * @return #MIX_OK; #MIX_EINVAL if @p g is NULL.
 * @since 0.4.0
 */
MIX_API int mix_gmm_set_batch_size(gmm_t *g, size_t batch_size);

/**
 * @brief Fit the mixture to data by EM.
 * @param[in,out] g             The handle; on success it holds the new model.
 * @param[in]     X             n x d row-major data; not retained.
 * @param[in]     n             Number of samples; at least k.
 * @param[in]     d             Number of features; at least 1, and equal to
 *                              that of parameters given with mix_gmm_set_params().
 * @param[in]     sample_weight n non-negative finite weights with a positive
 *                              sum, or NULL; see the group description.
 * @return #MIX_OK (also when the runs did not converge); #MIX_EINVAL;
 *         #MIX_EDIM; #MIX_EDATA (NaN or infinity in the input, or a result
 *         that does not fit a double in the units of the data); #MIX_ENUMERIC
 *         (a covariance is not positive definite even with reg_covar; the
 *         message names the component and suggests a larger reg_covar);
 *         #MIX_ENOMEM; #MIX_ECANCELED. On any failure the handle keeps its
 *         previous model.
 * @since 0.2.0
 */
MIX_API int mix_gmm_fit(gmm_t *g, const double *X, size_t n, size_t d,
                        const double *sample_weight);

/**
 * @brief Fit the model to rows read on demand: data larger than memory.
 *
 * The same fit as mix_gmm_fit() (every init, restarts, warm start,
 * weights, threads, the callback, Adam with full batches), bit-identical to
 * it on the same rows whatever number of rows @p read gives per call (see
 * mix_kmeans_fit_stream()). Passes per fit: 1 (checks, column statistics),
 * 1 for the tied family's data statistics; per run, the start: the K-means
 * init a K-means fit without its last pass (2 + 2k + its iterations) and
 * 1 for the first M-step's statistics, k-means++ 2k + 1, random rows 2,
 * random responsibilities 1, the hierarchical init 2 (3 above 2000 rows;
 * the later runs start from K-means); then 1 per EM iteration or Adam
 * epoch, and 1 more at the end for Adam (its lower bound) or when max_iter
 * is 0. docs/scaling.md counts them.
 *
 * @param[in,out] g    The handle; on success it holds the new model.
 * @param[in]     d    Number of features; at least 1.
 * @param[in]     read The rows' reader (see #mix_read_fn).
 * @param[in]     user Passed unchanged to @p read.
 * @return As mix_gmm_fit(), and as mix_kmeans_fit_stream() for the
 *         reader's failures. On any failure the handle keeps its model.
 * @par Thread-safety
 * As mix_gmm_fit().
 * @since 0.4.0
 */
MIX_API int mix_gmm_fit_stream(gmm_t *g, size_t d, mix_read_fn read, void *user);

/**
 * @brief Fit over several processes, each holding a shard of the rows (see
 *        mix_kmeans_set_distributed()).
 *
 * Every global quantity (column statistics, the start's seeding or
 * partition, EM's statistics, the lower bound) crosses the ranks through
 * @p allreduce; the model equals the one-process fit of the concatenated
 * shards to 1e-10 relative (to rounding when the initial parameters are
 * given). The lower bound is the mean over all rows.
 * @param[in,out] g         The handle.
 * @param[in]     rank      This process's rank, in [0, @p size).
 * @param[in]     size      Number of processes; at least 1.
 * @param[in]     allreduce The sum over the processes; may be NULL only when
 *                          @p size is 1.
 * @param[in]     user      Passed unchanged to @p allreduce.
 * @return #MIX_OK; #MIX_EINVAL as mix_kmeans_set_distributed().
 * @since 0.4.0
 */
MIX_API int mix_gmm_set_distributed(gmm_t *g, int rank, int size, mix_allreduce_fn allreduce,
                                    void *user);

/**
 * @brief One step of stepwise (online) EM on a chunk of rows, for data that
 *        can be read only once.
 *
 * Stepwise EM (Cappé and Moulines 2009; Liang and Klein 2009) keeps s, the
 * running averages of the sufficient statistics per unit of weight (the
 * responsibilities' sums, their first moments, the family's second
 * moments). Step t takes the chunk's averages s_hat at the current
 * parameters (one E-step pass), sets s <- (1 - rho) s + rho s_hat with
 * rho = (t + t0)^-kappa (mix_gmm_set_online(); defaults kappa = 0.6,
 * t0 = 10), and makes the parameters the M-step of s, reg_covar added as
 * in a fit. The first call on a handle without a model fits its chunk as
 * mix_gmm_fit() would (its init, n_init, max_iter and tol; at least k
 * rows). A handle with a model (fitted, or complete parameters given)
 * continues from it: s starts as the statistics data distributed as the
 * model would give (so the first step blends the chunk into the model
 * with weight (1 + t0)^-kappa). After a call, mix_gmm_lower_bound() is the
 * chunk's mean log-likelihood under the parameters before the step,
 * mix_gmm_n_iter() counts one more step and mix_gmm_converged() is 0. A
 * full fit starts over (the steps count from 0 again). Every covariance
 * type and sample weights; one process (refused after
 * mix_gmm_set_distributed() with several ranks or a callback).
 *
 * @param[in,out] g             The handle.
 * @param[in]     X             n x d row-major rows; not retained.
 * @param[in]     n             Rows in the chunk; at least 1 (k for the first).
 * @param[in]     d             Features; the model's, once there is one.
 * @param[in]     sample_weight n non-negative finite weights with a positive
 *                              sum, or NULL.
 * @return #MIX_OK; #MIX_EINVAL (NULL pointer, bad weights, a distributed
 *         handle); #MIX_EDIM (n or d 0, d differs from the model's);
 *         #MIX_EDATA (NaN or infinity, rows too far from the model);
 *         #MIX_ENUMERIC (a covariance is not positive definite after the
 *         step: increase reg_covar); #MIX_ENOMEM. On failure the handle
 *         keeps its model.
 * @par Thread-safety
 * As mix_gmm_fit().
 * @since 0.4.0
 */
MIX_API int mix_gmm_partial_fit(gmm_t *g, const double *X, size_t n, size_t d,
                                const double *sample_weight);

/**
 * @brief Step size of mix_gmm_partial_fit(): rho_t = (t + t0)^-kappa at
 *        step t = 1, 2, ...
 *
 * kappa in (0.5, 1] makes the steps sum to infinity and their squares
 * converge, as stochastic approximation needs; smaller kappa forgets old
 * chunks faster. t0 delays the decay and bounds the first steps (rho_1 =
 * (1 + t0)^-kappa), which protects a fitted model from its first chunks.
 * Defaults 0.6 and 10: on 1,000,000 rows of an 8-component mixture in
 * chunks of 1,000 the stream's final mean log-likelihood is within 0.01
 * nats of the batch EM fit's (tests/unit/test_online.c).
 * @param[in,out] g     The handle.
 * @param[in]     kappa In (0.5, 1].
 * @param[in]     t0    Finite, >= 0.
 * @return #MIX_OK; #MIX_EINVAL (NULL handle, kappa or t0 out of range).
 * @since 0.4.0
 */
MIX_API int mix_gmm_set_online(gmm_t *g, double kappa, double t0);

/**
 * @brief Length of theta, the unconstrained parameters, for the handle's
 *        k and covariance type and @p d features.
 *
 * theta, in the units of the data, is [logits (k) | means (k x d) |
 * covariance part]: the weights are softmax(logits) (mix_gmm_get_theta()
 * returns the log weights); the covariance part is the precision Cholesky
 * factor in scikit-learn's `precisions_cholesky_` convention with every
 * diagonal entry stored as its natural log: spherical k values
 * (log 1/sigma_k), diagonal k x d (log 1/sigma_kt), full k blocks of
 * d (d + 1) / 2 (the upper triangle of each d x d factor, row by row), tied
 * one such block. Every theta is a valid mixture (as long as its
 * exponentials are representable).
 * @param[in] g The handle.
 * @param[in] d Number of features.
 * @return k + k d + (full k d (d + 1) / 2, tied d (d + 1) / 2, diagonal
 *         k d, spherical k); 0 if @p g is NULL, @p d is 0 or the sizes
 *         overflow.
 * @since 0.4.0
 */
MIX_API size_t mix_gmm_theta_size(const gmm_t *g, size_t d);

/**
 * @brief The handle's model as theta (see mix_gmm_theta_size()).
 * @param[in]  g     A handle holding a model.
 * @param[out] theta mix_gmm_theta_size(g, mix_gmm_n_features(g)) values.
 * @return #MIX_OK; #MIX_EINVAL (NULL); #MIX_ESTATE (no model).
 * @par Thread-safety
 * May run concurrently with other const calls on the same handle.
 * @since 0.4.0
 */
MIX_API int mix_gmm_get_theta(const gmm_t *g, double *theta);

/**
 * @brief Make the mixture theta describes the handle's model: the same as
 *        mix_gmm_set_params() with its weights, means and covariances.
 * @param[in,out] g     The handle.
 * @param[in]     d     Number of features.
 * @param[in]     theta mix_gmm_theta_size(g, d) values; copied.
 * @return As mix_gmm_set_params(); also #MIX_EDATA when theta is not
 *         finite or its exponentials are not representable.
 * @since 0.4.0
 */
MIX_API int mix_gmm_set_theta(gmm_t *g, size_t d, const double *theta);

/**
 * @brief The negative log-likelihood at theta and its gradient.
 *
 * nll = -sum_i w_i log p(x_i | theta) (w_i = 1 without weights) and
 * grad = d nll / d theta, analytic, in one blocked pass over the data (the
 * E-step's products; no n x k array). The handle gives k, the covariance
 * type and the thread count only: no fitted model is needed, and the
 * handle is not changed. In the notation of mix_gmm_theta_size(), with
 * r_ij the responsibilities, N_j = sum_i w_i r_ij, W = sum_i w_i, P_j the
 * precision and U_j its factor: d/d logit_j = W pi_j - N_j;
 * d/d mu_j = -P_j sum_i w_i r_ij (x_i - mu_j);
 * d/d U_j = [M_j U_j]_upper - N_j diag(1/U_j) with M_j = sum_i w_i r_ij
 * (x_i - mu_j)(x_i - mu_j)^T, times U_tt on the log-diagonal entries.
 * @param[in]  g             The handle (k, covariance type, threads).
 * @param[in]  X             n x d row-major data.
 * @param[in]  n             Number of rows; at least 1.
 * @param[in]  d             Number of features; at least 1.
 * @param[in]  sample_weight n non-negative finite weights, or NULL.
 * @param[in]  theta         mix_gmm_theta_size(g, d) values.
 * @param[out] nll           The negative log-likelihood.
 * @param[out] grad          mix_gmm_theta_size(g, d) values, or NULL (the
 *                           value only).
 * @return #MIX_OK; #MIX_EINVAL (NULL pointer, negative weights); #MIX_EDIM;
 *         #MIX_EDATA (NaN or infinity in X, the weights or theta);
 *         #MIX_ENUMERIC (theta's exponentials not representable, or a row
 *         with no density under any component); #MIX_ENOMEM. Outputs are
 *         written only on success.
 * @par Thread-safety
 * May run concurrently with other const calls on the same handle.
 * @since 0.4.0
 */
MIX_API int mix_gmm_nll_grad(const gmm_t *g, const double *X, size_t n, size_t d,
                             const double *sample_weight, const double *theta, double *nll,
                             double *grad);

/**
 * @brief Most probable component of each row.
 * @param[in]  g      A handle holding a model.
 * @param[in]  X      n x d row-major data.
 * @param[in]  n      Number of rows; at least 1.
 * @param[in]  d      Number of features; must equal the model's.
 * @param[out] labels n labels, written only on success.
 * @return #MIX_OK; #MIX_EINVAL; #MIX_ESTATE (no model); #MIX_EDIM;
 *         #MIX_EDATA (NaN or infinity, or rows so far from every component
 *         that their densities are not representable); #MIX_ENOMEM.
 * @par Thread-safety
 * May run concurrently with other const calls on the same handle.
 * @since 0.2.0
 */
MIX_API int mix_gmm_predict(const gmm_t *g, const double *X, size_t n, size_t d, int32_t *labels);

/**
 * @brief Posterior probability of each component for each row
 *        (responsibilities).
 * @param[in]  g    A handle holding a model.
 * @param[in]  X    n x d row-major data.
 * @param[in]  n    Number of rows; at least 1.
 * @param[in]  d    Number of features; must equal the model's.
 * @param[out] resp n x k row-major probabilities (rows sum to 1), written
 *                  only on success.
 * @return As mix_gmm_predict().
 * @par Thread-safety
 * May run concurrently with other const calls on the same handle.
 * @since 0.2.0
 */
MIX_API int mix_gmm_predict_proba(const gmm_t *g, const double *X, size_t n, size_t d,
                                  double *resp);

/**
 * @brief Log-density of the mixture at each row, log p(x_i).
 * @param[in]  g    A handle holding a model.
 * @param[in]  X    n x d row-major data.
 * @param[in]  n    Number of rows; at least 1.
 * @param[in]  d    Number of features; must equal the model's.
 * @param[out] logp n values, written only on success.
 * @return As mix_gmm_predict().
 * @par Thread-safety
 * May run concurrently with other const calls on the same handle.
 * @since 0.2.0
 */
MIX_API int mix_gmm_score_samples(const gmm_t *g, const double *X, size_t n, size_t d,
                                  double *logp);

/**
 * @brief Mean log-density of the rows (scikit-learn's `score`).
 * @param[in]  g         A handle holding a model.
 * @param[in]  X         n x d row-major data.
 * @param[in]  n         Number of rows; at least 1.
 * @param[in]  d         Number of features; must equal the model's.
 * @param[out] mean_logp The mean, written only on success.
 * @return As mix_gmm_predict().
 * @par Thread-safety
 * May run concurrently with other const calls on the same handle.
 * @since 0.2.0
 */
MIX_API int mix_gmm_score(const gmm_t *g, const double *X, size_t n, size_t d, double *mean_logp);

/**
 * @brief Total log-likelihood of the rows, sum_i log p(x_i).
 * @param[in]  g          A handle holding a model.
 * @param[in]  X          n x d row-major data.
 * @param[in]  n          Number of rows; at least 1.
 * @param[in]  d          Number of features; must equal the model's.
 * @param[out] total_logp The sum, written only on success.
 * @return As mix_gmm_predict().
 * @par Thread-safety
 * May run concurrently with other const calls on the same handle.
 * @since 0.2.0
 */
MIX_API int mix_gmm_loglik(const gmm_t *g, const double *X, size_t n, size_t d,
                           double *total_logp);

/**
 * @brief Bayesian information criterion on X: -2 log L + p ln n, with p
 *        = mix_gmm_n_parameters() (scikit-learn's sign; lower is better).
 * @param[in]  g   A handle holding a model.
 * @param[in]  X   n x d row-major data.
 * @param[in]  n   Number of rows; at least 1.
 * @param[in]  d   Number of features; must equal the model's.
 * @param[out] bic The criterion, written only on success.
 * @return As mix_gmm_predict().
 * @par Thread-safety
 * May run concurrently with other const calls on the same handle.
 * @since 0.2.0
 */
MIX_API int mix_gmm_bic(const gmm_t *g, const double *X, size_t n, size_t d, double *bic);

/**
 * @brief Akaike information criterion on X: -2 log L + 2 p (lower is better).
 * @param[in]  g   A handle holding a model.
 * @param[in]  X   n x d row-major data.
 * @param[in]  n   Number of rows; at least 1.
 * @param[in]  d   Number of features; must equal the model's.
 * @param[out] aic The criterion, written only on success.
 * @return As mix_gmm_predict().
 * @par Thread-safety
 * May run concurrently with other const calls on the same handle.
 * @since 0.2.0
 */
MIX_API int mix_gmm_aic(const gmm_t *g, const double *X, size_t n, size_t d, double *aic);

/**
 * @brief Draw samples from the model.
 *
 * Component counts are multinomial with the mixture weights; rows come out
 * grouped by component, in increasing component order (as scikit-learn),
 * each drawn as mu_k + L_k z with L_k the Cholesky factor of the component's
 * covariance and z standard normal. The same seed gives the same samples.
 * @param[in]  g          A handle holding a model.
 * @param[in]  n          Number of samples; at least 1.
 * @param[in]  seed       Seed of this call's own generator.
 * @param[out] X_out      n x d samples, written only on success.
 * @param[out] labels_out n component labels, or NULL.
 * @return #MIX_OK; #MIX_EINVAL; #MIX_ESTATE; #MIX_EDIM (n is 0 or n * d
 *         overflows); #MIX_ENOMEM.
 * @par Thread-safety
 * May run concurrently with other const calls on the same handle.
 * @since 0.2.0
 */
MIX_API int mix_gmm_sample(const gmm_t *g, size_t n, uint64_t seed, double *X_out,
                           int32_t *labels_out);

/**
 * @brief Mixture weights.
 * @param[in] g The handle.
 * @return A borrowed array of k weights, valid until the next successful
 *         fit, mix_gmm_set_params(), load or mix_gmm_free(); NULL if no
 *         model.
 * @since 0.2.0
 */
MIX_API const double *mix_gmm_weights(const gmm_t *g);

/**
 * @brief Component means, in the units of the data.
 * @param[in] g The handle.
 * @return A borrowed k x d array (lifetime as mix_gmm_weights()); NULL if no model.
 * @since 0.2.0
 */
MIX_API const double *mix_gmm_means(const gmm_t *g);

/**
 * @brief Covariances, reg_covar included, in the shape of the covariance
 *        type (full k*d*d, tied d*d, diagonal k*d, spherical k).
 * @param[in] g The handle.
 * @return A borrowed array of mix_gmm_covariances_size() values (lifetime as
 *         mix_gmm_weights()); NULL if no model.
 * @since 0.2.0
 */
MIX_API const double *mix_gmm_covariances(const gmm_t *g);

/**
 * @brief Cholesky factors of the precisions, scikit-learn's
 *        `precisions_cholesky_`, same shape as mix_gmm_covariances().
 * @param[in] g The handle.
 * @return A borrowed array (lifetime as mix_gmm_weights()); NULL if no model.
 * @since 0.2.0
 */
MIX_API const double *mix_gmm_precisions_cholesky(const gmm_t *g);

/**
 * @brief Number of values in mix_gmm_covariances() and
 *        mix_gmm_precisions_cholesky() for the model's d.
 * @param[in] g The handle.
 * @return The count; 0 if @p g is NULL or holds no model.
 * @since 0.2.0
 */
MIX_API size_t mix_gmm_covariances_size(const gmm_t *g);

/**
 * @brief Whether some run of the last fit converged (scikit-learn's
 *        `converged_`).
 * @param[in] g The handle.
 * @return 1 or 0 (0 also for NULL or no model).
 * @since 0.2.0
 */
MIX_API int mix_gmm_converged(const gmm_t *g);

/**
 * @brief Iterations of the kept run.
 * @param[in] g The handle.
 * @return From 0 to max_iter; 0 for NULL or no model.
 * @since 0.2.0
 */
MIX_API int mix_gmm_n_iter(const gmm_t *g);

/**
 * @brief Lower bound of the kept run: the (weighted) mean log-likelihood of
 *        the training data under the parameters before the run's last
 *        M-step, as scikit-learn's `lower_bound_`.
 * @param[in] g The handle.
 * @return The value; NaN for NULL, no model, or parameters given with
 *         mix_gmm_set_params() and not fitted.
 * @since 0.2.0
 */
MIX_API double mix_gmm_lower_bound(const gmm_t *g);

/**
 * @brief Number of free parameters of the model (used by BIC and AIC):
 *        k - 1 weights, k d means, and the covariance parameters (full
 *        k d (d + 1) / 2, tied d (d + 1) / 2, diagonal k d, spherical k).
 * @param[in] g The handle.
 * @return The count; 0 for NULL or no model.
 * @since 0.2.0
 */
MIX_API size_t mix_gmm_n_parameters(const gmm_t *g);

/**
 * @brief Number of components k given at creation.
 * @param[in] g The handle.
 * @return k; 0 for NULL.
 * @since 0.2.0
 */
MIX_API size_t mix_gmm_n_components(const gmm_t *g);

/**
 * @brief Number of features d of the model.
 * @param[in] g The handle.
 * @return d; 0 for NULL or no model.
 * @since 0.2.0
 */
MIX_API size_t mix_gmm_n_features(const gmm_t *g);

/**
 * @brief Covariance type given at creation.
 * @param[in] g The handle.
 * @return The type as an int (a #mix_covariance value); #MIX_EINVAL for NULL.
 * @since 0.2.0
 */
MIX_API int mix_gmm_covariance_type(const gmm_t *g);

/**
 * @brief Whether the handle holds a model (fitted, or complete parameters
 *        from mix_gmm_set_params()).
 * @param[in] g The handle.
 * @return 1 or 0 (0 also for NULL).
 * @since 0.2.0
 */
MIX_API int mix_gmm_is_fitted(const gmm_t *g);

/**
 * @brief Detail of the last failure on this handle (see mix_kmeans_errmsg()).
 * @param[in] g The handle, or NULL.
 * @return A borrowed string: "no error" if nothing failed yet, "NULL handle"
 *         if @p g is NULL.
 * @since 0.2.0
 */
MIX_API const char *mix_gmm_errmsg(const gmm_t *g);
/** @} */

/**
 * @defgroup bmm Bernoulli mixtures
 * @brief Mixtures of multivariate Bernoulli distributions for binary data
 *        (binarised images, presence/absence, bags of words), fitted by EM
 *        on the same engine as the Gaussian mixtures (since 0.4.0).
 *
 * **Model.** p(x) = sum_k w_k prod_t mu_kt^x_t (1 - mu_kt)^(1 - x_t) for
 * rows x of 0/1 values; `probs` are the mu (k x d). Every call mirrors the
 * #gmm_t call of the same name (arguments, defaults, life cycle, errors,
 * thread-safety, determinism, sample weights), with `probs` in place of
 * means and covariances.
 *
 * **Prior.** The M-step is mu_kt = (S_kt + alpha) / (N_k + 2 alpha), with
 * S_kt the (weighted) number of the component's rows with x_t = 1 and N_k
 * its weight (floored as in the Gaussian mixtures): the MAP estimate under
 * a Beta(alpha + 1, alpha + 1) prior, that is additive (Laplace / Lidstone)
 * smoothing. The default alpha = 1, as scikit-learn's `BernoulliNB`, keeps
 * every probability inside (0, 1). EM then maximises the posterior; the
 * lower bound is nevertheless, as for #gmm_t, the mean log-likelihood of the
 * training data at the last E-step (so it need not increase at every
 * iteration). With alpha = 0 (maximum likelihood) a probability can be
 * exactly 0 or 1: a row then impossible under every component scores -inf
 * (mix_bmm_score_samples()), is labelled 0 and gets the weights as its
 * responsibilities, never NaN; a fit in which a training row becomes
 * impossible under every component fails with #MIX_ENUMERIC.
 *
 * **Data.** Every value must be exactly 0 or 1: anything else (including
 * NaN) is #MIX_EDATA naming the first offending row and column. Rows are
 * not centred or scaled.
 *
 * **Initialisation.** #MIX_INIT_KMEANS (default: a K-means partition of the
 * rows), #MIX_INIT_KMEANSPP and #MIX_INIT_RANDOM_FROM_DATA (one row per
 * component), #MIX_INIT_RANDOM (random responsibilities), or parameters
 * given with mix_bmm_set_params(). #MIX_INIT_HIERARCHICAL is for Gaussian
 * mixtures.
 * @{
 */

/** Opaque Bernoulli mixture model. */
typedef struct bmm_t bmm_t;

/**
 * @brief Create a Bernoulli mixture with default options.
 * @param[in] n_components Number of components k; at least 1.
 * @return A new handle owned by the caller (release it with mix_bmm_free()),
 *         or NULL when @p n_components is 0 or too large, or memory is
 *         exhausted.
 * @par Thread-safety
 * Safe from any thread.
 * @since 0.4.0
 */
MIX_API bmm_t *mix_bmm_create(size_t n_components);

/**
 * @brief Release a model and everything it owns.
 * @param[in] b The handle, or NULL (then nothing happens). Every pointer
 *              returned by a getter becomes invalid.
 * @since 0.4.0
 */
MIX_API void mix_bmm_free(bmm_t *b);

/**
 * @brief Choose how a fit starts (see the group description).
 * @param[in,out] b    The handle.
 * @param[in]     init #MIX_INIT_KMEANS (default), #MIX_INIT_KMEANSPP,
 *                     #MIX_INIT_RANDOM or #MIX_INIT_RANDOM_FROM_DATA.
 * @return #MIX_OK; #MIX_EINVAL if @p b is NULL or @p init is not one of these.
 * @since 0.4.0
 */
MIX_API int mix_bmm_set_init(bmm_t *b, mix_init init);

/**
 * @brief Give starting (or complete) parameters, as mix_gmm_set_params().
 *
 * Each array may be NULL: that part is left to the initialisation. With
 * both given the handle also becomes a usable model at once (converged 0,
 * n_iter 0, lower bound NaN). The arrays are copied; both NULL clears
 * earlier ones.
 * @param[in,out] b       The handle.
 * @param[in]     d       Number of features (> 0 when an array is given).
 * @param[in]     weights k weights in [0, 1] summing to 1 (within 1e-8), or NULL.
 * @param[in]     probs   k x d probabilities in [0, 1], or NULL.
 * @return #MIX_OK; #MIX_EINVAL (NULL handle, a value out of range, weights
 *         not summing to 1; the message names the component); #MIX_EDATA
 *         (NaN or infinity); #MIX_EDIM (d is 0 or sizes overflow);
 *         #MIX_ENOMEM.
 * @since 0.4.0
 */
MIX_API int mix_bmm_set_params(bmm_t *b, size_t d, const double *weights, const double *probs);

/**
 * @brief The pseudo-count of the M-step (see the group description).
 * @param[in,out] b     The handle.
 * @param[in]     alpha Finite and >= 0. Default 1.
 * @return #MIX_OK; #MIX_EINVAL if @p b is NULL or the value is out of range.
 * @since 0.4.0
 */
MIX_API int mix_bmm_set_alpha(bmm_t *b, double alpha);

/**
 * @brief Number of EM runs; the run with the highest lower bound is kept.
 * @param[in,out] b      The handle.
 * @param[in]     n_init From 1 to 100000. Default 1.
 * @return #MIX_OK; #MIX_EINVAL if @p b is NULL or the value is out of range.
 * @since 0.4.0
 */
MIX_API int mix_bmm_set_n_init(bmm_t *b, int n_init);

/**
 * @brief Maximum number of EM iterations per run.
 * @param[in,out] b        The handle.
 * @param[in]     max_iter From 0 to 1000000000. Default 100.
 * @return #MIX_OK; #MIX_EINVAL if @p b is NULL or the value is out of range.
 * @since 0.4.0
 */
MIX_API int mix_bmm_set_max_iter(bmm_t *b, int max_iter);

/**
 * @brief Convergence threshold on the change of the mean log-likelihood.
 * @param[in,out] b   The handle.
 * @param[in]     tol Finite and >= 0 (0 runs max_iter iterations). Default 1e-3.
 * @return #MIX_OK; #MIX_EINVAL if @p b is NULL or the value is out of range.
 * @since 0.4.0
 */
MIX_API int mix_bmm_set_tol(bmm_t *b, double tol);

/**
 * @brief Seed of the handle's random number generator, restarted at every
 *        fit. Default 0.
 * @param[in,out] b    The handle.
 * @param[in]     seed Any value.
 * @return #MIX_OK; #MIX_EINVAL if @p b is NULL.
 * @since 0.4.0
 */
MIX_API int mix_bmm_set_seed(bmm_t *b, uint64_t seed);

/**
 * @brief Upper bound on the threads a call uses; results do not depend on it.
 * @param[in,out] b         The handle.
 * @param[in]     n_threads 0 (default) for all online cores, or 1 to 1024.
 * @return #MIX_OK; #MIX_EINVAL if @p b is NULL or the value is out of range.
 * @since 0.4.0
 */
MIX_API int mix_bmm_set_threads(bmm_t *b, int n_threads);

/**
 * @brief Continue from the current model instead of initialising (see
 *        mix_gmm_set_warm_start()).
 * @param[in,out] b          The handle.
 * @param[in]     warm_start 0 (default) or 1.
 * @return #MIX_OK; #MIX_EINVAL if @p b is NULL or the value is not 0 or 1.
 * @since 0.4.0
 */
MIX_API int mix_bmm_set_warm_start(bmm_t *b, int warm_start);

/**
 * @brief Set or clear the iteration callback (objective: the mean
 *        log-likelihood before the iteration's M-step).
 * @param[in,out] b         The handle.
 * @param[in]     callback  Function called after each iteration, or NULL.
 * @param[in]     user_data Passed unchanged to @p callback.
 * @return #MIX_OK; #MIX_EINVAL if @p b is NULL.
 * @since 0.4.0
 */
MIX_API int mix_bmm_set_callback(bmm_t *b, mix_iter_callback callback, void *user_data);

/**
 * @brief Fit the mixture to 0/1 data by EM.
 * @param[in,out] b             The handle; on success it holds the new model.
 * @param[in]     X             n x d row-major data, every value 0 or 1; not retained.
 * @param[in]     n             Number of samples; at least k.
 * @param[in]     d             Number of features; at least 1.
 * @param[in]     sample_weight n non-negative finite weights with a positive
 *                              sum, or NULL (integer weights are repeated rows).
 * @return #MIX_OK (also when the runs did not converge); #MIX_EINVAL;
 *         #MIX_EDIM; #MIX_EDATA (a value other than 0 or 1, named by row and
 *         column); #MIX_ENUMERIC (with alpha = 0, a row impossible under
 *         every component); #MIX_ENOMEM; #MIX_ECANCELED. On any failure the
 *         handle keeps its previous model.
 * @since 0.4.0
 */
MIX_API int mix_bmm_fit(bmm_t *b, const double *X, size_t n, size_t d,
                        const double *sample_weight);

/**
 * @brief Fit the model to 0/1 rows read on demand (see
 *        mix_gmm_fit_stream()); bit-identical to mix_bmm_fit() on the same
 *        rows.
 * @param[in,out] b    The handle; on success it holds the new model.
 * @param[in]     d    Number of features; at least 1.
 * @param[in]     read The rows' reader (see #mix_read_fn).
 * @param[in]     user Passed unchanged to @p read.
 * @return As mix_bmm_fit(), and as mix_kmeans_fit_stream() for the
 *         reader's failures.
 * @par Thread-safety
 * As mix_bmm_fit().
 * @since 0.4.0
 */
MIX_API int mix_bmm_fit_stream(bmm_t *b, size_t d, mix_read_fn read, void *user);

/**
 * @brief Fit over several processes, each holding a shard of the rows (see
 *        mix_gmm_set_distributed()).
 * @param[in,out] b         The handle.
 * @param[in]     rank      This process's rank, in [0, @p size).
 * @param[in]     size      Number of processes; at least 1.
 * @param[in]     allreduce The sum over the processes; may be NULL only when
 *                          @p size is 1.
 * @param[in]     user      Passed unchanged to @p allreduce.
 * @return #MIX_OK; #MIX_EINVAL as mix_kmeans_set_distributed().
 * @since 0.4.0
 */
MIX_API int mix_bmm_set_distributed(bmm_t *b, int rank, int size, mix_allreduce_fn allreduce,
                                    void *user);

/**
 * @brief Most probable component of each row.
 * @param[in]  b      A handle holding a model.
 * @param[in]  X      n x d 0/1 data.
 * @param[in]  n      Number of rows; at least 1.
 * @param[in]  d      Number of features; must equal the model's.
 * @param[out] labels n labels, written only on success.
 * @return #MIX_OK; #MIX_EINVAL; #MIX_ESTATE (no model); #MIX_EDIM;
 *         #MIX_EDATA (a value other than 0 or 1); #MIX_ENOMEM.
 * @par Thread-safety
 * May run concurrently with other const calls on the same handle.
 * @since 0.4.0
 */
MIX_API int mix_bmm_predict(const bmm_t *b, const double *X, size_t n, size_t d,
                            int32_t *labels);

/**
 * @brief Posterior probability of each component for each row.
 * @param[in]  b    A handle holding a model.
 * @param[in]  X    n x d 0/1 data.
 * @param[in]  n    Number of rows; at least 1.
 * @param[in]  d    Number of features; must equal the model's.
 * @param[out] resp n x k probabilities (rows sum to 1), written only on success.
 * @return As mix_bmm_predict().
 * @par Thread-safety
 * May run concurrently with other const calls on the same handle.
 * @since 0.4.0
 */
MIX_API int mix_bmm_predict_proba(const bmm_t *b, const double *X, size_t n, size_t d,
                                  double *resp);

/**
 * @brief Log-probability of each row under the mixture, log p(x_i)
 *        (-infinity for a row impossible under every component).
 * @param[in]  b    A handle holding a model.
 * @param[in]  X    n x d 0/1 data.
 * @param[in]  n    Number of rows; at least 1.
 * @param[in]  d    Number of features; must equal the model's.
 * @param[out] logp n values, written only on success.
 * @return As mix_bmm_predict().
 * @par Thread-safety
 * May run concurrently with other const calls on the same handle.
 * @since 0.4.0
 */
MIX_API int mix_bmm_score_samples(const bmm_t *b, const double *X, size_t n, size_t d,
                                  double *logp);

/**
 * @brief Mean log-probability of the rows.
 * @param[in]  b         A handle holding a model.
 * @param[in]  X         n x d 0/1 data.
 * @param[in]  n         Number of rows; at least 1.
 * @param[in]  d         Number of features; must equal the model's.
 * @param[out] mean_logp The mean, written only on success.
 * @return As mix_bmm_predict().
 * @par Thread-safety
 * May run concurrently with other const calls on the same handle.
 * @since 0.4.0
 */
MIX_API int mix_bmm_score(const bmm_t *b, const double *X, size_t n, size_t d,
                          double *mean_logp);

/**
 * @brief Total log-probability of the rows.
 * @param[in]  b          A handle holding a model.
 * @param[in]  X          n x d 0/1 data.
 * @param[in]  n          Number of rows; at least 1.
 * @param[in]  d          Number of features; must equal the model's.
 * @param[out] total_logp The sum, written only on success.
 * @return As mix_bmm_predict().
 * @par Thread-safety
 * May run concurrently with other const calls on the same handle.
 * @since 0.4.0
 */
MIX_API int mix_bmm_loglik(const bmm_t *b, const double *X, size_t n, size_t d,
                           double *total_logp);

/**
 * @brief Bayesian information criterion on X: -2 log L + p ln n with
 *        p = mix_bmm_n_parameters() (lower is better).
 * @param[in]  b   A handle holding a model.
 * @param[in]  X   n x d 0/1 data.
 * @param[in]  n   Number of rows; at least 1.
 * @param[in]  d   Number of features; must equal the model's.
 * @param[out] bic The criterion, written only on success.
 * @return As mix_bmm_predict().
 * @par Thread-safety
 * May run concurrently with other const calls on the same handle.
 * @since 0.4.0
 */
MIX_API int mix_bmm_bic(const bmm_t *b, const double *X, size_t n, size_t d, double *bic);

/**
 * @brief Akaike information criterion on X: -2 log L + 2 p.
 * @param[in]  b   A handle holding a model.
 * @param[in]  X   n x d 0/1 data.
 * @param[in]  n   Number of rows; at least 1.
 * @param[in]  d   Number of features; must equal the model's.
 * @param[out] aic The criterion, written only on success.
 * @return As mix_bmm_predict().
 * @par Thread-safety
 * May run concurrently with other const calls on the same handle.
 * @since 0.4.0
 */
MIX_API int mix_bmm_aic(const bmm_t *b, const double *X, size_t n, size_t d, double *aic);

/**
 * @brief Draw 0/1 rows from the model: component counts multinomial with the
 *        weights, rows grouped by component in increasing order, each value 1
 *        with its component's probability. The same seed gives the same rows.
 * @param[in]  b          A handle holding a model.
 * @param[in]  n          Number of samples; at least 1.
 * @param[in]  seed       Seed of this call's own generator.
 * @param[out] X_out      n x d values 0 or 1, written only on success.
 * @param[out] labels_out n component labels, or NULL.
 * @return #MIX_OK; #MIX_EINVAL; #MIX_ESTATE; #MIX_EDIM; #MIX_ENOMEM.
 * @par Thread-safety
 * May run concurrently with other const calls on the same handle.
 * @since 0.4.0
 */
MIX_API int mix_bmm_sample(const bmm_t *b, size_t n, uint64_t seed, double *X_out,
                           int32_t *labels_out);

/**
 * @brief Mixture weights.
 * @param[in] b The handle.
 * @return A borrowed array of k weights, valid until the next successful
 *         fit, mix_bmm_set_params(), load or mix_bmm_free(); NULL if no
 *         model.
 * @since 0.4.0
 */
MIX_API const double *mix_bmm_weights(const bmm_t *b);

/**
 * @brief Component probabilities mu (k x d).
 * @param[in] b The handle.
 * @return A borrowed array (lifetime as mix_bmm_weights()); NULL if no model.
 * @since 0.4.0
 */
MIX_API const double *mix_bmm_probs(const bmm_t *b);

/**
 * @brief Whether some run of the last fit converged.
 * @param[in] b The handle.
 * @return 1 or 0 (0 also for NULL or no model).
 * @since 0.4.0
 */
MIX_API int mix_bmm_converged(const bmm_t *b);

/**
 * @brief Iterations of the kept run.
 * @param[in] b The handle.
 * @return From 0 to max_iter; 0 for NULL or no model.
 * @since 0.4.0
 */
MIX_API int mix_bmm_n_iter(const bmm_t *b);

/**
 * @brief Whether the handle holds a model (fitted, or both parameters given).
 * @param[in] b The handle.
 * @return 1 or 0 (0 also for NULL).
 * @since 0.4.0
 */
MIX_API int mix_bmm_is_fitted(const bmm_t *b);

/**
 * @brief Lower bound of the kept run: the (weighted) mean log-likelihood of
 *        the training data at the run's last E-step.
 * @param[in] b The handle.
 * @return The value; NaN for NULL, no model, or given parameters not fitted.
 * @since 0.4.0
 */
MIX_API double mix_bmm_lower_bound(const bmm_t *b);

/**
 * @brief Number of free parameters: k - 1 weights and k d probabilities.
 * @param[in] b The handle.
 * @return The count; 0 for NULL or no model.
 * @since 0.4.0
 */
MIX_API size_t mix_bmm_n_parameters(const bmm_t *b);

/**
 * @brief Number of components k given at creation.
 * @param[in] b The handle.
 * @return k; 0 for NULL.
 * @since 0.4.0
 */
MIX_API size_t mix_bmm_n_components(const bmm_t *b);

/**
 * @brief Number of features d of the model.
 * @param[in] b The handle.
 * @return d; 0 for NULL or no model.
 * @since 0.4.0
 */
MIX_API size_t mix_bmm_n_features(const bmm_t *b);

/**
 * @brief Detail of the last failure on this handle (see mix_kmeans_errmsg()).
 * @param[in] b The handle, or NULL.
 * @return A borrowed string: "no error" if nothing failed yet, "NULL handle"
 *         if @p b is NULL.
 * @since 0.4.0
 */
MIX_API const char *mix_bmm_errmsg(const bmm_t *b);
/** @} */

/**
 * @defgroup persistence Saving and loading models
 * @brief Every model, fitted or not, to a file or to memory and back, in a
 *        documented little-endian format (@ref format "the format"), since
 *        0.4.0.
 *
 * Typical use:
 * @code
 * if (mix_gmm_save(g, "model.mixture") != MIX_OK)
 *     fprintf(stderr, "%s\n", mix_gmm_errmsg(g));
 * // later, in another process: k and the covariance type come from the file
 * gmm_t *h = mix_gmm_create(1, MIX_COV_FULL);
 * if (h && mix_gmm_load(h, "model.mixture") == MIX_OK)
 *     mix_gmm_predict(h, X, n, d, labels);
 * @endcode
 *
 * **What is saved.** The handle's whole state: the number of clusters or
 * components (and the covariance type), every option set through a setter
 * (initial centers and given parameters included) except the iteration
 * callback, and the model when the handle holds one: its parameters, the
 * internal units it computes in, and its fit results (converged, number of
 * iterations, lower bound or inertia; a model made from given centers or
 * parameters keeps NaN and 0). A model read back predicts, transforms,
 * scores, samples and refits (warm start included) bit for bit as the one
 * saved, on the same build of the library. Training labels are not saved:
 * after a load mix_kmeans_labels() is NULL and mix_kmeans_n_samples() 0. A
 * handle holding no model saves its options and loads as holding none.
 *
 * **Loading.** A load replaces the handle's number of clusters or
 * components, covariance type, options and model with the saved ones; the
 * iteration callback stays as set on the handle. Each kind reads only its
 * own models: a Gaussian mixture loaded into a #kmeans_t is #MIX_EFORMAT.
 * Data are checked whole before they are used: a CRC-32C over every byte,
 * every size against the bytes actually present before anything is
 * allocated from it, every value as the setters and the model need it.
 * Anything malformed, truncated, corrupt, of a newer format version or
 * followed by extra bytes is #MIX_EFORMAT with a message naming what is
 * wrong (and at which byte), and the handle is unchanged. Every later
 * version of the library loads the files of every earlier one.
 *
 * **Files.** A save writes a new file beside the path (in the same
 * directory), flushes it to the disk (fsync) and renames it over the path:
 * a crash, a full disk or an error never leaves a partial model there, and
 * a file already at the path stays as it was when the save fails. The file
 * is new, with the mode of any new file (0666 less the umask): one it
 * replaces is replaced whole, not rewritten (its mode, owner and other
 * hard links do not carry over; a symbolic link at the path is replaced by
 * the file). A file that cannot be created, written or read is #MIX_EIO
 * with the system's reason in the message. A load reads the file once,
 * straight into the model's arrays; it must be a regular file.
 *
 * **Memory.** The buffer calls write and read the very bytes of a file, for
 * pickling, databases or the network: ask for the size with a NULL buffer,
 * then save into a buffer of that size.
 *
 * **Thread-safety.** A save is a const call: it may run concurrently with
 * the other const calls on the same handle (predict, score, other saves). A
 * load changes the handle and must not overlap with any call on it.
 * @{
 */

/**
 * @brief Save a K-means handle (k, options, model) to a file.
 * @param[in] km   The handle, fitted or not.
 * @param[in] path The file to write. A file at this path is replaced only
 *                 when the save succeeds; the data go first to a new file
 *                 beside it (`path.tmp-...`), renamed over it once synced.
 * @return #MIX_OK; #MIX_EINVAL (NULL argument); #MIX_EIO (the file cannot be
 *         created, written, synced or renamed: the message gives the
 *         system's reason; the file beside is removed and a file at
 *         @p path is unchanged); #MIX_ENOMEM.
 * @par Thread-safety
 * May run concurrently with other const calls on the same handle.
 * @since 0.4.0
 */
MIX_API int mix_kmeans_save(const kmeans_t *km, const char *path);

/**
 * @brief Replace the handle's k, options and model with a saved K-means
 *        handle's.
 *
 * After a load of a fitted model mix_kmeans_labels() is NULL and
 * mix_kmeans_n_samples() is 0 (training labels are not saved); centers,
 * inertia and n_iter are the saved ones. The callback stays the handle's.
 * @param[in,out] km   The handle; unchanged on failure.
 * @param[in]     path A file written by mix_kmeans_save() of this or an
 *                     earlier version of the library.
 * @return #MIX_OK; #MIX_EINVAL (NULL argument); #MIX_EIO (the file cannot be
 *         opened or read, or is not a regular file); #MIX_EFORMAT (not a
 *         K-means model, a newer format, or malformed, truncated or
 *         corrupt: the message says what, and where); #MIX_ENOMEM.
 * @since 0.4.0
 */
MIX_API int mix_kmeans_load(kmeans_t *km, const char *path);

/**
 * @brief Save a K-means handle to memory: the bytes mix_kmeans_save()
 *        writes to a file.
 * @param[in]  km       The handle, fitted or not.
 * @param[out] buf      Where to write, or NULL to ask for the size only.
 * @param[in]  capacity Bytes available at @p buf (ignored when it is NULL).
 * @param[out] size     Receives the size of the saved model in bytes, also
 *                      when @p capacity is too small; may be NULL when
 *                      @p buf is not.
 * @return #MIX_OK (@p buf holds *size bytes); #MIX_EINVAL (NULL handle,
 *         @p buf and @p size both NULL, or @p capacity below the size:
 *         nothing is written to @p buf then, and *size holds the size).
 * @par Thread-safety
 * May run concurrently with other const calls on the same handle.
 * @since 0.4.0
 */
MIX_API int mix_kmeans_save_buffer(const kmeans_t *km, void *buf, size_t capacity,
                                   size_t *size);

/**
 * @brief Replace the handle's k, options and model with those saved in
 *        memory (by mix_kmeans_save_buffer(), or a file's bytes).
 * @param[in,out] km   The handle; unchanged on failure.
 * @param[in]     buf  The saved bytes; read, not retained.
 * @param[in]     size Their number: exactly the saved model's (bytes after
 *                     its end are #MIX_EFORMAT).
 * @return #MIX_OK; #MIX_EINVAL (NULL argument); #MIX_EFORMAT (as
 *         mix_kmeans_load()); #MIX_ENOMEM.
 * @since 0.4.0
 */
MIX_API int mix_kmeans_load_buffer(kmeans_t *km, const void *buf, size_t size);

/**
 * @brief Save a Gaussian mixture handle (number of components, covariance
 *        type, options, given parameters, model) to a file.
 * @param[in] g    The handle, fitted or not.
 * @param[in] path The file to write, as mix_kmeans_save().
 * @return As mix_kmeans_save().
 * @par Thread-safety
 * May run concurrently with other const calls on the same handle.
 * @since 0.4.0
 */
MIX_API int mix_gmm_save(const gmm_t *g, const char *path);

/**
 * @brief Replace the handle's number of components, covariance type,
 *        options, given parameters and model with a saved Gaussian
 *        mixture's. The callback stays the handle's.
 * @param[in,out] g    The handle; unchanged on failure.
 * @param[in]     path A file written by mix_gmm_save() of this or an
 *                     earlier version of the library.
 * @return As mix_kmeans_load(); #MIX_EFORMAT also for a file holding
 *         another kind of model.
 * @since 0.4.0
 */
MIX_API int mix_gmm_load(gmm_t *g, const char *path);

/**
 * @brief Save a Gaussian mixture handle to memory (see
 *        mix_kmeans_save_buffer()).
 * @param[in]  g        The handle, fitted or not.
 * @param[out] buf      Where to write, or NULL to ask for the size only.
 * @param[in]  capacity Bytes available at @p buf.
 * @param[out] size     Receives the size in bytes; may be NULL when @p buf
 *                      is not.
 * @return As mix_kmeans_save_buffer().
 * @par Thread-safety
 * May run concurrently with other const calls on the same handle.
 * @since 0.4.0
 */
MIX_API int mix_gmm_save_buffer(const gmm_t *g, void *buf, size_t capacity, size_t *size);

/**
 * @brief Replace the handle's state with a Gaussian mixture saved in memory
 *        (see mix_gmm_load()).
 * @param[in,out] g    The handle; unchanged on failure.
 * @param[in]     buf  The saved bytes; read, not retained.
 * @param[in]     size Their number: exactly the saved model's.
 * @return As mix_kmeans_load_buffer().
 * @since 0.4.0
 */
MIX_API int mix_gmm_load_buffer(gmm_t *g, const void *buf, size_t size);

/**
 * @brief Save a Bernoulli mixture handle (number of components, options,
 *        given parameters, model) to a file.
 * @param[in] b    The handle, fitted or not.
 * @param[in] path The file to write, as mix_kmeans_save().
 * @return As mix_kmeans_save().
 * @par Thread-safety
 * May run concurrently with other const calls on the same handle.
 * @since 0.4.0
 */
MIX_API int mix_bmm_save(const bmm_t *b, const char *path);

/**
 * @brief Replace the handle's number of components, options, given
 *        parameters and model with a saved Bernoulli mixture's. The
 *        callback stays the handle's.
 * @param[in,out] b    The handle; unchanged on failure.
 * @param[in]     path A file written by mix_bmm_save() of this or an
 *                     earlier version of the library.
 * @return As mix_gmm_load().
 * @since 0.4.0
 */
MIX_API int mix_bmm_load(bmm_t *b, const char *path);

/**
 * @brief Save a Bernoulli mixture handle to memory (see
 *        mix_kmeans_save_buffer()).
 * @param[in]  b        The handle, fitted or not.
 * @param[out] buf      Where to write, or NULL to ask for the size only.
 * @param[in]  capacity Bytes available at @p buf.
 * @param[out] size     Receives the size in bytes; may be NULL when @p buf
 *                      is not.
 * @return As mix_kmeans_save_buffer().
 * @par Thread-safety
 * May run concurrently with other const calls on the same handle.
 * @since 0.4.0
 */
MIX_API int mix_bmm_save_buffer(const bmm_t *b, void *buf, size_t capacity, size_t *size);

/**
 * @brief Replace the handle's state with a Bernoulli mixture saved in
 *        memory (see mix_bmm_load()).
 * @param[in,out] b    The handle; unchanged on failure.
 * @param[in]     buf  The saved bytes; read, not retained.
 * @param[in]     size Their number: exactly the saved model's.
 * @return As mix_kmeans_load_buffer().
 * @since 0.4.0
 */
MIX_API int mix_bmm_load_buffer(bmm_t *b, const void *buf, size_t size);
/** @} */

/**
 * @defgroup metrics Metrics
 * @brief scikit-learn's clustering metrics: partitions compared with each
 *        other, and a partition of data judged by the data alone.
 *
 * Each function equals the scikit-learn 1.2.1 function named in its
 * description, including scikit-learn's special cases (which value it
 * gives for one cluster, one item, identical partitions); where
 * scikit-learn raises an error, the function returns #MIX_EINVAL. Values
 * agree to rounding error; where a computation here is more accurate than
 * scikit-learn's, the function says so and how far scikit-learn can be off.
 *
 * **Labels** are any `int32_t` values, negative ones included (a -1 for
 * noise is a cluster like any other), not necessarily contiguous. As in
 * scikit-learn, clusters are taken in increasing order of their labels.
 * Partitions are compared through their contingency table, built by
 * sorting the labels (radix sort, O(n)), never in O(n k) time.
 *
 * **Errors.** These functions have no handle and hence no error message:
 * the status code is the whole report. The output is written only on
 * success. All pointers must be non-NULL (#MIX_EINVAL); n must be at least
 * 1 and at most 2^31 (#MIX_EDIM).
 *
 * **Thread-safety.** Every function is safe from any thread: there is no
 * state. Those on data (silhouette, Davies-Bouldin) run on all online
 * cores (there is no argument to say otherwise); their results do not
 * depend on the number of cores.
 *
 * Notation: n items; a labeling with clusters of sizes a_i, the other b_j;
 * n_ij items in cluster i of the first and j of the second; logarithms are
 * natural.
 * @{
 */

/**
 * @brief Adjusted Rand index between two labelings (scikit-learn's
 *        `adjusted_rand_score`).
 *
 * The Rand index corrected for chance: with the pair counts of
 * mix_rand_index() (ordered pairs: tp together in both, tn apart in both,
 * fp together in b only, fn together in a only),
 * @code
 * ARI = 2 (tp tn - fn fp) / ((tp + fn) (fn + tn) + (tp + fp) (fp + tn))
 * @endcode
 * and 1 when fn = fp = 0 (identical partitions up to renaming, n = 1
 * included). 1 for identical partitions, about 0 for independent ones,
 * possibly negative. Computed exactly in integers, then rounded once per
 * integer and once for the quotient, as scikit-learn does with Python's
 * integers.
 * @param[in]  labels_a First labeling, n values (any int32).
 * @param[in]  labels_b Second labeling, n values (any int32).
 * @param[in]  n        Number of items, 1 to 2^31.
 * @param[out] ari      The index, in [-0.5, 1].
 * @return #MIX_OK; #MIX_EINVAL (a NULL pointer); #MIX_EDIM (n is 0 or
 *         above 2^31); #MIX_ENOMEM.
 * @par Complexity
 * O(n) time and memory.
 * @par Thread-safety
 * Safe from any thread.
 * @par History
 * Before 0.4.0, labels below 0 were refused (#MIX_EINVAL).
 * @since 0.1.0
 */
MIX_API int mix_adjusted_rand_index(const int32_t *labels_a, const int32_t *labels_b,
                                    size_t n, double *ari);

/**
 * @brief Rand index between two labelings (scikit-learn's `rand_score`).
 *
 * The fraction of the n (n - 1) ordered pairs of distinct items that both
 * labelings classify alike (together in both, or apart in both):
 * @code
 * RI = (tp + tn) / (tp + tn + fp + fn)
 * tp = sum_ij n_ij^2 - n      fp = sum_j b_j^2 - sum_ij n_ij^2
 * fn = sum_i a_i^2 - sum_ij n_ij^2      tn = n^2 - n - tp - fp - fn
 * @endcode
 * and 1 when n = 1 (no pairs) or when every pair is classified alike.
 * The counts are exact integers; the quotient is rounded as numpy's int64
 * division.
 * @param[in]  a   First labeling, n values (any int32).
 * @param[in]  b   Second labeling, n values (any int32).
 * @param[in]  n   Number of items, 1 to 2^31.
 * @param[out] out The index, in [0, 1].
 * @return #MIX_OK; #MIX_EINVAL (a NULL pointer); #MIX_EDIM (n is 0 or
 *         above 2^31); #MIX_ENOMEM.
 * @par Complexity
 * O(n) time and memory.
 * @par Thread-safety
 * Safe from any thread.
 * @since 0.4.0
 */
MIX_API int mix_rand_index(const int32_t *a, const int32_t *b, size_t n, double *out);

/**
 * @brief Normalized mutual information (scikit-learn's
 *        `normalized_mutual_info_score`, `average_method="arithmetic"`).
 *
 * @code
 * MI  = sum_ij (n_ij / n) log(n n_ij / (a_i b_j))      (over n_ij > 0)
 * H_a = - sum_i (a_i / n) log(a_i / n)                  (H_b likewise)
 * NMI = MI / ((H_a + H_b) / 2)
 * @endcode
 * As scikit-learn: 1 when both labelings have a single cluster (n = 1
 * included); 0 when MI is 0 (in particular when one labeling has a single
 * cluster and the other more); terms of MI below machine epsilon in
 * magnitude count as 0 and MI is clipped at 0.
 *
 * Each term of MI is computed from the integer ratio n n_ij : a_i b_j
 * (log1p of its exact difference from 1) where scikit-learn takes a
 * difference of logarithms of large numbers: for labelings close to
 * independent, at large n, scikit-learn's MI carries a relative error
 * of up to about 1e-10 (n = 1e6), which these values do not have.
 * @param[in]  a   First labeling, n values (any int32).
 * @param[in]  b   Second labeling, n values (any int32).
 * @param[in]  n   Number of items, 1 to 2^31.
 * @param[out] out The score, in [0, 1].
 * @return #MIX_OK; #MIX_EINVAL (a NULL pointer); #MIX_EDIM (n is 0 or
 *         above 2^31); #MIX_ENOMEM.
 * @par Complexity
 * O(n) time and memory.
 * @par Thread-safety
 * Safe from any thread.
 * @since 0.4.0
 */
MIX_API int mix_normalized_mutual_info(const int32_t *a, const int32_t *b, size_t n, double *out);

/**
 * @brief Adjusted mutual information (scikit-learn's
 *        `adjusted_mutual_info_score`, `average_method="arithmetic"`).
 *
 * The mutual information corrected for chance, with MI, H_a, H_b as in
 * mix_normalized_mutual_info() and its expected value EMI over random
 * labelings with the same cluster sizes (the hypergeometric model of
 * Vinh, Epps and Bailey, 2010):
 * @code
 * EMI = sum_ij sum_m (m / n) log(n m / (a_i b_j)) P_ij(m),
 *       m from max(1, a_i + b_j - n) to min(a_i, b_j),
 * P_ij(m) = a_i! b_j! (n - a_i)! (n - b_j)! / (n! m! (a_i - m)! (b_j - m)! (n - a_i - b_j + m)!)
 * AMI = (MI - EMI) / ((H_a + H_b) / 2 - EMI)
 * @endcode
 * As scikit-learn: 1 when both labelings have a single cluster (n = 1
 * included); EMI is 0 when either has a single cluster; a denominator
 * smaller than machine epsilon in magnitude is replaced by epsilon with
 * its sign. About 1 for identical partitions (up to rounding), about 0
 * for independent ones, possibly negative. When both labelings put every
 * item in a cluster of its own, MI = EMI = the mean entropy and the
 * formula is 0 / 0: the value is 1, that of identical partitions
 * (scikit-learn's rounding gives 1.0 too, except 0.0 for n = 2 and 4).
 *
 * EMI is computed by scikit-learn's algorithm with the same special
 * functions and the same order of operations (the log-factorials of
 * scipy's gammaln, the C library's lgamma and exp): P_ij(m) is formed
 * from log-factorials of order n log n, so both carry a relative error of
 * about n log n times machine epsilon in EMI (1e-9 at n = 1e6), which
 * matters when MI and EMI nearly cancel (labelings close to independent);
 * the two agree with each other far more closely than either with the
 * exact value.
 * @param[in]  a   First labeling, n values (any int32).
 * @param[in]  b   Second labeling, n values (any int32).
 * @param[in]  n   Number of items, 1 to 2^31.
 * @param[out] out The score, at most 1.
 * @return #MIX_OK; #MIX_EINVAL (a NULL pointer); #MIX_EDIM (n is 0 or
 *         above 2^31); #MIX_ENOMEM.
 * @par Complexity
 * O(n + R C + sum_ij min(a_i, b_j)) time, that is O(R C n) at worst (R, C
 * the numbers of clusters; scikit-learn's cost too): about 1 s for n =
 * 1e6 and 10 clusters each; labelings with thousands of clusters of
 * thousands of items take minutes. One thread; O(n) memory.
 * @par Thread-safety
 * Safe from any thread.
 * @since 0.4.0
 */
MIX_API int mix_adjusted_mutual_info(const int32_t *a, const int32_t *b, size_t n, double *out);

/**
 * @brief Mean silhouette coefficient (scikit-learn's `silhouette_score`,
 *        euclidean metric, all samples).
 *
 * For item i in cluster C (of size |C|), with Euclidean distances d(i, j):
 * @code
 * a_i = sum_{j in C} d(i, j) / (|C| - 1)
 * b_i = min over clusters C' != C of sum_{j in C'} d(i, j) / |C'|
 * s_i = (b_i - a_i) / max(a_i, b_i)     (0 if |C| = 1, or if a_i = b_i = 0)
 * score = (1 / n) sum_i s_i
 * @endcode
 * Distances are computed exactly, from the differences (sqrt of the sum
 * over the columns of (x_t - y_t)^2, by fused multiply-adds: the same
 * value on every CPU), where scikit-learn uses the expanded
 * ||x||^2 - 2 x.y + ||y||^2. The two agree to rounding error except where
 * distances are small against the points' norms: scikit-learn then keeps
 * only the first digits of a distance, and gives about 1e-8 ||x|| (not 0)
 * for duplicate points; a data set of duplicates, or of clusters far
 * smaller than their distance from the origin, has a different (and here
 * exact) silhouette. Data far beyond 1e150 or below 1e-150 are scaled by a
 * power of two internally (the score does not depend on the scale).
 * @param[in]  X      Data, n rows of d columns, row-major, finite.
 * @param[in]  n      Number of rows, 1 to 2^31.
 * @param[in]  d      Number of columns, at least 1.
 * @param[in]  labels Cluster of each row, n values (any int32); there must
 *                    be from 2 to n - 1 distinct values.
 * @param[out] out    The score, in [-1, 1].
 * @return #MIX_OK; #MIX_EINVAL (a NULL pointer, or fewer than 2 or as many
 *         as n distinct labels, where scikit-learn raises); #MIX_EDIM (n
 *         or d is 0, n above 2^31, or n d doubles not addressable);
 *         #MIX_EDATA (X contains NaN or infinity); #MIX_ENOMEM.
 * @par Complexity
 * O(n^2 d / 2) time for k clusters up to 256 (each distance computed
 * once), O(n^2 d) beyond, on every online core (the result does not
 * depend on their number: each sum is taken in a fixed order); O(n d + n k)
 * memory up to 256 clusters, O(n d + 256 k) per core beyond: never n x n.
 * About 0.17 s for n = 20000, d = 16, k = 10 on two cores (scikit-learn:
 * 2.4 s).
 * @par Thread-safety
 * Safe from any thread; starts its own worker threads.
 * @since 0.4.0
 */
MIX_API int mix_silhouette_score(const double *X, size_t n, size_t d, const int32_t *labels,
                                 double *out);

/**
 * @brief Calinski-Harabasz index, the variance ratio criterion
 *        (scikit-learn's `calinski_harabasz_score`).
 *
 * With m the mean of all rows, m_C the mean of the rows of cluster C and k
 * clusters:
 * @code
 * B = sum_C |C| ||m_C - m||^2          W = sum_C sum_{i in C} ||x_i - m_C||^2
 * CH = (B / (k - 1)) / (W / (n - k))   (1 if W = 0)
 * @endcode
 * Computed with scikit-learn's operations in numpy's order, so the value
 * is scikit-learn's bit for bit (data beyond 1e150 or below 1e-150 are
 * scaled by a power of two internally, where scikit-learn overflows).
 * @param[in]  X      Data, n rows of d columns, row-major, finite.
 * @param[in]  n      Number of rows, 1 to 2^31.
 * @param[in]  d      Number of columns, at least 1.
 * @param[in]  labels Cluster of each row, n values (any int32); there must
 *                    be from 2 to n - 1 distinct values.
 * @param[out] out    The index, at least 0.
 * @return #MIX_OK; #MIX_EINVAL (a NULL pointer, or fewer than 2 or as many
 *         as n distinct labels, where scikit-learn raises); #MIX_EDIM (n
 *         or d is 0, n above 2^31, or n d doubles not addressable);
 *         #MIX_EDATA (X contains NaN or infinity, or the index overflows);
 *         #MIX_ENOMEM.
 * @par Complexity
 * O(n d) time, one thread; O(n + d) memory.
 * @par Thread-safety
 * Safe from any thread.
 * @since 0.4.0
 */
MIX_API int mix_calinski_harabasz(const double *X, size_t n, size_t d, const int32_t *labels,
                                  double *out);

/**
 * @brief Davies-Bouldin index (scikit-learn's `davies_bouldin_score`).
 *
 * With c_C the centroid (mean) of cluster C, s_C the mean distance of its
 * rows to c_C, and k clusters:
 * @code
 * DB = (1 / k) sum_C max over C' of (s_C + s_C') / ||c_C - c_C'||
 * @endcode
 * where a centroid distance of 0 (C' = C, or two clusters with the same
 * centroid) makes the ratio 0; and, as scikit-learn, DB = 0 when every
 * s_C, or every centroid distance, is at most 1e-8 (an absolute threshold,
 * in the data's units). Lower is better.
 *
 * Centroids are scikit-learn's bit for bit; distances are computed
 * exactly, from the differences, where scikit-learn expands ||x||^2 - 2
 * x.c + ||c||^2: they differ where distances are small against the
 * norms (clusters far from the origin relative to their spread, or
 * duplicate points, for which scikit-learn's s_C is about 1e-8 ||x||
 * instead of 0).
 * @param[in]  X      Data, n rows of d columns, row-major, finite.
 * @param[in]  n      Number of rows, 1 to 2^31.
 * @param[in]  d      Number of columns, at least 1.
 * @param[in]  labels Cluster of each row, n values (any int32); there must
 *                    be from 2 to n - 1 distinct values.
 * @param[out] out    The index, at least 0.
 * @return #MIX_OK; #MIX_EINVAL (a NULL pointer, or fewer than 2 or as many
 *         as n distinct labels, where scikit-learn raises); #MIX_EDIM (n
 *         or d is 0, n above 2^31, or n d doubles not addressable);
 *         #MIX_EDATA (X contains NaN or infinity, or the index overflows);
 *         #MIX_ENOMEM.
 * @par Complexity
 * O(n d + k^2 d) time on every online core (the result does not depend on
 * their number); O(n + k d) memory.
 * @par Thread-safety
 * Safe from any thread; starts its own worker threads.
 * @since 0.4.0
 */
MIX_API int mix_davies_bouldin(const double *X, size_t n, size_t d, const int32_t *labels,
                               double *out);
/** @} */

#ifdef __cplusplus
}
#endif

#endif /* MIXTURE_H */
