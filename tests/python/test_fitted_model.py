"""Queries and results of a fitted estimator come from the fitted model, not
from constructor parameters changed by set_params since the fit: every
buffer the library writes and every array copied out of it is sized by the
model (its k, d and covariance type, asked of the handle), as scikit-learn's
estimators answer from their fitted attributes. partial_fit on a model whose
shape-defining parameters changed raises ValueError (scikit-learn's
partial_fit does not support them changing); a full fit refits with the new
parameters. Needs NumPy only.
"""
import unittest
import warnings

try:
    import numpy as np
    import mixture
    HAVE_NUMPY = True
except ImportError:
    HAVE_NUMPY = False

SKIP_MSG = "NumPy is absent (apt-get install python3-numpy)"


def data(seed=0, n=240, d=3, k=4):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, d)) + np.repeat(rng.normal(scale=8, size=(k, d)), n // k, 0)


@unittest.skipUnless(HAVE_NUMPY, SKIP_MSG)
class KMeansParamsChangedAfterFit(unittest.TestCase):
    def setUp(self):
        self.X = data()
        self.km = mixture.KMeans(8, n_init=1, random_state=0).fit(self.X)
        self.D = self.km.transform(self.X)
        self.centers = self.km.cluster_centers_.copy()

    def test_queries_use_the_fitted_model(self):
        km = self.km.set_params(n_clusters=2)
        D = km.transform(self.X)
        self.assertEqual(D.shape, (len(self.X), 8))
        np.testing.assert_array_equal(D, self.D)
        np.testing.assert_array_equal(km.predict(self.X), self.D.argmin(axis=1))
        self.assertEqual(len(km.get_feature_names_out()), 8)
        km.set_params(n_clusters=50)
        self.assertEqual(km.transform(self.X).shape, (len(self.X), 8))
        self.assertEqual(len(km.get_feature_names_out()), 8)

    def test_partial_fit_refuses_a_changed_n_clusters(self):
        for after_partial in (False, True):
            km = self.km
            if after_partial:
                km = mixture.KMeans(8, n_init=1, random_state=0).partial_fit(self.X)
            centers = km.cluster_centers_.copy()
            for k in (2, 50):
                km.set_params(n_clusters=k)
                with self.assertRaisesRegex(ValueError, "n_clusters"):
                    km.partial_fit(self.X)
                np.testing.assert_array_equal(km.cluster_centers_, centers)
            km.set_params(n_clusters=8).partial_fit(self.X)  # the same k continues
            self.assertEqual(km.cluster_centers_.shape, (8, 3))

    def test_fit_refits_with_the_new_n_clusters(self):
        km = self.km.set_params(n_clusters=2).fit(self.X)
        self.assertEqual(km.cluster_centers_.shape, (2, 3))
        self.assertEqual(km.transform(self.X).shape, (len(self.X), 2))
        self.assertEqual(len(km.get_feature_names_out()), 2)
        km.partial_fit(self.X)  # continues the new model

        self.assertEqual(km.cluster_centers_.shape, (2, 3))


@unittest.skipUnless(HAVE_NUMPY, SKIP_MSG)
class MixtureParamsChangedAfterFit(unittest.TestCase):
    def setUp(self):
        self.X = data(1)

    def test_gmm_queries_use_the_fitted_model(self):
        g = mixture.GaussianMixture(3, covariance_type="spherical", random_state=0).fit(self.X)
        P, logp = g.predict_proba(self.X), g.score_samples(self.X)
        for k, cov in ((1, "spherical"), (6, "full"), (3, "full")):
            g.set_params(n_components=k, covariance_type=cov)
            np.testing.assert_array_equal(g.predict_proba(self.X), P)
            np.testing.assert_array_equal(g.score_samples(self.X), logp)
            X, y = g.sample(30)
            self.assertEqual(X.shape, (30, 3))
            self.assertLess(y.max(), 3)

    def test_gmm_partial_fit_refuses_changed_shape_params(self):
        for first in ("fit", "partial_fit"):
            g = mixture.GaussianMixture(3, covariance_type="spherical", random_state=0)
            getattr(g, first)(self.X)
            cov = g.covariances_.copy()
            for change in (dict(covariance_type="full"), dict(n_components=2),
                           dict(n_components=8, covariance_type="tied")):
                g.set_params(**change)
                with self.assertRaisesRegex(ValueError, "partial_fit"):
                    g.partial_fit(self.X)
                g.set_params(n_components=3, covariance_type="spherical")
                np.testing.assert_array_equal(g.covariances_, cov)
                self.assertEqual(g.covariances_.shape, (3,))
            g.partial_fit(self.X)  # the model's own parameters continue
            self.assertEqual(g.covariances_.shape, (3,))

    def test_gmm_fit_refits_with_the_new_params(self):
        for warm in (False, True):
            g = mixture.GaussianMixture(3, covariance_type="spherical", warm_start=warm,
                                        random_state=0).fit(self.X)
            g.set_params(n_components=2, covariance_type="full").fit(self.X)
            self.assertEqual(g.covariances_.shape, (2, 3, 3))
            self.assertEqual(g.predict_proba(self.X).shape, (len(self.X), 2))
            g.partial_fit(self.X)
            self.assertEqual(g.precisions_.shape, (2, 3, 3))

    def test_gmm_warm_start_keeps_the_handle_when_nothing_changed(self):
        g = mixture.GaussianMixture(3, warm_start=True, random_state=0).fit(self.X)
        h = g._model
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            g.set_params(max_iter=2).fit(self.X)
        self.assertIs(g._model, h)
        g.set_params(n_components=2).fit(self.X)
        self.assertIsNot(g._model, h)

    def test_bmm_queries_use_the_fitted_model(self):
        B = (self.X > 0).astype(float)
        b = mixture.BernoulliMixture(3, random_state=0).fit(B)
        P = b.predict_proba(B)
        b.set_params(n_components=1)
        np.testing.assert_array_equal(b.predict_proba(B), P)
        b.set_params(n_components=7)
        np.testing.assert_array_equal(b.predict_proba(B), P)
        b.fit(B)
        self.assertEqual(b.predict_proba(B).shape, (len(B), 7))
        self.assertEqual(b.probs_.shape, (7, 3))

    def test_loaded_and_unpickled_models_too(self):
        import pickle
        g = mixture.GaussianMixture(2, covariance_type="diag", random_state=0).fit(self.X)
        P = g.predict_proba(self.X)
        for est in (pickle.loads(pickle.dumps(g)), mixture.GaussianMixture.from_bytes(
                g.to_bytes())):
            est.set_params(n_components=5, covariance_type="full")
            np.testing.assert_array_equal(est.predict_proba(self.X), P)
            with self.assertRaises(ValueError):
                est.partial_fit(self.X)


if __name__ == "__main__":
    unittest.main()
