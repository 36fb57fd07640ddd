"""Saved models in the package: pickling through mix_*_save_buffer and
mix_*_load_buffer (bit for bit: attributes, predictions, densities, samples,
the saved bytes themselves, partial_fit's state), save and load to files,
to_bytes and from_bytes, the constructor parameters a load reads from the
saved options, and the library's refusals (corrupt, truncated, another
kind) as MixtureValueError. Needs NumPy (scikit-learn for clone only)."""
import copy
import errno
import gc
import os
import pathlib
import pickle
import tempfile
import unittest
import warnings
from unittest import mock

try:
    import numpy as np
    import mixture
    from mixture import _lib
    HAVE_NUMPY = True
except ImportError:
    HAVE_NUMPY = False

try:
    from sklearn.base import clone
    HAVE_SKLEARN = True
except ImportError:
    HAVE_SKLEARN = False

HERE = os.path.dirname(os.path.abspath(__file__))
FORMAT_DIR = os.path.join(HERE, os.pardir, "format", "v1")
SKIP_MSG = "NumPy is absent (apt-get install python3-numpy)"


def data(seed=0, n=300, d=3, k=3):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, d)) + np.repeat(rng.normal(scale=8, size=(k, d)), n // k, 0)


def binary(seed=0, n=300, d=8):
    rng = np.random.default_rng(seed)
    p = np.where(np.arange(n)[:, None] < n // 2, 0.8, 0.2) * np.ones(d)
    return (rng.random((n, d)) < p).astype(np.float64)


def fitted():
    """(estimator, data) for each kind: K-means (Lloyd and Adam), a Gaussian
    mixture of each covariance type (and one fitted by Adam), a Bernoulli
    mixture."""
    X, B = data(), binary()
    out = [(mixture.KMeans(3, random_state=0), X),
           (mixture.KMeans(3, method="adam", max_iter=20, random_state=1), X)]
    out += [(mixture.GaussianMixture(3, covariance_type=c, random_state=2), X)
            for c in ("full", "tied", "diag", "spherical")]
    out += [(mixture.GaussianMixture(2, method="adam", max_iter=10, random_state=3), X),
            (mixture.BernoulliMixture(2, random_state=4), B)]
    with np.errstate(all="ignore"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return [(est.fit(Z), Z) for est, Z in out]


def same_bits(a, b):
    """Equal in every bit (NaN included), with the same dtype and shape."""
    a, b = np.asarray(a), np.asarray(b)
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


FITTED = ("cluster_centers_", "labels_", "inertia_", "n_iter_", "n_features_in_", "weights_",
          "means_", "covariances_", "precisions_", "precisions_cholesky_", "probs_",
          "converged_", "lower_bound_", "_n_features_out")


def answers(est, X):
    """Everything the fitted model computes, as arrays."""
    out = {"predict": est.predict(X)}
    for name in ("transform", "predict_proba", "score_samples"):
        if hasattr(est, name):
            out[name] = getattr(est, name)(X)
    out["score"] = np.float64(est.score(X))
    if hasattr(est, "sample"):
        out["sample_X"], out["sample_y"] = est.sample(50)
        out["bic"] = np.float64(est.bic(X))
    return out


@unittest.skipUnless(HAVE_NUMPY, SKIP_MSG)
class Pickle(unittest.TestCase):

    def assert_same_model(self, a, b, X, attributes=FITTED):
        self.assertIsNot(a._model, b._model)
        for name in attributes:
            if hasattr(a, name):
                self.assertTrue(same_bits(getattr(a, name), getattr(b, name)), name)
        got, want = answers(b, X), answers(a, X)
        for name in want:
            self.assertTrue(same_bits(got[name], want[name]), name)
        self.assertEqual(b.to_bytes(), a.to_bytes())  # the library's whole state

    def test_round_trip_bit_for_bit(self):
        for est, X in fitted():
            with self.subTest(repr(est)):
                for other in (pickle.loads(pickle.dumps(est, protocol=p)) for p in (2, 5)):
                    self.assert_same_model(est, other, X)
                    self.assertEqual(vars(other).keys(), vars(est).keys())
                    self.assertEqual(other.get_params().keys(), est.get_params().keys())
                    self.assertEqual(repr(other), repr(est))
                for other in (copy.deepcopy(est), copy.copy(est)):
                    self.assert_same_model(est, other, X)

    def test_labels_kept(self):
        km = mixture.KMeans(3, random_state=0).fit(data())
        other = pickle.loads(pickle.dumps(km))
        np.testing.assert_array_equal(other.labels_, km.labels_)

    def test_unfitted(self):
        X = data()
        for est in (mixture.KMeans(4, tol=0.5, random_state=3),
                    mixture.GaussianMixture(2, covariance_type="diag", reg_covar=1e-3),
                    mixture.BernoulliMixture(3, alpha=0.5, binarize=None)):
            with self.subTest(type(est).__name__):
                other = pickle.loads(pickle.dumps(est))
                self.assertEqual(repr(other), repr(est))
                self.assertNotIn("_model", vars(other))
                with self.assertRaises(mixture.NotFittedError):
                    other.predict(X)
                with self.assertRaises(mixture.NotFittedError):
                    other.to_bytes()
        km = mixture.KMeans(3, random_state=5)
        a = pickle.loads(pickle.dumps(km)).fit(X)
        self.assertTrue(same_bits(a.cluster_centers_, km.fit(X).cluster_centers_))

    def test_steps_continue_alike(self):
        """partial_fit's state (K-means' counts, stepwise EM's statistics)
        travels with the pickle: the next steps are those of the original."""
        X = data(seed=1, n=600)
        chunks = np.array_split(X, 6)
        for est in (mixture.KMeans(3, random_state=0),
                    mixture.GaussianMixture(3, covariance_type="full", random_state=0)):
            with self.subTest(type(est).__name__):
                for c in chunks[:3]:
                    est.partial_fit(c)
                other = pickle.loads(pickle.dumps(est))
                for c in chunks[3:]:
                    est.partial_fit(c)
                    other.partial_fit(c)
                self.assertEqual(other.to_bytes(), est.to_bytes())
                self.assertTrue(same_bits(other.predict(X), est.predict(X)))

    def test_warm_start_continues_alike(self):
        X = data(seed=2)
        est = mixture.GaussianMixture(3, warm_start=True, max_iter=2, random_state=0)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            est.fit(X)
            other = pickle.loads(pickle.dumps(est))
            est.fit(X)
            other.fit(X)
        self.assertTrue(same_bits(other.means_, est.means_))
        self.assertEqual(other.to_bytes(), est.to_bytes())

    def test_float32(self):
        """A model fitted on float32 data pickles as one: float32 attributes,
        float32 answers on float32 data, the same bits."""
        X32 = data().astype(np.float32)
        for est in (mixture.KMeans(3, random_state=0), mixture.GaussianMixture(3, random_state=0)):
            with self.subTest(type(est).__name__):
                est.fit(X32)
                other = pickle.loads(pickle.dumps(est))
                self.assertIs(other._float32, True)
                attr = "cluster_centers_" if hasattr(est, "cluster_centers_") else "means_"
                self.assertEqual(getattr(other, attr).dtype, np.float32)
                self.assert_same_model(est, other, X32)
                name = "transform" if hasattr(est, "transform") else "score_samples"
                self.assertEqual(getattr(other, name)(X32).dtype, np.float32)

    @unittest.skipUnless(HAVE_SKLEARN, "scikit-learn is absent")
    def test_clone_after_pickle_and_load(self):
        for est, X in fitted()[:1] + fitted()[-1:]:
            for other in (pickle.loads(pickle.dumps(est)), type(est).from_bytes(est.to_bytes())):
                c = clone(other)
                self.assertEqual(repr(c), repr(other))
                self.assertFalse(hasattr(c, "n_features_in_"))

    @unittest.skipUnless(HAVE_SKLEARN, "scikit-learn is absent")
    def test_sklearn_state_kept(self):
        """The state is BaseEstimator.__getstate__'s (with _sklearn_version
        where scikit-learn adds it: estimators of its own modules), and
        __setstate__ goes through BaseEstimator's (its version check, and
        the key does not become an attribute)."""
        import sklearn

        class Labelled(mixture.KMeans):
            pass
        Labelled.__module__ = "sklearn.labelled"  # scikit-learn labels its own pickles
        X = data()
        est = Labelled(3, n_init=1, random_state=0).fit(X)
        state = est.__getstate__()
        self.assertEqual(state["_sklearn_version"], sklearn.__version__)
        self.assertIn("_model_bytes", state)
        self.assertNotIn("_model", state)
        self.assertIn("_model", vars(est))  # the estimator's own dict is untouched
        other = Labelled.__new__(Labelled)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            other.__setstate__(dict(state))
        self.assertNotIn("_sklearn_version", vars(other))
        np.testing.assert_array_equal(other.predict(X), est.labels_)
        other = Labelled.__new__(Labelled)
        with self.assertWarnsRegex(UserWarning, "from version 0.0"):
            other.__setstate__(dict(state, _sklearn_version="0.0"))
        # this package's own estimators: exactly BaseEstimator's state
        km = mixture.KMeans(3, n_init=1, random_state=0).fit(X)
        from sklearn.base import BaseEstimator
        want = dict(BaseEstimator.__getstate__(km))
        want["_model_bytes"] = want.pop("_model").to_bytes()
        self.assertEqual(km.__getstate__().keys(), want.keys())

    def test_no_handle_leaks(self):
        models = fitted()
        before = _lib.live_handles()
        for est, X in models:
            for _ in range(3):
                pickle.loads(pickle.dumps(est))
                type(est).from_bytes(est.to_bytes())
                copy.deepcopy(est)
        gc.collect()
        self.assertEqual(_lib.live_handles(), before)


@unittest.skipUnless(HAVE_NUMPY, SKIP_MSG)
class SaveLoad(unittest.TestCase):

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name

    def tearDown(self):
        self.tmp.cleanup()

    def test_file_round_trip(self):
        """A file holds the bytes of to_bytes; a load gives the model bit for
        bit (K-means without labels_, which are not saved)."""
        for i, (est, X) in enumerate(fitted()):
            with self.subTest(repr(est)):
                path = os.path.join(self.dir, "m%d.mixture" % i)
                est.save(path)
                with open(path, "rb") as f:
                    self.assertEqual(f.read(), est.to_bytes())
                for other in (type(est).load(path), type(est).load(pathlib.Path(path)),
                              type(est).load(path.encode()), type(est).from_bytes(est.to_bytes())):
                    self.assertEqual(repr(other), repr(est))
                    self.assertFalse(hasattr(other, "labels_"))
                    self.assertFalse(hasattr(other, "feature_names_in_"))
                    Pickle.assert_same_model(self, est, other, X,
                                             [a for a in FITTED if a != "labels_"])

    def test_bytes_like(self):
        est, X = fitted()[2]
        b = est.to_bytes()
        self.assertIsInstance(b, bytes)
        for buf in (bytearray(b), memoryview(b), np.frombuffer(b, dtype=np.uint8)):
            other = mixture.GaussianMixture.from_bytes(buf)
            self.assertTrue(same_bits(other.score_samples(X), est.score_samples(X)))

    def test_bytes_like_of_any_layout(self):
        """A buffer that is not contiguous, or of two dimensions in Fortran
        order, loads as its bytes in C order (memoryview.tobytes)."""
        est, X = fitted()[2]
        b = est.to_bytes()
        spread = np.zeros(2 * len(b), dtype=np.uint8)
        spread[::2] = np.frombuffer(b, dtype=np.uint8)
        rows = len(b) // 4 if len(b) % 4 == 0 else len(b) // 2 if len(b) % 2 == 0 else len(b)
        grid = np.asfortranarray(np.frombuffer(b, dtype=np.uint8).reshape(rows, -1))
        for buf in (spread[::2], memoryview(spread)[::2], grid, memoryview(grid)):
            with self.subTest(type=type(buf).__name__, c=memoryview(buf).c_contiguous):
                other = mixture.GaussianMixture.from_bytes(buf)
                self.assertTrue(same_bits(other.score_samples(X), est.score_samples(X)))
                self.assertEqual(repr(other), repr(est))

    def test_load_reads_the_file_once(self):
        """The model and the parameters come from one reading of the file:
        a file replaced while the load runs (here, right after the library
        has read the model) cannot mix one file's model with another's
        options."""
        X = data()
        first = mixture.KMeans(3, tol=1e-3, max_iter=40, random_state=0).fit(X)
        second = mixture.KMeans(2, tol=1e-6, max_iter=7, random_state=1).fit(X)
        path = os.path.join(self.dir, "m.mixture")

        def replacing(method):
            def call(handle, *args):
                method(handle, *args)
                second.save(path)  # the path now holds another model
            return call
        for case in ("load", "load_bytes"):
            with self.subTest(replaced_after=case):
                first.save(path)
                with mock.patch.object(_lib.Handle, case, replacing(getattr(_lib.Handle, case))):
                    other = mixture.KMeans.load(path)
                self.assertEqual(repr(other), repr(first))
                self.assertTrue(same_bits(other.cluster_centers_, first.cluster_centers_))

    def test_unreadable_paths_keep_the_library_messages(self):
        """Read once in Python, a file that cannot be read still raises as
        mix_<kind>_load does: MixtureRuntimeError (EIO) naming the path and
        the reason; a corrupt one, MixtureValueError naming the path."""
        for path, words in ((os.path.join(self.dir, "absent.mixture"),
                             "cannot open %s: %s" % (os.path.join(self.dir, "absent.mixture"),
                                                     os.strerror(errno.ENOENT))),
                            (self.dir, "cannot load %s: %s" % (self.dir, os.strerror(errno.EISDIR)))):
            with self.subTest(path=path):
                with self.assertRaises(mixture.MixtureRuntimeError) as cm:
                    mixture.GaussianMixture.load(path)
                self.assertEqual(cm.exception.code, mixture.Status.EIO)
                self.assertEqual(str(cm.exception), words)
        est, _ = fitted()[2]
        path = os.path.join(self.dir, "bad.mixture")
        with open(path, "wb") as f:
            f.write(est.to_bytes()[:-8])
        with self.assertRaises(mixture.MixtureValueError) as cm:
            mixture.GaussianMixture.load(path)
        self.assertTrue(str(cm.exception).startswith(path + ": "), str(cm.exception))
        os.remove(path)

    def test_parameters_from_the_saved_options(self):
        X = data()
        km = mixture.KMeans(3, init="random", n_init=3, max_iter=40, tol=1e-3, random_state=9,
                            algorithm="elkan", n_threads=2).fit(X)
        self.assertEqual(repr(mixture.KMeans.from_bytes(km.to_bytes())), repr(km))
        start = km.cluster_centers_ + 0.5
        km = mixture.KMeans(3, init=start, n_init=1, random_state=1).fit(X)
        other = mixture.KMeans.from_bytes(km.to_bytes())
        self.assertTrue(same_bits(other.init, start))
        g = mixture.GaussianMixture(3, covariance_type="diag", tol=1e-4, reg_covar=1e-4,
                                    max_iter=50, n_init=2, init_params="k-means++",
                                    means_init=km.cluster_centers_, weights_init=[.2, .3, .5],
                                    precisions_init=np.full((3, 3), 0.5),
                                    learning_decay=0.75, learning_offset=4.0,
                                    random_state=7).fit(X)
        other = mixture.GaussianMixture.from_bytes(g.to_bytes())
        for name, value in g.get_params().items():
            if isinstance(value, np.ndarray) or name.endswith("_init"):
                np.testing.assert_allclose(getattr(other, name), value, rtol=1e-15)
            else:
                self.assertEqual(getattr(other, name), value, name)
        b = mixture.BernoulliMixture(2, alpha=0.25, binarize=0.5, random_state=3).fit(binary())
        other = mixture.BernoulliMixture.from_bytes(b.to_bytes())
        self.assertEqual(other.alpha, 0.25)
        self.assertEqual(other.binarize, 0.0)  # not a library option: not saved
        other = mixture.BernoulliMixture.from_bytes(b.to_bytes(), binarize=0.5)
        self.assertEqual(repr(other), repr(b))

    def test_random_state_none(self):
        """The seed drawn for random_state=None is saved: the loaded
        estimator's random_state refits the same model."""
        X = data()
        km = mixture.KMeans(3).fit(X)
        other = mixture.KMeans.from_bytes(km.to_bytes())
        self.assertIsInstance(other.random_state, int)
        self.assertTrue(same_bits(mixture.KMeans.from_bytes(km.to_bytes()).fit(X)
                                  .cluster_centers_, km.cluster_centers_))

    def test_shape_parameters_cannot_be_overridden(self):
        est, _ = fitted()[2]
        with self.assertRaisesRegex(ValueError, "covariance_type"):
            mixture.GaussianMixture.from_bytes(est.to_bytes(), covariance_type="diag")
        other = mixture.GaussianMixture.from_bytes(est.to_bytes(), n_components=3, verbose=1)
        self.assertEqual(other.verbose, 1)

    def test_float32_model_loads_as_float64(self):
        """The format has no dtype: a file's model answers in float64
        (pickle keeps float32)."""
        X32 = data().astype(np.float32)
        km = mixture.KMeans(3, random_state=0).fit(X32)
        other = mixture.KMeans.from_bytes(km.to_bytes())
        self.assertEqual(other.cluster_centers_.dtype, np.float64)
        self.assertEqual(other.transform(X32).dtype, np.float64)
        np.testing.assert_array_equal(other.cluster_centers_.astype(np.float32),
                                      km.cluster_centers_)

    def test_corrupt_truncated_trailing(self):
        models = fitted()[::3]
        before = _lib.live_handles()
        for est, _ in models:
            b = est.to_bytes()
            flipped = bytearray(b)
            flipped[len(b) // 2] ^= 0x10
            for bad, words in ((flipped, "checksum"), (b[:-8], "truncated"),
                               (b + bytes(4), "trailing"), (b"", "")):
                with self.subTest(type(est).__name__, words=words):
                    with self.assertRaises(mixture.MixtureValueError) as cm:
                        type(est).from_bytes(bad)
                    self.assertEqual(cm.exception.code, mixture.Status.EFORMAT)
                    self.assertIn(words, str(cm.exception))
                    path = os.path.join(self.dir, "bad.mixture")
                    with open(path, "wb") as f:
                        f.write(bad)
                    with self.assertRaises(mixture.MixtureValueError):
                        type(est).load(path)
        gc.collect()
        self.assertEqual(_lib.live_handles(), before)

    def test_another_kind(self):
        est = {type(e).__name__: e for e, _ in fitted()}
        for saved, loader, words in (("KMeans", mixture.GaussianMixture, "K-means"),
                                     ("GaussianMixture", mixture.BernoulliMixture, "Gaussian"),
                                     ("BernoulliMixture", mixture.KMeans, "Bernoulli")):
            with self.subTest(saved=saved, loader=loader.__name__):
                path = os.path.join(self.dir, saved + ".mixture")
                est[saved].save(path)
                for load in (lambda: loader.load(path),
                             lambda: loader.from_bytes(est[saved].to_bytes())):
                    with self.assertRaisesRegex(mixture.MixtureValueError, words) as cm:
                        load()
                    self.assertEqual(cm.exception.code, mixture.Status.EFORMAT)

    def test_missing_file_and_unfitted_save(self):
        with self.assertRaises(mixture.MixtureRuntimeError) as cm:
            mixture.KMeans.load(os.path.join(self.dir, "absent.mixture"))
        self.assertEqual(cm.exception.code, mixture.Status.EIO)
        self.assertIn("absent.mixture", str(cm.exception))
        with self.assertRaises(mixture.NotFittedError):
            mixture.KMeans(2).save(os.path.join(self.dir, "x.mixture"))
        self.assertFalse(os.listdir(self.dir))

    def test_frozen_files(self):
        """The files of tests/format/v1 (written by C): fitted ones load as
        fitted estimators, handles without a model as unfitted ones."""
        loaders = {"kmeans": mixture.KMeans, "gmm": mixture.GaussianMixture,
                   "bmm": mixture.BernoulliMixture}
        names = sorted(os.listdir(FORMAT_DIR))
        self.assertEqual(len([n for n in names if n.endswith(".mixture")]), 16)
        for name in names:
            if not name.endswith(".mixture"):
                continue
            with self.subTest(name):
                est = loaders[name.split("_")[0]].load(os.path.join(FORMAT_DIR, name))
                self.assertEqual(hasattr(est, "_model"), "unfitted" not in name)
                self.assertEqual(est.random_state, 20261127)
                if "unfitted" in name:
                    continue
                X = np.zeros((2, est.n_features_in_))
                self.assertEqual(est.predict(X).shape, (2,))
                again = type(est).from_bytes(est.to_bytes())
                self.assertEqual(again.to_bytes(), est.to_bytes())


if __name__ == "__main__":
    unittest.main()
