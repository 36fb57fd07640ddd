"""Parity of the package's GaussianMixture with scikit-learn's.

Run with the Python that has scikit-learn (Debian's python3-sklearn), on
the package of the build tree (`make python`):

    PYTHONPATH=python /usr/bin/python3 -m pytest tests/python/test_gmm_parity.py

Started from the same weights, means and precisions (both estimators get
the inverse of the same covariances as precisions_init), with tol = 0 and a
fixed number of EM iterations, both implementations do the same arithmetic in different
orders (the library also centres and scales the data), so every float must
agree to rounding: REL_TOL is 1e-8 relative (max abs difference / max abs
reference value, one figure per array), n_iter and predicted labels must be
identical. Without scikit-learn the sklearn-dependent tests are skipped,
never failed; the closed-form k = 1 test only needs numpy.

parity_figures() returns the worst relative difference per covariance type
over the 48 (type, d, k) combinations; the parity tests print one line per
covariance type to stderr so that `make check` shows them.
"""
import sys
import unittest
import warnings

try:
    import numpy as np
    HAVE_NUMPY = True
except ImportError:
    HAVE_NUMPY = False

try:
    import sklearn
    from sklearn.datasets import make_blobs
    from sklearn.mixture import GaussianMixture as SkGMM
    from sklearn.mixture._gaussian_mixture import _compute_precision_cholesky
    from sklearn.exceptions import ConvergenceWarning
    HAVE_SKLEARN = True
except ImportError:
    HAVE_SKLEARN = False

SKIP_MSG = "scikit-learn not installed; apt-get install python3-sklearn"
SKIP_NUMPY_MSG = "numpy not installed; apt-get install python3-numpy"

if HAVE_NUMPY:
    import mixture
    from error_assertions import ErrorAssertions
else:  # the suites skip; the mixin only has to exist
    class ErrorAssertions:
        pass

REL_TOL = 1e-8        # parity with sklearn from the same start
CLOSED_FORM_TOL = 1e-12
SAME_MODEL_TOL = 1e-10  # two library computations that are mathematically equal
TINY = 1e-300

COV_TYPES = ("full", "tied", "diag", "spherical")
DIMS = (1, 2, 5, 16)
KS = (1, 3, 8)
N_TRAIN = 400
N_NEW = 150
PARITY_MAX_ITER = 5

FIGURE_KEYS = ("weights", "means", "covariances", "precisions_cholesky", "precisions",
               "lower_bound",
               "score", "score_samples", "predict_proba", "bic", "aic")


def rel_diff(a, ref):
    """max |a - ref| / max(max |ref|, tiny): one figure for a whole array
    (inf on a shape mismatch or a NaN)."""
    a = np.asarray(a, dtype=np.float64)
    ref = np.asarray(ref, dtype=np.float64)
    if a.shape != ref.shape:
        return float("inf")
    if a.size == 0:
        return 0.0
    r = float(np.max(np.abs(a - ref)) / max(float(np.max(np.abs(ref))), TINY))
    return float("inf") if r != r else r


# ---------------------------------------------------------------------------
# Data and starting parameters (fixed seeds: failures are reproducible)
# ---------------------------------------------------------------------------

def blobs(n, d, k, seed, std=2.0, n_new=N_NEW):
    """Training and held-out draws around the same blob centers (at least 3
    blobs, so that k = 1 sees a non-Gaussian cloud)."""
    X, y, C = make_blobs(n_samples=n, n_features=d, centers=max(k, 3), cluster_std=std,
                         random_state=seed, return_centers=True)
    X_new, _ = make_blobs(n_samples=n_new, n_features=d, centers=C, cluster_std=std,
                          random_state=seed + 1000)
    return X, y, X_new


def random_spd(d, scale, rng):
    """A well-conditioned symmetric positive definite d x d matrix."""
    B = rng.normal(size=(d, d))
    return scale * (np.eye(d) + 0.3 * (B @ B.T) / d)


def starting_params(X, y, k, cov_type, rng):
    """(weights, means, covariances) in sklearn's shapes: weights from a
    Dirichlet, means on one row of each of k different blobs (plus noise),
    covariances of the order of the blobs' (std 1)."""
    n, d = X.shape
    w = rng.dirichlet(np.full(k, 5.0))
    blob_ids = rng.permutation(np.unique(y))[:k] if k > 1 else [y[0]]
    rows = [rng.choice(np.flatnonzero(y == b)) for b in blob_ids]
    means = X[rows] + rng.normal(scale=0.3, size=(k, d))
    if cov_type == "full":
        cov = np.array([random_spd(d, rng.uniform(0.7, 2.5), rng) for _ in range(k)])
    elif cov_type == "tied":
        cov = random_spd(d, rng.uniform(0.7, 2.5), rng)
    elif cov_type == "diag":
        cov = rng.uniform(0.5, 3.0, size=(k, d))
    else:
        cov = rng.uniform(0.5, 3.0, size=k)
    return w, means, cov


def precisions_of(cov, cov_type):
    """sklearn's precisions_init for the given covariances."""
    if cov_type in ("diag", "spherical"):
        return 1.0 / cov
    P = np.linalg.inv(cov)
    return 0.5 * (P + np.swapaxes(P, -1, -2))  # sklearn checks exact symmetry


def model_full_covariances(cov, cov_type, k, d):
    """k x d x d covariance matrices for any covariance type."""
    if cov_type == "full":
        return np.asarray(cov)
    if cov_type == "tied":
        return np.repeat(np.asarray(cov)[None], k, axis=0)
    if cov_type == "diag":
        return np.array([np.diag(c) for c in cov])
    return np.array([c * np.eye(d) for c in cov])


def parity_case(cov_type, d, k):
    seed = 1000 * COV_TYPES.index(cov_type) + 10 * d + k
    rng = np.random.default_rng(seed)
    X, y, X_new = blobs(N_TRAIN, d, k, seed)
    w, means, cov = starting_params(X, y, k, cov_type, rng)
    return dict(cov_type=cov_type, d=d, k=k, X=X, X_new=X_new, w=w, means=means, cov=cov,
                max_iter=PARITY_MAX_ITER, reg_covar=1e-6)


# ---------------------------------------------------------------------------
# Running both implementations
# ---------------------------------------------------------------------------

def sk_from_start(c, max_iter=None, warm_start=False):
    """sklearn GaussianMixture started from c's parameters, tol = 0. With all
    three given, the responsibilities of init_params are discarded; 'random'
    is the cheapest way to produce them."""
    return SkGMM(n_components=c["k"], covariance_type=c["cov_type"], tol=0.0,
                 reg_covar=c["reg_covar"],
                 max_iter=c["max_iter"] if max_iter is None else max_iter,
                 init_params="random", random_state=0, warm_start=warm_start,
                 weights_init=c["w"], means_init=c["means"],
                 precisions_init=precisions_of(c["cov"], c["cov_type"]))


def sk_fit(sk, X):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # tol = 0 never converges
        return sk.fit(X)


def lib_from_start(c, max_iter=None, **params):
    """The package's GaussianMixture started from c's parameters, tol = 0."""
    return mixture.GaussianMixture(
        c["k"], covariance_type=c["cov_type"], tol=0.0, reg_covar=c["reg_covar"],
        max_iter=c["max_iter"] if max_iter is None else max_iter, weights_init=c["w"],
        means_init=c["means"], precisions_init=precisions_of(c["cov"], c["cov_type"]),
        **params)


def lib_fit(g, X, sample_weight=None):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", mixture.ConvergenceWarning)  # tol = 0
        return g.fit(X, sample_weight=sample_weight)


def given_model(c, X=None, **params):
    """c's parameters as the model, through a fit of 0 iterations (the
    library's documented way; scikit-learn needs max_iter >= 1)."""
    return lib_fit(lib_from_start(c, max_iter=0, **params), c["X"] if X is None else X)


def compare(c):
    sk = sk_fit(sk_from_start(c), c["X"])
    g = lib_fit(lib_from_start(c), c["X"])
    Xn = c["X_new"]
    f = {
        "weights": rel_diff(g.weights_, sk.weights_),
        "means": rel_diff(g.means_, sk.means_),
        "covariances": rel_diff(g.covariances_, sk.covariances_),
        "precisions_cholesky": rel_diff(g.precisions_cholesky_, sk.precisions_cholesky_),
        "precisions": rel_diff(g.precisions_, sk.precisions_),
        "lower_bound": rel_diff(g.lower_bound_, sk.lower_bound_),
        "score": rel_diff(g.score(Xn), sk.score(Xn)),
        "score_samples": rel_diff(g.score_samples(Xn), sk.score_samples(Xn)),
        "predict_proba": rel_diff(g.predict_proba(Xn), sk.predict_proba(Xn)),
        "bic": rel_diff(g.bic(Xn), sk.bic(Xn)),
        "aic": rel_diff(g.aic(Xn), sk.aic(Xn)),
        "n_iter": (g.n_iter_, int(sk.n_iter_)),
        "converged": (g.converged_, bool(sk.converged_)),
        "n_predict_differ": int(np.sum(g.predict(Xn) != sk.predict(Xn))),
    }
    f["worst"] = max(f[key] for key in FIGURE_KEYS)
    return f


_FIGURES = {}


def _all_figures(cov_type):
    """{(d, k): figures} for one covariance type, computed once per process."""
    if cov_type not in _FIGURES:
        _FIGURES[cov_type] = {(d, k): compare(parity_case(cov_type, d, k))
                              for d in DIMS for k in KS}
    return _FIGURES[cov_type]


def parity_figures():
    """{covariance type: {"worst": worst relative difference over all d, k and
    all compared quantities, "where": (d, k, quantity) of that worst figure,
    quantity: worst over (d, k) for each compared quantity}}."""
    out = {}
    for t in COV_TYPES:
        figs = _all_figures(t)
        per_key = {key: max(f[key] for f in figs.values()) for key in FIGURE_KEYS}
        (d, k), f = max(figs.items(), key=lambda item: item[1]["worst"])
        where = (d, k, max(FIGURE_KEYS, key=lambda key: f[key]))
        out[t] = dict(per_key, worst=max(per_key.values()), where=where)
    return out


def format_figures(cov_type, p):
    d, k, key = p["where"]
    return (f"gmm parity {cov_type:9s} worst rel diff {p['worst']:.2e} ({key}, d={d}, k={k}); "
            + "  ".join(f"{key} {p[key]:.1e}" for key in FIGURE_KEYS))


# ---------------------------------------------------------------------------
# Tests
# ---------------------------------------------------------------------------

@unittest.skipUnless(HAVE_SKLEARN, SKIP_MSG)
class ParityFromSameStart(unittest.TestCase):
    """48 combinations: 4 covariance types x d in {1,2,5,16} x k in {1,3,8}."""

    def check_type(self, cov_type):
        figs = _all_figures(cov_type)
        print(format_figures(cov_type, parity_figures()[cov_type]), file=sys.stderr)
        for (d, k), f in figs.items():
            with self.subTest(cov_type=cov_type, d=d, k=k):
                for key in FIGURE_KEYS:
                    self.assertLessEqual(f[key], REL_TOL, f"{cov_type} d={d} k={k}: {key}")
                self.assertEqual(f["n_iter"][0], f["n_iter"][1], "n_iter (lib, sklearn)")
                self.assertEqual(f["n_iter"][0], PARITY_MAX_ITER)
                self.assertEqual(f["converged"][0], f["converged"][1], "converged")
                self.assertEqual(f["n_predict_differ"], 0, "predicted labels differ")

    def test_full(self):
        self.check_type("full")

    def test_tied(self):
        self.check_type("tied")

    def test_diag(self):
        self.check_type("diag")

    def test_spherical(self):
        self.check_type("spherical")


@unittest.skipUnless(HAVE_SKLEARN, SKIP_MSG)
class ConvergenceFromSameStart(unittest.TestCase):
    """Default tol (1e-3 on the change of the mean log-likelihood): from the
    same start both stop at the same iteration, with the same model."""

    def test_same_stopping_iteration(self):
        for cov_type in COV_TYPES:
            for d, k in ((1, 3), (5, 3), (16, 8)):
                with self.subTest(cov_type=cov_type, d=d, k=k):
                    c = parity_case(cov_type, d, k)
                    sk = sk_from_start(c, max_iter=200)
                    sk.set_params(tol=1e-3)
                    sk_fit(sk, c["X"])
                    g = lib_from_start(c, max_iter=200).set_params(tol=1e-3).fit(c["X"])
                    self.assertTrue(sk.converged_)
                    self.assertEqual(g.converged_, sk.converged_)
                    self.assertEqual(g.n_iter_, sk.n_iter_)
                    self.assertLessEqual(rel_diff(g.means_, sk.means_), REL_TOL)
                    self.assertLessEqual(rel_diff(g.covariances_, sk.covariances_), REL_TOL)
                    self.assertLessEqual(rel_diff(g.lower_bound_, sk.lower_bound_), REL_TOL)


@unittest.skipUnless(HAVE_NUMPY, SKIP_NUMPY_MSG)
class ClosedFormOneComponent(unittest.TestCase):
    """k = 1: after any EM iteration the responsibilities are all 1, so the
    model is the (weighted) sample mean and the biased (weighted) sample
    covariance plus reg_covar, computed here with numpy alone."""

    REG = 1e-4

    def expected(self, X, w, cov_type):
        mu = np.average(X, axis=0, weights=w)
        D = X - mu
        C = (D * w[:, None]).T @ D / w.sum()
        d = X.shape[1]
        if cov_type in ("full", "tied"):
            cov = C + self.REG * np.eye(d)
            cov = cov[None] if cov_type == "full" else cov
        elif cov_type == "diag":
            cov = (np.diag(C) + self.REG)[None]
        else:
            cov = np.array([np.mean(np.diag(C)) + self.REG])
        return mu[None], cov

    def test_closed_form(self):
        rng = np.random.default_rng(21)
        d = 4
        A = rng.normal(size=(d, d))
        # Off-centre, correlated, unequal scales: centring and correlations matter.
        X = rng.normal(size=(300, d)) @ A * np.array([1.0, 3.0, 0.2, 10.0]) + 7.5
        for cov_type in COV_TYPES:
            for weighted in (False, True):
                w = rng.uniform(0.1, 4.0, X.shape[0]) if weighted else np.ones(X.shape[0])
                with self.subTest(cov_type=cov_type, weighted=weighted):
                    g = mixture.GaussianMixture(1, covariance_type=cov_type, reg_covar=self.REG,
                                                random_state=3)
                    g.fit(X, sample_weight=w if weighted else None)
                    mu, cov = self.expected(X, w, cov_type)
                    np.testing.assert_array_equal(g.weights_, [1.0])
                    self.assertLessEqual(rel_diff(g.means_, mu), CLOSED_FORM_TOL, "mean")
                    self.assertLessEqual(rel_diff(g.covariances_, cov), CLOSED_FORM_TOL,
                                         "covariance")
                    # The closed form is reached after one iteration: the
                    # second sees no change and stops (tol 1e-3).
                    self.assertTrue(g.converged_)
                    self.assertEqual(g.n_iter_, 2)


@unittest.skipUnless(HAVE_SKLEARN, SKIP_MSG)
class SampleWeightsAreRepetitions(unittest.TestCase):
    """Integer weights = repeated rows, from the same given start."""

    def test_integer_weights(self):
        for cov_type in COV_TYPES:
            with self.subTest(cov_type=cov_type):
                c = parity_case(cov_type, 3, 3)
                c["max_iter"] = 8
                rng = np.random.default_rng(31)
                reps = rng.integers(1, 5, c["X"].shape[0])
                weighted = lib_fit(lib_from_start(c), c["X"], reps.astype(float))
                repeated = lib_fit(lib_from_start(c), np.repeat(c["X"], reps, axis=0))
                for name in ("weights_", "means_", "covariances_", "precisions_cholesky_",
                             "lower_bound_"):
                    self.assertLessEqual(rel_diff(getattr(weighted, name),
                                                  getattr(repeated, name)),
                                         SAME_MODEL_TOL, name)
                self.assertEqual(weighted.n_iter_, repeated.n_iter_)
                # and the weighted fit is not just the unweighted one
                plain = lib_fit(lib_from_start(c), c["X"])
                self.assertGreater(rel_diff(plain.means_, weighted.means_), 1e-6)


@unittest.skipUnless(HAVE_SKLEARN, SKIP_MSG)
class DefaultInitEndToEnd(unittest.TestCase):
    """Default options (K-means init, tol 1e-3): on well separated blobs both
    libraries find the same optimum, though their random numbers differ.
    The blobs are so far apart that the K-means partition is the true one and
    EM has nothing left to move after its first M-step, so the lower bounds
    agree far better than tol would allow on a harder problem."""

    def test_same_optimum(self):
        X, _ = make_blobs(n_samples=600, n_features=3, centers=4, cluster_std=0.6,
                          center_box=(-20, 20), random_state=41)
        for cov_type in COV_TYPES:
            with self.subTest(cov_type=cov_type):
                sk = SkGMM(n_components=4, covariance_type=cov_type, random_state=0).fit(X)
                g = mixture.GaussianMixture(4, covariance_type=cov_type, random_state=0).fit(X)
                r = rel_diff(g.lower_bound_, sk.lower_bound_)
                print(f"gmm default init {cov_type:9s}: lower bound library "
                      f"{g.lower_bound_:.12g} sklearn {sk.lower_bound_:.12g} rel {r:.1e}",
                      file=sys.stderr)
                self.assertTrue(g.converged_)
                self.assertLessEqual(r, 1e-6)


@unittest.skipUnless(HAVE_SKLEARN, SKIP_MSG)
class GivenModel(unittest.TestCase):
    """A fit of 0 iterations from given parameters keeps them as the model:
    queries equal those of scikit-learn's model with the same attributes."""

    def sk_by_hand(self, c):
        sk = SkGMM(n_components=c["k"], covariance_type=c["cov_type"])
        sk.weights_ = c["w"]
        sk.means_ = c["means"]
        sk.covariances_ = c["cov"]
        sk.precisions_cholesky_ = _compute_precision_cholesky(c["cov"], c["cov_type"])
        return sk

    def test_predict_and_score(self):
        for cov_type in COV_TYPES:
            for d, k in ((1, 2), (4, 3), (9, 5)):
                with self.subTest(cov_type=cov_type, d=d, k=k):
                    c = parity_case(cov_type, d, k)
                    sk = self.sk_by_hand(c)
                    g = given_model(c)
                    self.assertFalse(g.converged_)
                    self.assertEqual(g.n_iter_, 0)
                    # the lower bound is the starting model's mean log-likelihood
                    self.assertLessEqual(rel_diff(g.lower_bound_, sk.score(c["X"])),
                                         SAME_MODEL_TOL)
                    # Given means come back to the rounding of the fit's
                    # units (centred and scaled data) and back, covariances
                    # (given as precisions) to that of two inversions.
                    self.assertLessEqual(rel_diff(g.means_, c["means"]), 1e-14)
                    self.assertLessEqual(rel_diff(g.covariances_, c["cov"]), SAME_MODEL_TOL)
                    self.assertLessEqual(rel_diff(g.weights_, c["w"]), 1e-15)
                    self.assertLessEqual(rel_diff(g.precisions_cholesky_,
                                                  sk.precisions_cholesky_), SAME_MODEL_TOL)
                    Xn = np.vstack([c["X"][:100], c["X_new"]])
                    np.testing.assert_array_equal(g.predict(Xn), sk.predict(Xn))
                    for name in ("predict_proba", "score_samples", "score", "bic", "aic"):
                        self.assertLessEqual(rel_diff(getattr(g, name)(Xn),
                                                      getattr(sk, name)(Xn)),
                                             SAME_MODEL_TOL, name)


@unittest.skipUnless(HAVE_SKLEARN, SKIP_MSG)
class Sampling(unittest.TestCase):
    """mix_gmm_sample: grouping, frequencies, moments, reproducibility.

    Tolerances: with n_j draws from component j, the count is Binomial(n,
    w_j) (standard error sqrt(n w_j (1 - w_j))); a coordinate of the sample
    mean has standard error sqrt(Sigma_tt / n_j); an entry of the (biased)
    sample covariance of Gaussian draws has variance (Sigma_aa Sigma_bb +
    Sigma_ab^2) / n_j to first order (Isserlis), so its standard error is the
    square root of that. Every check allows 5 standard errors (two-sided
    probability 6e-7 each, a few hundred checks in all: a false alarm has
    probability below 1e-3, and the seeds are fixed anyway). The smallest
    component gets ~10000 draws, where the first-order formulas are accurate.
    """

    N = 200000
    Z = 5.0

    def model(self, cov_type):
        c = parity_case(cov_type, 3, 4)
        c["w"] = np.array([0.5, 0.3, 0.15, 0.05])
        if cov_type in ("full", "tied"):
            # Strongly correlated covariances, so that a wrong factor (say
            # L^T z instead of L z) moves the sample covariances by many
            # standard errors.
            rng = np.random.default_rng(61)
            A = rng.normal(size=(4, 3, 3))
            cov = A @ np.swapaxes(A, 1, 2) + 0.2 * np.eye(3)
            c["cov"] = cov if cov_type == "full" else cov[0]
        return c, given_model(c)

    def test_moments(self):
        for cov_type in COV_TYPES:
            with self.subTest(cov_type=cov_type):
                c, g = self.model(cov_type)
                X, labels = g.set_params(random_state=7).sample(self.N)
                self.assertEqual(X.shape, (self.N, 3))
                self.assertEqual(labels.shape, (self.N,))
                self.assertTrue(np.all(np.diff(labels) >= 0), "labels not grouped")
                counts = np.bincount(labels, minlength=4)
                self.assertEqual(counts.shape, (4,))
                se = np.sqrt(self.N * c["w"] * (1 - c["w"]))
                self.assertTrue(np.all(np.abs(counts - self.N * c["w"]) <= self.Z * se),
                                f"counts {counts} for weights {c['w']}")
                S = model_full_covariances(c["cov"], cov_type, 4, 3)
                for j in range(4):
                    Xj = X[labels == j]
                    nj = Xj.shape[0]
                    m = Xj.mean(axis=0)
                    se_m = np.sqrt(np.diag(S[j]) / nj)
                    self.assertTrue(np.all(np.abs(m - c["means"][j]) <= self.Z * se_m),
                                    f"component {j}: mean {m} vs {c['means'][j]}")
                    C = np.cov(Xj, rowvar=False, bias=True)
                    v = np.diag(S[j])
                    se_c = np.sqrt((np.outer(v, v) + S[j] ** 2) / nj)
                    self.assertTrue(np.all(np.abs(C - S[j]) <= self.Z * se_c),
                                    f"component {j}: covariance\n{C}\nvs\n{S[j]}")

    def test_seeds(self):
        for cov_type in COV_TYPES:
            with self.subTest(cov_type=cov_type):
                _, g = self.model(cov_type)
                X1, l1 = g.set_params(random_state=123).sample(1000)
                X2, l2 = g.sample(1000)
                X3, l3 = g.set_params(random_state=124).sample(1000)
                np.testing.assert_array_equal(X1, X2)
                np.testing.assert_array_equal(l1, l2)
                self.assertFalse(np.array_equal(X1, X3))
                self.assertTrue(np.all(np.isfinite(X1)))


@unittest.skipUnless(HAVE_SKLEARN, SKIP_MSG)
class WarmStart(unittest.TestCase):
    """3 iterations, then 4 more with warm_start = 7 iterations at once."""

    def test_warm_start_continues(self):
        for cov_type in COV_TYPES:
            with self.subTest(cov_type=cov_type):
                c = parity_case(cov_type, 2, 3)
                X = c["X"]
                once = lib_fit(lib_from_start(c, max_iter=7), X)
                twice = lib_fit(lib_from_start(c, max_iter=3, warm_start=True), X)
                lib_fit(twice.set_params(max_iter=4), X)
                for name in ("weights_", "means_", "covariances_", "precisions_cholesky_",
                             "lower_bound_"):
                    self.assertLessEqual(rel_diff(getattr(twice, name), getattr(once, name)),
                                         SAME_MODEL_TOL, name)
                self.assertEqual(once.n_iter_, 7)
                self.assertEqual(twice.n_iter_, 4)  # as sklearn: this fit's iterations
                # sklearn's own warm start, to parity tolerance.
                sk = sk_fit(sk_from_start(c, max_iter=3, warm_start=True), X)
                sk.max_iter = 4
                sk_fit(sk, X)
                self.assertEqual(int(sk.n_iter_), twice.n_iter_)
                for name in ("means_", "covariances_", "weights_", "lower_bound_"):
                    self.assertLessEqual(rel_diff(getattr(twice, name), getattr(sk, name)),
                                         REL_TOL, name)


@unittest.skipUnless(HAVE_SKLEARN, SKIP_MSG)
class Callback(ErrorAssertions, unittest.TestCase):

    def test_objective_and_cancel(self):
        c = parity_case("full", 2, 3)
        seen = []
        g = lib_from_start(c, callback=lambda run, it, obj, change:
                           seen.append((run, it, obj, change)))
        lib_fit(g, c["X"])
        self.assertEqual([s[:2] for s in seen], [(0, i) for i in range(1, PARITY_MAX_ITER + 1)])
        # the last objective is the lower bound (mean log-likelihood before
        # the last M-step); changes are successive differences
        self.assertEqual(seen[-1][2], g.lower_bound_)
        for a, b in zip(seen, seen[1:]):
            self.assertLessEqual(abs(b[3] - (b[2] - a[2])), 1e-12 * abs(b[2]))
        fitted = (g.means_, g.covariances_, g.lower_bound_, g.n_iter_)
        g.set_params(callback=lambda run, it, obj, change: it == 2)  # stop at iteration 2
        self.assert_fails(mixture.Status.ECANCELED, lambda: g.fit(c["X"][::-1] * 1.5),
                          "callback")
        for b, a in zip(fitted, (g.means_, g.covariances_, g.lower_bound_, g.n_iter_)):
            np.testing.assert_array_equal(a, b)
        lib_fit(g.set_params(callback=None), c["X"])
        self.assertEqual(g.lower_bound_, fitted[2])

    def test_cancel_keeps_the_warm_model(self):
        # A warm start refits the same handle: a canceled fit must leave the
        # library's model as it was, which predictions show.
        c = parity_case("diag", 3, 3)
        g = lib_fit(lib_from_start(c, max_iter=3, warm_start=True), c["X"])
        before = g.score_samples(c["X_new"])
        g.set_params(callback=lambda run, it, obj, change: True)
        self.assert_fails(mixture.Status.ECANCELED, lambda: g.fit(c["X"]))
        np.testing.assert_array_equal(g.score_samples(c["X_new"]), before)

    def test_exception_in_callback_propagates(self):
        c = parity_case("tied", 2, 3)

        def boom(run, it, obj, change):
            if it == 3:
                raise KeyError("from the callback")
        g = lib_from_start(c, callback=boom)
        with self.assertRaises(KeyError):
            g.fit(c["X"])
        self.assertFalse(hasattr(g, "means_"))


@unittest.skipUnless(HAVE_SKLEARN, SKIP_MSG)
class ErrorPaths(ErrorAssertions, unittest.TestCase):

    def test_singular_covariance_keeps_previous_model(self):
        rng = np.random.default_rng(51)
        good = rng.normal(size=(60, 3)) + 2.0
        dup = np.tile([[1.5, -2.0, 0.25]], (40, 1))  # zero covariance
        g = mixture.GaussianMixture(1, reg_covar=0.0, random_state=0).fit(good)
        names = ("weights_", "means_", "covariances_", "precisions_cholesky_", "n_iter_",
                 "lower_bound_", "converged_")
        before = [getattr(g, name) for name in names] + [g.score_samples(good)]
        self.assert_fails(mixture.Status.ENUMERIC, lambda: g.fit(dup), "component 0",
                          "reg_covar")
        after = [getattr(g, name) for name in names] + [g.score_samples(good)]
        for b, a in zip(before, after):
            np.testing.assert_array_equal(a, b)
        # and the estimator still works
        g.set_params(reg_covar=1e-6).fit(dup)
        self.assertTrue(np.all(np.isfinite(g.covariances_)))

    def test_predict_before_fit(self):
        g = mixture.GaussianMixture(2, covariance_type="diag")
        with self.assertRaises(mixture.NotFittedError):
            g.predict(np.zeros((3, 2)))

    def test_dimension_mismatch(self):
        rng = np.random.default_rng(52)
        g = mixture.GaussianMixture(2, random_state=0).fit(rng.normal(size=(50, 3)))
        with self.assertRaisesRegex(ValueError, "X has 2 features, but GaussianMixture is "
                                                "expecting 3 features as input"):
            g.score_samples(np.zeros((4, 2)))

    def test_precisions_not_positive_definite(self):
        # given precisions become covariances; the library names the defect
        P = np.array([[[1.0, 2.0], [2.0, 1.0]]])
        g = mixture.GaussianMixture(1, precisions_init=P)
        self.assert_fails(mixture.Status.EINVAL, lambda: g.fit(np.zeros((5, 2)) + [[0, 1]]),
                          "component 0")


if __name__ == "__main__":
    unittest.main()
