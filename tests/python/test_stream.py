"""The package's streamed and incremental fits.

- fit_stream (mix_*_fit_stream) equals fit on the rows concatenated, bit for
  bit, for the three estimators, whatever the chunks' sizes, with weights,
  from a list or a generator function; float32 chunks give float32; the
  source's own errors propagate; an iterator (one pass only) is refused.
- GaussianMixture.partial_fit (mix_gmm_partial_fit) follows stepwise EM
  written here in NumPy (Cappe and Moulines 2009, as include/mixture.h
  describes it) step by step, to 1e-10, for the four covariance types, with
  and without weights. KMeans.partial_fit is in test_partial_fit.py.
Needs NumPy only.
"""
import sys
import unittest
import warnings

try:
    import numpy as np
    import mixture
    HAVE_NUMPY = True
except ImportError:
    HAVE_NUMPY = False

SKIP_MSG = "NumPy is absent (apt-get install python3-numpy)"


def rel(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    return float(np.max(np.abs(a - b))) / max(float(np.max(np.abs(b))), 1e-300)


def blobs(rng, n, d=3, k=3):
    centers = rng.normal(scale=5, size=(k, d))
    return centers[rng.integers(0, k, n)] + rng.normal(size=(n, d))


def quiet(fn, *args, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", mixture.ConvergenceWarning)
        return fn(*args, **kw)


@unittest.skipUnless(HAVE_NUMPY, SKIP_MSG)
class FitStream(unittest.TestCase):

    def setUp(self):
        rng = np.random.default_rng(1)
        self.X = blobs(rng, 1500, 4, 3)
        self.w = rng.uniform(0.2, 3, 1500)
        self.estimators = (lambda: mixture.KMeans(3, random_state=0),
                           lambda: mixture.GaussianMixture(3, covariance_type="full",
                                                           random_state=0),
                           lambda: mixture.BernoulliMixture(3, random_state=0))

    def assert_same_model(self, a, b):
        for name in ("cluster_centers_", "inertia_", "n_iter_", "means_", "covariances_",
                     "weights_", "probs_", "lower_bound_", "converged_"):
            if hasattr(a, name):
                np.testing.assert_array_equal(getattr(b, name), getattr(a, name), name)
        np.testing.assert_array_equal(b.predict(self.X), a.predict(self.X))

    def test_equals_fit(self):
        X, w = self.X, self.w
        for make in self.estimators:
            a = quiet(make().fit, X)
            aw = quiet(make().fit, X, sample_weight=w)
            with self.subTest(type(a).__name__):
                for size in (1, 97, 1500):
                    chunks = [X[i:i + size] for i in range(0, len(X), size)]
                    b = quiet(make().fit_stream, chunks)
                    self.assert_same_model(a, b)
                    self.assertFalse(hasattr(b, "labels_"))
                    self.assertEqual(b.n_features_in_, 4)
                # pairs (rows, weights) from a generator function, with empty chunks
                b = quiet(make().fit_stream, lambda: ((X[i:i + 200], w[i:i + 200])
                                                      for i in range(0, 1700, 200)))
                self.assert_same_model(aw, b)

    def test_float32(self):
        X32 = self.X.astype(np.float32)
        for make in self.estimators:
            a = quiet(make().fit, X32)
            b = quiet(make().fit_stream, [X32[:700], X32[700:]])
            c = quiet(make().fit_stream, [X32[:700], self.X[700:]])
            for name in ("cluster_centers_", "means_", "probs_"):
                if hasattr(a, name):
                    self.assertEqual(getattr(b, name).dtype, np.float32)
                    np.testing.assert_array_equal(getattr(b, name), getattr(a, name))
                    self.assertEqual(getattr(c, name).dtype, np.float64)

    def test_sources(self):
        km = mixture.KMeans(3, random_state=0)
        with self.assertRaisesRegex(TypeError, "several times"):
            km.fit_stream(iter([self.X]))
        with self.assertRaisesRegex(ValueError, "no rows"):
            km.fit_stream([])
        with self.assertRaisesRegex(ValueError, "a chunk has 3 features, the first had 4"):
            km.fit_stream([self.X[:500], self.X[500:, :3]])

        class Broken(Exception):
            pass

        def failing():
            yield self.X[:500]
            raise Broken("the disk is gone")
        with self.assertRaisesRegex(Broken, "the disk is gone"):
            km.fit_stream(failing)
        passes = []

        def growing():  # a second pass with more rows than the first
            passes.append(1)
            return [self.X[:500 + 10 * len(passes)]]
        with self.assertRaises(mixture.MixtureValueError) as cm:
            km.fit_stream(growing)
        self.assertEqual(cm.exception.code, mixture.Status.EDATA)
        self.assertNotIn("_model", vars(km))
        with self.assertRaisesRegex(ValueError, "callable init needs the data in memory"):
            mixture.KMeans(3, init=lambda X, k, random_state: X[:k]).fit_stream([self.X])

    def test_callback(self):
        seen = []
        g = mixture.GaussianMixture(3, random_state=0, callback=lambda *a: seen.append(a))
        g.fit_stream([self.X[:800], self.X[800:]])
        self.assertEqual(len(seen), g.n_iter_)
        self.assertEqual(seen[-1][2], g.lower_bound_)


# ---------------------------------------------------------------------------
# Stepwise EM in NumPy
# ---------------------------------------------------------------------------

def full_covariances(cov, cov_type, k, d):
    if cov_type == "full":
        return cov
    if cov_type == "tied":
        return np.repeat(cov[None], k, 0)
    if cov_type == "diag":
        return np.array([np.diag(c) for c in cov])
    return np.array([c * np.eye(d) for c in cov])


def log_resp(X, w, means, covs):
    """(n,) log p(x) and (n, k) responsibilities."""
    k, d = means.shape
    logp = np.empty((len(X), k))
    for j in range(k):
        L = np.linalg.cholesky(covs[j])
        z = np.linalg.solve(L, (X - means[j]).T)
        logp[:, j] = (np.log(w[j]) - 0.5 * (z * z).sum(0) - np.log(np.diag(L)).sum()
                      - 0.5 * d * np.log(2 * np.pi))
    top = logp.max(1, keepdims=True)
    ll = np.log(np.exp(logp - top).sum(1)) + top[:, 0]
    return ll, np.exp(logp - ll[:, None])


def stats_of_model(w, means, cov, cov_type, reg):
    """s for data distributed as the model: weights, first moments, raw
    second moments (the M-step of s gives the model back)."""
    k, d = means.shape
    S = full_covariances(cov, cov_type, k, d) - reg * np.eye(d)
    return w.copy(), w[:, None] * means, w[:, None, None] * (S + means[:, :, None] * means[:, None, :])


def m_step(s, cov_type, reg):
    R, S1, S2 = s
    k, d = S1.shape
    weights = R / R.sum()
    means = S1 / R[:, None]
    C = S2 / R[:, None, None] - means[:, :, None] * means[:, None, :]
    if cov_type == "full":
        cov = C + reg * np.eye(d)
    elif cov_type == "tied":
        cov = (R[:, None, None] * C).sum(0) / R.sum() + reg * np.eye(d)
    elif cov_type == "diag":
        cov = np.array([np.diag(c) for c in C]) + reg
    else:
        cov = np.array([np.trace(c) / d for c in C]) + reg
    return weights, means, cov


@unittest.skipUnless(HAVE_NUMPY, SKIP_MSG)
class GmmPartialFit(unittest.TestCase):

    KAPPA, T0, REG = 0.7, 2.0, 1e-4

    def test_stepwise_em_equals_numpy(self):
        worst = 0.0
        for cov_type in ("full", "tied", "diag", "spherical"):
            for weighted in (False, True):
                with self.subTest(cov_type=cov_type, weighted=weighted):
                    worst = max(worst, self.check(cov_type, weighted))
        print("GaussianMixture.partial_fit vs stepwise EM in NumPy: worst relative "
              "difference %.1e over 4 covariance types, 6 steps each" % worst, file=sys.stderr)

    def check(self, cov_type, weighted):
        rng = np.random.default_rng(7)
        k, d = 3, 3
        X = blobs(rng, 1400, d, k)
        sw = rng.uniform(0.2, 3, len(X)) if weighted else None
        w0 = np.array([0.3, 0.3, 0.4])
        m0 = X[rng.choice(len(X), k, replace=False)]
        cov0 = {"full": np.array([np.eye(d) * 2.0] * k), "tied": np.eye(d) * 2.0,
                "diag": np.full((k, d), 2.0), "spherical": np.full(k, 2.0)}[cov_type]
        prec0 = 1.0 / cov0 if cov_type in ("diag", "spherical") else np.linalg.inv(cov0)
        g = mixture.GaussianMixture(k, covariance_type=cov_type, max_iter=0, reg_covar=self.REG,
                                    weights_init=w0, means_init=m0, precisions_init=prec0,
                                    learning_decay=self.KAPPA, learning_offset=self.T0)
        quiet(g.fit, X[:200])  # the model is the given start
        params = (g.weights_, g.means_, g.covariances_)
        s = stats_of_model(*params, cov_type, self.REG)
        worst = 0.0
        for t, start in enumerate(range(200, 1400, 200), 1):
            xb = X[start:start + 200]
            wb = np.ones(len(xb)) if sw is None else sw[start:start + 200]
            ll, r = log_resp(xb, params[0], params[1], full_covariances(params[2], cov_type, k, d))
            rw = r * wb[:, None] / wb.sum()
            s_hat = (rw.sum(0), rw.T @ xb, np.einsum("ij,ia,ib->jab", rw, xb, xb))
            rho = (t + self.T0) ** -self.KAPPA
            s = tuple((1 - rho) * a + rho * b for a, b in zip(s, s_hat))
            params = m_step(s, cov_type, self.REG)
            g.partial_fit(xb, sample_weight=None if sw is None else wb)
            figures = [rel(g.weights_, params[0]), rel(g.means_, params[1]),
                       rel(g.covariances_, params[2]),
                       rel(g.lower_bound_, (wb * ll).sum() / wb.sum())]
            worst = max(worst, *figures)
            self.assertLessEqual(max(figures), 1e-10, "step %d: %s" % (t, figures))
            self.assertFalse(g.converged_)
        return worst

    def test_first_call_fits_its_chunk(self):
        rng = np.random.default_rng(8)
        X = blobs(rng, 600)
        a = quiet(mixture.GaussianMixture(3, random_state=0).fit, X[:300])
        b = quiet(mixture.GaussianMixture(3, random_state=0).partial_fit, X[:300])
        np.testing.assert_array_equal(a.means_, b.means_)
        with self.assertRaisesRegex(ValueError, "X has 2 features, but GaussianMixture"):
            b.partial_fit(X[300:, :2])
        with self.assertRaisesRegex(ValueError, "n_samples = 2"):
            mixture.GaussianMixture(3).partial_fit(X[:2])


if __name__ == "__main__":
    unittest.main()
