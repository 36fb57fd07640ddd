"""libmixture from Python: the package `mixture`, scikit-learn's interface.

From the libmixture sources, after `make python`:
    PYTHONPATH=python python3 examples/python/iris.py
(after `make install`, or `pip install ./python` with the library
installed, plain `python3 examples/python/iris.py`). NumPy only.
"""
import os

import numpy as np

import mixture
from mixture.metrics import adjusted_rand_score

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "data")


def load(name):
    """A CSV of examples/data: a header, numeric columns, maybe a last
    column of names."""
    rows = [line.strip().split(",") for line in open(os.path.join(DATA, name))][1:]
    if rows[0][-1].replace(".", "").isdigit():
        return np.array(rows, dtype=float), None
    return np.array([r[:-1] for r in rows], dtype=float), np.array([r[-1] for r in rows])


X, species = load("iris.csv")
print("libmixture %s through %s; iris: %d flowers, %d measures"
      % (mixture.library_version(), mixture.library_path, *X.shape))

# K-means, as scikit-learn's KMeans
km = mixture.KMeans(n_clusters=3, random_state=0).fit(X)
print("K-means: inertia %.3f after %d iterations; adjusted Rand index with the species %.3f"
      % (km.inertia_, km.n_iter_, adjusted_rand_score(species, km.labels_)))

# Gaussian mixtures: the number of components and the covariance type by BIC
best = min((mixture.GaussianMixture(k, covariance_type=cov, n_init=3, random_state=0).fit(X)
            for k in range(1, 6) for cov in ("full", "tied", "diag", "spherical")),
           key=lambda g: g.bic(X))
print("Gaussian mixture with the lowest BIC: %d components, %s covariances, BIC %.2f; "
      "adjusted Rand index with the species %.3f"
      % (best.n_components, best.covariance_type, best.bic(X),
         adjusted_rand_score(species, best.predict(X))))
print("weights %s" % np.round(best.weights_, 3))

# A Bernoulli mixture on the digits, each pixel above 8 (of 16) on
D = load("digits.csv")[0]
pixels, digits = D[:, :-1], D[:, -1].astype(int)
bmm = mixture.BernoulliMixture(10, binarize=8, n_init=3, random_state=0).fit(pixels)
print("Bernoulli mixture of 10 on %d digits: mean log-likelihood %.2f; adjusted Rand index "
      "with the digits %.3f" % (len(digits), bmm.score(pixels),
                                adjusted_rand_score(digits, bmm.predict(pixels))))
