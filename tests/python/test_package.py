"""The package itself: its version against the header's and the library's,
where it finds the library, its exceptions, callbacks, parameter checks,
its life without scikit-learn, and handles that do not leak over 10,000
fits. Needs NumPy only (one comparison with scikit-learn where present).
"""
import contextlib
import ctypes
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest
import warnings
import weakref

try:
    import numpy as np
    import mixture
    from mixture import _lib
    HAVE_NUMPY = True
except ImportError:
    HAVE_NUMPY = False

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.normpath(os.path.join(HERE, os.pardir, os.pardir))
SKIP_MSG = "NumPy is absent (apt-get install python3-numpy)"


def run_python(code, env_update=None, pythonpath=None):
    """Run code in a fresh interpreter (this one), returning its output."""
    env = dict(os.environ)
    env.pop("MIXTURE_LIBRARY", None)
    env["PYTHONPATH"] = pythonpath or os.path.dirname(os.path.dirname(mixture.__file__))
    env.update(env_update or {})
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                         text=True, timeout=300)
    return out


def data(seed=0, n=300, d=3, k=3):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, d)) + np.repeat(rng.normal(scale=8, size=(k, d)), n // k, 0)


@unittest.skipUnless(HAVE_NUMPY, SKIP_MSG)
class VersionAndLibrary(unittest.TestCase):

    def test_versions_agree(self):
        header = open(os.path.join(TOP, "include", "mixture.h")).read()
        parts = [re.search(r"#define MIX_VERSION_%s (\d+)" % p, header).group(1)
                 for p in ("MAJOR", "MINOR", "PATCH")]
        self.assertEqual(mixture.__version__, ".".join(parts))
        self.assertEqual(mixture.library_version(), mixture.__version__)

    def test_search_order(self):
        code = "import mixture; print(mixture.library_path)"
        lib = os.path.realpath(mixture.library_path)
        # 1. MIXTURE_LIBRARY wins, and a wrong one is an error, not a fallback
        out = run_python(code, {"MIXTURE_LIBRARY": lib})
        self.assertEqual(out.stdout.strip(), lib, out.stderr)
        out = run_python(code, {"MIXTURE_LIBRARY": "/nonexistent/libmixture.so.0"})
        self.assertNotEqual(out.returncode, 0)
        self.assertIn("ImportError", out.stderr)
        self.assertIn("MIXTURE_LIBRARY", out.stderr)
        # 2. next to the package (`make python` links it there)
        package_dir = os.path.dirname(mixture.__file__)
        beside = os.path.join(package_dir, _lib.SONAME)
        if os.path.exists(beside):
            out = run_python(code)
            self.assertEqual(out.stdout.strip(), beside, out.stderr)
        # 3. the system loader: a copy of the package without the link
        with tempfile.TemporaryDirectory() as tmp:
            shutil.copytree(package_dir, os.path.join(tmp, "mixture"),
                            ignore=shutil.ignore_patterns("libmixture.so*", "__pycache__"))
            out = run_python(code, {"LD_LIBRARY_PATH": os.path.dirname(lib)}, pythonpath=tmp)
            self.assertEqual(out.stdout.strip(), _lib.SONAME, out.stderr)
            out = run_python(code, {"LD_LIBRARY_PATH": ""}, pythonpath=tmp)
            if out.returncode != 0:  # unless the library is installed system-wide
                self.assertIn("not found", out.stderr)


@unittest.skipUnless(HAVE_NUMPY, SKIP_MSG)
class Errors(unittest.TestCase):

    def setUp(self):
        self.X = data()

    def test_classes(self):
        self.assertTrue(issubclass(mixture.MixtureValueError, ValueError))
        self.assertTrue(issubclass(mixture.MixtureRuntimeError, RuntimeError))
        self.assertTrue(issubclass(mixture.MixtureMemoryError, MemoryError))
        self.assertTrue(issubclass(mixture.MixtureMemoryError, RuntimeError))
        self.assertTrue(issubclass(mixture.NotFittedError, ValueError))
        self.assertTrue(issubclass(mixture.NotFittedError, AttributeError))
        for code in mixture.Status:
            if code:
                err = _lib.error(code, "detail")
                self.assertIsInstance(err, mixture.MixtureError)
                self.assertEqual(str(err), "detail")
                self.assertEqual(err.status_text, _lib.strerror(code))

    def test_library_messages(self):
        bad = self.X.copy()
        bad[11, 1] = np.nan
        for est in (mixture.KMeans(3), mixture.GaussianMixture(3)):
            with self.subTest(type(est).__name__):
                with self.assertRaises(mixture.MixtureValueError) as cm:
                    est.fit(bad)
                self.assertEqual(cm.exception.code, mixture.Status.EDATA)
                self.assertEqual(str(cm.exception), "X[11][1] is NaN")

    def test_parameters_checked_at_fit(self):
        # set_params stores anything (scikit-learn's rule); fit refuses it
        cases = [(mixture.KMeans(0), "n_clusters"), (mixture.KMeans(init="bogus"), "init"),
                 (mixture.KMeans(algorithm="x"), "algorithm"), (mixture.KMeans(n_init=0), "n_init"),
                 (mixture.KMeans(method="sgd"), "method"),
                 (mixture.KMeans(tol=-1.0), "tol"), (mixture.KMeans(random_state="x"), "x"),
                 (mixture.GaussianMixture(covariance_type="full "), "covariance_type"),
                 (mixture.GaussianMixture(init_params="x"), "init_params"),
                 (mixture.GaussianMixture(reg_covar=-1.0), "reg_covar"),
                 (mixture.GaussianMixture(max_iter=1.5), "max_iter"),
                 (mixture.GaussianMixture(2, means_init=np.zeros((3, 3))), "means_init"),
                 (mixture.BernoulliMixture(alpha=-1.0), "alpha"),
                 (mixture.BernoulliMixture(binarize="x"), "binarize")]
        for est, word in cases:
            with self.subTest(repr(est)):
                with self.assertRaises(ValueError) as cm:
                    est.fit(self.X)
                self.assertIn(word, str(cm.exception))

    def test_library_checks_ranges(self):
        # ranges the library's setters check, with their message
        est = mixture.GaussianMixture(2, method="adam", beta_1=1.5)
        with self.assertRaises(mixture.MixtureValueError) as cm:
            est.fit(self.X)
        self.assertEqual(cm.exception.code, mixture.Status.EINVAL)

    def test_shapes_checked_before_the_library(self):
        km = mixture.KMeans(3, random_state=0).fit(self.X)
        with self.assertRaisesRegex(ValueError, "sample_weight.shape"):
            mixture.KMeans(3).fit(self.X, sample_weight=np.ones(5))
        with self.assertRaisesRegex(ValueError, "initial centers"):
            mixture.KMeans(3, init=np.zeros((2, 3)), n_init=1).fit(self.X)
        with self.assertRaisesRegex(ValueError, "Expected 2D array"):
            km.predict(self.X[0])
        with self.assertRaisesRegex(ValueError, "n_samples=2 should be >= n_clusters=3"):
            mixture.KMeans(3).fit(self.X[:2])
        with self.assertRaisesRegex(ValueError, "theta has shape"):
            mixture.GaussianMixture(2).nll_grad(self.X, np.zeros(3))

    def test_sample_refuses_a_bool(self):
        g = mixture.GaussianMixture(2, random_state=0).fit(self.X)
        for bad in (True, False, np.bool_(True), 0, -1, 2.0, "3"):
            with self.subTest(bad=bad):
                with self.assertRaisesRegex(ValueError, "n_samples"):
                    g.sample(bad)
        self.assertEqual(g.sample(np.int64(3))[0].shape, (3, 3))

    def test_temporary_handles_closed_on_failure(self):
        # the exception's traceback keeps the failing frame (and what its
        # locals hold) alive: the handle must be freed before it propagates
        g = mixture.GaussianMixture(2, random_state=0)
        before = _lib.live_handles()["gmm"]
        theta_size = g.fit(self.X)._model.get("theta_size", 3)
        for call in (lambda: g.nll_grad(self.X, np.zeros(3)),
                     lambda: g.nll_grad(self.X[:, :2], np.zeros(theta_size)),
                     lambda: g.set_theta(np.zeros(3), 3),
                     lambda: g.set_theta(np.full(theta_size, np.nan), 3)):
            try:  # (assertRaises would clear the traceback's frames)
                call()
                self.fail("no exception")
            except ValueError as exc:
                kept = exc
            self.assertIsNotNone(kept.__traceback__)
            self.assertEqual(_lib.live_handles()["gmm"], before + 1)  # g's own
            del kept
        nll, grad = g.nll_grad(self.X, g.theta_)
        self.assertEqual(_lib.live_handles()["gmm"], before + 1)
        del g
        self.assertEqual(_lib.live_handles()["gmm"], before)

    def test_not_converged_message(self):
        def message(**params):
            with warnings.catch_warnings(record=True) as seen:
                warnings.simplefilter("always")
                g = mixture.GaussianMixture(2, max_iter=1, tol=0.0, random_state=0, **params)
                g.fit(self.X)
                if params.get("warm_start"):
                    del seen[:]
                    g.fit(self.X)
            texts = [str(w.message) for w in seen
                     if issubclass(w.category, mixture.ConvergenceWarning)]
            self.assertEqual(len(texts), 1, texts)
            return texts[0]
        self.assertTrue(message(n_init=1).startswith("Initialization 1 did not converge. "))
        self.assertTrue(message(n_init=3).startswith("None of the 3 initializations converged. "))
        # a warm start makes one run, whatever n_init
        self.assertTrue(message(n_init=3, warm_start=True).startswith(
            "Initialization 1 did not converge. "))


class Frame:
    """The least of a data frame: named columns over an array."""

    def __init__(self, a, columns):
        self.a, self.columns = np.asarray(a), list(columns)

    def __array__(self, dtype=None):
        return self.a if dtype is None else self.a.astype(dtype)


@unittest.skipUnless(HAVE_NUMPY, SKIP_MSG)
class FeatureNames(unittest.TestCase):
    """scikit-learn's rules for the names of columns (feature_names_in_)."""

    def test_names(self):
        X = data(6)
        names = ["a", "b", "c"]
        for est in (mixture.KMeans(3, random_state=0), mixture.GaussianMixture(2, random_state=0)):
            with self.subTest(type(est).__name__):
                est.fit(Frame(X, names))
                self.assertEqual(est.feature_names_in_.dtype, object)
                self.assertEqual(list(est.feature_names_in_), names)
                with self.assertWarnsRegex(UserWarning, "does not have valid feature names"):
                    plain = est.predict(X)
                np.testing.assert_array_equal(est.predict(Frame(X, names)), plain)
                with self.assertRaisesRegex(ValueError, "must be in the same order"):
                    est.predict(Frame(X, names[::-1]))
                with self.assertRaisesRegex(ValueError, "unseen at fit time:\n- z\n"):
                    est.predict(Frame(X, ["a", "b", "z"]))
                with self.assertRaisesRegex(ValueError, "yet now missing:\n- c\n"):
                    est.predict(Frame(X[:, :2], names[:2]))
                with self.assertRaisesRegex(TypeError, "only supported if all input features"):
                    est.fit(Frame(X, ["a", 1, "c"]))
                est.fit(X)  # no names: the attribute goes
                self.assertFalse(hasattr(est, "feature_names_in_"))
                with self.assertWarnsRegex(UserWarning, "X has feature names, but"):
                    est.predict(Frame(X, names))


@unittest.skipUnless(HAVE_NUMPY, SKIP_MSG)
class Callbacks(unittest.TestCase):

    def setUp(self):
        self.X = data(1)

    def test_kmeans_progress(self):
        seen = []
        km = mixture.KMeans(3, n_init=2, random_state=0,
                            callback=lambda *a: seen.append(a)).fit(self.X)
        self.assertEqual(sorted({s[0] for s in seen}), [0, 1])
        # the last call of the kept run reports its inertia (Lloyd's last
        # assignment); every objective is an inertia, never below the best
        self.assertTrue(all(s[3] >= 0 for s in seen))
        self.assertGreaterEqual(min(s[2] for s in seen), km.inertia_ * (1 - 1e-12))

    def test_stop_and_exceptions(self):
        for est in (mixture.KMeans(3, random_state=0), mixture.GaussianMixture(3, random_state=0),
                    mixture.BernoulliMixture(3, random_state=0)):
            with self.subTest(type(est).__name__):
                est.set_params(callback=lambda run, it, obj, ch: it >= 1)
                with self.assertRaises(mixture.MixtureRuntimeError) as cm:
                    est.fit(self.X)
                self.assertEqual(cm.exception.code, mixture.Status.ECANCELED)
                self.assertNotIn("_model", vars(est))

                def boom(run, it, obj, ch):
                    raise ZeroDivisionError("raised in the callback")
                est.set_params(callback=boom)
                with self.assertRaisesRegex(ZeroDivisionError, "raised in the callback"):
                    est.fit(self.X)
                est.set_params(callback=None).fit(self.X)  # and the estimator works

    def test_verbose(self):
        out = io.StringIO()
        with contextlib.redirect_stdout(out), warnings.catch_warnings():
            warnings.simplefilter("ignore", mixture.ConvergenceWarning)
            mixture.GaussianMixture(3, verbose=2, verbose_interval=1, tol=0, max_iter=4,
                                    random_state=0).fit(self.X)
        lines = out.getvalue().splitlines()
        self.assertEqual(lines[0], "Initialization 0")
        self.assertEqual(len([l for l in lines if l.startswith("  Iteration")]), 4)


@unittest.skipUnless(HAVE_NUMPY, SKIP_MSG)
class WithoutScikitLearn(unittest.TestCase):
    """In an interpreter where `import sklearn` fails: the estimators still
    work, with the same results as with scikit-learn present."""

    CODE = """
import sys
sys.modules["sklearn"] = None  # import sklearn raises ImportError
import pickle, warnings
import numpy as np
import mixture
from mixture import _base
assert not _base.HAVE_SKLEARN
X = np.load(sys.argv[1])
km = mixture.KMeans(3, random_state=0)
assert repr(km) == "KMeans(n_clusters=3, random_state=0)", repr(km)
assert km.get_params()["n_init"] == 10
km.set_params(max_iter=50)
try:
    km.set_params(bogus=1)
    raise SystemExit("set_params accepted an unknown parameter")
except ValueError:
    pass


class Outer(_base.BaseEstimator):  # an estimator holding one: name__sub parameters
    def __init__(self, inner=None, a=1):
        self.inner = inner
        self.a = a


outer = Outer(mixture.KMeans(3))
assert outer.get_params()["inner__n_clusters"] == 3
assert "inner__n_clusters" not in outer.get_params(deep=False)
assert outer.set_params(inner__n_clusters=5, inner__tol=0.5, a=2) is outer
assert (outer.inner.n_clusters, outer.inner.tol, outer.a) == (5, 0.5, 2)
outer.set_params(inner=mixture.GaussianMixture(), inner__n_components=4)
assert outer.inner.n_components == 4, outer.inner
for bad in (dict(inner__bogus=1), dict(bogus__n_clusters=1)):
    try:
        outer.set_params(**bad)
        raise SystemExit("set_params accepted %r" % bad)
    except ValueError:
        pass
try:
    Outer(inner=None).set_params(inner__n_clusters=1)
    raise SystemExit("set_params set a parameter of None")
except ValueError as exc:
    assert "inner" in str(exc), exc
try:
    km.predict(X)
    raise SystemExit("predict before fit")
except mixture.NotFittedError as exc:
    assert isinstance(exc, ValueError) and isinstance(exc, AttributeError)
assert issubclass(mixture.ConvergenceWarning, UserWarning)
g = mixture.GaussianMixture(3, covariance_type="diag", random_state=0).fit(X)
b = mixture.BernoulliMixture(2, random_state=0).fit(X)
km.fit(X)
km2 = pickle.loads(pickle.dumps(km))
assert (km2.predict(X) == km.labels_).all()
np.save(sys.argv[2], np.concatenate([km.cluster_centers_.ravel(), km.transform(X).ravel(),
                                     g.means_.ravel(), g.score_samples(X), b.probs_.ravel()]))
"""

    def test_numpy_only(self):
        X = data(2)
        with tempfile.TemporaryDirectory() as tmp:
            xin, xout = os.path.join(tmp, "X.npy"), os.path.join(tmp, "out.npy")
            np.save(xin, X)
            env = dict(os.environ,
                       PYTHONPATH=os.path.dirname(os.path.dirname(mixture.__file__)))
            out = subprocess.run([sys.executable, "-c", self.CODE, xin, xout], env=env,
                                 capture_output=True, text=True, timeout=300)
            self.assertEqual(out.returncode, 0, out.stderr)
            got = np.load(xout)
        km = mixture.KMeans(3, random_state=0, max_iter=50).fit(X)
        g = mixture.GaussianMixture(3, covariance_type="diag", random_state=0).fit(X)
        b = mixture.BernoulliMixture(2, random_state=0).fit(X)
        np.testing.assert_array_equal(got, np.concatenate(
            [km.cluster_centers_.ravel(), km.transform(X).ravel(), g.means_.ravel(),
             g.score_samples(X), b.probs_.ravel()]))


class _MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in (
        "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks",
        "fordblks", "keepcost")]


def _malloc_in_use():
    """Bytes allocated by malloc and not freed (glibc's mallinfo2): what the
    library and NumPy hold, to the byte, unlike the resident size, which a
    leak first hides in memory freed earlier."""
    libc = ctypes.CDLL(None)
    mallinfo2 = getattr(libc, "mallinfo2", None)
    if mallinfo2 is None:
        return None
    mallinfo2.restype = _MallInfo2
    in_use = lambda: mallinfo2().uordblks + mallinfo2().hblkhd  # noqa: E731
    before = in_use()
    probe = np.ones(1 << 20)  # 8 MB from malloc: seen, unless malloc is replaced
    seen = in_use() - before >= probe.nbytes
    return in_use if seen else None


@unittest.skipUnless(HAVE_NUMPY and _malloc_in_use() is not None,
                     "NumPy is absent, or malloc's statistics are not glibc's (a sanitizer's "
                     "allocator): the leak test needs glibc's mallinfo2")
class Handles(unittest.TestCase):
    """Handles are freed when an estimator is refitted or dropped: over
    10,000 fits of each estimator (new estimators and refits, each also
    predicting) the count of live handles comes back to where it was and
    the bytes malloc holds do not grow. The sensitivity is measured too:
    1,000 handles of each kind kept alive hold more than a ninth of the
    bound, so 9,000 leaked ones would fail the test."""

    FITS = 10000
    BOUND = 64 << 10  # bytes of malloc growth allowed past the warm-up
    MAKERS = (lambda: mixture.KMeans(3, n_init=1, random_state=0),
              lambda: mixture.GaussianMixture(3, random_state=0),
              lambda: mixture.BernoulliMixture(3, random_state=0))

    def setUp(self):
        self.in_use = _malloc_in_use()
        self.X = np.random.default_rng(3).normal(size=(60, 4))

    def growth(self, make):
        before = _lib.live_handles()
        for i in range(1000):  # warm-up: allocator pools, NumPy's caches
            make().fit(self.X)
        used = self.in_use()
        refit = make()
        for i in range(self.FITS - 1000):
            est = make().fit(self.X) if i % 2 else refit.fit(self.X)
            est.predict(self.X)
        del est, refit
        self.assertEqual(_lib.live_handles(), before)
        return self.in_use() - used

    def test_no_leak_over_10000_fits(self):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for make in self.MAKERS:
                name = type(make()).__name__
                growth = self.growth(make)
                print("handles: %d fits of %s, malloc in use %+d bytes after the warm-up"
                      % (self.FITS, name, growth), file=sys.stderr)
                self.assertLess(growth, self.BOUND, name)

    def test_the_measure_sees_a_leak(self):
        for make in self.MAKERS:
            used = self.in_use()
            kept = [make().fit(self.X)._model for _ in range(1000)]
            cost = self.in_use() - used
            del kept
            self.assertGreater(cost * 9, self.BOUND, type(make()).__name__)

    def test_refit_frees_the_old_handle(self):
        X = data(5)
        before = _lib.live_handles()["gmm"]
        g = mixture.GaussianMixture(2, random_state=0).fit(X)
        h = weakref.ref(g._model)
        g.fit(X)
        self.assertIsNone(h())  # freed at once, not by the garbage collector
        self.assertEqual(_lib.live_handles()["gmm"], before + 1)
        del g
        self.assertEqual(_lib.live_handles()["gmm"], before)


if __name__ == "__main__":
    unittest.main()
