"""Parity of the package's KMeans with scikit-learn's KMeans (Lloyd).

Run with the Python that has scikit-learn (Debian's python3-sklearn), on
the package of the build tree (`make python`):

    PYTHONPATH=python /usr/bin/python3 -m pytest tests/python/test_kmeans_parity.py

Started from the same initial centers, both implementations do the same
arithmetic in different orders (sklearn also centers X on its mean first),
so labels and n_iter must be identical and every float equal to rounding:
REL_TOL is 1e-9 relative, while the differences seen are around 1e-15.
Without scikit-learn every test is skipped, never failed.

parity_figures() returns the per-data-set figures; the parity tests also
print them to stderr, one line per data set, so `make check` shows them.
"""
import sys
import unittest
import warnings

try:
    import numpy as np
    import sklearn
    from sklearn.cluster import KMeans as SkKMeans
    from sklearn.datasets import make_blobs
    from sklearn.metrics import adjusted_rand_score
    HAVE_SKLEARN = True
except ImportError:  # numpy comes with sklearn, so both are guarded here
    HAVE_SKLEARN = False

SKIP_MSG = "scikit-learn not installed; apt-get install python3-sklearn"

if HAVE_SKLEARN:
    import mixture
    from error_assertions import ErrorAssertions
else:  # the suites skip; the mixin only has to exist
    class ErrorAssertions:
        pass

REL_TOL = 1e-9
TINY = 1e-300
N_NEW = 200  # held-out rows per data set


def rel_diff(a, ref):
    """max |a - ref| / max(max |ref|, tiny): one figure for a whole array."""
    a = np.asarray(a, dtype=np.float64)
    ref = np.asarray(ref, dtype=np.float64)
    if a.shape != ref.shape:
        return float("inf")
    if a.size == 0:
        return 0.0
    return float(np.max(np.abs(a - ref)) / max(float(np.max(np.abs(ref))), TINY))


def distinct_rows(X, k, rng):
    """k initial centers taken from distinct rows of X (distinct values too,
    so that no two centers tie for every point)."""
    uniq = np.unique(X, axis=0)
    return uniq[rng.choice(uniq.shape[0], k, replace=False)].copy()


# ---------------------------------------------------------------------------
# Data sets. Each builder returns a dict:
#   X, w (or None), init, max_iter, tol, X_new, w_new
# Everything comes from fixed seeds so that failures are reproducible.
# ---------------------------------------------------------------------------

def _blobs(n, d, centers, seed, std=1.0):
    """Training and held-out draws from the same blob centers."""
    X, _, C = make_blobs(n_samples=n, n_features=d, centers=centers, cluster_std=std,
                         random_state=seed, return_centers=True)
    X_new, _ = make_blobs(n_samples=N_NEW, n_features=d, centers=C, cluster_std=std,
                          random_state=seed + 1000)
    return X, X_new


def _case(X, X_new, k, rng, w=None, init=None, max_iter=300, tol=1e-4):
    return dict(X=X, w=w, init=distinct_rows(X, k, rng) if init is None else init,
                max_iter=max_iter, tol=tol, X_new=X_new,
                w_new=rng.uniform(0.1, 3.0, X_new.shape[0]))


def case_blobs():
    rng = np.random.default_rng(1)
    X, X_new = _blobs(2000, 5, 6, seed=1)
    return _case(X, X_new, 6, rng)


def case_blobs_weighted():
    rng = np.random.default_rng(2)
    X, X_new = _blobs(2000, 5, 6, seed=1)
    return _case(X, X_new, 6, rng, w=rng.uniform(0.05, 5.0, X.shape[0]))


def case_d1():
    rng = np.random.default_rng(3)
    X, X_new = _blobs(600, 1, 4, seed=3)
    return _case(X, X_new, 4, rng)


def case_k1():
    rng = np.random.default_rng(4)
    X, X_new = _blobs(500, 3, 3, seed=4)
    return _case(X, X_new, 1, rng)


def case_k_equals_n():
    # init = X itself: every point is its own cluster, inertia 0.
    rng = np.random.default_rng(5)
    X = rng.normal(size=(30, 3))
    X_new = rng.normal(size=(20, 3))
    return _case(X, X_new, 30, rng, init=X.copy())


def case_duplicates():
    # 300 rows drawn from 40 distinct points: many exact ties in distances
    # between a row and its copies, and clusters made only of duplicates.
    rng = np.random.default_rng(6)
    P = rng.normal(scale=3.0, size=(40, 4))
    X = P[rng.integers(0, 40, 300)]
    X_new = P[rng.integers(0, 40, 100)] + rng.normal(scale=0.1, size=(100, 4))
    return _case(X, X_new, 8, rng)


def case_anisotropic():
    # Unequal variances, then a shear: clusters overlap, Lloyd needs many
    # iterations, which lets rounding differences accumulate if any.
    rng = np.random.default_rng(7)
    std = [0.3, 0.6, 1.0, 1.5, 2.0, 2.5, 0.5, 1.2, 3.0, 0.8]
    X, _, C = make_blobs(n_samples=1500, n_features=3, centers=10, cluster_std=std,
                         random_state=7, return_centers=True)
    X_new, _ = make_blobs(n_samples=N_NEW, n_features=3, centers=C, cluster_std=std,
                          random_state=1007)
    A = np.array([[0.6, -0.6, 0.2], [-0.4, 0.8, 0.1], [0.3, 0.2, 1.5]])
    return _case(X @ A, X_new @ A, 10, rng)


def case_integer_weights():
    # tol = 0 so that convergence is decided by labels alone: sklearn's tol is
    # scaled by the *unweighted* variance of X, which differs between the
    # weighted rows and their repetition; with tol = 0 both stop alike.
    rng = np.random.default_rng(8)
    X, X_new = _blobs(400, 3, 5, seed=8, std=1.5)
    return _case(X, X_new, 5, rng, w=rng.integers(1, 5, X.shape[0]).astype(np.float64),
                 tol=0.0)


def case_not_converged():
    # tol = 0 and 3 iterations on overlapping blobs: stops at max_iter, so
    # the final E-step that relabels against the last centers is exercised.
    rng = np.random.default_rng(9)
    X, X_new = _blobs(1000, 4, 8, seed=9, std=3.0)
    return _case(X, X_new, 8, rng, max_iter=3, tol=0.0)


def case_empty_cluster():
    # One initial center far from all data: its cluster is empty at the first
    # iteration and must be relocated to the farthest point, as sklearn does.
    rng = np.random.default_rng(10)
    X, X_new = _blobs(500, 2, 4, seed=10)
    init = np.vstack([distinct_rows(X, 4, rng), [[1e3, 1e3]]])
    return _case(X, X_new, 5, rng, init=init)


CASES = {
    "blobs": case_blobs,
    "blobs_weighted": case_blobs_weighted,
    "d1": case_d1,
    "k1": case_k1,
    "k_equals_n": case_k_equals_n,
    "duplicates": case_duplicates,
    "anisotropic": case_anisotropic,
    "integer_weights": case_integer_weights,
    "not_converged": case_not_converged,
    "empty_cluster": case_empty_cluster,
}


# ---------------------------------------------------------------------------
# Running both implementations
# ---------------------------------------------------------------------------

def fit_sklearn(c):
    k = c["init"].shape[0]
    sk = SkKMeans(n_clusters=k, init=c["init"], n_init=1, algorithm="lloyd",
                  max_iter=c["max_iter"], tol=c["tol"])
    with warnings.catch_warnings():
        # "Number of distinct clusters found smaller than n_clusters" on the
        # duplicated data is expected and harmless here.
        warnings.simplefilter("ignore")
        sk.fit(c["X"], sample_weight=c["w"])
    return sk


def fit_library(c, X=None, w=None):
    k = c["init"].shape[0]
    km = mixture.KMeans(k, init=c["init"], n_init=1, max_iter=c["max_iter"], tol=c["tol"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", mixture.ConvergenceWarning)  # as for sklearn
        km.fit(c["X"] if X is None else X, sample_weight=c["w"] if X is None else w)
    return km


def compare(c):
    """Fit both from the same centers; return the figures and the arrays
    needed to assert on them."""
    sk, km = fit_sklearn(c), fit_library(c)
    Xn, wn = c["X_new"], c["w_new"]
    return {
        "centers": rel_diff(km.cluster_centers_, sk.cluster_centers_),
        "inertia": rel_diff(km.inertia_, sk.inertia_),
        "labels_equal": bool(np.array_equal(km.labels_, sk.labels_)),
        "n_labels_differ": int(np.sum(km.labels_ != sk.labels_)),
        "n_iter": (km.n_iter_, int(sk.n_iter_)),
        "predict_equal": bool(np.array_equal(km.predict(Xn), sk.predict(Xn))),
        "transform": rel_diff(km.transform(Xn), sk.transform(Xn)),
        "score": rel_diff(km.score(Xn), sk.score(Xn)),
        "score_weighted": rel_diff(km.score(Xn, sample_weight=wn),
                                   sk.score(Xn, sample_weight=wn)),
    }


def format_figures(name, f):
    return (f"parity {name:16s} centers {f['centers']:.2e}  inertia {f['inertia']:.2e}  "
            f"transform {f['transform']:.2e}  score {f['score']:.2e}/{f['score_weighted']:.2e}  "
            f"n_iter {f['n_iter'][0]}/{f['n_iter'][1]}  "
            f"labels {'same' if f['labels_equal'] else str(f['n_labels_differ']) + ' differ'}")


def parity_figures():
    """{data set name: figures} for every parity data set; the figures are the
    max relative differences (centers, inertia, transform, scores) and the
    (library, sklearn) n_iter."""
    return {name: compare(build()) for name, build in CASES.items()}


# ---------------------------------------------------------------------------
# Tests
# ---------------------------------------------------------------------------

@unittest.skipUnless(HAVE_SKLEARN, SKIP_MSG)
class ParityFromSameInit(unittest.TestCase):
    """Same initial centers: same result to rounding, on every data set."""

    def check_case(self, name):
        f = compare(CASES[name]())
        print(format_figures(name, f), file=sys.stderr)
        self.assertTrue(f["labels_equal"], f"{name}: {f['n_labels_differ']} labels differ")
        self.assertLessEqual(f["centers"], REL_TOL, f"{name}: centers")
        self.assertLessEqual(f["inertia"], REL_TOL, f"{name}: inertia")
        self.assertEqual(f["n_iter"][0], f["n_iter"][1], f"{name}: n_iter (lib, sklearn)")
        self.assertTrue(f["predict_equal"], f"{name}: predict on held-out data")
        self.assertLessEqual(f["transform"], REL_TOL, f"{name}: transform")
        self.assertLessEqual(f["score"], REL_TOL, f"{name}: score")
        self.assertLessEqual(f["score_weighted"], REL_TOL, f"{name}: weighted score")

    def test_blobs(self):
        self.check_case("blobs")

    def test_blobs_weighted(self):
        self.check_case("blobs_weighted")

    def test_d1(self):
        self.check_case("d1")

    def test_k1(self):
        self.check_case("k1")

    def test_k_equals_n(self):
        self.check_case("k_equals_n")

    def test_duplicates(self):
        self.check_case("duplicates")

    def test_anisotropic(self):
        self.check_case("anisotropic")

    def test_integer_weights(self):
        self.check_case("integer_weights")

    def test_not_converged(self):
        c = case_not_converged()
        # Guard the premise: the case is only useful if sklearn stops on max_iter.
        self.assertEqual(fit_sklearn(c).n_iter_, c["max_iter"])
        self.check_case("not_converged")

    def test_empty_cluster(self):
        self.check_case("empty_cluster")

    def test_integer_weights_equal_repeated_rows(self):
        # Weights are documented as repetition counts: weight 3 must act as
        # three copies of the row, in updates, inertia and stopping.
        c = case_integer_weights()
        reps = c["w"].astype(np.int64)
        weighted = fit_library(c)
        repeated = fit_library(c, X=np.repeat(c["X"], reps, axis=0), w=None)
        np.testing.assert_array_equal(repeated.labels_, np.repeat(weighted.labels_, reps))
        self.assertLessEqual(rel_diff(weighted.cluster_centers_, repeated.cluster_centers_),
                             REL_TOL)
        self.assertLessEqual(rel_diff(weighted.inertia_, repeated.inertia_), REL_TOL)
        self.assertEqual(weighted.n_iter_, repeated.n_iter_)


@unittest.skipUnless(HAVE_SKLEARN, SKIP_MSG)
class KMeansPlusPlusRestarts(unittest.TestCase):
    """Default seeding (k-means++, n_init=10) must find sklearn's optimum.

    Random numbers differ, so only the quality is compared, on blobs with
    cluster_std=2.0: not trivial, but easy enough that 10 restarts reach
    the optimum in both libraries."""

    SEEDS = range(5)

    def test_inertia_no_worse_than_sklearn(self):
        for seed in self.SEEDS:
            with self.subTest(seed=seed):
                X, _ = make_blobs(n_samples=2000, n_features=8, centers=10,
                                  cluster_std=2.0, random_state=seed)
                sk = SkKMeans(n_clusters=10, n_init=10, random_state=seed).fit(X)
                km = mixture.KMeans(10, random_state=seed).fit(X)
                print(f"k-means++ seed {seed}: inertia library {km.inertia_:.10g} "
                      f"sklearn {sk.inertia_:.10g} ratio {km.inertia_ / sk.inertia_:.12f}",
                      file=sys.stderr)
                self.assertLessEqual(km.inertia_, sk.inertia_ * (1 + 1e-9))


@unittest.skipUnless(HAVE_SKLEARN, SKIP_MSG)
class AdjustedRandIndex(unittest.TestCase):

    def check(self, a, b):
        ref = adjusted_rand_score(a, b)
        got = mixture.metrics.adjusted_rand_score(a, b)
        self.assertAlmostEqual(got, ref, delta=1e-12, msg=f"ARI {got!r} vs sklearn {ref!r}")

    def test_random_labelings(self):
        rng = np.random.default_rng(11)
        for n, ka, kb in [(10, 2, 3), (100, 5, 5), (1000, 10, 3), (5000, 50, 40), (7, 7, 1)]:
            with self.subTest(n=n, ka=ka, kb=kb):
                self.check(rng.integers(0, ka, n), rng.integers(0, kb, n))

    def test_correlated_labelings(self):
        # Random labelings give ARI near 0; also test values near 1.
        rng = np.random.default_rng(12)
        a = rng.integers(0, 6, 800)
        b = a.copy()
        flip = rng.random(800) < 0.1
        b[flip] = rng.integers(0, 6, int(flip.sum()))
        self.check(a, b)

    def test_large_noncontiguous_labels(self):
        rng = np.random.default_rng(13)
        values = np.array([0, 7, 1000, 65537, 123456789, 2**31 - 1])
        a = values[rng.integers(0, 6, 500)]
        b = values[::-1][rng.integers(0, 4, 500)]
        self.check(a, b)

    def test_identical_partitions_renamed(self):
        rng = np.random.default_rng(14)
        a = rng.integers(0, 8, 300)
        renamed = (a * 977 + 5) % 2**31  # a bijection on these values
        self.check(a, renamed)
        self.assertAlmostEqual(mixture.metrics.adjusted_rand_score(a, renamed), 1.0,
                               delta=1e-12)

    def test_single_cluster(self):
        self.check(np.zeros(50, dtype=np.int32), np.zeros(50, dtype=np.int32))
        self.check(np.zeros(50, dtype=np.int32), np.arange(50) % 4)

    def test_every_item_its_own_cluster(self):
        self.check(np.arange(40), np.arange(40)[::-1])
        self.check(np.arange(40), np.arange(40) // 2)

    def test_one_item(self):
        self.check([3], [0])

    def test_labels_of_any_type(self):
        # coded 0..m-1 by the package, as scikit-learn does
        rng = np.random.default_rng(16)
        a = rng.integers(-3, 3, 400)
        b = np.array(["x", "y", "z"])[rng.integers(0, 3, 400)]
        self.check(a, b)
        self.check(a.astype(np.int64) * 2**40, a % 2)
        self.check([], [])


@unittest.skipUnless(HAVE_SKLEARN, SKIP_MSG)
class ErrorPaths(ErrorAssertions, unittest.TestCase):
    """Errors through the package: the library's status and message."""

    def setUp(self):
        rng = np.random.default_rng(15)
        self.X = rng.normal(size=(50, 3))

    def test_predict_before_fit(self):
        km = mixture.KMeans(3)
        with self.assertRaises(mixture.NotFittedError) as cm:
            km.predict(self.X)
        self.assertIsInstance(cm.exception, sklearn.exceptions.NotFittedError)
        self.assertIn("fit", str(cm.exception))

    def test_dimension_mismatch(self):
        km = mixture.KMeans(3, random_state=0).fit(self.X)
        msg = "X has 2 features, but KMeans is expecting 3 features as input"
        for call in (km.predict, km.transform, km.score):
            with self.assertRaisesRegex(ValueError, msg):
                call(self.X[:, :2])

    def test_nan_in_fit_keeps_previous_model(self):
        km = mixture.KMeans(3, random_state=0).fit(self.X)
        centers, labels = km.cluster_centers_.copy(), km.predict(self.X)
        bad = self.X.copy()
        bad[7, 2] = np.nan
        err = self.assert_fails(mixture.Status.EDATA, lambda: km.fit(bad), "X[7][2]", "nan")
        self.assertIn("NaN", err.status_text)
        np.testing.assert_array_equal(km.cluster_centers_, centers)
        np.testing.assert_array_equal(km.predict(self.X), labels)

    def test_nan_in_predict(self):
        km = mixture.KMeans(3, random_state=0).fit(self.X)
        bad = self.X.copy()
        bad[4, 0] = np.inf
        self.assert_fails(mixture.Status.EDATA, lambda: km.predict(bad), "X[4][0]", "infinite")

    def test_negative_weight(self):
        w = np.ones(50)
        w[9] = -1.0
        self.assert_fails(mixture.Status.EINVAL,
                          lambda: mixture.KMeans(3).fit(self.X, sample_weight=w), "9")

    def test_option_out_of_range(self):
        # checked by the library's setter, which names the option
        self.assert_fails(mixture.Status.EINVAL,
                          lambda: mixture.KMeans(3, max_iter=2 * 10**9).fit(self.X), "max_iter")


if __name__ == "__main__":
    unittest.main()
