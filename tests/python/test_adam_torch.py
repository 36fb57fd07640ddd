"""The likelihood's gradient and gradient fitting, through the package,
against PyTorch autograd
and torch.optim.Adam (Debian's python3-torch; skipped with a message where
it is absent).

- gradient: mix_gmm_nll_grad equals autograd's for every covariance type,
  d in {1, 2, 5, 16}, k in {1, 3, 8}, with and without sample weights, to
  1e-10 relative (max abs difference / max abs reference);
- trajectories: 50 full-batch Adam epochs from the same theta give the same
  parameters and per-epoch losses as torch.optim.Adam to 1e-8 relative, for
  mixtures (every type) and for K-means.

Figures are printed to stderr so that `make check` shows them.
"""
import sys
import unittest
import warnings

try:
    import numpy as np
    import torch  # noqa: F401
    import torch_reference as ref
    import mixture
    HAVE_TORCH = True
except ImportError:
    HAVE_TORCH = False

COVARIANCE_CODE = {"full": 0, "tied": 1, "diag": 2, "spherical": 3}  # mix_covariance

TYPES = ("full", "tied", "diag", "spherical")
GRAD_TOL = 1e-10
TRAJ_TOL = 1e-8


def rel(a, b):
    return float(np.max(np.abs(np.asarray(a) - np.asarray(b)))) / max(
        float(np.max(np.abs(b))), 1e-300)


def data(rng, n, d, weighted):
    X = rng.normal(size=(n, d)) * 2 + rng.integers(0, 3, size=(n, 1)) * 3.0 + 5
    w = rng.uniform(0.2, 2, size=n) if weighted else None
    return X, w


@unittest.skipUnless(HAVE_TORCH, "PyTorch is absent (apt-get install python3-torch)")
class GradientParity(unittest.TestCase):
    def test_gradient_equals_autograd(self):
        rng = np.random.default_rng(1)
        for cov_name in TYPES:
            cov = COVARIANCE_CODE[cov_name]
            worst = 0.0
            for d in (1, 2, 5, 16):
                for k in (1, 3, 8):
                    for weighted in (False, True):
                        X, w = data(rng, 300, d, weighted)
                        theta = ref.random_theta(rng, X, k, d, cov)
                        g = mixture.GaussianMixture(k, covariance_type=cov_name)
                        nll, grad = g.nll_grad(X, theta, w)
                        nll_only, none = g.nll_grad(X, theta, w, grad=False)
                        tn, tg = ref.gmm_nll_grad(theta, X, w, k, d, cov)
                        self.assertIsNone(none)
                        self.assertEqual(nll, nll_only)
                        r = max(abs(nll - tn) / abs(tn), rel(grad, tg))
                        worst = max(worst, r)
                        self.assertLessEqual(r, GRAD_TOL, f"{cov_name} d={d} k={k} w={weighted}")
            print(f"gradient {cov_name:9s} worst relative difference to autograd {worst:.2e}",
                  file=sys.stderr)


def softmax_normalised(theta, k):
    t = np.array(theta, dtype=float)
    t[:k] -= np.log(np.exp(t[:k] - t[:k].max()).sum()) + t[:k].max()
    return t


@unittest.skipUnless(HAVE_TORCH, "PyTorch is absent (apt-get install python3-torch)")
class TrajectoryParity(unittest.TestCase):
    def test_gmm_adam_equals_torch(self):
        rng = np.random.default_rng(2)
        for cov_name in TYPES:
            cov = COVARIANCE_CODE[cov_name]
            worst = 0.0
            for d, k in ((1, 1), (2, 3), (5, 3), (3, 8)):
                for weighted in (False, True):
                    X, w = data(rng, 200, d, weighted)
                    objs = []
                    # a warm start from the model theta describes
                    g = mixture.GaussianMixture(
                        k, covariance_type=cov_name, max_iter=50, tol=0, method="adam",
                        warm_start=True, callback=lambda run, it, obj, ch: objs.append(obj))
                    g.set_theta(ref.random_theta(rng, X, k, d, cov), d)
                    theta0 = g.theta_  # what the fit starts from, exactly
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore", mixture.ConvergenceWarning)
                        g.fit(X, sample_weight=w)
                    theta = g.theta_
                    self.assertEqual(g.n_iter_, 50)
                    self.assertFalse(g.converged_)
                    tt, losses = ref.gmm_adam(theta0, X, w, k, d, cov, 50)
                    W = len(X) if w is None else w.sum()
                    r = max(rel(softmax_normalised(theta, k), softmax_normalised(tt, k)),
                            rel(np.array(objs), -losses / W))
                    worst = max(worst, r)
                    self.assertLessEqual(r, TRAJ_TOL, f"{cov_name} d={d} k={k} w={weighted}")
            print(f"Adam 50 epochs {cov_name:9s} worst relative difference to torch {worst:.2e}",
                  file=sys.stderr)

    def test_kmeans_adam_equals_torch(self):
        rng = np.random.default_rng(3)
        worst = 0.0
        for d in (1, 2, 5, 16):
            for k in (1, 3, 8):
                for weighted in (False, True):
                    X, w = data(rng, 300, d, weighted)
                    C0 = X[rng.choice(len(X), k, replace=False)] + 0.3
                    objs = []
                    km = mixture.KMeans(k, init=C0, n_init=1, max_iter=50, tol=0, method="adam",
                                        callback=lambda run, it, obj, ch: objs.append(obj))
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore", mixture.ConvergenceWarning)
                        km.fit(X, sample_weight=w)
                    C = km.cluster_centers_
                    tc, losses = ref.kmeans_adam(C0, X, w, 50)
                    r = max(rel(C, tc), rel(np.array(objs), losses))
                    worst = max(worst, r)
                    self.assertLessEqual(r, TRAJ_TOL, f"d={d} k={k} w={weighted}")
        print(f"K-means Adam 50 epochs worst relative difference to torch {worst:.2e}",
              file=sys.stderr)


if __name__ == "__main__":
    unittest.main()
