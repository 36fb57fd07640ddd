"""Input checks with NumPy alone, in scikit-learn's words where its tests
read them (check_array's messages, the n_features_in_ message).

What the library checks itself (NaN and infinity with the offending row and
column, option ranges, shapes against the model) is left to it, so that its
message reaches the user. What it cannot check (the shape of a buffer behind
a pointer) is checked here, always, before any pointer is passed.
"""
import numbers
import warnings

import numpy as np

try:
    from sklearn.exceptions import ConvergenceWarning as _SkConvergenceWarning
    from sklearn.exceptions import NotFittedError as _SkNotFittedError
except ImportError:
    class _SkNotFittedError(ValueError, AttributeError):
        pass

    class _SkConvergenceWarning(UserWarning):
        pass


class NotFittedError(_SkNotFittedError):
    """The estimator is used before fit (scikit-learn's NotFittedError where
    scikit-learn is installed, and a ValueError and AttributeError anyway)."""


class ConvergenceWarning(_SkConvergenceWarning):
    """A fit stopped at max_iter (scikit-learn's ConvergenceWarning where it
    is installed)."""


# ---------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------

def _is_sparse(X):
    return type(X).__module__.startswith("scipy.sparse") or hasattr(X, "tocsr")


def feature_names(X):
    """The column names of a data frame when they are all strings, else None
    (scikit-learn's rule: a mix of strings and other types is an error)."""
    columns = getattr(X, "columns", None)
    if columns is None or isinstance(X, np.ndarray):
        return None
    names = np.asarray(list(columns), dtype=object)
    types = sorted({type(c).__qualname__ for c in names})
    if len(types) > 1 and "str" in types:
        raise TypeError("Feature names are only supported if all input features have string "
                        "names, but your input has %s as feature name / column name types. "
                        "Convert them all to strings (X.columns = X.columns.astype(str)) or "
                        "none of them." % types)
    return names if types == ["str"] else None


def check_feature_names(fitted, names, who):
    """scikit-learn's checks of the names of the columns against those seen
    at fit: a warning when only one side has names, an error naming the
    differences otherwise."""
    if fitted is None and names is None:
        return
    if fitted is None or names is None:
        warnings.warn("X has feature names, but %s was fitted without feature names" % who
                      if fitted is None else
                      "X does not have valid feature names, but %s was fitted with feature "
                      "names" % who, UserWarning, stacklevel=4)
        return
    if len(fitted) == len(names) and np.all(fitted == names):
        return

    def listed(values):
        return "".join("- %s\n" % v for v in values[:5]) + ("- ...\n" if len(values) > 5 else "")

    unexpected = sorted(set(names) - set(fitted))
    missing = sorted(set(fitted) - set(names))
    message = "The feature names should match those that were passed during fit.\n"
    if unexpected:
        message += "Feature names unseen at fit time:\n" + listed(unexpected)
    if missing:
        message += "Feature names seen at fit time, yet now missing:\n" + listed(missing)
    if not unexpected and not missing:
        message += "Feature names must be in the same order as they were in fit.\n"
    raise ValueError(message)


def as_rows(X, who, ensure_min_samples=1):
    """X as a C-contiguous float64 (n, d) array, and whether the input was
    float32. A C-contiguous float64 array comes back as it is (no copy);
    anything else is converted once."""
    if _is_sparse(X):
        raise TypeError("A sparse matrix was passed, but dense data is required by %s. "
                        "Use X.toarray() to convert it to a dense numpy array." % who)
    a = X if isinstance(X, np.ndarray) else np.asarray(X)
    if a.dtype.kind == "c":
        raise ValueError("Complex data not supported\n{}\n".format(a))
    if a.ndim != 2:
        if a.ndim > 2:
            raise ValueError("Found array with dim %d. %s expected <= 2." % (a.ndim, who))
        raise ValueError(
            "Expected 2D array, got %s array instead:\narray=%r.\nReshape your data either "
            "using array.reshape(-1, 1) if your data has a single feature or "
            "array.reshape(1, -1) if it contains a single sample."
            % ("scalar" if a.ndim == 0 else "1D", a))
    n, d = a.shape
    if n < ensure_min_samples:
        raise ValueError("Found array with %d sample(s) (shape=%s) while a minimum of %d is "
                         "required by %s." % (n, a.shape, ensure_min_samples, who))
    if d < 1:
        raise ValueError("Found array with 0 feature(s) (shape=%s) while a minimum of 1 is "
                         "required by %s." % (a.shape, who))
    is32 = a.dtype == np.float32
    # dtype=object (numbers in Python objects) converts here, or raises
    # TypeError for what is not a number.
    return np.ascontiguousarray(a, dtype=np.float64), is32


def as_weights(sample_weight, n):
    """None, or n float64 weights (a scalar is repeated)."""
    if sample_weight is None:
        return None
    if isinstance(sample_weight, numbers.Number):
        return np.full(n, float(sample_weight))
    w = np.ascontiguousarray(sample_weight, dtype=np.float64)
    if w.ndim != 1:
        raise ValueError("Sample weights must be 1D array or scalar")
    if w.shape != (n,):
        raise ValueError("sample_weight.shape == {}, expected {}!".format(w.shape, (n,)))
    return w


def as_labels(labels, name):
    """A 1-d label array of any values, as int32 codes 0..m-1 (np.unique's
    inverse), so that strings, negative and huge labels all work."""
    a = np.asarray(labels)
    if a.ndim != 1:
        raise ValueError("%s must be 1D: shape is %r" % (name, a.shape))
    if a.dtype.kind in "iub" and a.size and a.min() >= 0 and a.max() <= np.iinfo(np.int32).max:
        return np.ascontiguousarray(a, dtype=np.int32)
    return np.unique(a, return_inverse=True)[1].astype(np.int32).reshape(-1)


# ---------------------------------------------------------------------------
# Parameters (checked at fit, never in __init__ or set_params)
# ---------------------------------------------------------------------------

def int_param(owner, name, value, low, allow_none=False):
    if value is None and allow_none:
        return None
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise ValueError("The %r parameter of %s must be an int%s. Got %r instead."
                         % (name, owner, " or None" if allow_none else "", value))
    if value < low:
        raise ValueError("The %r parameter of %s must be >= %d. Got %r instead."
                         % (name, owner, low, value))
    return int(value)


def real_param(owner, name, value, low=None):
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise ValueError("The %r parameter of %s must be a float. Got %r instead."
                         % (name, owner, value))
    if low is not None and not value >= low:
        raise ValueError("The %r parameter of %s must be >= %r. Got %r instead."
                         % (name, owner, low, value))
    return float(value)


def choice_param(owner, name, value, choices):
    if not isinstance(value, str) or value not in choices:
        raise ValueError("The %r parameter of %s must be a str among %s. Got %r instead."
                         % (name, owner, sorted(choices), value))
    return choices[value]


def seed_from(random_state):
    """A 64-bit seed for the library from scikit-learn's random_state: an int
    is the seed itself (so random_state=7 is the C user's seed 7); a
    RandomState gives one draw; None draws from NumPy's global RandomState."""
    if random_state is None or random_state is np.random:
        rs = np.random.mtrand._rand
    elif isinstance(random_state, numbers.Integral) and not isinstance(random_state, bool):
        if random_state < 0:
            raise ValueError("random_state must be >= 0, got %d" % random_state)
        return int(random_state) & 0xFFFFFFFFFFFFFFFF
    elif isinstance(random_state, np.random.RandomState):
        rs = random_state
    else:
        raise ValueError("%r cannot be used to seed a numpy.random.RandomState instance"
                         % (random_state,))
    return int(rs.randint(0, 2**63 - 1, dtype=np.int64))


def random_state_of(random_state):
    """scikit-learn's check_random_state."""
    if random_state is None or random_state is np.random:
        return np.random.mtrand._rand
    if isinstance(random_state, numbers.Integral):
        return np.random.RandomState(random_state)
    if isinstance(random_state, np.random.RandomState):
        return random_state
    raise ValueError("%r cannot be used to seed a numpy.random.RandomState instance"
                     % (random_state,))


def warn_not_converged(what):
    warnings.warn(what, ConvergenceWarning, stacklevel=3)
