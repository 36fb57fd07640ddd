"""libmixture for Python: K-means, Gaussian and Bernoulli mixtures with
scikit-learn's interface, over the C library through ctypes (NumPy only).

    from mixture import KMeans
    km = KMeans(n_clusters=3, random_state=0).fit(X)
    km.cluster_centers_, km.labels_, km.predict(X_new)

The estimators follow scikit-learn 1.2 (parameters, defaults, fitted
attributes, methods) and work with scikit-learn where it is installed
(clone, Pipeline, GridSearchCV) and without it. The library is found
through $MIXTURE_LIBRARY, then next to the package, then the system loader.
"""
from ._lib import (MixtureError, MixtureMemoryError, MixtureRuntimeError, MixtureValueError,
                   Status, version as library_version)
from ._lib import path as library_path
from ._version import __version__
from ._validation import ConvergenceWarning, NotFittedError
from ._kmeans import KMeans
from ._mixtures import BernoulliMixture, GaussianMixture
from . import metrics

__all__ = ["KMeans", "GaussianMixture", "BernoulliMixture", "metrics", "MixtureError",
           "MixtureValueError", "MixtureRuntimeError", "MixtureMemoryError", "Status",
           "NotFittedError", "ConvergenceWarning", "library_version", "library_path",
           "__version__"]
