"""The package's KMeans.partial_fit (mix_kmeans_partial_fit) against
scikit-learn 1.2's MiniBatchKMeans.partial_fit (reassignment_ratio=0), from the same initial
centers, chunk after chunk: centers to 1e-10 relative, labels identical,
inertia to 1e-10 relative; with and without sample weights; and after a
full fit. Both run the same update in the same order of operations, so the
differences seen are 0 or a few ulps.

Run as the other parity suites (see test_kmeans_parity.py); without
scikit-learn every test is skipped, never failed.
"""
import sys
import unittest
import warnings

try:
    import numpy as np
    from sklearn.cluster import MiniBatchKMeans
    from sklearn.datasets import make_blobs
    HAVE_SKLEARN = True
except ImportError:
    HAVE_SKLEARN = False

if HAVE_SKLEARN:
    import mixture

REL_TOL = 1e-10


def rel(a, b):
    return float(np.max(np.abs(a - b)) / max(np.max(np.abs(b)), 1e-300))


@unittest.skipUnless(HAVE_SKLEARN, "scikit-learn not installed; apt-get install python3-sklearn")
class PartialFitParity(unittest.TestCase):
    def run_stream(self, X, k, chunk, weights=None, seed=0):
        rng = np.random.RandomState(seed)
        init = X[rng.choice(len(X), k, replace=False)]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            sk = MiniBatchKMeans(n_clusters=k, init=init, n_init=1, reassignment_ratio=0,
                                 random_state=0)
        ours = mixture.KMeans(k, init=init, n_init=1)
        worst = 0.0
        for start in range(0, len(X), chunk):
            xb = X[start:start + chunk]
            wb = None if weights is None else weights[start:start + chunk]
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                sk.partial_fit(xb, sample_weight=wb)
            ours.partial_fit(xb, sample_weight=wb)
            worst = max(worst, rel(ours.cluster_centers_, sk.cluster_centers_))
            self.assertLessEqual(rel(ours.cluster_centers_, sk.cluster_centers_), REL_TOL)
            np.testing.assert_array_equal(ours.labels_, sk.labels_)
            self.assertLessEqual(abs(ours.inertia_ - sk.inertia_), REL_TOL * sk.inertia_)
        self.assertEqual(ours.n_iter_, sk.n_steps_)
        return worst

    def test_blobs_chunks(self):
        figures = []
        for k, d, chunk in ((3, 2, 100), (8, 5, 1000), (5, 20, 37)):
            X, _ = make_blobs(n_samples=5000, n_features=d, centers=k, random_state=k)
            figures.append((k, d, chunk, self.run_stream(X, k, chunk)))
        for k, d, chunk, worst in figures:
            print("partial_fit k=%d d=%d chunk=%d: centers max rel diff %.1e"
                  % (k, d, chunk, worst), file=sys.stderr)

    def test_weighted(self):
        X, _ = make_blobs(n_samples=3000, n_features=3, centers=4, random_state=1)
        w = np.random.RandomState(2).uniform(0.1, 3.0, len(X))
        w[::17] = 0.0
        self.run_stream(X, 4, 250, weights=w)

    def test_continues_after_fit(self):
        """After a full fit the cluster weights of the fit count as W."""
        X, _ = make_blobs(n_samples=2000, n_features=2, centers=3, random_state=5)
        km = mixture.KMeans(3, random_state=1)
        km.fit(X[:1500])
        c0, labels = km.cluster_centers_, km.labels_
        W = np.bincount(labels, minlength=3).astype(float)
        xb = X[1500:]
        km.partial_fit(xb)
        # the update by hand, in numpy
        lab = np.argmin(((xb[:, None, :] - c0[None]) ** 2).sum(-1), axis=1)
        want = c0.copy()
        for j in range(3):
            if np.any(lab == j):
                want[j] = (c0[j] * W[j] + xb[lab == j].sum(0)) / (W[j] + np.sum(lab == j))
        self.assertLessEqual(rel(km.cluster_centers_, want), 1e-12)

    def test_first_chunk_too_small(self):
        km = mixture.KMeans(4)
        with self.assertRaisesRegex(ValueError, "n_samples=3 should be >= n_clusters=4"):
            km.partial_fit(np.zeros((3, 2)))
        # fewer than k rows of positive weight: the library's check
        with self.assertRaises(mixture.MixtureValueError) as cm:
            km.partial_fit(np.arange(10.0).reshape(5, 2), sample_weight=[1, 1, 1, 0, 0])
        self.assertEqual(cm.exception.code, mixture.Status.EDIM)
        self.assertNotIn("_model", vars(km))

    def test_features_checked_after_the_first_chunk(self):
        X, _ = make_blobs(n_samples=200, n_features=3, centers=3, random_state=6)
        km = mixture.KMeans(3, random_state=0).partial_fit(X[:100])
        self.assertEqual(km.n_features_in_, 3)
        with self.assertRaisesRegex(ValueError, "X has 2 features, but KMeans is expecting 3"):
            km.partial_fit(X[100:, :2])


if __name__ == "__main__":
    unittest.main()
