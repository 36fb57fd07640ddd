"""The door to libmixture: finding the shared library, declaring its calls,
turning status codes into exceptions, and owning handles.

Every call is declared with explicit argument and result types, so that
size_t, uint64_t and pointers cross at full width (ctypes would otherwise
pass Python ints as C int). Arrays are passed as addresses (c_void_p) of
NumPy arrays that the caller has already checked for dtype, order and shape:
nothing here reads a shape from a pointer.
"""
import ctypes
import ctypes.util
import enum
import os
import threading
from ctypes import (c_char_p, c_double, c_int, c_size_t, c_uint, c_uint64,
                    c_void_p)

from ._version import __version__

_MAJOR, _MINOR = (int(p) for p in __version__.split(".")[:2])
SONAME = "libmixture.so.%d" % _MAJOR


class Status(enum.IntEnum):
    """The library's status codes (values pinned in mixture.h)."""
    OK = 0
    EINVAL = -1
    ENOMEM = -2
    EDATA = -3
    EDIM = -4
    ESTATE = -5
    ENUMERIC = -6
    EIO = -7
    EFORMAT = -8
    ECANCELED = -9


class MixtureError(Exception):
    """A libmixture call failed. ``str(err)`` is the library's message for
    the failure (mix_*_errmsg); ``code`` is the :class:`Status` and
    ``status_text`` its static text (mix_strerror)."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message
        self.status_text = strerror(code)


class MixtureValueError(MixtureError, ValueError):
    """Invalid argument, data (NaN, infinity, values out of range), shape or
    serialized model (EINVAL, EDATA, EDIM, ESTATE, EFORMAT)."""


class MixtureRuntimeError(MixtureError, RuntimeError):
    """A failure of the computation rather than of its input: numerical
    failure, input/output error, a fit stopped by its callback (ENUMERIC,
    EIO, ECANCELED)."""


class MixtureMemoryError(MixtureRuntimeError, MemoryError):
    """The library ran out of memory (ENOMEM)."""


_ERROR_CLASS = {Status.ENOMEM: MixtureMemoryError, Status.ENUMERIC: MixtureRuntimeError,
                Status.EIO: MixtureRuntimeError, Status.ECANCELED: MixtureRuntimeError}


def error(code, message):
    """The exception for a negative status code."""
    try:
        code = Status(code)
    except ValueError:
        return MixtureRuntimeError(code, message)
    return _ERROR_CLASS.get(code, MixtureValueError)(code, message)


# ---------------------------------------------------------------------------
# Finding the library
# ---------------------------------------------------------------------------

def _candidates():
    """(where, path) in the order of the search: $MIXTURE_LIBRARY, next to the
    package (what `make python` and `make install` put there), the system
    loader (LD_LIBRARY_PATH, ld.so.cache, the default directories)."""
    env = os.environ.get("MIXTURE_LIBRARY")
    if env:
        return [("MIXTURE_LIBRARY", env)]
    here = os.path.join(os.path.dirname(os.path.abspath(__file__)), SONAME)
    out = [("next to the package", here)] if os.path.exists(here) else []
    out.append(("the system loader", SONAME))
    found = ctypes.util.find_library("mixture")
    if found and found != SONAME:
        out.append(("the system loader", found))
    return out


def _load():
    tried = []
    for where, path in _candidates():
        try:
            lib = ctypes.CDLL(path)
        except OSError as exc:
            tried.append("%s (%s): %s" % (path, where, exc))
            continue
        version = lib.mix_version_number
        version.restype = c_uint
        major, minor = version() // 10000, version() // 100 % 100
        if major != _MAJOR or minor < _MINOR:
            raise ImportError(
                "libmixture %d.%d at %s (%s) does not serve the mixture package %s, "
                "which needs %d.%d or a later %d.x" % (major, minor, path, where, __version__,
                                                      _MAJOR, _MINOR, _MAJOR))
        return lib, path
    raise ImportError("libmixture (%s) not found; tried %s. Build it (`make`), install it "
                      "(`make install`), or set MIXTURE_LIBRARY to its path."
                      % (SONAME, "; ".join(tried)))


lib, path = _load()

# ---------------------------------------------------------------------------
# Declarations
# ---------------------------------------------------------------------------

# int (*)(void *user, int run, int iteration, double objective, double change)
ITER_CALLBACK = ctypes.CFUNCTYPE(c_int, c_void_p, c_int, c_int, c_double, c_double)
# long (*)(void *user, double *X, double *w, size_t max_rows)
READ_FN = ctypes.CFUNCTYPE(ctypes.c_long, c_void_p, c_void_p, c_void_p, c_size_t)
# int (*)(void *user, double *buf, size_t len)
ALLREDUCE_FN = ctypes.CFUNCTYPE(c_int, c_void_p, c_void_p, c_size_t)

H, P, Z, I, D, U64 = c_void_p, c_void_p, c_size_t, c_int, c_double, c_uint64
_ROWS = (H, P, Z, Z, P)  # handle, X, n, d, output

_DECLARATIONS = {
    "mix_version_number": (c_uint,),
    "mix_version_string": (c_char_p,),
    "mix_strerror": (c_char_p, I),
    # metrics: (labels, labels, n, out) and (X, n, d, labels, out)
    "mix_adjusted_rand_index": (I, P, P, Z, P),
    "mix_rand_index": (I, P, P, Z, P),
    "mix_normalized_mutual_info": (I, P, P, Z, P),
    "mix_adjusted_mutual_info": (I, P, P, Z, P),
    "mix_silhouette_score": (I, P, Z, Z, P, P),
    "mix_calinski_harabasz": (I, P, Z, Z, P, P),
    "mix_davies_bouldin": (I, P, Z, Z, P, P),
    # K-means
    "mix_kmeans_create": (H, Z),
    "mix_kmeans_set_init": (I, H, I),
    "mix_kmeans_set_init_centers": (I, H, P, Z),
    "mix_kmeans_set_algorithm": (I, H, I),
    "mix_kmeans_set_n_init": (I, H, I),
    "mix_kmeans_transform": (I,) + _ROWS,
    "mix_kmeans_score": (I,) + _ROWS,
    "mix_kmeans_score_weighted": (I, H, P, Z, Z, P, P),
    "mix_kmeans_centers": (P, H),
    "mix_kmeans_labels": (P, H),
    "mix_kmeans_inertia": (D, H),
    "mix_kmeans_n_samples": (Z, H),
    "mix_kmeans_partial_fit": (I, H, P, Z, Z, P),
    # Gaussian mixtures
    "mix_gmm_create": (H, Z, I),
    "mix_gmm_set_params": (I, H, Z, P, P, P),
    "mix_gmm_set_reg_covar": (I, H, D),
    "mix_gmm_means": (P, H),
    "mix_gmm_covariances": (P, H),
    "mix_gmm_precisions_cholesky": (P, H),
    "mix_gmm_covariances_size": (Z, H),
    "mix_gmm_theta_size": (Z, H, Z),
    "mix_gmm_get_theta": (I, H, P),
    "mix_gmm_set_theta": (I, H, Z, P),
    "mix_gmm_nll_grad": (I, H, P, Z, Z, P, P, P, P),
    "mix_gmm_partial_fit": (I, H, P, Z, Z, P),
    "mix_gmm_set_online": (I, H, D, D),
    # Bernoulli mixtures
    "mix_bmm_create": (H, Z),
    "mix_bmm_set_params": (I, H, Z, P, P),
    "mix_bmm_set_alpha": (I, H, D),
    "mix_bmm_probs": (P, H),
}
# What the three kinds share, and what the two mixtures share.
for _kind in ("kmeans", "gmm", "bmm"):
    _DECLARATIONS.update({
        "mix_%s_free" % _kind: (None, H),
        "mix_%s_set_max_iter" % _kind: (I, H, I),
        "mix_%s_set_tol" % _kind: (I, H, D),
        "mix_%s_set_seed" % _kind: (I, H, U64),
        "mix_%s_set_threads" % _kind: (I, H, I),
        "mix_%s_set_callback" % _kind: (I, H, ITER_CALLBACK, P),
        "mix_%s_fit" % _kind: (I, H, P, Z, Z, P),
        "mix_%s_fit_stream" % _kind: (I, H, Z, READ_FN, P),
        "mix_%s_set_distributed" % _kind: (I, H, I, I, ALLREDUCE_FN, P),
        "mix_%s_predict" % _kind: (I,) + _ROWS,
        "mix_%s_n_iter" % _kind: (I, H),
        "mix_%s_n_features" % _kind: (Z, H),
        "mix_%s_is_fitted" % _kind: (I, H),
        "mix_%s_errmsg" % _kind: (c_char_p, H),
    })
for _kind in ("kmeans", "gmm"):
    _DECLARATIONS.update({
        "mix_%s_set_method" % _kind: (I, H, I),
        "mix_%s_set_adam" % _kind: (I, H, D, D, D, D),
        "mix_%s_set_batch_size" % _kind: (I, H, Z),
    })
for _kind in ("gmm", "bmm"):
    _DECLARATIONS.update({
        "mix_%s_set_init" % _kind: (I, H, I),
        "mix_%s_set_n_init" % _kind: (I, H, I),
        "mix_%s_set_warm_start" % _kind: (I, H, I),
        "mix_%s_predict_proba" % _kind: (I,) + _ROWS,
        "mix_%s_score_samples" % _kind: (I,) + _ROWS,
        "mix_%s_score" % _kind: (I,) + _ROWS,
        "mix_%s_loglik" % _kind: (I,) + _ROWS,
        "mix_%s_bic" % _kind: (I,) + _ROWS,
        "mix_%s_aic" % _kind: (I,) + _ROWS,
        "mix_%s_sample" % _kind: (I, H, Z, U64, P, P),
        "mix_%s_weights" % _kind: (P, H),
        "mix_%s_converged" % _kind: (I, H),
        "mix_%s_lower_bound" % _kind: (D, H),
        "mix_%s_n_parameters" % _kind: (Z, H),
    })

for _name, (_restype, *_argtypes) in _DECLARATIONS.items():
    _fn = getattr(lib, _name)
    _fn.restype = _restype
    _fn.argtypes = _argtypes


def strerror(code):
    return lib.mix_strerror(int(code)).decode()


def version():
    """The version of the library loaded, "MAJOR.MINOR.PATCH"."""
    return lib.mix_version_string().decode()


def check(rc, message=None):
    """Raise the exception for a status code that is not OK (for calls
    without a handle: the message is the code's static text)."""
    if rc != 0:
        raise error(rc, message or strerror(rc))


# ---------------------------------------------------------------------------
# Handles
# ---------------------------------------------------------------------------

_live_lock = threading.Lock()
_live = {"kmeans": 0, "gmm": 0, "bmm": 0}


def live_handles():
    """How many handles of each kind exist now (for leak tests)."""
    with _live_lock:
        return dict(_live)


class Handle:
    """One kmeans_t, gmm_t or bmm_t. Freed by close(), or when the last
    reference goes (CPython frees at once; estimators hold no cycles to their
    handles). Calls that return a status raise on failure with the handle's
    errmsg."""

    __slots__ = ("kind", "ptr", "_free", "__weakref__")

    def __init__(self, kind, *create_args):
        self.kind = kind
        self.ptr = None
        self._free = getattr(lib, "mix_%s_free" % kind)  # at hand even at shutdown
        ptr = getattr(lib, "mix_%s_create" % kind)(*create_args)
        if not ptr:  # arguments are checked by the caller: only memory is left
            raise error(Status.ENOMEM, "mix_%s_create returned NULL" % kind)
        self.ptr = ptr
        with _live_lock:
            _live[kind] += 1

    def close(self):
        ptr, self.ptr = self.ptr, None
        if ptr:
            self._free(ptr)
            with _live_lock:
                _live[self.kind] -= 1

    def __del__(self):
        self.close()

    def fn(self, name):
        return getattr(lib, "mix_%s_%s" % (self.kind, name))

    def get(self, name, *args):
        """A getter: its value, no status."""
        return self.fn(name)(self.ptr, *args)

    def call(self, name, *args):
        """A call that returns a status; raises on failure."""
        rc = self.fn(name)(self.ptr, *args)
        if rc != 0:
            raise error(rc, self.errmsg())

    def set(self, option, *values):
        self.call("set_" + option, *values)

    def errmsg(self):
        return self.get("errmsg").decode()
