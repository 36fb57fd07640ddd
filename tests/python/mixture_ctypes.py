"""Minimal ctypes binding to libmixture, for the parity tests.

The library is loaded from $MIXTURE_LIB, or from <repo>/lib/libmixture.so
when that variable is unset. The K-means and Gaussian mixture calls
(gradient fitting and theta included), the clustering metrics and the
status texts are bound; every bound function gets explicit argtypes
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
MIX_INIT_HIERARCHICAL = 4

# mix_method enumerators.
MIX_METHOD_EM = 0
MIX_METHOD_ADAM = 1

_P_DOUBLE = POINTER(c_double)
_P_INT32 = POINTER(c_int32)

lib = ctypes.CDLL(LIB_PATH)


def _bind(name, restype, *argtypes):
    fn = getattr(lib, name)
    fn.restype = restype
    fn.argtypes = list(argtypes)
    return fn


# int (*)(void *user_data, int run, int iteration, double objective, double change)
ITER_CALLBACK = ctypes.CFUNCTYPE(c_int, c_void_p, c_int, c_int, c_double, c_double)

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
_bind("mix_kmeans_set_callback", c_int, c_void_p, ITER_CALLBACK, c_void_p)
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
_bind("mix_kmeans_set_method", c_int, c_void_p, c_int)
_bind("mix_kmeans_set_adam", c_int, c_void_p, c_double, c_double, c_double, c_double)
_bind("mix_kmeans_set_batch_size", c_int, c_void_p, c_size_t)
_bind("mix_kmeans_partial_fit", c_int, c_void_p, _P_DOUBLE, c_size_t, c_size_t, _P_DOUBLE)
_bind("mix_adjusted_rand_index", c_int, _P_INT32, _P_INT32, c_size_t, _P_DOUBLE)
for _name in ("mix_rand_index", "mix_normalized_mutual_info", "mix_adjusted_mutual_info"):
    _bind(_name, c_int, _P_INT32, _P_INT32, c_size_t, _P_DOUBLE)
for _name in ("mix_silhouette_score", "mix_calinski_harabasz", "mix_davies_bouldin"):
    _bind(_name, c_int, _P_DOUBLE, c_size_t, c_size_t, _P_INT32, _P_DOUBLE)


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


def _labels(a):
    a = np.ascontiguousarray(a, dtype=np.int64)
    if a.ndim != 1:
        raise ValueError("labels must be 1-d")
    if a.size and (a.min() < -2**31 or a.max() >= 2**31):
        raise ValueError("labels must fit in int32")
    return np.ascontiguousarray(a, dtype=np.int32)


def _compare(name, a, b):
    """mix_<name>(a, b, n, &out) on two equal-length label sequences. The
    metrics have no handle: a failure raises MixtureError with the code's
    static text."""
    a, b = _labels(a), _labels(b)
    if a.shape != b.shape:
        raise ValueError("labelings must be of equal length")
    out = c_double()
    rc = getattr(lib, "mix_" + name)(_iptr(a), _iptr(b), a.shape[0], ctypes.byref(out))
    if rc != MIX_OK:
        raise MixtureError(rc, strerror(rc))
    return out.value


def adjusted_rand_index(a, b):
    return _compare("adjusted_rand_index", a, b)


def rand_index(a, b):
    return _compare("rand_index", a, b)


def normalized_mutual_info(a, b):
    return _compare("normalized_mutual_info", a, b)


def adjusted_mutual_info(a, b):
    return _compare("adjusted_mutual_info", a, b)


def _judge(name, X, labels):
    """mix_<name>(X, n, d, labels, &out)."""
    X = _as_doubles(X, 2)
    labels = _labels(labels)
    if labels.shape[0] != X.shape[0]:
        raise ValueError(f"{labels.shape[0]} labels for {X.shape[0]} rows")
    out = c_double()
    rc = getattr(lib, "mix_" + name)(_dptr(X), X.shape[0], X.shape[1], _iptr(labels),
                                     ctypes.byref(out))
    if rc != MIX_OK:
        raise MixtureError(rc, strerror(rc))
    return out.value


def silhouette_score(X, labels):
    return _judge("silhouette_score", X, labels)


def calinski_harabasz(X, labels):
    return _judge("calinski_harabasz", X, labels)


def davies_bouldin(X, labels):
    return _judge("davies_bouldin", X, labels)


class _Handle:
    """What both wrappers share: the handle's lifetime, status checks, the
    common setters and the calls on rows. `_api` is the C prefix after mix_
    ("kmeans" or "gmm")."""

    _api = None

    def _fn(self, name):
        return getattr(lib, "mix_%s_%s" % (self._api, name))

    def _create(self, *args):
        self._h = self._fn("create")(*args)
        if not self._h:
            raise MixtureError(MIX_ENOMEM, "mix_%s_create returned NULL" % self._api)

    def _apply(self, options):
        """(value, setter) pairs: None keeps the library's default."""
        for value, setter in options:
            if value is not None:
                setter(value)

    # -- lifetime ---------------------------------------------------------
    def close(self):
        if getattr(self, "_h", None):
            self._fn("free")(self._h)
            self._h = None

    def __del__(self):
        self.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _handle(self):
        if not self._h:
            raise ValueError("%s handle already closed" % type(self).__name__)
        return self._h

    def _check(self, rc):
        if rc != MIX_OK:
            raise MixtureError(rc, self.errmsg)

    @property
    def errmsg(self):
        return self._fn("errmsg")(self._h).decode()

    # -- options ----------------------------------------------------------
    def _set(self, name, value):
        self._check(self._fn("set_" + name)(self._handle(), value))

    def set_init(self, init):
        self._set("init", init)

    def set_n_init(self, n_init):
        self._set("n_init", n_init)

    def set_max_iter(self, max_iter):
        self._set("max_iter", max_iter)

    def set_tol(self, tol):
        self._set("tol", tol)

    def set_seed(self, seed):
        self._set("seed", seed)

    def set_threads(self, n_threads):
        self._set("threads", n_threads)

    def set_method(self, method):
        self._set("method", method)

    def set_adam(self, learning_rate=0.01, beta1=0.9, beta2=0.99, epsilon=1e-5):
        self._check(self._fn("set_adam")(self._handle(), learning_rate, beta1, beta2, epsilon))

    def set_batch_size(self, batch_size):
        self._set("batch_size", batch_size)

    def set_callback(self, fn):
        """fn(run, iteration, objective, change) -> truthy to stop, or None to
        clear. An exception inside fn stops the fit (and is printed by ctypes)."""
        if fn is None:
            self._check(self._fn("set_callback")(self._handle(), ITER_CALLBACK(), None))
            self._callback = None
            return

        def thunk(_user_data, run, iteration, objective, change):
            try:
                return 1 if fn(run, iteration, objective, change) else 0
            except Exception:  # never let an exception unwind through C
                return 1

        cb = ITER_CALLBACK(thunk)
        self._check(self._fn("set_callback")(self._handle(), cb, None))
        self._callback = cb

    # -- calls on rows ----------------------------------------------------
    def _rows(self, name, X, last, *extra):
        """mix_<api>_<name>(h, X, n, d, *extra, last)."""
        X = _as_doubles(X, 2)
        self._check(self._fn(name)(self._handle(), _dptr(X), X.shape[0], X.shape[1], *extra,
                                   last))

    def _out_rows(self, name, X, dtype, *width):
        X = _as_doubles(X, 2)
        out = np.empty((X.shape[0],) + width, dtype=dtype)
        self._rows(name, X, _iptr(out) if dtype == np.int32 else _dptr(out))
        return out

    def _scalar(self, name, X, *extra):
        out = c_double()
        self._rows(name, X, ctypes.byref(out), *extra)
        return out.value

    def fit(self, X, sample_weight=None):
        X = _as_doubles(X, 2)
        self._rows("fit", X, _dptr(_weights(sample_weight, X.shape[0])))
        return self

    def predict(self, X):
        return self._out_rows("predict", X, np.int32)

    # -- results: copied out, since the library's pointers are borrowed and
    #    die at the next fit (or set_params) or at free ------------------
    @property
    def is_fitted(self):
        return bool(self._fn("is_fitted")(self._handle()))

    def _require_fitted(self):
        if not self.is_fitted:
            raise MixtureError(MIX_ESTATE, "model is not fitted")

    @property
    def n_features(self):
        return self._fn("n_features")(self._handle())

    @property
    def n_iter(self):
        return self._fn("n_iter")(self._handle())

    def _copy(self, ptr, shape):
        size = int(np.prod(shape))
        if not ptr:
            raise MixtureError(MIX_ESTATE, "model is not fitted")
        return np.ctypeslib.as_array(ptr, shape=(size,)).reshape(shape).copy()


class KMeans(_Handle):
    """scikit-learn-like wrapper around one kmeans_t handle.

    Options not given keep the library's defaults (which are sklearn's).
    `init` may be an array of initial centers or a mix_init value.
    """

    _api = "kmeans"

    def __init__(self, n_clusters, init=None, n_init=None, max_iter=None, tol=None,
                 seed=None, n_threads=None):
        self._callback = None  # keeps the ctypes thunk alive while set
        self._create(n_clusters)
        self.n_clusters = n_clusters
        if init is not None:
            if isinstance(init, int):
                self.set_init(init)
            else:
                self.set_init_centers(init)
        self._apply(((n_init, self.set_n_init), (max_iter, self.set_max_iter),
                     (tol, self.set_tol), (seed, self.set_seed),
                     (n_threads, self.set_threads)))

    def set_init_centers(self, centers):
        c = _as_doubles(centers, 2)
        self._check(lib.mix_kmeans_set_init_centers(self._handle(), _dptr(c), c.shape[1]))

    # -- fitting and use --------------------------------------------------
    def transform(self, X):
        return self._out_rows("transform", X, np.float64, self.n_clusters)

    def partial_fit(self, X, sample_weight=None):
        X = _as_doubles(X, 2)
        self._rows("partial_fit", X, _dptr(_weights(sample_weight, X.shape[0])))
        return self

    def score(self, X, sample_weight=None):
        if sample_weight is None:
            return self._scalar("score", X)
        w = _weights(sample_weight, _as_doubles(X, 2).shape[0])
        return self._scalar("score_weighted", X, _dptr(w))

    # -- results ----------------------------------------------------------
    @property
    def centers(self):
        self._require_fitted()
        return self._copy(lib.mix_kmeans_centers(self._h), (self.n_clusters, self.n_features))

    @property
    def labels(self):
        self._require_fitted()
        return self._copy(lib.mix_kmeans_labels(self._h), (lib.mix_kmeans_n_samples(self._h),))

    @property
    def inertia(self):
        return lib.mix_kmeans_inertia(self._handle())


# ---------------------------------------------------------------------------
# Gaussian mixtures
# ---------------------------------------------------------------------------

# mix_covariance enumerators.
MIX_COV_FULL = 0
MIX_COV_TIED = 1
MIX_COV_DIAG = 2
MIX_COV_SPHERICAL = 3

COVARIANCE_TYPES = {"full": MIX_COV_FULL, "tied": MIX_COV_TIED, "diag": MIX_COV_DIAG,
                    "spherical": MIX_COV_SPHERICAL}

# gmm_t * is kept as an opaque c_void_p.
_bind("mix_gmm_create", c_void_p, c_size_t, c_int)
_bind("mix_gmm_free", None, c_void_p)
_bind("mix_gmm_set_init", c_int, c_void_p, c_int)
_bind("mix_gmm_set_params", c_int, c_void_p, c_size_t, _P_DOUBLE, _P_DOUBLE, _P_DOUBLE)
_bind("mix_gmm_set_n_init", c_int, c_void_p, c_int)
_bind("mix_gmm_set_max_iter", c_int, c_void_p, c_int)
_bind("mix_gmm_set_tol", c_int, c_void_p, c_double)
_bind("mix_gmm_set_reg_covar", c_int, c_void_p, c_double)
_bind("mix_gmm_set_seed", c_int, c_void_p, c_uint64)
_bind("mix_gmm_set_warm_start", c_int, c_void_p, c_int)
_bind("mix_gmm_set_threads", c_int, c_void_p, c_int)
_bind("mix_gmm_set_callback", c_int, c_void_p, ITER_CALLBACK, c_void_p)
_bind("mix_gmm_fit", c_int, c_void_p, _P_DOUBLE, c_size_t, c_size_t, _P_DOUBLE)
_bind("mix_gmm_predict", c_int, c_void_p, _P_DOUBLE, c_size_t, c_size_t, _P_INT32)
_bind("mix_gmm_predict_proba", c_int, c_void_p, _P_DOUBLE, c_size_t, c_size_t, _P_DOUBLE)
_bind("mix_gmm_score_samples", c_int, c_void_p, _P_DOUBLE, c_size_t, c_size_t, _P_DOUBLE)
_bind("mix_gmm_score", c_int, c_void_p, _P_DOUBLE, c_size_t, c_size_t, _P_DOUBLE)
_bind("mix_gmm_loglik", c_int, c_void_p, _P_DOUBLE, c_size_t, c_size_t, _P_DOUBLE)
_bind("mix_gmm_bic", c_int, c_void_p, _P_DOUBLE, c_size_t, c_size_t, _P_DOUBLE)
_bind("mix_gmm_aic", c_int, c_void_p, _P_DOUBLE, c_size_t, c_size_t, _P_DOUBLE)
_bind("mix_gmm_sample", c_int, c_void_p, c_size_t, c_uint64, _P_DOUBLE, _P_INT32)
_bind("mix_gmm_weights", _P_DOUBLE, c_void_p)
_bind("mix_gmm_means", _P_DOUBLE, c_void_p)
_bind("mix_gmm_covariances", _P_DOUBLE, c_void_p)
_bind("mix_gmm_precisions_cholesky", _P_DOUBLE, c_void_p)
_bind("mix_gmm_covariances_size", c_size_t, c_void_p)
_bind("mix_gmm_converged", c_int, c_void_p)
_bind("mix_gmm_n_iter", c_int, c_void_p)
_bind("mix_gmm_lower_bound", c_double, c_void_p)
_bind("mix_gmm_n_parameters", c_size_t, c_void_p)
_bind("mix_gmm_n_components", c_size_t, c_void_p)
_bind("mix_gmm_n_features", c_size_t, c_void_p)
_bind("mix_gmm_covariance_type", c_int, c_void_p)
_bind("mix_gmm_is_fitted", c_int, c_void_p)
_bind("mix_gmm_errmsg", c_char_p, c_void_p)
_bind("mix_gmm_set_method", c_int, c_void_p, c_int)
_bind("mix_gmm_set_adam", c_int, c_void_p, c_double, c_double, c_double, c_double)
_bind("mix_gmm_set_batch_size", c_int, c_void_p, c_size_t)
_bind("mix_gmm_theta_size", c_size_t, c_void_p, c_size_t)
_bind("mix_gmm_get_theta", c_int, c_void_p, _P_DOUBLE)
_bind("mix_gmm_set_theta", c_int, c_void_p, c_size_t, _P_DOUBLE)
_bind("mix_gmm_nll_grad", c_int, c_void_p, _P_DOUBLE, c_size_t, c_size_t, _P_DOUBLE,
      _P_DOUBLE, _P_DOUBLE, _P_DOUBLE)


def _covariance_type(cov):
    if isinstance(cov, str):
        if cov not in COVARIANCE_TYPES:
            raise ValueError(f"unknown covariance type {cov!r}")
        return COVARIANCE_TYPES[cov]
    return int(cov)


def covariance_shape(cov, k, d):
    """scikit-learn's shape of covariances_ / precisions_cholesky_."""
    return {MIX_COV_FULL: (k, d, d), MIX_COV_TIED: (d, d), MIX_COV_DIAG: (k, d),
            MIX_COV_SPHERICAL: (k,)}[_covariance_type(cov)]


class GaussianMixture(_Handle):
    """scikit-learn-like wrapper around one gmm_t handle.

    `covariance_type` is a mix_covariance value or one of sklearn's names
    ("full", "tied", "diag", "spherical"). Options not given keep the
    library's defaults (which are sklearn's). Arrays returned by the
    properties are copies in sklearn's shapes.
    """

    _api = "gmm"

    def __init__(self, n_components, covariance_type="full", init=None, n_init=None,
                 max_iter=None, tol=None, reg_covar=None, seed=None, warm_start=None,
                 n_threads=None):
        self.covariance_type = _covariance_type(covariance_type)
        self._callback = None  # keeps the ctypes thunk alive while set
        self._create(n_components, self.covariance_type)
        self.n_components = n_components
        self._apply(((init, self.set_init), (n_init, self.set_n_init),
                     (max_iter, self.set_max_iter), (tol, self.set_tol),
                     (reg_covar, self.set_reg_covar), (seed, self.set_seed),
                     (warm_start, self.set_warm_start), (n_threads, self.set_threads)))

    @classmethod
    def create(cls, n_components, covariance_type="full", **options):
        return cls(n_components, covariance_type, **options)

    # -- options ----------------------------------------------------------
    def set_reg_covar(self, reg_covar):
        self._set("reg_covar", reg_covar)

    def set_warm_start(self, warm_start):
        self._set("warm_start", int(warm_start))

    def set_params(self, weights=None, means=None, covariances=None, d=None):
        """mix_gmm_set_params: COVARIANCES (not precisions), in sklearn's
        shapes; each may be None. d is taken from `means`, else from the
        covariances (full, tied, diag), else it must be given."""
        k = self.n_components
        w = None if weights is None else _as_doubles(weights, 1)
        mu = None if means is None else _as_doubles(means, 2)
        cov = None if covariances is None else np.ascontiguousarray(covariances,
                                                                    dtype=np.float64)
        if d is None:
            if mu is not None:
                d = mu.shape[1]
            elif cov is not None and self.covariance_type != MIX_COV_SPHERICAL:
                d = cov.shape[-1]
            else:
                d = self.n_features if self.is_fitted else 0
        if w is not None and w.shape != (k,):
            raise ValueError(f"weights have shape {w.shape}, expected {(k,)}")
        if mu is not None and mu.shape != (k, d):
            raise ValueError(f"means have shape {mu.shape}, expected {(k, d)}")
        if cov is not None:
            shape = covariance_shape(self.covariance_type, k, d)
            if cov.shape != shape:
                raise ValueError(f"covariances have shape {cov.shape}, expected {shape}")
        self._check(lib.mix_gmm_set_params(self._handle(), d, _dptr(w), _dptr(mu),
                                           _dptr(cov)))
        return self

    # -- fitting and use --------------------------------------------------
    def predict_proba(self, X):
        return self._out_rows("predict_proba", X, np.float64, self.n_components)

    def score_samples(self, X):
        return self._out_rows("score_samples", X, np.float64)

    def score(self, X):
        return self._scalar("score", X)

    def loglik(self, X):
        return self._scalar("loglik", X)

    def bic(self, X):
        return self._scalar("bic", X)

    def aic(self, X):
        return self._scalar("aic", X)

    def sample(self, n, seed=0):
        """(X (n, d), labels (n,)) drawn with the call's own seed."""
        self._require_fitted()
        X = np.empty((n, self.n_features), dtype=np.float64)
        labels = np.empty(n, dtype=np.int32)
        self._check(lib.mix_gmm_sample(self._handle(), n, seed, _dptr(X), _iptr(labels)))
        return X, labels

    # -- results ----------------------------------------------------------
    @property
    def weights(self):
        self._require_fitted()
        return self._copy(lib.mix_gmm_weights(self._h), (self.n_components,))

    @property
    def means(self):
        self._require_fitted()
        return self._copy(lib.mix_gmm_means(self._h), (self.n_components, self.n_features))

    def _cov_shape(self):
        shape = covariance_shape(self.covariance_type, self.n_components, self.n_features)
        size = lib.mix_gmm_covariances_size(self._h)
        if size != int(np.prod(shape)):
            raise MixtureError(MIX_ESTATE, f"covariances_size {size} for shape {shape}")
        return shape

    @property
    def covariances(self):
        self._require_fitted()
        return self._copy(lib.mix_gmm_covariances(self._h), self._cov_shape())

    @property
    def precisions_cholesky(self):
        self._require_fitted()
        return self._copy(lib.mix_gmm_precisions_cholesky(self._h), self._cov_shape())

    @property
    def converged(self):
        return bool(lib.mix_gmm_converged(self._handle()))

    @property
    def lower_bound(self):
        return lib.mix_gmm_lower_bound(self._handle())

    @property
    def n_parameters(self):
        return lib.mix_gmm_n_parameters(self._handle())

    # -- theta and the likelihood's gradient --------------------------------
    def theta_size(self, d):
        return lib.mix_gmm_theta_size(self._handle(), d)

    @property
    def theta(self):
        self._require_fitted()
        t = np.empty(self.theta_size(self.n_features))
        self._check(lib.mix_gmm_get_theta(self._handle(), _dptr(t)))
        return t

    def set_theta(self, theta, d):
        t = _as_doubles(theta, 1)
        if t.shape[0] != self.theta_size(d):
            raise ValueError(f"theta has {t.shape[0]} values, expected {self.theta_size(d)}")
        self._check(lib.mix_gmm_set_theta(self._handle(), d, _dptr(t)))
        return self

    def nll_grad(self, X, theta, sample_weight=None, want_grad=True):
        """(nll, grad or None) at theta."""
        X = _as_doubles(X, 2)
        t = _as_doubles(theta, 1)
        if t.shape[0] != self.theta_size(X.shape[1]):
            raise ValueError("theta has the wrong length")
        w = _weights(sample_weight, X.shape[0])
        nll = c_double()
        grad = np.empty_like(t) if want_grad else None
        self._check(lib.mix_gmm_nll_grad(self._handle(), _dptr(X), X.shape[0], X.shape[1],
                                         _dptr(w), _dptr(t), ctypes.byref(nll), _dptr(grad)))
        return nll.value, grad


# ---------------------------------------------------------------------------
# Bernoulli mixtures
# ---------------------------------------------------------------------------

_bind("mix_bmm_create", c_void_p, c_size_t)
_bind("mix_bmm_free", None, c_void_p)
_bind("mix_bmm_set_init", c_int, c_void_p, c_int)
_bind("mix_bmm_set_params", c_int, c_void_p, c_size_t, _P_DOUBLE, _P_DOUBLE)
_bind("mix_bmm_set_alpha", c_int, c_void_p, c_double)
_bind("mix_bmm_set_n_init", c_int, c_void_p, c_int)
_bind("mix_bmm_set_max_iter", c_int, c_void_p, c_int)
_bind("mix_bmm_set_tol", c_int, c_void_p, c_double)
_bind("mix_bmm_set_seed", c_int, c_void_p, c_uint64)
_bind("mix_bmm_set_threads", c_int, c_void_p, c_int)
_bind("mix_bmm_set_warm_start", c_int, c_void_p, c_int)
_bind("mix_bmm_set_callback", c_int, c_void_p, ITER_CALLBACK, c_void_p)
_bind("mix_bmm_fit", c_int, c_void_p, _P_DOUBLE, c_size_t, c_size_t, _P_DOUBLE)
_bind("mix_bmm_predict", c_int, c_void_p, _P_DOUBLE, c_size_t, c_size_t, _P_INT32)
_bind("mix_bmm_predict_proba", c_int, c_void_p, _P_DOUBLE, c_size_t, c_size_t, _P_DOUBLE)
_bind("mix_bmm_score_samples", c_int, c_void_p, _P_DOUBLE, c_size_t, c_size_t, _P_DOUBLE)
_bind("mix_bmm_score", c_int, c_void_p, _P_DOUBLE, c_size_t, c_size_t, _P_DOUBLE)
_bind("mix_bmm_loglik", c_int, c_void_p, _P_DOUBLE, c_size_t, c_size_t, _P_DOUBLE)
_bind("mix_bmm_bic", c_int, c_void_p, _P_DOUBLE, c_size_t, c_size_t, _P_DOUBLE)
_bind("mix_bmm_aic", c_int, c_void_p, _P_DOUBLE, c_size_t, c_size_t, _P_DOUBLE)
_bind("mix_bmm_sample", c_int, c_void_p, c_size_t, c_uint64, _P_DOUBLE, _P_INT32)
_bind("mix_bmm_weights", _P_DOUBLE, c_void_p)
_bind("mix_bmm_probs", _P_DOUBLE, c_void_p)
_bind("mix_bmm_converged", c_int, c_void_p)
_bind("mix_bmm_n_iter", c_int, c_void_p)
_bind("mix_bmm_is_fitted", c_int, c_void_p)
_bind("mix_bmm_lower_bound", c_double, c_void_p)
_bind("mix_bmm_n_parameters", c_size_t, c_void_p)
_bind("mix_bmm_n_components", c_size_t, c_void_p)
_bind("mix_bmm_n_features", c_size_t, c_void_p)
_bind("mix_bmm_errmsg", c_char_p, c_void_p)


class BernoulliMixture(_Handle):
    """Wrapper around one bmm_t handle (0/1 data)."""

    _api = "bmm"

    def __init__(self, n_components, init=None, n_init=None, max_iter=None, tol=None,
                 alpha=None, seed=None, warm_start=None, n_threads=None):
        self._callback = None
        self._create(n_components)
        self.n_components = n_components
        self._apply(((init, self.set_init), (n_init, self.set_n_init),
                     (max_iter, self.set_max_iter), (tol, self.set_tol),
                     (alpha, self.set_alpha), (seed, self.set_seed),
                     (warm_start, lambda v: self._set("warm_start", int(v))),
                     (n_threads, self.set_threads)))

    def set_alpha(self, alpha):
        self._set("alpha", alpha)

    def set_params(self, weights=None, probs=None, d=None):
        w = None if weights is None else _as_doubles(weights, 1)
        p = None if probs is None else _as_doubles(probs, 2)
        if d is None:
            d = p.shape[1] if p is not None else 0
        self._check(lib.mix_bmm_set_params(self._handle(), d, _dptr(w), _dptr(p)))
        return self

    def predict_proba(self, X):
        return self._out_rows("predict_proba", X, np.float64, self.n_components)

    def score_samples(self, X):
        return self._out_rows("score_samples", X, np.float64)

    def score(self, X):
        return self._scalar("score", X)

    def bic(self, X):
        return self._scalar("bic", X)

    def aic(self, X):
        return self._scalar("aic", X)

    def sample(self, n, seed=0):
        self._require_fitted()
        X = np.empty((n, self.n_features), dtype=np.float64)
        labels = np.empty(n, dtype=np.int32)
        self._check(lib.mix_bmm_sample(self._handle(), n, seed, _dptr(X), _iptr(labels)))
        return X, labels

    @property
    def weights(self):
        self._require_fitted()
        return self._copy(lib.mix_bmm_weights(self._h), (self.n_components,))

    @property
    def probs(self):
        self._require_fitted()
        return self._copy(lib.mix_bmm_probs(self._h), (self.n_components, self.n_features))

    @property
    def lower_bound(self):
        return lib.mix_bmm_lower_bound(self._handle())

    @property
    def converged(self):
        return bool(lib.mix_bmm_converged(self._handle()))

    @property
    def n_parameters(self):
        return lib.mix_bmm_n_parameters(self._handle())
