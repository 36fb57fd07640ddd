"""Rows on demand for the streamed fits (mix_*_fit_stream): the library's
reader (mix_read_fn) over Python chunks of rows."""
import ctypes

import numpy as np

from ._lib import READ_FN
from ._validation import as_rows, as_weights


class Reader:
    """Feeds the library the chunks of ``source``, pass after pass.

    ``source`` is a function returning a new iterable of chunks for each
    pass (a generator function, for instance), or an iterable that can be
    iterated again (a list of arrays); a bare iterator cannot, since a fit
    reads the data several times. A chunk is an array of rows or a pair
    (rows, sample_weight); ``prepare`` turns checked float64 rows into
    what the library reads (BernoulliMixture's binarizing)."""

    def __init__(self, source, who, prepare):
        if callable(source):
            self._open = source
        elif iter(source) is source:
            raise TypeError("%s.fit_stream reads the data several times: give it a function "
                            "returning a new iterator for each pass (a generator function), "
                            "or an iterable that can be iterated again, not an iterator"
                            % who)
        else:
            self._open = lambda: source
        self._who, self._prepare = who, prepare
        self._it = self._chunk = None
        self._pos = 0
        self.n_features = None
        self.all32 = True  # every chunk of the first pass was float32
        self._passes = 0
        self.error = None
        self.c_read = READ_FN(self._read)

    def start(self):
        """Begin the first pass and read its first chunk: the data's width
        (an empty chunk gives it too: a shard of a distributed fit may be
        empty)."""
        self._begin()
        if self.n_features is None:
            raise ValueError("%s.fit_stream: the source gave no rows" % self._who)
        return self.n_features

    def _begin(self):
        self._it = iter(self._open())
        self._passes += 1
        self._next()

    def _next(self):
        self._chunk, self._pos = None, 0
        for item in self._it:
            X, w = item if isinstance(item, tuple) else (item, None)
            X64, is32 = as_rows(X, self._who, ensure_min_samples=0)
            if self.n_features is None:
                self.n_features = X64.shape[1]
            elif X64.shape[1] != self.n_features:
                raise ValueError("%s.fit_stream: a chunk has %d features, the first had %d"
                                 % (self._who, X64.shape[1], self.n_features))
            if self._passes == 1:
                self.all32 = self.all32 and is32
            if X64.shape[0]:
                self._chunk = (np.ascontiguousarray(self._prepare(X64)),
                               as_weights(w, X64.shape[0]))
                return

    def _read(self, _user, X_out, w_out, max_rows):
        try:
            if self._it is None:
                self._begin()
            if self._chunk is None:  # the end of a pass; the next call starts another
                self._it = None
                return 0
            X, w = self._chunk
            m = min(max_rows, X.shape[0] - self._pos)
            d = X.shape[1]
            ctypes.memmove(X_out, X.ctypes.data + self._pos * d * 8, m * d * 8)
            if w is not None and w_out:
                ctypes.memmove(w_out, w.ctypes.data + self._pos * 8, m * 8)
            self._pos += m
            if self._pos == X.shape[0]:
                self._next()
            return m
        except BaseException as exc:  # never unwind through C: the fit fails with EIO
            self.error = exc
            return -1
