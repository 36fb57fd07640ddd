"""Distributed fits through the package (distributed=(rank, size,
allreduce), mix_*_set_distributed): each "process" is a thread here, the
allreduce an in-place sum across the threads behind a barrier. The fit of
the shards equals the one-process fit of the rows concatenated in rank
order to 1e-10 relative (the library's promise), on every rank, for the
three estimators, shards of unequal sizes, one of them empty, in memory or
streamed; labels_ are each rank's own rows. Needs NumPy only.
"""
import threading
import unittest
import warnings

try:
    import numpy as np
    import mixture
    HAVE_NUMPY = True
except ImportError:
    HAVE_NUMPY = False

TOL = 1e-10


def rel(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    return float(np.max(np.abs(a - b))) / max(float(np.max(np.abs(b))), 1e-300)


class ThreadSum:
    """An in-place sum over `size` threads, as MPI_Allreduce(MPI_SUM)."""

    def __init__(self, size):
        self.size = size
        self.barrier = threading.Barrier(size, timeout=60)
        self.parts = [None] * size

    def for_rank(self, rank):
        def allreduce(buf):
            self.parts[rank] = buf.copy()
            self.barrier.wait()
            total = np.sum(self.parts, axis=0)  # the same order on every rank
            self.barrier.wait()
            buf[:] = total
        return allreduce


def fit_ranks(make, shards, stream=False):
    """Fit every shard on its own thread; the estimators, in rank order."""
    size = len(shards)
    ring = ThreadSum(size)
    ests = [make(distributed=(r, size, ring.for_rank(r))) for r in range(size)]
    errors = []

    def run(r):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                if stream:
                    ests[r].fit_stream([shards[r]])
                else:
                    ests[r].fit(shards[r])
        except BaseException as exc:  # reported by the test
            errors.append(exc)
            ring.barrier.abort()

    threads = [threading.Thread(target=run, args=(r,)) for r in range(size)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]
    return ests


@unittest.skipUnless(HAVE_NUMPY, "NumPy is absent (apt-get install python3-numpy)")
class Distributed(unittest.TestCase):

    def setUp(self):
        rng = np.random.default_rng(11)
        centers = rng.normal(scale=6, size=(4, 3))
        self.X = centers[rng.integers(0, 4, 900)] + rng.normal(size=(900, 3))
        cuts = (0, 150, 150, 600, 900)  # rank 1's shard is empty
        self.shards = [self.X[a:b] for a, b in zip(cuts, cuts[1:])]
        self.makers = (
            ("cluster_centers_", lambda **kw: mixture.KMeans(4, random_state=0, **kw)),
            ("means_", lambda **kw: mixture.GaussianMixture(4, random_state=0, **kw)),
            ("probs_", lambda **kw: mixture.BernoulliMixture(4, random_state=0, **kw)))

    def test_equals_one_process(self):
        for attr, make in self.makers:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                whole = make().fit(self.X)
            for stream in (False, True):
                with self.subTest(attr, stream=stream):
                    ests = fit_ranks(make, self.shards, stream=stream)
                    for r, est in enumerate(ests):
                        self.assertLessEqual(rel(getattr(est, attr), getattr(whole, attr)), TOL)
                        if attr == "cluster_centers_" and not stream:
                            self.assertEqual(len(est.labels_), len(self.shards[r]))
                            if len(self.shards[r]):
                                np.testing.assert_array_equal(est.labels_,
                                                              whole.predict(self.shards[r]))
                    # the estimators are ordinary ones afterwards
                    np.testing.assert_array_equal(ests[0].predict(self.X), whole.predict(self.X))

    def test_allreduce_errors_propagate(self):
        def broken(buf):
            raise OSError("the network is down")
        with self.assertRaisesRegex(OSError, "the network is down"):
            mixture.KMeans(3, distributed=(0, 2, broken)).fit(self.X)
        with self.assertRaisesRegex(ValueError, "distributed"):
            mixture.KMeans(3, distributed=(0, 2)).fit(self.X)


if __name__ == "__main__":
    unittest.main()
