"""Clustering metrics with scikit-learn's names, arguments and results
(sklearn.metrics), computed by the library: equal to scikit-learn 1.2's
functions to 1e-12 relative, or to their own rounding error where it is
larger (tests/python/test_metrics_parity.py).

Labels may be any values (ints of any size and sign, strings): they are
coded 0..m-1 before the library sees them, as scikit-learn does.
"""
import numpy as np

from . import _lib
from ._validation import as_labels, as_rows, random_state_of

__all__ = ["rand_score", "adjusted_rand_score", "normalized_mutual_info_score",
           "adjusted_mutual_info_score", "silhouette_score", "calinski_harabasz_score",
           "davies_bouldin_score"]


def _pair(name, labels_true, labels_pred):
    """mix_<name>(a, b, n, &out); 1.0 for two empty labelings, as
    scikit-learn."""
    a = as_labels(labels_true, "labels_true")
    b = as_labels(labels_pred, "labels_pred")
    if a.shape != b.shape:
        raise ValueError("labels_true and labels_pred must have the same length: %d and %d"
                         % (a.shape[0], b.shape[0]))
    if a.shape[0] == 0:
        return 1.0
    out = np.empty(1)
    _lib.check(getattr(_lib.lib, "mix_" + name)(a.ctypes.data, b.ctypes.data, a.shape[0],
                                                out.ctypes.data))
    return float(out[0])


def _arithmetic(average_method):
    if average_method != "arithmetic":
        raise ValueError("average_method %r: the library computes the 'arithmetic' mean of "
                         "the entropies only" % (average_method,))


def rand_score(labels_true, labels_pred):
    """Rand index: the fraction of pairs of items both labelings classify
    alike."""
    return _pair("rand_index", labels_true, labels_pred)


def adjusted_rand_score(labels_true, labels_pred):
    """Adjusted Rand index: 1 for identical partitions, about 0 for
    independent ones."""
    return _pair("adjusted_rand_index", labels_true, labels_pred)


def normalized_mutual_info_score(labels_true, labels_pred, *, average_method="arithmetic"):
    """Normalized mutual information (average_method "arithmetic" only)."""
    _arithmetic(average_method)
    return _pair("normalized_mutual_info", labels_true, labels_pred)


def adjusted_mutual_info_score(labels_true, labels_pred, *, average_method="arithmetic"):
    """Adjusted mutual information (average_method "arithmetic" only)."""
    _arithmetic(average_method)
    return _pair("adjusted_mutual_info", labels_true, labels_pred)


def _rows_and_labels(name, X, labels, sample_size=None, random_state=None):
    """mix_<name>(X, n, d, labels, &out)."""
    X64, _ = as_rows(X, name)
    codes = as_labels(labels, "labels")
    if codes.shape[0] != X64.shape[0]:
        raise ValueError("Found input variables with inconsistent numbers of samples: [%d, %d]"
                         % (X64.shape[0], codes.shape[0]))
    if sample_size is not None:  # scikit-learn's subsample, draw for draw
        keep = random_state_of(random_state).permutation(X64.shape[0])[:sample_size]
        X64, codes = np.ascontiguousarray(X64[keep]), np.ascontiguousarray(codes[keep])
    out = np.empty(1)
    _lib.check(getattr(_lib.lib, "mix_" + name)(X64.ctypes.data, X64.shape[0], X64.shape[1],
                                                codes.ctypes.data, out.ctypes.data))
    return float(out[0])


def silhouette_score(X, labels, *, metric="euclidean", sample_size=None, random_state=None,
                     **kwds):
    """Mean silhouette coefficient, Euclidean distances computed exactly
    (metric "euclidean" only); sample_size draws the same rows as
    scikit-learn for the same random_state."""
    if metric != "euclidean" or kwds:
        raise ValueError("metric %r: the library computes Euclidean distances only"
                         % (metric,))
    return _rows_and_labels("silhouette_score", X, labels, sample_size, random_state)


def calinski_harabasz_score(X, labels):
    """Calinski-Harabasz index (variance ratio criterion)."""
    return _rows_and_labels("calinski_harabasz", X, labels)


def davies_bouldin_score(X, labels):
    """Davies-Bouldin index."""
    return _rows_and_labels("davies_bouldin", X, labels)
