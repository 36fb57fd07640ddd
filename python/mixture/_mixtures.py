"""GaussianMixture (scikit-learn 1.2's estimator over one gmm_t) and
BernoulliMixture (the same shape over one bmm_t)."""
import numpy as np

from . import _lib
from ._base import BaseEstimator, DensityMixin, HandleEstimator, adam_options
from ._stream import Reader
from ._validation import (as_rows, as_weights, choice_param, feature_names,
                          int_param, real_param, seed_from, warn_not_converged)

_INIT = {"kmeans": 0, "k-means++": 1, "random": 2, "random_from_data": 3}
_COVARIANCE = {"full": 0, "tied": 1, "diag": 2, "spherical": 3}
_COVARIANCE_NAME = {code: name for name, code in _COVARIANCE.items()}


def covariance_shape(covariance_type, k, d):
    """scikit-learn's shape of covariances_, precisions_ and precisions_cholesky_."""
    return {"full": (k, d, d), "tied": (d, d), "diag": (k, d), "spherical": (k,)}[covariance_type]


class _Mixture(HandleEstimator, DensityMixin, BaseEstimator):
    """What GaussianMixture and BernoulliMixture share: the fit's skeleton
    (warm start, restarts, given starting parameters) and every query."""

    _inits = _INIT

    def _data(self, X):
        """The rows as the library takes them (hook for BernoulliMixture); a
        shard of a distributed fit may have any number of rows, none
        included."""
        return as_rows(X, type(self).__name__,
                       ensure_min_samples=0 if self.distributed is not None else 2)

    def _rows(self, X):
        X64, out_dtype = super()._rows(X)
        return self._prepare(X64), out_dtype

    def _prepare(self, X64):
        return X64

    def _handle_for_fit(self, k):
        """The fitted handle again when warm-starting from it, else a new one."""
        h = self.__dict__.get("_model")
        if self.warm_start and h is not None and self._shape_key() == self._model_key():
            return h, True
        return self._new_handle(k), False

    def fit_predict(self, X, y=None, sample_weight=None):
        """Fit, then the most probable component of each training row."""
        return self.fit(X, sample_weight=sample_weight).predict(X)

    def fit(self, X, y=None, sample_weight=None):
        """Estimate the parameters by EM (or Adam, ``method="adam"``), with
        optional sample weights (repetition counts)."""
        k = self._k()
        names = feature_names(X)
        X64, is32 = self._data(X)
        n, d = X64.shape
        if n < k and self.distributed is None:
            raise ValueError("Expected n_samples >= n_components but got n_components = %d, "
                             "n_samples = %d" % (k, n))
        return self._fit(k, d, names, is32, X64, as_weights(sample_weight, n), None)

    def fit_stream(self, chunks):
        """The fit of ``fit`` on rows read in chunks, pass after pass, for
        data larger than memory: bit for bit the fit of the rows
        concatenated. ``chunks`` is a function returning a new iterable of
        chunks for each pass (a generator function), or an iterable that can
        be iterated again (a list); a chunk is an array of rows or a pair
        (rows, sample_weight). Results are float32 when every chunk is."""
        k = self._k()
        reader = Reader(chunks, type(self).__name__, self._prepare)
        d = reader.start()
        return self._fit(k, d, None, None, None, None, reader)

    def _k(self):
        return int_param(type(self).__name__, "n_components", self.n_components, 1)

    def _options(self, h, warm):
        """Every option of a fit on the handle."""
        who = type(self).__name__
        h.set("init", choice_param(who, "init_params", self.init_params, self._inits))
        h.set("n_init", int_param(who, "n_init", self.n_init, 1))
        h.set("warm_start", 1 if warm else 0)
        self._set_common(h, max_iter=int_param(who, "max_iter", self.max_iter, 0),
                         tol=real_param(who, "tol", self.tol, 0.0),
                         seed=seed_from(self.random_state),
                         n_threads=int_param(who, "n_threads", self.n_threads, 0, True))
        self._configure(h)

    def _fit(self, k, d, names, is32, X64, w, reader):
        h, warm = self._handle_for_fit(k)
        try:
            self._options(h, warm)
            if not warm:
                self._given_start(h, k, d)
            self._fit_handle(h, X64, w, reader)
        except BaseException:
            if not warm:
                h.close()
            raise
        self._adopt(h, d, names, is32 if reader is None else reader.all32)
        self._read_results()
        if not self.converged_:
            # converged_ is whether some run converged: none did. A warm
            # start makes one run.
            runs = 1 if warm else int(self.n_init)
            warn_not_converged("%s. Try different init parameters, or increase max_iter, tol "
                               "or check for degenerate data."
                               % ("Initialization 1 did not converge" if runs == 1 else
                                  "None of the %d initializations converged" % runs))
        return self

    def _read_common(self):
        k, h = self._fitted_k(), self._model  # the model's, whatever set_params did
        self.weights_ = self._attr(self._copy("weights", (k,)))
        self.converged_ = bool(h.get("converged"))
        self.n_iter_ = int(h.get("n_iter"))
        self.lower_bound_ = float(h.get("lower_bound"))

    # -- using the model -------------------------------------------------------
    def predict(self, X):
        """Most probable component of each row (int64, as scikit-learn)."""
        return self._per_row("predict", X, None, np.int32).astype(np.int64)

    def predict_proba(self, X):
        """Posterior probability of each component of the fitted model,
        (n_samples, n_components of the fit)."""
        self._check_fitted()
        return self._per_row("predict_proba", X, self._fitted_k())

    def score_samples(self, X):
        """log p(x) of each row."""
        return self._per_row("score_samples", X, None)

    def score(self, X, y=None):
        """Mean log-likelihood of the rows."""
        return self._scalar("score", X)

    def bic(self, X):
        """Bayesian information criterion on X (lower is better)."""
        return self._scalar("bic", X)

    def aic(self, X):
        """Akaike information criterion on X (lower is better)."""
        return self._scalar("aic", X)

    def sample(self, n_samples=1):
        """n_samples rows drawn from the model, grouped by component, and
        their components: (X, y). The seed comes from random_state as for a
        fit, so an int random_state draws the same rows every call."""
        self._check_fitted()
        if (isinstance(n_samples, (bool, np.bool_))
                or not isinstance(n_samples, (int, np.integer)) or n_samples < 1):
            raise ValueError("Invalid value for 'n_samples': %r . The sampling requires at "
                             "least one sample." % (n_samples,))
        X = np.empty((int(n_samples), self._fitted_d()))
        y = np.empty(int(n_samples), dtype=np.int32)
        self._model.call("sample", int(n_samples), seed_from(self.random_state),
                         X.ctypes.data, y.ctypes.data)
        return self._attr(X), y.astype(np.int64)

    # -- loading (save, load, to_bytes, from_bytes and pickling: _base) ---------
    def _loaded(self):
        self._read_results()

    @classmethod
    def _common_params(cls, saved):
        """The parameters both mixtures take from the saved options (MOPT)."""
        o = saved.options
        inits = {code: name for name, code in cls._inits.items()}
        return dict(n_components=o["k"], tol=o["tol"], max_iter=o["max_iter"],
                    n_init=o["n_init"], init_params=inits[o["init"]],
                    random_state=o["seed"], warm_start=bool(o["warm_start"]),
                    n_threads=o["threads"] or None)

    @staticmethod
    def _given_arrays(saved, shapes):
        """weights_init and the other given starting parameters, by the bits
        of ``given``: {parameter: array} (shapes: tag -> (parameter, shape))."""
        out = {}
        for tag, (name, shape) in shapes.items():
            if tag in saved.arrays:
                out[name] = saved.arrays[tag].reshape(shape)
        return out


class GaussianMixture(_Mixture):
    """Gaussian mixture, as scikit-learn 1.2's
    ``sklearn.mixture.GaussianMixture``.

    Same parameters, defaults, attributes and methods; from the same starting
    parameters the results equal scikit-learn's to rounding. Extras of the
    library: ``init_params="hierarchical"`` (R mclust's start); sample
    weights in ``fit`` (repetition counts); ``method="adam"`` fits by Adam on
    the negative log-likelihood (``learning_rate``, ``beta_1``, ``beta_2``,
    ``epsilon``, ``batch_size``); ``n_threads``; ``callback(run, iteration,
    mean_log_likelihood, change)`` after every iteration (a true return stops
    the fit with :class:`MixtureRuntimeError`, code ECANCELED, and keeps the
    previous model); the unconstrained parameters ``theta_``,
    :meth:`set_theta` and :meth:`nll_grad`; :meth:`fit_stream` for data read
    in chunks; :meth:`partial_fit`, stepwise EM for data read once, with the
    step (t + ``learning_offset``)^-``learning_decay``; ``distributed``, as
    for :class:`KMeans`.
    """

    _kind = "gmm"
    _inits = dict(_INIT, hierarchical=4)

    def __init__(self, n_components=1, *, covariance_type="full", tol=1e-3, reg_covar=1e-6,
                 max_iter=100, n_init=1, init_params="kmeans", weights_init=None,
                 means_init=None, precisions_init=None, random_state=None, warm_start=False,
                 verbose=0, verbose_interval=10, method="em", learning_rate=0.01, beta_1=0.9,
                 beta_2=0.99, epsilon=1e-5, batch_size=None, learning_decay=0.6,
                 learning_offset=10.0, n_threads=None, callback=None,
                 distributed=None):
        self.n_components = n_components
        self.covariance_type = covariance_type
        self.tol = tol
        self.reg_covar = reg_covar
        self.max_iter = max_iter
        self.n_init = n_init
        self.init_params = init_params
        self.weights_init = weights_init
        self.means_init = means_init
        self.precisions_init = precisions_init
        self.random_state = random_state
        self.warm_start = warm_start
        self.verbose = verbose
        self.verbose_interval = verbose_interval
        self.method = method
        self.learning_rate = learning_rate
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.batch_size = batch_size
        self.learning_decay = learning_decay
        self.learning_offset = learning_offset
        self.n_threads = n_threads
        self.callback = callback
        self.distributed = distributed

    def _cov_type(self):
        choice_param(type(self).__name__, "covariance_type", self.covariance_type, _COVARIANCE)
        return self.covariance_type

    def _new_handle(self, k):
        return _lib.Handle("gmm", k, _COVARIANCE[self._cov_type()])

    def _shape_key(self):
        return (self.n_components, self.covariance_type)

    def _fitted_covariance_type(self):
        """covariance_type of the fitted model, from its handle."""
        return _COVARIANCE_NAME[self._model.get("covariance_type")]

    def _model_key(self):
        """_shape_key of the fitted model."""
        return (self._fitted_k(), self._fitted_covariance_type())

    def _configure(self, h):
        who = type(self).__name__
        h.set("reg_covar", real_param(who, "reg_covar", self.reg_covar, 0.0))
        adam_options(self, h)
        self._online(h)

    def _online(self, h):
        """partial_fit's step size, set at every fit too, so that a saved
        model carries it."""
        who = type(self).__name__
        h.set("online", real_param(who, "learning_decay", self.learning_decay),
              real_param(who, "learning_offset", self.learning_offset))

    def _given_start(self, h, k, d):
        """weights_init, means_init, precisions_init (as covariances, which
        the library takes)."""
        cov_type = self._cov_type()
        w = _given(self.weights_init, (k,), "weights_init")
        mu = _given(self.means_init, (k, d), "means_init")
        P = _given(self.precisions_init, covariance_shape(cov_type, k, d), "precisions_init")
        if w is None and mu is None and P is None:
            return
        cov = None if P is None else _invert_precisions(P, cov_type)
        h.call("set_params", d, _ptr(w), _ptr(mu), _ptr(cov))


    def _read_results(self):
        self._read_common()
        k, d = self._fitted_k(), self._fitted_d()  # the model's, whatever set_params did
        cov_type = self._fitted_covariance_type()
        shape = covariance_shape(cov_type, k, d)
        chol = self._copy("precisions_cholesky", shape)
        self.means_ = self._attr(self._copy("means", (k, d)))
        self.covariances_ = self._attr(self._copy("covariances", shape))
        self.precisions_cholesky_ = self._attr(chol)
        if cov_type in ("full", "tied"):
            self.precisions_ = self._attr(chol @ np.swapaxes(chol, -1, -2))
        else:
            self.precisions_ = self._attr(chol ** 2)

    _blank = (1, 0)
    _shape_params = ("n_components", "covariance_type")

    @classmethod
    def _params_from(cls, saved):
        """Constructor parameters from the saved options: given covariances
        come back as precisions_init (their inverses, to rounding)."""
        o, k, gd = saved.options, saved.options["k"], saved.options["gd"]
        cov_type = {code: name for name, code in _COVARIANCE.items()}[o["family"]]
        params = cls._common_params(saved)
        params.update(covariance_type=cov_type, reg_covar=o["reg"],
                      method="adam" if o["method"] == 1 else "em",
                      learning_rate=o["learning_rate"], beta_1=o["beta1"], beta_2=o["beta2"],
                      epsilon=o["epsilon"], batch_size=o["batch_size"] or None)
        given = cls._given_arrays(saved, {
            "GWGT": ("weights_init", (k,)), "GMEA": ("means_init", (k, gd)),
            "GCOV": ("precisions_init", covariance_shape(cov_type, k, gd))})
        if "precisions_init" in given:
            given["precisions_init"] = _invert_precisions(given["precisions_init"], cov_type)
        params.update(given)
        if saved.online is not None:
            params.update(learning_decay=saved.online["kappa"],
                          learning_offset=saved.online["t0"])
        return params

    def partial_fit(self, X, y=None, sample_weight=None):
        """One step of stepwise (online) EM on a chunk of rows, for data that
        can be read only once: the step size at step t is (t +
        learning_offset)^-learning_decay. The first call without a model
        fits the chunk as ``fit`` would (at least n_components rows); later
        calls, and calls after a fit, blend each chunk into the model.
        ``lower_bound_`` is then the chunk's mean log-likelihood before the
        step, ``n_iter_`` counts the steps, ``converged_`` is False. The
        callback is not called. A model continues with its own n_components
        and covariance_type: others raise ValueError (fit refits with them)."""
        if "_model" in self.__dict__:
            key = (self._k(), self._cov_type())
            if key != self._model_key():
                raise ValueError("n_components=%d, covariance_type=%r, but the model %s."
                                 "partial_fit continues has n_components=%d, "
                                 "covariance_type=%r: changing them between partial_fit calls "
                                 "is not supported (fit refits with the new values)"
                                 % (key + (type(self).__name__,) + self._model_key()))
            X64, _ = self._rows(X)
            h, new, names, is32 = self._model, False, None, None
        else:
            k = self._k()
            names = feature_names(X)
            X64, is32 = self._data(X)
            if X64.shape[0] < k:
                raise ValueError("Expected n_samples >= n_components but got n_components = "
                                 "%d, n_samples = %d" % (k, X64.shape[0]))
            h, new = self._new_handle(k), True
        n, d = X64.shape
        w = as_weights(sample_weight, n)
        try:
            if new:
                self._options(h, False)
                self._given_start(h, self._k(), d)
            self._online(h)
            h.call("partial_fit", X64.ctypes.data, n, d, None if w is None else w.ctypes.data)
        except BaseException:
            if new:
                h.close()
            raise
        if new:
            self._adopt(h, d, names, is32)
        self._read_results()
        return self

    # -- theta and the likelihood's gradient ----------------------------------
    @property
    def theta_(self):
        """The model as theta, the unconstrained parameters (see
        mix_gmm_theta_size in mixture.h: logits, means, precision Cholesky
        factors with log diagonals)."""
        self._check_fitted()
        t = np.empty(self._model.get("theta_size", self._fitted_d()))
        self._model.call("get_theta", t.ctypes.data)
        return t

    def set_theta(self, theta, n_features):
        """Make the mixture theta describes the estimator's model (as if
        fitted: n_iter_ 0, converged_ False, lower_bound_ NaN), for instance
        to start a warm-started fit from it."""
        who = type(self).__name__
        k = int_param(who, "n_components", self.n_components, 1)
        d = int_param(who, "n_features", n_features, 1)
        h = self._new_handle(k)
        try:
            t = _vector(theta, h.get("theta_size", d), "theta")
            h.call("set_theta", d, t.ctypes.data)
        except BaseException:
            h.close()  # now, not when the garbage collector gets to it
            raise
        self._adopt(h, d, None, False)
        self._read_results()
        return self

    def nll_grad(self, X, theta, sample_weight=None, grad=True):
        """(-sum_i w_i log p(x_i | theta), its gradient or None) for this
        estimator's n_components and covariance_type; needs no fit."""
        who = type(self).__name__
        X64, _ = as_rows(X, who)
        n, d = X64.shape
        k = int_param(who, "n_components", self.n_components, 1)
        n_threads = int_param(who, "n_threads", self.n_threads, 0, True)
        h = self._new_handle(k)
        try:  # the temporary handle is freed now, on success or failure
            if n_threads is not None:
                h.set("threads", n_threads)
            t = _vector(theta, h.get("theta_size", d), "theta")
            w = as_weights(sample_weight, n)
            nll = np.empty(1)
            g = np.empty_like(t) if grad else None
            h.call("nll_grad", X64.ctypes.data, n, d, _ptr(w), t.ctypes.data, nll.ctypes.data,
                   _ptr(g))
        finally:
            h.close()
        return float(nll[0]), g


class BernoulliMixture(_Mixture):
    """Mixture of multivariate Bernoulli distributions for binary data, fitted
    by EM on the library's engine, with GaussianMixture's interface.

    ``binarize``, as scikit-learn's BernoulliNB: values above the threshold
    become 1, the others 0 (NaN and infinity are refused); None takes the
    data as they are, which must then be 0 or 1. ``alpha`` is the M-step's
    pseudo-count (1: Laplace smoothing; 0: maximum likelihood, where a row
    impossible under the model scores -inf). Attributes ``weights_`` and
    ``probs_`` (n_components, n_features), ``converged_``, ``n_iter_``,
    ``lower_bound_``. ``n_threads``, ``callback``, :meth:`fit_stream` and
    ``distributed`` as for :class:`GaussianMixture`.
    """

    _kind = "bmm"

    def __init__(self, n_components=1, *, alpha=1.0, binarize=0.0, tol=1e-3, max_iter=100,
                 n_init=1, init_params="kmeans", weights_init=None, probs_init=None,
                 random_state=None, warm_start=False, verbose=0, verbose_interval=10,
                 n_threads=None, callback=None,
                 distributed=None):
        self.n_components = n_components
        self.alpha = alpha
        self.binarize = binarize
        self.tol = tol
        self.max_iter = max_iter
        self.n_init = n_init
        self.init_params = init_params
        self.weights_init = weights_init
        self.probs_init = probs_init
        self.random_state = random_state
        self.warm_start = warm_start
        self.verbose = verbose
        self.verbose_interval = verbose_interval
        self.n_threads = n_threads
        self.callback = callback
        self.distributed = distributed

    def _data(self, X):
        X64, is32 = super()._data(X)
        return self._prepare(X64), is32

    def _prepare(self, X64):
        if self.binarize is None:
            return X64
        t = real_param(type(self).__name__, "binarize", self.binarize)
        if not np.isfinite(X64).all():
            raise ValueError("Input X contains NaN or infinity; %s cannot binarize it."
                             % type(self).__name__)
        return (X64 > t).astype(np.float64)

    def _new_handle(self, k):
        return _lib.Handle("bmm", k)

    def _shape_key(self):
        return self.n_components

    def _model_key(self):
        return self._fitted_k()

    def _configure(self, h):
        h.set("alpha", real_param(type(self).__name__, "alpha", self.alpha, 0.0))

    def _given_start(self, h, k, d):
        w = _given(self.weights_init, (k,), "weights_init")
        p = _given(self.probs_init, (k, d), "probs_init")
        if w is not None or p is not None:
            h.call("set_params", d, _ptr(w), _ptr(p))


    def _read_results(self):
        self._read_common()
        self.probs_ = self._attr(self._copy("probs", (self._fitted_k(), self._fitted_d())))

    _shape_params = ("n_components",)

    @classmethod
    def _params_from(cls, saved):
        """Constructor parameters from the saved options; binarize is not a
        library option (give it to load when it is not the default)."""
        o, k, gd = saved.options, saved.options["k"], saved.options["gd"]
        params = cls._common_params(saved)
        params["alpha"] = o["reg"]
        params.update(cls._given_arrays(saved, {"GWGT": ("weights_init", (k,)),
                                                "GMEA": ("probs_init", (k, gd))}))
        return params


def _ptr(a):
    return None if a is None else a.ctypes.data


def _vector(v, size, name):
    a = np.ascontiguousarray(v, dtype=np.float64)
    if a.shape != (size,):
        raise ValueError("%s has shape %s, expected (%d,)" % (name, a.shape, size))
    return a


def _given(value, shape, name):
    """A starting array in the shape the library reads, or None."""
    if value is None:
        return None
    a = np.ascontiguousarray(value, dtype=np.float64)
    if a.shape != shape:
        raise ValueError("The parameter '%s' should have the shape of %s, but got %s"
                         % (name, shape, a.shape))
    return a


def _invert_precisions(P, cov_type):
    if cov_type in ("diag", "spherical"):
        return np.ascontiguousarray(1.0 / P)
    cov = np.linalg.inv(P)
    return np.ascontiguousarray(0.5 * (cov + np.swapaxes(cov, -1, -2)))

