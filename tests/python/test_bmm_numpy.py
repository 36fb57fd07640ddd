"""The package's BernoulliMixture against an independent NumPy EM
(bmm_reference.py):
from the same weights and probabilities, after a fixed number of EM
iterations (tol 0), every quantity agrees to 1e-10 relative: weights,
probabilities, the lower bound, and on new rows the responsibilities,
log-likelihoods, labels, BIC and AIC; with and without sample weights,
for alpha = 0 and alpha > 0. Needs NumPy only."""
import sys
import unittest
import warnings

try:
    import numpy as np
    import bmm_reference as ref
    import mixture
    HAVE_NUMPY = True
except ImportError:
    HAVE_NUMPY = False

TOL = 1e-10


def rel(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    return float(np.max(np.abs(a - b))) / max(float(np.max(np.abs(b))), 1e-300)


@unittest.skipUnless(HAVE_NUMPY, "NumPy is absent")
class NumpyParity(unittest.TestCase):
    def test_em_from_same_start(self):
        rng = np.random.default_rng(12)
        worst = 0.0
        cases = 0
        for n, d, k in ((200, 8, 2), (500, 20, 4), (300, 64, 10), (60, 3, 5)):
            X, _ = ref.binary_data(rng, n, d, k)
            Y, _ = ref.binary_data(rng, 50, d, k)
            for alpha in (0.0, 0.5, 1.0):
                for weighted in (False, True):
                    sw = rng.uniform(0.2, 3, size=n) if weighted else None
                    w0 = rng.dirichlet(np.ones(k))
                    p0 = rng.uniform(0.2, 0.8, size=(k, d))
                    iters = 15
                    ew, ep, elb = ref.em(X, w0, p0, iters, alpha, sw)
                    b = mixture.BernoulliMixture(k, max_iter=iters, tol=0, alpha=alpha,
                                                 binarize=None, weights_init=w0, probs_init=p0)
                    fit(b, X, sw)
                    self.assertEqual(b.n_iter_, iters)
                    got = [b.weights_, b.probs_, b.lower_bound_]
                    ll, r = ref.e_step(Y, ew, ep)
                    out = [b.predict_proba(Y), b.score_samples(Y)]
                    labels = b.predict(Y)
                    bic, aic = b.bic(Y), b.aic(Y)
                    p = k - 1 + k * d
                    expect = [ew, ep, elb]
                    r_all = [rel(g, e) for g, e in zip(got + out, expect + [r, ll])]
                    r_all += [rel(bic, -2 * ll.sum() + p * np.log(len(Y))),
                              rel(aic, -2 * ll.sum() + 2 * p)]
                    worst = max(worst, max(r_all))
                    cases += 1
                    self.assertLessEqual(max(r_all), TOL, f"n={n} d={d} k={k} alpha={alpha} "
                                         f"weighted={weighted}: {r_all}")
                    np.testing.assert_array_equal(labels, np.argmax(r, 1))
        print(f"Bernoulli EM vs NumPy: {cases} cases, worst relative difference {worst:.2e}",
              file=sys.stderr)

    def test_impossible_rows_with_alpha_zero(self):
        """A probability of exactly 0: a row with that bit set scores -inf
        (never NaN) and gets the weights as its responsibilities."""
        # the model is the given one (0 iterations, on rows it allows)
        b = mixture.BernoulliMixture(2, max_iter=0, alpha=0.0, binarize=None,
                                     weights_init=[0.25, 0.75], probs_init=[[0.0, 0.5], [0.0, 0.9]])
        fit(b, np.array([[0.0, 1.0], [0.0, 0.0], [0.0, 1.0]]))
        Y = np.array([[1.0, 1.0], [0.0, 1.0]])
        lp = b.score_samples(Y)
        self.assertEqual(lp[0], -np.inf)
        self.assertAlmostEqual(lp[1], np.log(0.25 * 0.5 + 0.75 * 0.9), places=14)
        np.testing.assert_array_equal(b.predict_proba(Y)[0], [0.25, 0.75])
        self.assertEqual(b.predict(Y)[0], 0)

    def test_integer_weights_are_repeated_rows(self):
        rng = np.random.default_rng(5)
        X, _ = ref.binary_data(rng, 100, 6, 3)
        sw = rng.integers(1, 4, size=100).astype(float)
        XX = np.repeat(X, sw.astype(int), axis=0)
        w0, p0 = np.full(3, 1 / 3), rng.uniform(0.2, 0.8, size=(3, 6))
        a, b = (mixture.BernoulliMixture(3, max_iter=20, tol=0, weights_init=w0, probs_init=p0)
                for _ in range(2))
        fit(a, X, sw)
        fit(b, XX)
        self.assertLessEqual(rel(a.probs_, b.probs_), 1e-12)
        self.assertLessEqual(rel(a.weights_, b.weights_), 1e-12)

    def test_binarize(self):
        """binarize=t is the fit of (X > t); None refuses values other than
        0 and 1 with the library's message."""
        rng = np.random.default_rng(8)
        Z = rng.normal(size=(80, 5))
        p0 = rng.uniform(0.2, 0.8, size=(2, 5))
        a = fit(mixture.BernoulliMixture(2, binarize=0.3, probs_init=p0, random_state=1), Z)
        b = fit(mixture.BernoulliMixture(2, binarize=None, probs_init=p0, random_state=1), (Z > 0.3) * 1.0)
        np.testing.assert_array_equal(a.probs_, b.probs_)
        np.testing.assert_array_equal(a.predict(Z), b.predict(Z > 0.3))
        with self.assertRaises(mixture.MixtureValueError) as cm:
            mixture.BernoulliMixture(2, binarize=None).fit(Z)
        self.assertEqual(cm.exception.code, mixture.Status.EDATA)
        self.assertIn("X[0][0]", str(cm.exception))


def fit(b, X, sample_weight=None):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", mixture.ConvergenceWarning)  # tol = 0
        return b.fit(X, sample_weight=sample_weight)


if __name__ == "__main__":
    unittest.main()
