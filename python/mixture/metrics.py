"""Comparing partitions, with scikit-learn's function names and results.

Labels may be any values (ints of any size and sign, strings): they are
coded 0..m-1 before the library sees them, as scikit-learn does.
"""
import numpy as np

from . import _lib
from ._validation import as_labels

__all__ = ["adjusted_rand_score"]


def _pair(labels_true, labels_pred):
    a = as_labels(labels_true, "labels_true")
    b = as_labels(labels_pred, "labels_pred")
    if a.shape != b.shape:
        raise ValueError("labels_true and labels_pred must have the same length: %d and %d"
                         % (a.shape[0], b.shape[0]))
    return a, b


def adjusted_rand_score(labels_true, labels_pred):
    """Adjusted Rand index of two labelings (mix_adjusted_rand_index): 1 for
    identical partitions, about 0 for independent ones."""
    a, b = _pair(labels_true, labels_pred)
    if a.shape[0] == 0:
        return 1.0  # scikit-learn's value for two empty labelings
    out = np.empty(1)
    _lib.check(_lib.lib.mix_adjusted_rand_index(a.ctypes.data, b.ctypes.data, a.shape[0],
                                                out.ctypes.data))
    return float(out[0])
