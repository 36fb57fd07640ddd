"""What the estimators share: scikit-learn's base classes where scikit-learn
is installed (so that clone, Pipeline, GridSearchCV and check_estimator see
ordinary estimators), small NumPy-only stand-ins where it is not; the
library handle each fitted estimator owns; data checks against the fitted
model; callbacks; saving, loading and pickling."""
import ctypes
import inspect
import sys
import time

import numpy as np

from . import _lib, _persist
from ._validation import (NotFittedError, as_rows, check_feature_names, choice_param,
                          feature_names, int_param, real_param)

try:
    from sklearn.base import BaseEstimator, ClusterMixin, DensityMixin, TransformerMixin
    HAVE_SKLEARN = True
except ImportError:
    HAVE_SKLEARN = False

    class BaseEstimator:
        """get_params / set_params / repr as scikit-learn's, from the
        signature of __init__ (parameters are stored under their own names
        and only checked at fit)."""

        @classmethod
        def _get_param_names(cls):
            sig = inspect.signature(cls.__init__)
            return sorted(p.name for p in sig.parameters.values()
                          if p.name != "self" and p.kind != p.VAR_KEYWORD)

        def get_params(self, deep=True):
            out = {}
            for name in self._get_param_names():
                value = getattr(self, name)
                if deep and hasattr(value, "get_params") and not isinstance(value, type):
                    out.update(("%s__%s" % (name, k), v)
                               for k, v in value.get_params().items())
                out[name] = value
            return out

        def set_params(self, **params):
            """Set parameters; ``name__sub`` sets ``sub`` of the estimator
            held in parameter ``name`` (as scikit-learn's)."""
            if not params:
                return self
            valid = self.get_params(deep=True)
            nested = {}
            for key, value in params.items():
                name, delim, sub = key.partition("__")
                if name not in valid:
                    raise ValueError("Invalid parameter %r for estimator %s. Valid parameters "
                                     "are: %r." % (name, type(self).__name__,
                                                   self._get_param_names()))
                if delim:
                    nested.setdefault(name, {})[sub] = value
                else:
                    setattr(self, name, value)
                    valid[name] = value
            for name, sub_params in nested.items():
                if not hasattr(valid[name], "set_params"):
                    raise ValueError("Invalid parameter %r for estimator %s: its value %r "
                                     "has no parameters to set."
                                     % (name, type(self).__name__, valid[name]))
                valid[name].set_params(**sub_params)
            return self

        def __repr__(self):
            defaults = {p.name: p.default for p in
                        inspect.signature(type(self).__init__).parameters.values()}
            changed = []
            for name, value in self.get_params().items():
                default = defaults.get(name)
                same = value is default or (type(value) is type(default) and
                                            not isinstance(value, np.ndarray) and
                                            value == default)
                if not same:
                    changed.append("%s=%r" % (name, value))
            return "%s(%s)" % (type(self).__name__, ", ".join(changed))

    class ClusterMixin:
        _estimator_type = "clusterer"

    class TransformerMixin:
        pass

    class DensityMixin:
        _estimator_type = "DensityEstimator"


_METHOD = {"em": 0, "adam": 1}


def adam_options(est, h):
    """method, Adam's step and batch size (K-means and Gaussian mixtures)."""
    who = type(est).__name__
    method = choice_param(who, "method", est.method, _METHOD)
    h.set("method", method)
    if method:
        h.set("adam", real_param(who, "learning_rate", est.learning_rate),
              real_param(who, "beta_1", est.beta_1), real_param(who, "beta_2", est.beta_2),
              real_param(who, "epsilon", est.epsilon))
        h.set("batch_size", int_param(who, "batch_size", est.batch_size, 1, True) or 0)


class HandleEstimator:
    """Mixin of the three estimators. A fitted estimator holds its library
    handle in ``_model`` (freed when the estimator is refitted or goes away)
    and copies of the results in scikit-learn's attributes."""

    _kind = None  # "kmeans", "gmm" or "bmm"

    # -- fitted state ------------------------------------------------------
    def __sklearn_is_fitted__(self):
        return "_model" in self.__dict__

    def _check_fitted(self):
        if "_model" not in self.__dict__:
            raise NotFittedError("This %s instance is not fitted yet. Call 'fit' with "
                                 "appropriate arguments before using this estimator."
                                 % type(self).__name__)

    def _fitted_k(self):
        """k of the fitted model, from its handle: the constructor's
        n_clusters / n_components may have been changed by set_params since
        the fit, and every buffer the library writes is sized by the model."""
        return int(self._model.get("n_clusters" if self._kind == "kmeans" else "n_components"))

    def _fitted_d(self):
        """The number of features of the fitted model, from its handle."""
        return int(self._model.get("n_features"))

    def _adopt(self, handle, n_features, names, is32):
        """Make a freshly fitted handle the estimator's model."""
        self._model = handle
        self._float32 = bool(is32)
        self.n_features_in_ = int(n_features)
        if names is not None:
            self.feature_names_in_ = names
        else:
            self.__dict__.pop("feature_names_in_", None)

    def _rows(self, X):
        """X for a call on the fitted model: checked against it (features,
        their names), as float64 rows, and the dtype of the results."""
        self._check_fitted()
        who = type(self).__name__
        check_feature_names(getattr(self, "feature_names_in_", None), feature_names(X), who)
        X64, is32 = as_rows(X, who)
        if X64.shape[1] != self.n_features_in_:
            raise ValueError("X has %d features, but %s is expecting %d features as input."
                             % (X64.shape[1], who, self.n_features_in_))
        return X64, self._out_dtype(is32)

    def _out_dtype(self, is32):
        """float32 results only for float32 data on a model fitted on float32
        data (as scikit-learn's KMeans)."""
        return np.float32 if is32 and self._float32 else np.float64

    def _attr(self, a):
        """A fitted attribute in the training data's precision."""
        return a.astype(np.float32) if self._float32 else a

    # -- calls on the fitted model -----------------------------------------
    def _per_row(self, name, X, width, dtype=np.float64):
        """mix_<kind>_<name>(h, X, n, d, out) with out (n,) or (n, width)."""
        X64, out_dtype = self._rows(X)
        shape = (X64.shape[0],) if width is None else (X64.shape[0], width)
        out = np.empty(shape, dtype=dtype)
        self._model.call(name, X64.ctypes.data, X64.shape[0], X64.shape[1], out.ctypes.data)
        return out if dtype != np.float64 else out.astype(out_dtype, copy=False)

    def _scalar(self, name, X):
        X64, _ = self._rows(X)
        out = np.empty(1)
        self._model.call(name, X64.ctypes.data, X64.shape[0], X64.shape[1], out.ctypes.data)
        return float(out[0])

    def _copy(self, getter, shape):
        """A copy of a borrowed array of the model (they die at the next fit)."""
        size = int(np.prod(shape))
        buf = (ctypes.c_double * size).from_address(self._model.get(getter))
        return np.frombuffer(buf, dtype=np.float64).reshape(shape).copy()

    # -- fitting -----------------------------------------------------------
    def _set_common(self, h, *, max_iter, tol, seed, n_threads):
        h.set("max_iter", max_iter)
        h.set("tol", tol)
        h.set("seed", seed)
        if n_threads is not None:
            h.set("threads", n_threads)

    def _fit_handle(self, h, X64, w, reader=None):
        """mix_<kind>_fit on X64 and w, or mix_<kind>_fit_stream on a
        reader, with the callback (the user's, and verbose output) and the
        distributed hook set for this call only. An exception raised by the
        callback, the reader or the allreduce stops the fit and is re-raised
        here; a true return from the callback stops it with ECANCELED."""
        if reader is None:
            args = ("fit", X64.ctypes.data, X64.shape[0], X64.shape[1],
                    None if w is None else w.ctypes.data)
        else:
            args = ("fit_stream", reader.n_features, reader.c_read, None)
        progress = self._progress()
        rank, size, allreduce = self._distributed()
        raised = []

        def thunk(_user, run, iteration, objective, change):
            try:
                return 1 if progress(run, iteration, objective, change) else 0
            except BaseException as exc:  # never unwind through C
                raised.append(exc)
                return 1

        def reduce(_user, buf, length):
            try:
                allreduce(np.frombuffer((ctypes.c_double * length).from_address(buf)))
                return 0
            except BaseException as exc:  # the fit fails with EIO on every rank
                raised.append(exc)
                return 1

        c_thunk = _lib.ITER_CALLBACK(thunk)  # both alive until the fit returns
        c_reduce = _lib.ALLREDUCE_FN(reduce)
        if progress is not None:
            h.set("callback", c_thunk, None)
        if allreduce is not None:
            h.set("distributed", rank, size, c_reduce, None)
        try:
            h.call(*args)
        except _lib.MixtureError as exc:
            if raised and exc.code in (_lib.Status.ECANCELED, _lib.Status.EIO):
                raise raised[0] from None
            if reader is not None and reader.error is not None and exc.code == _lib.Status.EIO:
                raise reader.error from None
            raise
        finally:
            if progress is not None:
                h.set("callback", _lib.ITER_CALLBACK(), None)
            if allreduce is not None:
                h.set("distributed", 0, 1, _lib.ALLREDUCE_FN(), None)

    def _distributed(self):
        """(rank, size, allreduce) from the distributed parameter: None is
        one process, (0, 1, None)."""
        spec = getattr(self, "distributed", None)
        if spec is None:
            return 0, 1, None
        try:
            rank, size, allreduce = spec
        except (TypeError, ValueError):
            raise ValueError("The 'distributed' parameter of %s must be None or (rank, size, "
                             "allreduce). Got %r instead." % (type(self).__name__, spec))
        if not callable(allreduce):
            raise ValueError("The allreduce of %s's 'distributed' parameter must be callable"
                             % type(self).__name__)
        return (int_param(type(self).__name__, "rank", rank, 0),
                int_param(type(self).__name__, "size", size, 1), allreduce)

    def _progress(self):
        """The function called after each iteration, or None."""
        user = getattr(self, "callback", None)
        verbose = getattr(self, "verbose", 0)
        if not verbose:
            return user
        interval = max(1, int(getattr(self, "verbose_interval", 1)))
        last = [time.time()]  # of the last line printed
        label = "inertia" if self._kind == "kmeans" else "mean log-likelihood"

        def progress(run, iteration, objective, change):
            if iteration == 1:
                print("Initialization %d" % run, file=sys.stdout)
            if iteration % interval == 0:
                now = time.time()
                print("  Iteration %d\t time lapse %.5fs\t %s %.10g\t change %.5g"
                      % (iteration, now - last[0], label, objective, change), file=sys.stdout)
                last[0] = now
            return user(run, iteration, objective, change) if user is not None else False

        return progress

    # -- persistence: the library's saved-model format (docs/format.md) --------
    _blank = (1,)  # mix_<kind>_create's arguments for a handle to load into

    def save(self, path):
        """Save the fitted model to a file in the library's format (any
        program with libmixture loads it; docs/format.md): k, the options of
        the fit and the model, bit for bit. The file is replaced whole, or
        left as it was when the save fails. Python-only state is not saved:
        the training labels, feature_names_in_, float32 results, and
        parameters that are not library options (callback, verbose,
        distributed; BernoulliMixture's binarize). Pickle keeps them."""
        self._check_fitted()
        self._model.save(path)

    def to_bytes(self):
        """The bytes :meth:`save` writes to a file."""
        self._check_fitted()
        return self._model.to_bytes()

    @classmethod
    def load(cls, path, **params):
        """A new estimator with the model saved in a file (by :meth:`save`,
        or by mix_<kind>_save of any program): fitted attributes from the
        model, constructor parameters from the saved options (``params``
        override or add the others, such as binarize or callback). A file
        holding another kind of model, or a malformed, truncated or corrupt
        one, raises :class:`MixtureValueError` with the library's message; a
        file that cannot be read, :class:`MixtureRuntimeError`. A saved
        handle without a model gives an unfitted estimator."""
        data = _persist.read_file(path)  # read once: the model and its options agree
        h = _lib.Handle(cls._kind, *cls._blank)
        try:
            try:
                h.load_bytes(data)
            except _lib.MixtureError as e:  # named by the file, as mix_<kind>_load names it
                raise _persist.named(e, path) from None
            return cls._from_handle(h, _persist.from_bytes(cls._kind, data), params)
        except BaseException:
            h.close()
            raise

    @classmethod
    def from_bytes(cls, data, **params):
        """:meth:`load` from bytes (those of :meth:`to_bytes`, or of a file):
        any bytes-like object."""
        data = _persist.as_bytes(data)
        h = _lib.Handle(cls._kind, *cls._blank)
        try:
            h.load_bytes(data)
            return cls._from_handle(h, _persist.from_bytes(cls._kind, data), params)
        except BaseException:
            h.close()
            raise

    @classmethod
    def _from_handle(cls, h, saved, params):
        loaded = cls._params_from(saved)
        for name in cls._shape_params:
            if name in params and params[name] != loaded[name]:
                raise ValueError("%s=%r was given, but the saved model has %s=%r"
                                 % (name, params[name], name, loaded[name]))
        est = cls(**loaded)
        est.set_params(**params)
        if not h.get("is_fitted"):
            h.close()
            return est
        est._adopt(h, h.get("n_features"), None, False)
        est._loaded()
        return est

    # -- pickling and copies: through the saved format, never shared ------------
    def __getstate__(self):
        """The estimator's attributes (parameters, fitted attributes,
        labels_, feature names, float32 flag) and the model as the bytes of
        mix_<kind>_save_buffer."""
        # scikit-learn's BaseEstimator.__getstate__ first (it adds
        # _sklearn_version where scikit-learn labels its pickles); a copy, as
        # object.__getstate__ may return the instance's own __dict__.
        try:
            state = super().__getstate__()
        except AttributeError:
            state = None
        state = dict(self.__dict__ if state is None else state)
        model = state.pop("_model", None)
        if model is not None:
            state["_model_bytes"] = model.to_bytes()
        return state

    def __setstate__(self, state):
        state = dict(state)
        saved = state.pop("_model_bytes", None)
        h = None
        if saved is not None:
            h = _lib.Handle(self._kind, *self._blank)
            try:
                h.load_bytes(saved)
            except BaseException:
                h.close()
                raise
        parent = getattr(super(), "__setstate__", None)  # scikit-learn's: its version check
        if parent is not None:
            parent(state)
        else:
            self.__dict__.update(state)
        if h is not None:
            self._model = h
