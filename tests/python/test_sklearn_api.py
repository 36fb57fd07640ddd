"""The estimators as scikit-learn sees them: check_estimator, clone, Pipeline,
GridSearchCV, pickling, and the data they accept (array-likes, float32,
Fortran order, views, read-only arrays) without copies where none is needed.

check_estimator's results are printed to stderr, one line per estimator,
so that `make check` shows them. Needs scikit-learn (skipped without it).
"""
import copy
import pickle
import sys
import tracemalloc
import unittest
import warnings

try:
    import numpy as np
    import sklearn
    from sklearn.base import clone
    from sklearn.cluster import KMeans as SkKMeans
    from sklearn.datasets import make_blobs
    from sklearn.mixture import GaussianMixture as SkGMM
    from sklearn.model_selection import GridSearchCV
    from sklearn.pipeline import Pipeline, make_pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.utils.estimator_checks import check_estimator
    import mixture
    HAVE_SKLEARN = True
except ImportError:
    HAVE_SKLEARN = False

SKIP_MSG = "scikit-learn not installed; apt-get install python3-sklearn"


def estimators():
    return (mixture.KMeans(), mixture.GaussianMixture(), mixture.BernoulliMixture())


def check_name(check):
    func = getattr(check, "func", check)
    keywords = getattr(check, "keywords", None)
    if keywords:
        return "%s(%s)" % (func.__name__, ",".join("%s=%s" % kv for kv in keywords.items()))
    return func.__name__


def run_check_estimator(est):
    """(passed, failed, skipped): every check of check_estimator, run one by
    one so that all failures are seen, not only the first."""
    passed, failed, skipped = [], [], []
    for instance, check in check_estimator(est, generate_only=True):
        name = check_name(check)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                check(instance)
        except unittest.SkipTest as exc:
            skipped.append((name, str(exc)))
        except Exception as exc:  # noqa: BLE001 - every failure is reported
            failed.append((name, "%s: %s" % (type(exc).__name__, exc)))
        else:
            passed.append(name)
    return passed, failed, skipped


# scikit-learn's KMeans marks check_sample_weights_invariance as an expected
# failure, and so does the package's; that mark skips both kinds of the
# check, so the suite runs KMeans without it and expects exactly the one
# failure scikit-learn's KMeans has (see test_zero_weights_same_partition).
KNOWN_FAILURES = {"KMeans": {"check_sample_weights_invariance(kind=zeros)"}}


if HAVE_SKLEARN:
    class KMeansUnmarked(mixture.KMeans):
        def _more_tags(self):
            return {"_xfail_checks": {}}


@unittest.skipUnless(HAVE_SKLEARN, SKIP_MSG)
class CheckEstimator(unittest.TestCase):

    def check(self, est, name):
        passed, failed, skipped = run_check_estimator(est)
        known = KNOWN_FAILURES.get(name, set())
        print("check_estimator %s: %d passed, %d failed, %d skipped%s%s"
              % (name, len(passed), len(failed), len(skipped),
                 "".join("\n    failed as scikit-learn's %s: %s" % (name, f[0])
                         for f in failed if f[0] in known),
                 "".join("\n    skipped %s: %s" % s for s in skipped)), file=sys.stderr)
        self.assertEqual([f for f in failed if f[0] not in known], [])
        self.assertEqual({f[0] for f in failed}, known)
        self.assertGreaterEqual(len(passed), 30)
        # Only the pandas checks (pandas is not a dependency) may be skipped.
        for check, reason in skipped:
            self.assertIn("pandas", reason, check)

    def test_kmeans(self):
        self.check(KMeansUnmarked(), "KMeans")

    def test_kmeans_as_shipped(self):
        passed, failed, skipped = run_check_estimator(mixture.KMeans())
        self.assertEqual(failed, [])

    def test_gaussian_mixture(self):
        self.check(mixture.GaussianMixture(), "GaussianMixture")

    def test_bernoulli_mixture(self):
        self.check(mixture.BernoulliMixture(), "BernoulliMixture")

    def test_zero_weights_same_partition(self):
        """What does hold for K-means: rows of weight 0 leave the partition
        of the others as their removal does (the clusters' order may
        differ, as the seeding draws other rows). tol = 0: the tolerance is
        relative to the unweighted variance of the rows, as scikit-learn's."""
        rng = np.random.default_rng(9)
        X, _ = make_blobs(n_samples=200, centers=5, random_state=9)
        extra = rng.normal(scale=20, size=(60, 2))
        Xw = np.vstack([X, extra])
        w = np.r_[np.ones(200), np.zeros(60)]
        order = rng.permutation(260)
        a = mixture.KMeans(5, tol=0, random_state=0).fit(X)
        b = mixture.KMeans(5, tol=0, random_state=0).fit(Xw[order], sample_weight=w[order])
        self.assertEqual(sklearn.metrics.adjusted_rand_score(a.predict(X), b.predict(X)), 1.0)
        self.assertLessEqual(abs(a.inertia_ - b.inertia_), 1e-9 * a.inertia_)


@unittest.skipUnless(HAVE_SKLEARN, SKIP_MSG)
class Composition(unittest.TestCase):

    def setUp(self):
        self.X, self.y = make_blobs(n_samples=600, n_features=4, centers=4, cluster_std=0.8,
                                    center_box=(-15, 15), random_state=3)

    def test_clone(self):
        for est in estimators():
            with self.subTest(type(est).__name__):
                fitted = est.set_params(random_state=0).fit(self.X)
                c = clone(fitted)
                self.assertIsNot(c, fitted)
                self.assertEqual(c.get_params(), fitted.get_params())
                self.assertFalse(hasattr(c, "n_features_in_"))
                with self.assertRaises(mixture.NotFittedError):
                    c.predict(self.X)

    def test_pipeline_equals_steps(self):
        pipe = make_pipeline(StandardScaler(), mixture.KMeans(4, random_state=0)).fit(self.X)
        Z = StandardScaler().fit_transform(self.X)
        km = mixture.KMeans(4, random_state=0).fit(Z)
        np.testing.assert_array_equal(pipe.predict(self.X), km.predict(Z))
        np.testing.assert_array_equal(pipe.transform(self.X), km.transform(Z))
        pipe = Pipeline([("scale", StandardScaler()),
                         ("gmm", mixture.GaussianMixture(4, random_state=0))]).fit(self.X)
        gmm = mixture.GaussianMixture(4, random_state=0).fit(Z)
        self.assertEqual(pipe.score(self.X), gmm.score(Z))

    def test_grid_search_picks_what_sklearn_picks(self):
        grid = {"n_components": [1, 2, 3, 4, 5, 6], "covariance_type": ["full", "spherical"]}
        ours = GridSearchCV(mixture.GaussianMixture(random_state=0), grid, cv=3).fit(self.X)
        theirs = GridSearchCV(SkGMM(random_state=0), grid, cv=3).fit(self.X)
        print("grid search: package %s (%.6f), scikit-learn %s (%.6f)"
              % (ours.best_params_, ours.best_score_, theirs.best_params_, theirs.best_score_),
              file=sys.stderr)
        self.assertEqual(ours.best_params_, theirs.best_params_)
        self.assertLessEqual(abs(ours.best_score_ - theirs.best_score_),
                             1e-6 * abs(theirs.best_score_))
        # the refitted best estimator is the package's
        self.assertIsInstance(ours.best_estimator_, mixture.GaussianMixture)


@unittest.skipUnless(HAVE_SKLEARN, SKIP_MSG)
class Pickling(unittest.TestCase):

    def test_round_trip(self):
        X, _ = make_blobs(n_samples=300, n_features=3, centers=3, random_state=5)
        for est in estimators():
            with self.subTest(type(est).__name__):
                est.set_params(random_state=0).fit(X)
                for other in (pickle.loads(pickle.dumps(est)), copy.deepcopy(est),
                              copy.copy(est)):
                    self.assertIsNot(other._model, est._model)  # a handle of its own
                    np.testing.assert_array_equal(other.predict(X), est.predict(X))
                    for name in ("transform", "predict_proba", "score_samples"):
                        if hasattr(est, name):
                            np.testing.assert_allclose(getattr(other, name)(X),
                                                       getattr(est, name)(X), rtol=1e-12)
                    self.assertEqual(vars(other).keys(), vars(est).keys())

    def test_unfitted(self):
        for est in estimators():
            other = pickle.loads(pickle.dumps(est))
            self.assertEqual(other.get_params(), est.get_params())
            self.assertNotIn("_model", vars(other))


@unittest.skipUnless(HAVE_SKLEARN, SKIP_MSG)
class Data(unittest.TestCase):
    """Array-likes give the results of the C-contiguous float64 array they
    stand for, bit for bit; float32 gives float32 (as sklearn's KMeans)."""

    def setUp(self):
        rng = np.random.default_rng(7)
        self.X = rng.normal(size=(300, 4)) + np.repeat(rng.normal(scale=6, size=(3, 4)), 100, 0)

    def fits(self, X):
        return [e.set_params(random_state=0).fit(X) for e in estimators()]

    def assert_same(self, fitted, ref, X):
        for a, b in zip(fitted, ref):
            np.testing.assert_array_equal(a.predict(X), b.predict(X))
            for name in ("cluster_centers_", "means_", "covariances_", "probs_", "weights_"):
                if hasattr(b, name):
                    np.testing.assert_array_equal(getattr(a, name), getattr(b, name))

    def test_array_likes(self):
        ref = self.fits(self.X)
        F = np.asfortranarray(self.X)
        wide = np.zeros((300, 8))
        wide[:, ::2] = self.X
        ro = self.X.copy()
        ro.setflags(write=False)
        for name, X in (("list", self.X.tolist()), ("Fortran", F),
                        ("strided view", wide[:, ::2]), ("read-only", ro),
                        ("object dtype", self.X.astype(object))):
            with self.subTest(name):
                self.assert_same(self.fits(X), ref, X)
        # a reversed view of the rows is the reversed data
        rev = self.fits(self.X[::-1])
        for a in rev:
            self.assertEqual(a.n_features_in_, 4)
        np.testing.assert_array_equal(rev[0].predict(self.X[::-1]),
                                      rev[0].predict(np.ascontiguousarray(self.X[::-1])))

    def test_float32(self):
        X32 = self.X.astype(np.float32)
        X64 = X32.astype(np.float64)
        for e32, e64 in zip(self.fits(X32), self.fits(X64)):
            with self.subTest(type(e32).__name__):
                for name in ("cluster_centers_", "means_", "covariances_", "precisions_",
                             "precisions_cholesky_", "probs_", "weights_"):
                    if hasattr(e64, name):
                        a = getattr(e32, name)
                        self.assertEqual(a.dtype, np.float32, name)
                        # the arithmetic is double: float32 is the rounding of it
                        np.testing.assert_array_equal(a, getattr(e64, name).astype(np.float32))
                for name in ("transform", "predict_proba", "score_samples"):
                    if hasattr(e64, name):
                        self.assertEqual(getattr(e32, name)(X32).dtype, np.float32, name)
                        # float64 data on a float32 model: float64 results
                        self.assertEqual(getattr(e32, name)(X64).dtype, np.float64, name)
                        self.assertEqual(getattr(e64, name)(X32).dtype, np.float64, name)
                np.testing.assert_array_equal(e32.predict(X32), e64.predict(X64))
        # as scikit-learn's KMeans
        sk = SkKMeans(3, n_init=1, random_state=0).fit(X32)
        km = mixture.KMeans(3, n_init=1, random_state=0).fit(X32)
        self.assertEqual(km.cluster_centers_.dtype, sk.cluster_centers_.dtype)
        self.assertEqual(km.transform(X32).dtype, sk.transform(X32).dtype)

    def test_no_copy_of_float64_rows(self):
        """C-contiguous float64 data goes to the library as it is: the Python
        side allocates no copy of it (tracemalloc sees NumPy's buffers);
        Fortran-ordered data is converted once, which the same measure shows."""
        rng = np.random.default_rng(8)
        X = rng.normal(size=(200000, 5))  # 8 MB
        fitted = [e.set_params(random_state=0).fit(X[:2000]) for e in estimators()]
        F = np.asfortranarray(X)
        for est in fitted:
            for name in ("score", "bic") if hasattr(est, "bic") else ("score",):
                with self.subTest(type(est).__name__, call=name):
                    tracemalloc.start()
                    getattr(est, name)(X)
                    peak_c = tracemalloc.get_traced_memory()[1]
                    tracemalloc.stop()
                    if isinstance(est, mixture.BernoulliMixture):  # binarizing is a copy
                        self.assertGreaterEqual(peak_c, X.nbytes)
                        continue
                    self.assertLess(peak_c, X.nbytes / 100, "a copy of C float64 data")
                    tracemalloc.start()
                    getattr(est, name)(F)
                    peak_f = tracemalloc.get_traced_memory()[1]
                    tracemalloc.stop()
                    self.assertGreaterEqual(peak_f, X.nbytes, "Fortran data not converted?")

    def test_input_not_modified(self):
        X = self.X.copy()
        w = np.linspace(0.5, 2, X.shape[0])
        w0 = w.copy()
        for est in estimators():
            est.set_params(random_state=0).fit(X, sample_weight=w)
            est.predict(X)
            np.testing.assert_array_equal(X, self.X)
            np.testing.assert_array_equal(w, w0)


if __name__ == "__main__":
    unittest.main()
