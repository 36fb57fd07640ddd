"""KMeans: scikit-learn 1.2's estimator over one kmeans_t."""
import ctypes
import warnings

import numpy as np

from . import _lib
from ._base import (BaseEstimator, ClusterMixin, HandleEstimator, TransformerMixin,
                    adam_options)
from ._stream import Reader
from ._validation import (ConvergenceWarning, as_rows, as_weights, choice_param,
                          feature_names, int_param, random_state_of, real_param, seed_from)

_INIT = {"k-means++": 1, "random": 2}  # MIX_INIT_KMEANSPP, MIX_INIT_RANDOM
# elkan: the library's bound-based algorithm (Hamerly's), with the same
# results as Lloyd's bit for bit; "auto" and "full" are 1.2's deprecated
# spellings of "lloyd".
_ALGORITHM = {"lloyd": 1, "elkan": 2, "auto": 1, "full": 1}


class KMeans(HandleEstimator, ClusterMixin, TransformerMixin, BaseEstimator):
    """K-means clustering, as scikit-learn 1.2's ``sklearn.cluster.KMeans``.

    Same parameters, defaults, attributes and methods; from the same initial
    centers the results equal scikit-learn's to rounding. Differences:
    ``n_init`` defaults to 10 (1.2's effective default, without its
    FutureWarning; "auto" and "warn" are accepted); ``algorithm="elkan"``
    runs the library's bound-based algorithm (Hamerly's), which gives the
    same centers and labels as Lloyd's, bit for bit; a callable ``init`` is
    called with the data as given (scikit-learn passes it centred).

    Extras of the library: ``method="adam"`` fits the centers by Adam on the
    distortion (``learning_rate``, ``beta_1``, ``beta_2``, ``epsilon``,
    ``batch_size``: None for full batches); ``n_threads`` bounds the threads
    (None: all cores; results do not depend on it); ``callback(run,
    iteration, inertia, center_shift)`` is called after every iteration, and
    a true return stops the fit, which then raises
    :class:`MixtureRuntimeError` (code ECANCELED) and keeps the previous
    model; an exception raised by the callback stops the fit and propagates;
    :meth:`fit_stream` fits data read in chunks, :meth:`partial_fit` steps
    through data read once (scikit-learn's MiniBatchKMeans.partial_fit);
    ``distributed=(rank, size, allreduce)`` makes ``fit`` and ``fit_stream``
    fit this process's shard of rows as part of the whole, every global sum
    going through ``allreduce(buf)``, an in-place sum of a float64 array
    over the processes (with mpi4py: ``comm.Allreduce(MPI.IN_PLACE, buf)``).
    """

    _kind = "kmeans"

    def __init__(self, n_clusters=8, *, init="k-means++", n_init=10, max_iter=300, tol=1e-4,
                 verbose=0, random_state=None, copy_x=True, algorithm="lloyd", method="em",
                 learning_rate=0.01, beta_1=0.9, beta_2=0.99, epsilon=1e-5, batch_size=None,
                 n_threads=None, callback=None,
                 distributed=None):
        self.n_clusters = n_clusters
        self.init = init
        self.n_init = n_init
        self.max_iter = max_iter
        self.tol = tol
        self.verbose = verbose
        self.random_state = random_state
        self.copy_x = copy_x
        self.algorithm = algorithm
        self.method = method
        self.learning_rate = learning_rate
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.batch_size = batch_size
        self.n_threads = n_threads
        self.callback = callback
        self.distributed = distributed

    def _more_tags(self):
        # scikit-learn's KMeans carries the same mark: a row of weight 0 moves
        # the other rows' indices, so seeding draws other rows than with the
        # row removed, and the clusters come out in another order.
        return {"preserves_dtype": [np.float64, np.float32],
                "_xfail_checks": {"check_sample_weights_invariance":
                                  "zero sample_weight is not equivalent to removing samples"}}

    # -- fitting -------------------------------------------------------------
    def _starts(self, X64, k, d):
        """The init code and the list of given starting centers (one fit per
        entry; [None] when the library seeds). X64 is None for a stream."""
        who = type(self).__name__
        init, n_init = self.init, self.n_init
        if n_init == "warn":
            n_init = 10
        elif n_init == "auto":
            n_init = 1 if isinstance(init, str) and init == "k-means++" else 10
        n_init = int_param(who, "n_init", n_init, 1)
        if isinstance(init, str):
            return choice_param(who, "init", init, _INIT), n_init, [None]
        if callable(init):
            if X64 is None:
                raise ValueError("A callable init needs the data in memory: give %s.fit_stream "
                                 "initial centers, 'k-means++' or 'random'" % who)
            rs = random_state_of(self.random_state)
            return 1, 1, [self._centers(init(X64, k, random_state=rs), d, k)
                          for _ in range(n_init)]
        if n_init != 1:
            warnings.warn("Explicit initial center position passed: performing only one init "
                          "in %s instead of n_init=%d." % (who, n_init), RuntimeWarning,
                          stacklevel=3)
        return 1, 1, [self._centers(init, d, k)]

    def _centers(self, centers, d, k):
        c = np.array(centers, dtype=np.float64, order="C", copy=True)
        if c.ndim != 2 or c.shape[0] != k:
            raise ValueError("The shape of the initial centers %s does not match the number "
                             "of clusters %d." % (c.shape, k))
        if c.shape[1] != d:
            raise ValueError("The shape of the initial centers %s does not match the number "
                             "of features of the data %d." % (c.shape, d))
        return c

    def _configure(self, h, init_code, n_init, seed):
        who = type(self).__name__
        h.set("init", init_code)
        h.set("n_init", n_init)
        h.set("algorithm", choice_param(who, "algorithm", self.algorithm, _ALGORITHM))
        self._set_common(h, max_iter=int_param(who, "max_iter", self.max_iter, 1),
                         tol=real_param(who, "tol", self.tol, 0.0), seed=seed,
                         n_threads=int_param(who, "n_threads", self.n_threads, 0, True))
        adam_options(self, h)

    def _new_handle(self, k, start, init_code, n_init, seed):
        h = _lib.Handle("kmeans", k)
        try:
            self._configure(h, init_code, n_init, seed)
            if start is not None:
                h.set("init_centers", start.ctypes.data, start.shape[1])
        except BaseException:
            h.close()
            raise
        return h

    def fit(self, X, y=None, sample_weight=None):
        """Compute k-means clustering of X (n_samples, n_features), with
        optional sample weights (repetition counts)."""
        who = type(self).__name__
        k = int_param(who, "n_clusters", self.n_clusters, 1)
        names = feature_names(X)
        shard = self.distributed is not None  # any number of rows, none included
        X64, is32 = as_rows(X, who, ensure_min_samples=0 if shard else 1)
        n, d = X64.shape
        if n < k and not shard:
            raise ValueError("n_samples=%d should be >= n_clusters=%d." % (n, k))
        w = as_weights(sample_weight, n)
        init_code, n_init, starts = self._starts(X64, k, d)
        seed = seed_from(self.random_state)
        best = None
        for start in starts:
            h = self._new_handle(k, start, init_code, n_init, seed)
            try:
                self._fit_handle(h, X64, w)
            except BaseException:
                h.close()
                if best is not None:
                    best.close()
                raise
            if best is None or h.get("inertia") < best.get("inertia"):
                best, h = h, best
            if h is not None:
                h.close()
        self._adopt(best, d, names, is32)
        # a rank's labels are its shard's only (an empty shard has none): the
        # distinct clusters of the whole fit are not counted here
        self._read_results(n, warn=self.distributed is None)
        return self

    def fit_stream(self, chunks):
        """The fit of ``fit`` on rows read in chunks, pass after pass, for
        data larger than memory: bit for bit the fit of the rows
        concatenated. ``chunks`` is a function returning a new iterable of
        chunks for each pass (a generator function), or an iterable that can
        be iterated again (a list); a chunk is an array of rows or a pair
        (rows, sample_weight). ``labels_`` is not set (the rows are gone:
        predict them chunk by chunk); results are float32 when every chunk
        is."""
        who = type(self).__name__
        k = int_param(who, "n_clusters", self.n_clusters, 1)
        reader = Reader(chunks, who, lambda X64: X64)
        d = reader.start()
        init_code, n_init, starts = self._starts(None, k, d)
        h = self._new_handle(k, starts[0], init_code, n_init, seed_from(self.random_state))
        try:
            self._fit_handle(h, None, None, reader)
        except BaseException:
            h.close()
            raise
        self._adopt(h, d, None, reader.all32)
        self._read_results(None)
        return self

    def partial_fit(self, X, y=None, sample_weight=None):
        """One step of mini-batch K-means on a chunk of rows (scikit-learn's
        MiniBatchKMeans.partial_fit with reassignment_ratio=0): the first
        call starts from ``init`` on this chunk (at least n_clusters rows),
        later calls, and calls after a fit, continue from the model.
        ``labels_`` and ``inertia_`` then refer to this chunk, ``n_iter_``
        counts the steps. The callback is not called. A model continues
        with its own n_clusters: a different one raises ValueError (fit
        refits with it)."""
        who = type(self).__name__
        if "_model" in self.__dict__:
            k = int_param(who, "n_clusters", self.n_clusters, 1)
            if k != self._fitted_k():
                raise ValueError("n_clusters=%d, but the model %s.partial_fit continues has "
                                 "%d clusters: changing n_clusters between partial_fit calls "
                                 "is not supported (fit refits with the new value)"
                                 % (k, who, self._fitted_k()))
            X64, _ = self._rows(X)
            h, new, names, is32 = self._model, False, None, None
        else:
            k = int_param(who, "n_clusters", self.n_clusters, 1)
            names = feature_names(X)
            X64, is32 = as_rows(X, who)
            if X64.shape[0] < k:
                raise ValueError("n_samples=%d should be >= n_clusters=%d."
                                 % (X64.shape[0], k))
            init_code, n_init, starts = self._starts(X64, k, X64.shape[1])
            h, new = self._new_handle(k, starts[0], init_code, n_init,
                                      seed_from(self.random_state)), True
        n, d = X64.shape
        w = as_weights(sample_weight, n)
        try:
            h.call("partial_fit", X64.ctypes.data, n, d, None if w is None else w.ctypes.data)
        except BaseException:
            if new:
                h.close()
            raise
        if new:
            self._adopt(h, d, names, is32)
        self._read_results(n, warn=False)
        return self

    def _read_results(self, n, warn=True):
        k, d = self._fitted_k(), self._fitted_d()  # the model's, whatever set_params did
        self.cluster_centers_ = self._attr(self._copy("centers", (k, d)))
        self.inertia_ = float(self._model.get("inertia"))
        self.n_iter_ = int(self._model.get("n_iter"))
        self._n_features_out = k
        if n is None:  # a streamed fit: the rows are gone
            self.__dict__.pop("labels_", None)
            return
        labels = (ctypes.c_int32 * n).from_address(self._model.get("labels"))
        self.labels_ = np.frombuffer(labels, dtype=np.int32).copy()
        distinct = len(np.unique(self.labels_))
        if warn and distinct < k:
            warnings.warn("Number of distinct clusters (%d) found smaller than n_clusters (%d). "
                          "Possibly due to duplicate points in X." % (distinct, k),
                          ConvergenceWarning, stacklevel=3)

    def fit_predict(self, X, y=None, sample_weight=None):
        """Fit, then return the training labels (``labels_``)."""
        return self.fit(X, sample_weight=sample_weight).labels_

    def fit_transform(self, X, y=None, sample_weight=None):
        """Fit, then return the distances of X to the centers."""
        return self.fit(X, sample_weight=sample_weight).transform(X)

    # -- using the model -------------------------------------------------------
    def predict(self, X, sample_weight=None):
        """Index of the closest center for each row (int32). sample_weight is
        accepted and unused, as in scikit-learn 1.2."""
        return self._per_row("predict", X, None, np.int32)

    def transform(self, X):
        """Euclidean distances from each row to each center of the fitted
        model, (n_samples, n_clusters of the fit)."""
        self._check_fitted()
        return self._per_row("transform", X, self._fitted_k())

    def score(self, X, y=None, sample_weight=None):
        """Opposite of the (weighted) inertia of X under the model."""
        if sample_weight is None:
            return self._scalar("score", X)
        X64, _ = self._rows(X)
        w = as_weights(sample_weight, X64.shape[0])
        out = np.empty(1)
        self._model.call("score_weighted", X64.ctypes.data, X64.shape[0], X64.shape[1],
                         w.ctypes.data, out.ctypes.data)
        return float(out[0])

    def get_feature_names_out(self, input_features=None):
        """Names of the transformed features: kmeans0, kmeans1, ..."""
        self._check_fitted()
        return np.asarray(["kmeans%d" % i for i in range(self._fitted_k())], dtype=object)

    # -- loading (save, load, to_bytes, from_bytes and pickling: _base) ---------
    _shape_params = ("n_clusters",)

    @classmethod
    def _params_from(cls, saved):
        """Constructor parameters from the saved options (docs/format.md,
        KOPT): the initial centers, when given, are ``init``."""
        o = saved.options
        params = dict(n_clusters=o["k"], init="k-means++" if o["init"] == 1 else "random",
                      max_iter=o["max_iter"], tol=o["tol"], random_state=o["seed"],
                      n_threads=o["threads"] or None,
                      algorithm="elkan" if o["algorithm"] == 2 else "lloyd",
                      method="adam" if o["method"] == 1 else "em",
                      learning_rate=o["learning_rate"], beta_1=o["beta1"], beta_2=o["beta2"],
                      epsilon=o["epsilon"], batch_size=o["batch_size"] or None)
        if o["n_init"]:  # 0: the library's default, as n_init's here
            params["n_init"] = o["n_init"]
        if o["init_d"]:
            params["init"] = saved.arrays["ICEN"].reshape(o["k"], o["init_d"])
            params["n_init"] = 1
        return params

    def _loaded(self):
        """Fitted attributes from a loaded handle: no labels_ (not saved)."""
        self._read_results(None)
