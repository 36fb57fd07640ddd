"""Minimal ctypes binding to libmixture, for the parity tests.

The library is loaded from $MIXTURE_LIB, or from <repo>/lib/libmixture.so
when that variable is unset. Only the K-means calls, the adjusted Rand index
and the status texts are bound; every bound function gets explicit argtypes
and restype so that size_t, uint64_t and pointers cross the FFI at full
width (ctypes would otherwise pass Python ints as C int).
"""
import ctypes
import os
from ctypes import (POINTER, c_char_p, c_double, c_int, c_int32, c_size_t,
                    c_uint, c_uint64, c_void_p)

import numpy as np

_HERE = os.path.dirname(os.path.abspath(__file__))
_DEFAULT_LIB = os.path.join(_HERE, os.pardir, os.pardir, "lib", "libmixture.so")
LIB_PATH = os.environ.get("MIXTURE_LIB", os.path.normpath(_DEFAULT_LIB))

# Status codes, as pinned in include/mixture.h.
MIX_OK = 0
MIX_EINVAL = -1
MIX_ENOMEM = -2
MIX_EDATA = -3
MIX_EDIM = -4
MIX_ESTATE = -5
MIX_ENUMERIC = -6
MIX_EIO = -7
MIX_EFORMAT = -8
MIX_ECANCELED = -9

# mix_init enumerators.
MIX_INIT_KMEANS = 0
MIX_INIT_KMEANSPP = 1
MIX_INIT_RANDOM = 2
MIX_INIT_RANDOM_FROM_DATA = 3

_P_DOUBLE = POINTER(c_double)
_P_INT32 = POINTER(c_int32)

lib = ctypes.CDLL(LIB_PATH)


def _bind(name, restype, *argtypes):
    fn = getattr(lib, name)
    fn.restype = restype
    fn.argtypes = list(argtypes)
    return fn


# kmeans_t * is kept as an opaque c_void_p.
_bind("mix_version_number", c_uint)
_bind("mix_version_string", c_char_p)
_bind("mix_strerror", c_char_p, c_int)
_bind("mix_kmeans_create", c_void_p, c_size_t)
_bind("mix_kmeans_free", None, c_void_p)
_bind("mix_kmeans_set_init", c_int, c_void_p, c_int)
_bind("mix_kmeans_set_init_centers", c_int, c_void_p, _P_DOUBLE, c_size_t)
_bind("mix_kmeans_set_n_init", c_int, c_void_p, c_int)
_bind("mix_kmeans_set_max_iter", c_int, c_void_p, c_int)
_bind("mix_kmeans_set_tol", c_int, c_void_p, c_double)
_bind("mix_kmeans_set_seed", c_int, c_void_p, c_uint64)
_bind("mix_kmeans_set_threads", c_int, c_void_p, c_int)
_bind("mix_kmeans_fit", c_int, c_void_p, _P_DOUBLE, c_size_t, c_size_t, _P_DOUBLE)
_bind("mix_kmeans_predict", c_int, c_void_p, _P_DOUBLE, c_size_t, c_size_t, _P_INT32)
_bind("mix_kmeans_transform", c_int, c_void_p, _P_DOUBLE, c_size_t, c_size_t, _P_DOUBLE)
_bind("mix_kmeans_score", c_int, c_void_p, _P_DOUBLE, c_size_t, c_size_t, _P_DOUBLE)
_bind("mix_kmeans_score_weighted", c_int, c_void_p, _P_DOUBLE, c_size_t, c_size_t,
      _P_DOUBLE, _P_DOUBLE)
_bind("mix_kmeans_centers", _P_DOUBLE, c_void_p)
_bind("mix_kmeans_labels", _P_INT32, c_void_p)
_bind("mix_kmeans_inertia", c_double, c_void_p)
_bind("mix_kmeans_n_iter", c_int, c_void_p)
_bind("mix_kmeans_n_clusters", c_size_t, c_void_p)
_bind("mix_kmeans_n_features", c_size_t, c_void_p)
_bind("mix_kmeans_n_samples", c_size_t, c_void_p)
_bind("mix_kmeans_is_fitted", c_int, c_void_p)
_bind("mix_kmeans_errmsg", c_char_p, c_void_p)
_bind("mix_adjusted_rand_index", c_int, _P_INT32, _P_INT32, c_size_t, _P_DOUBLE)


class MixtureError(Exception):
    """A libmixture call returned a negative status code."""

    def __init__(self, code, message):
        super().__init__(f"{strerror(code)} ({code}): {message}")
        self.code = code
        self.message = message


def strerror(code):
    return lib.mix_strerror(code).decode()


def version():
    return lib.mix_version_string().decode()


def _as_doubles(a, ndim):
    """C-contiguous float64 copy-if-needed, with the dimension checked here so
    that a wrong shape is a Python error, not a read out of bounds in C."""
    a = np.ascontiguousarray(a, dtype=np.float64)
    if a.ndim != ndim:
        raise ValueError(f"expected a {ndim}-d array, got shape {a.shape}")
    return a


def _dptr(a):
    return None if a is None else a.ctypes.data_as(_P_DOUBLE)


def _iptr(a):
    return a.ctypes.data_as(_P_INT32)


def _weights(sample_weight, n):
    if sample_weight is None:
        return None
    w = _as_doubles(sample_weight, 1)
    if w.shape[0] != n:
        raise ValueError(f"sample_weight has {w.shape[0]} values for {n} rows")
    return w


def adjusted_rand_index(a, b):
    """mix_adjusted_rand_index on two equal-length label sequences."""
    a = np.ascontiguousarray(a, dtype=np.int32)
    b = np.ascontiguousarray(b, dtype=np.int32)
    if a.shape != b.shape or a.ndim != 1:
        raise ValueError("labelings must be 1-d and of equal length")
    out = c_double()
    rc = lib.mix_adjusted_rand_index(_iptr(a), _iptr(b), a.shape[0], ctypes.byref(out))
    if rc != MIX_OK:
        raise MixtureError(rc, strerror(rc))
    return out.value


class KMeans:
    """scikit-learn-like wrapper around one kmeans_t handle.

    Options not given keep the library's defaults (which are sklearn's).
    `init` may be an array of initial centers or a mix_init value.
    """

    def __init__(self, n_clusters, init=None, n_init=None, max_iter=None, tol=None,
                 seed=None, n_threads=None):
        self._h = lib.mix_kmeans_create(n_clusters)
        if not self._h:
            raise MixtureError(MIX_ENOMEM, "mix_kmeans_create returned NULL")
        self.n_clusters = n_clusters
        if init is not None:
            if isinstance(init, int):
                self.set_init(init)
            else:
                self.set_init_centers(init)
        if n_init is not None:
            self.set_n_init(n_init)
        if max_iter is not None:
            self.set_max_iter(max_iter)
        if tol is not None:
            self.set_tol(tol)
        if seed is not None:
            self.set_seed(seed)
        if n_threads is not None:
            self.set_threads(n_threads)

    # -- lifetime ---------------------------------------------------------
    def close(self):
        if getattr(self, "_h", None):
            lib.mix_kmeans_free(self._h)
            self._h = None

    def __del__(self):
        self.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _handle(self):
        if not self._h:
            raise ValueError("KMeans handle already closed")
        return self._h

    def _check(self, rc):
        if rc != MIX_OK:
            raise MixtureError(rc, self.errmsg)

    @property
    def errmsg(self):
        return lib.mix_kmeans_errmsg(self._h).decode()

    # -- options ----------------------------------------------------------
    def set_init(self, init):
        self._check(lib.mix_kmeans_set_init(self._handle(), init))

    def set_init_centers(self, centers):
        c = _as_doubles(centers, 2)
        self._check(lib.mix_kmeans_set_init_centers(self._handle(), _dptr(c), c.shape[1]))

    def set_n_init(self, n_init):
        self._check(lib.mix_kmeans_set_n_init(self._handle(), n_init))

    def set_max_iter(self, max_iter):
        self._check(lib.mix_kmeans_set_max_iter(self._handle(), max_iter))

    def set_tol(self, tol):
        self._check(lib.mix_kmeans_set_tol(self._handle(), tol))

    def set_seed(self, seed):
        self._check(lib.mix_kmeans_set_seed(self._handle(), seed))

    def set_threads(self, n_threads):
        self._check(lib.mix_kmeans_set_threads(self._handle(), n_threads))

    # -- fitting and use --------------------------------------------------
    def fit(self, X, sample_weight=None):
        X = _as_doubles(X, 2)
        w = _weights(sample_weight, X.shape[0])
        self._check(lib.mix_kmeans_fit(self._handle(), _dptr(X), X.shape[0], X.shape[1],
                                       _dptr(w)))
        return self

    def predict(self, X):
        X = _as_doubles(X, 2)
        out = np.empty(X.shape[0], dtype=np.int32)
        self._check(lib.mix_kmeans_predict(self._handle(), _dptr(X), X.shape[0], X.shape[1],
                                           _iptr(out)))
        return out

    def transform(self, X):
        X = _as_doubles(X, 2)
        out = np.empty((X.shape[0], self.n_clusters), dtype=np.float64)
        self._check(lib.mix_kmeans_transform(self._handle(), _dptr(X), X.shape[0],
                                             X.shape[1], _dptr(out)))
        return out

    def score(self, X, sample_weight=None):
        X = _as_doubles(X, 2)
        out = c_double()
        if sample_weight is None:
            rc = lib.mix_kmeans_score(self._handle(), _dptr(X), X.shape[0], X.shape[1],
                                      ctypes.byref(out))
        else:
            w = _weights(sample_weight, X.shape[0])
            rc = lib.mix_kmeans_score_weighted(self._handle(), _dptr(X), X.shape[0],
                                               X.shape[1], _dptr(w), ctypes.byref(out))
        self._check(rc)
        return out.value

    # -- results: copied out, since the library's pointers are borrowed and
    #    die at the next fit or at free ---------------------------------
    @property
    def is_fitted(self):
        return bool(lib.mix_kmeans_is_fitted(self._handle()))

    def _require_fitted(self):
        if not self.is_fitted:
            raise MixtureError(MIX_ESTATE, "model is not fitted")

    @property
    def n_features(self):
        return lib.mix_kmeans_n_features(self._handle())

    @property
    def centers(self):
        self._require_fitted()
        k, d = self.n_clusters, self.n_features
        return np.ctypeslib.as_array(lib.mix_kmeans_centers(self._h), shape=(k * d,)) \
            .reshape(k, d).copy()

    @property
    def labels(self):
        self._require_fitted()
        n = lib.mix_kmeans_n_samples(self._h)
        return np.ctypeslib.as_array(lib.mix_kmeans_labels(self._h), shape=(n,)).copy()

    @property
    def inertia(self):
        return lib.mix_kmeans_inertia(self._handle())

    @property
    def n_iter(self):
        return lib.mix_kmeans_n_iter(self._handle())
