"""Parity of libmixture's clustering metrics with scikit-learn's functions.

Run with the Python that has scikit-learn (Debian's python3-sklearn 1.2.1):

    MIXTURE_LIB=$PWD/lib/libmixture.so /usr/bin/python3 -m unittest \\
        discover -s tests/python -t tests/python -p 'test_metrics*' -v

Hundreds of labelings and data sets from fixed seeds, plus adversarial ones,
against live scikit-learn. The requirement is 1e-12 relative; where
scikit-learn's own rounding is larger, the tolerance is 1e-12 relative plus
scikit-learn's measured distance from the exact value (exact_metrics.py,
50 digits):

- Rand and adjusted Rand indices: exact integers on both sides, 1e-12.
- NMI: libmixture's mutual information is accurate (each term from the
  exact integer ratio); scikit-learn's differences of logarithms cost it up
  to ~1e-10 near independence: tolerance 1e-12 |sk| + |sk - exact|.
- AMI: the expected mutual information (EMI) is scikit-learn's algorithm
  with its special functions, so its large rounding (n log n eps) is
  shared; what differs is MI and the entropies (measured against exact, as
  for NMI) and the log-ratio of EMI's terms (scikit-learn's is a difference
  of three logarithms, good to 16 eps log n, and the weights of EMI's terms
  sum to 1): tolerance 1e-12 |sk| + (|MI_sk - MI| + |AMI| |H_sk - H| +
  (1 + |AMI|) 16 eps log n) / |H - EMI|.
- Calinski-Harabasz: scikit-learn's operations in numpy's order: equal.
- Silhouette, Davies-Bouldin: 1e-12 on data where scikit-learn's expanded
  distances are accurate; on adversarial data (singleton clusters,
  clusters far from the origin) against the exact value instead, where
  scikit-learn is off by up to 1e-4.

Every suite prints its figures (worst relative difference from scikit-learn,
number of cases, number beyond 1e-12 and why) to stderr, so `make check`
shows them. Without scikit-learn everything is skipped.
"""
import sys
import unittest

try:
    import numpy as np
    from sklearn.metrics import (adjusted_mutual_info_score, adjusted_rand_score,
                                 calinski_harabasz_score, davies_bouldin_score,
                                 mutual_info_score, normalized_mutual_info_score, rand_score,
                                 silhouette_score)
    from sklearn.metrics.cluster import contingency_matrix, entropy
    from sklearn.metrics.cluster._expected_mutual_info_fast import expected_mutual_information
    HAVE_SKLEARN = True
except ImportError:  # numpy and mpmath come with sklearn; all are guarded here
    HAVE_SKLEARN = False

SKIP_MSG = "scikit-learn not installed; apt-get install python3-sklearn"

if HAVE_SKLEARN:
    import exact_metrics as exact
    import mixture_ctypes as mix
    from error_assertions import ErrorAssertions
else:
    class ErrorAssertions:
        pass

REL_TOL = 1e-12
EPS = 2.220446049250313e-16
I32_MIN, I32_MAX = -2**31, 2**31 - 1


def rel(got, ref):
    return 0.0 if got == ref else abs(got - ref) / max(abs(ref), 1e-300)


class Figures:
    """Per metric: the number of cases, the worst relative difference from
    scikit-learn (over all cases, and over those with |value| >= 1e-3, as
    AMI near 0 has no relative digits to compare), and the cases beyond
    1e-12: how many, how far scikit-learn itself is from the exact value
    there (when known), and how close the difference came to its
    tolerance."""

    def __init__(self, title):
        self.title, self.stats = title, {}

    def add(self, metric, got, ref, sk_error=None, tol=None):
        st = self.stats.setdefault(metric, dict(count=0, worst=0.0, worst_big=0.0, beyond=0,
                                                sk_error=0.0, of_tol=0.0))
        r = rel(got, ref)
        st["count"] += 1
        st["worst"] = max(st["worst"], r)
        if abs(ref) >= 1e-3:
            st["worst_big"] = max(st["worst_big"], r)
        if r > REL_TOL:
            st["beyond"] += 1
            if sk_error is not None:
                st["sk_error"] = max(st["sk_error"], sk_error)
            if tol:
                st["of_tol"] = max(st["of_tol"], abs(got - ref) / tol)

    def report(self):
        for m, st in sorted(self.stats.items()):
            line = (f"metrics parity {self.title:6s} {m:18s} {st['count']:4d} cases, worst rel diff "
                    f"{st['worst']:.1e} ({st['worst_big']:.1e} where |value| >= 1e-3)")
            if st["beyond"]:
                line += f"; {st['beyond']} beyond 1e-12"
                if st["sk_error"]:
                    line += f", where scikit-learn is off the exact value by up to {st['sk_error']:.1e}"
                if st["of_tol"]:
                    line += f", at most {st['of_tol']:.2f} of scikit-learn's error bound"
            print(line, file=sys.stderr)


# ---------------------------------------------------------------------------
# Label metrics
# ---------------------------------------------------------------------------

def random_labelings(seed):
    """One random pair of labelings: sizes, cluster counts, label values
    (negative, huge, -1 noise) and dependence all drawn from the seed."""
    rng = np.random.default_rng(seed)
    n = int(rng.choice([1, 2, 3, 5, 10, 50, 200, 1000, 3000]) * rng.uniform(0.5, 1.5)) or 1
    ka, kb = int(rng.integers(1, 15)), int(rng.integers(1, 15))
    a, b = rng.integers(0, ka, n), rng.integers(0, kb, n)
    style = seed % 5
    if style == 1:  # dependent: b copies a, partly
        b = np.where(rng.random(n) < rng.uniform(0.3, 0.95), a, b)
    elif style == 2:  # values anywhere in int32
        va = rng.integers(I32_MIN, I32_MAX, ka, endpoint=True)
        vb = rng.integers(I32_MIN, I32_MAX, kb, endpoint=True)
        a, b = va[a], vb[b]
    elif style == 3:  # -1 noise
        a[rng.random(n) < 0.3] = -1
    elif style == 4:  # many clusters, about n / 2 (n kept small: EMI is O(R C))
        n = min(n, 600)
        a, b = rng.integers(0, max(1, n // 2), n), rng.integers(-n // 2, 1, n)
    return a, b


def ami_tolerance(a, b, ref):
    """1e-12 relative plus what scikit-learn's MI and entropies are off by
    (exact) and the bound of its EMI log-ratio rounding (see the module)."""
    n = len(a)
    mi_ex, ha, hb, ca, cb = exact.info(a, b)
    if (len(ca) == 1 and len(cb) == 1) or len(ca) == len(cb) == n:
        return REL_TOL * abs(ref)
    mi_sk = 0.0 if (len(ca) == 1 or len(cb) == 1) else mutual_info_score(a, b)
    if len(ca) == 1 or len(cb) == 1:
        mi_ex = 0
    h_sk = (entropy(a) + entropy(b)) / 2
    h_ex = (ha + hb) / 2
    cont = contingency_matrix(a, b, sparse=True).astype(np.float64)
    den = max(abs(float(h_ex) - expected_mutual_information(cont, n)), EPS)
    sk_error = (abs(mi_sk - float(mi_ex)) + abs(ref) * abs(h_sk - float(h_ex))) / den
    return REL_TOL * abs(ref) + sk_error + (1 + abs(ref)) * 16 * EPS * np.log(max(n, 2)) / den


@unittest.skipUnless(HAVE_SKLEARN, SKIP_MSG)
class LabelMetrics(unittest.TestCase):
    """500 random pairs of labelings, then adversarial ones."""

    SEEDS = range(500)
    figures = None

    @classmethod
    def setUpClass(cls):
        cls.figures = Figures("labels")

    @classmethod
    def tearDownClass(cls):
        cls.figures.report()

    def check(self, a, b, ami=True):
        f = self.figures
        for metric, sk, ours in (("adjusted_rand", adjusted_rand_score, mix.adjusted_rand_index),
                                 ("rand", rand_score, mix.rand_index)):
            ref, got = sk(a, b), ours(a, b)
            f.add(metric, got, ref)
            self.assertLessEqual(abs(got - ref), REL_TOL * abs(ref), f"{metric}: {got!r} vs {ref!r}")
        ref, got = normalized_mutual_info_score(a, b), mix.normalized_mutual_info(a, b)
        ex = float(exact.nmi(a, b))
        sk_err = abs(ref - ex)
        tol = REL_TOL * abs(ref) + sk_err + 1e-13 * abs(ex)
        f.add("normalized_mutual", got, ref, sk_err / max(abs(ex), 1e-300), tol)
        self.assertLessEqual(abs(got - ref), tol, f"NMI {got!r} vs sklearn {ref!r}, exact {ex!r}")
        self.assertLessEqual(abs(got - ex), 1e-13 * abs(ex) + 1e-16, f"NMI {got!r} vs exact {ex!r}")
        if not ami:
            return
        ref, got = adjusted_mutual_info_score(a, b), mix.adjusted_mutual_info(a, b)
        if len(a) in (2, 4) and len(set(a)) == len(set(b)) == len(a):
            # every item alone in both: 0 / 0, scikit-learn rounds to 0.0
            # for n = 2 and 4 and to 1.0 otherwise; libmixture gives 1.0.
            self.assertEqual(got, 1.0)
            return
        tol = ami_tolerance(a, b, ref)
        f.add("adjusted_mutual", got, ref, tol=tol)
        self.assertLessEqual(abs(got - ref), tol, f"AMI {got!r} vs sklearn {ref!r}")

    def test_random_labelings(self):
        for seed in self.SEEDS:
            a, b = random_labelings(seed)
            with self.subTest(seed=seed, n=len(a)):
                self.check(a, b)

    def test_symmetric(self):
        """The pair counts exactly; NMI to 1e-12. AMI's expectation sums
        log-factorials of order n log n in scikit-learn's order, which puts
        a's sizes before b's: swapping them changes its rounding (1e-12 of
        an AMI near 0 at n = 1000). libmixture's EMI is scikit-learn's, so
        it is exactly as symmetric as scikit-learn's."""
        for seed in range(0, 500, 7):
            a, b = random_labelings(seed)
            with self.subTest(seed=seed):
                self.assertEqual(mix.adjusted_rand_index(a, b), mix.adjusted_rand_index(b, a))
                self.assertEqual(mix.rand_index(a, b), mix.rand_index(b, a))
                self.assertAlmostEqual(mix.normalized_mutual_info(a, b),
                                       mix.normalized_mutual_info(b, a), delta=1e-12)
                sk = abs(adjusted_mutual_info_score(a, b) - adjusted_mutual_info_score(b, a))
                self.assertAlmostEqual(mix.adjusted_mutual_info(a, b),
                                       mix.adjusted_mutual_info(b, a), delta=1e-12 + sk)

    def test_degenerate(self):
        rng = np.random.default_rng(40)
        cases = [
            ([5], [-7]),                                   # n = 1
            ([1, 1], [2, 2]), ([1, 2], [3, 3]), ([1, 2], [4, 3]), ([1, 1], [3, 4]),
            (np.zeros(30, int), np.full(30, -1)),           # both one cluster
            (np.zeros(30, int), rng.integers(0, 3, 30)),   # one cluster against three
            (np.arange(40), np.arange(40)[::-1]),          # every item alone in both
            (np.arange(40), np.arange(40) // 2),           # alone against pairs
            (np.arange(4), np.arange(4) + 7),              # scikit-learn's AMI: 0.0
            (np.arange(5), np.arange(5) * 3),
        ]
        for a, b in cases:
            with self.subTest(a=a[:6], b=b[:6]):
                self.check(np.asarray(a), np.asarray(b))

    def test_int32_extremes(self):
        rng = np.random.default_rng(41)
        values = np.array([I32_MIN, I32_MIN + 1, -1, 0, 1, I32_MAX - 1, I32_MAX])
        for n in (7, 100, 1000):
            with self.subTest(n=n):
                self.check(values[rng.integers(0, 7, n)], values[rng.integers(0, 7, n)])
        self.check(values, values[::-1])

    def test_noise_and_unbalanced(self):
        rng = np.random.default_rng(42)
        a = rng.integers(0, 6, 2000)
        a[rng.random(2000) < 0.4] = -1
        self.check(a, rng.integers(0, 4, 2000))
        u = np.zeros(5000, dtype=np.int64)
        u[rng.choice(5000, 7, replace=False)] = rng.integers(1, 4, 7)
        self.check(u, rng.integers(0, 2, 5000))
        self.check(u, u)

    def test_many_clusters(self):
        rng = np.random.default_rng(43)
        for n in (50, 400, 2000):
            with self.subTest(n=n):
                self.check(rng.integers(0, n // 2, n), rng.integers(0, n // 2, n))

    def test_million_items(self):
        """n = 1e6: the label metrics in O(n); AMI with 4 x 3 clusters (its
        cost grows with the clusters' sizes times their number)."""
        rng = np.random.default_rng(44)
        n = 1_000_000
        a = rng.integers(-2, 2, n)
        b = np.where(rng.random(n) < 0.5, a, rng.integers(0, 3, n))
        self.check(a, b)
        self.check(a, rng.integers(0, 3, n))  # independent: AMI near 0
        c = rng.integers(0, 1000, n)
        self.check(c, rng.integers(0, 500, n), ami=False)


# ---------------------------------------------------------------------------
# Data metrics
# ---------------------------------------------------------------------------

def random_data(seed):
    """Centred data (scikit-learn's expanded distances are accurate there)
    and labels without singleton clusters (whose Davies-Bouldin spread
    scikit-learn computes as about 1e-8 instead of 0)."""
    rng = np.random.default_rng(1000 + seed)
    n = int(rng.integers(4, 400))
    d = int(rng.integers(1, 9))
    k = int(rng.integers(2, min(n // 2, 25) + 1))
    X = rng.standard_normal((n, d)) * rng.uniform(0.1, 10)
    if seed % 3 == 0:  # blobs
        X += rng.uniform(-5, 5, (k, d))[np.arange(n) % k]
    labels = rng.permutation(np.arange(n) % k)
    if seed % 4 == 1:
        labels = np.array([I32_MIN, -1, 3, I32_MAX, 77] * 5)[labels]
    return X, labels


@unittest.skipUnless(HAVE_SKLEARN, SKIP_MSG)
class DataMetrics(unittest.TestCase):
    """300 random data sets, then adversarial ones against exact values."""

    SEEDS = range(300)
    figures = None

    @classmethod
    def setUpClass(cls):
        cls.figures = Figures("data")

    @classmethod
    def tearDownClass(cls):
        cls.figures.report()

    def test_random_data(self):
        """1e-12 from scikit-learn; where they differ by more (close
        centroids, whose expanded distances scikit-learn gets only to a few
        digits), 1e-12 from the exact value, and scikit-learn's difference
        no larger than its own distance from it."""
        exact_fns = {"silhouette": exact.silhouette, "davies_bouldin": exact.davies_bouldin}
        f = self.figures
        for seed in self.SEEDS:
            X, labels = random_data(seed)
            with self.subTest(seed=seed, n=X.shape[0], d=X.shape[1]):
                for metric, sk, ours in (("silhouette", silhouette_score, mix.silhouette_score),
                                         ("davies_bouldin", davies_bouldin_score,
                                          mix.davies_bouldin)):
                    ref, got = sk(X, labels), ours(X, labels)
                    if rel(got, ref) <= REL_TOL:
                        f.add(metric, got, ref)
                        continue
                    e = float(exact_fns[metric](X, labels))
                    f.add(metric, got, ref, rel(ref, e))
                    self.assertLessEqual(rel(got, e), REL_TOL, f"{metric} {got!r}, exact {e!r}")
                    self.assertLessEqual(abs(got - ref), REL_TOL * abs(ref) + 1.001 * abs(ref - e),
                                         f"{metric} {got!r} vs {ref!r}, exact {e!r}")
                ref, got = calinski_harabasz_score(X, labels), mix.calinski_harabasz(X, labels)
                f.add("calinski_harabasz", got, ref)
                self.assertEqual(got, ref, "Calinski-Harabasz must be scikit-learn's bit for bit")

    def test_larger(self):
        """Blocks, threads and numpy's chunked sums at larger n."""
        rng = np.random.default_rng(50)
        for n, d, k in ((5000, 16, 10), (3000, 1, 4), (2000, 3, 600), (20000, 2, 3)):
            X = rng.standard_normal((n, d))
            labels = rng.permutation(np.arange(n) % k)
            with self.subTest(n=n, d=d, k=k):
                ref, got = silhouette_score(X, labels), mix.silhouette_score(X, labels)
                self.figures.add("silhouette", got, ref)
                self.assertLessEqual(rel(got, ref), REL_TOL)
                ref, got = davies_bouldin_score(X, labels), mix.davies_bouldin(X, labels)
                self.figures.add("davies_bouldin", got, ref)
                self.assertLessEqual(rel(got, ref), REL_TOL)
                self.assertEqual(mix.calinski_harabasz(X, labels),
                                 calinski_harabasz_score(X, labels))

    def check_exact(self, X, labels, what):
        """Against the 50-digit values; scikit-learn's distance from them is
        recorded in the figures."""
        for metric, sk, ours, ex in (("silhouette", silhouette_score, mix.silhouette_score,
                                      exact.silhouette),
                                     ("davies_bouldin", davies_bouldin_score, mix.davies_bouldin,
                                      exact.davies_bouldin)):
            e, ref, got = float(ex(X, labels)), sk(X, labels), ours(X, labels)
            self.figures.add(metric, got, ref, rel(ref, e))
            self.assertLessEqual(rel(got, e), REL_TOL, f"{what} {metric}: {got!r}, exact {e!r}")
            self.assertLessEqual(abs(got - ref), REL_TOL * abs(ref) + abs(ref - e) * 1.001 + 1e-300,
                                 f"{what} {metric}: {got!r} vs sklearn {ref!r}, exact {e!r}")
        self.assertEqual(mix.calinski_harabasz(X, labels), calinski_harabasz_score(X, labels))

    def test_adversarial(self):
        rng = np.random.default_rng(51)
        pts = rng.standard_normal((5, 3)) * 1e3
        cases = [
            ("singletons", rng.standard_normal((40, 3)),
             np.concatenate([np.arange(15), rng.integers(0, 4, 25)])),
            ("k = n - 1", rng.standard_normal((30, 2)), np.concatenate([[0], np.arange(29)])),
            ("far from the origin", rng.standard_normal((60, 3)) * 0.01 + 1e3,
             rng.integers(0, 3, 60)),
            ("duplicates", pts[rng.integers(0, 5, 50)], rng.integers(0, 3, 50)),
            ("three rows", rng.standard_normal((3, 4)), np.array([9, 9, -9])),
            ("tiny", rng.standard_normal((40, 2)) * 2.0**-700, rng.integers(0, 3, 40)),
            ("huge", rng.standard_normal((40, 2)) * 2.0**700, rng.integers(0, 3, 40)),
        ]
        for what, X, labels in cases:
            with self.subTest(what):
                if what in ("tiny", "huge"):
                    # scikit-learn's squares underflow or overflow; libmixture
                    # scales by a power of two, which changes no digit: the
                    # values of the same data near 1, bit for bit. But
                    # Davies-Bouldin is 0 when every spread is below 1e-8,
                    # an absolute threshold (scikit-learn's np.allclose).
                    unit = X * (2.0**700 if what == "tiny" else 2.0**-700)
                    for fn in (mix.silhouette_score, mix.calinski_harabasz):
                        self.assertEqual(fn(X, labels), fn(unit, labels), fn.__name__)
                    db = 0.0 if what == "tiny" else mix.davies_bouldin(unit, labels)
                    self.assertEqual(mix.davies_bouldin(X, labels), db)
                    continue
                self.check_exact(X, labels, what)


@unittest.skipUnless(HAVE_SKLEARN, SKIP_MSG)
class MetricErrors(ErrorAssertions, unittest.TestCase):
    """The status codes through ctypes (the metrics have no handle, so the
    message is the code's static text)."""

    def test_label_metrics(self):
        for fn in (mix.adjusted_rand_index, mix.rand_index, mix.normalized_mutual_info,
                   mix.adjusted_mutual_info):
            self.assert_fails(mix.MIX_EDIM, lambda: fn([], []), "shape")

    def test_data_metrics(self):
        X = np.random.default_rng(60).standard_normal((10, 2))
        for fn, sk in ((mix.silhouette_score, silhouette_score),
                       (mix.calinski_harabasz, calinski_harabasz_score),
                       (mix.davies_bouldin, davies_bouldin_score)):
            with self.subTest(fn=fn.__name__):
                for labels in (np.zeros(10), np.arange(10)):  # scikit-learn raises
                    with self.assertRaises(ValueError):
                        sk(X, labels)
                    self.assert_fails(mix.MIX_EINVAL, lambda: fn(X, labels), "invalid")
                bad = X.copy()
                bad[3, 1] = np.nan
                self.assert_fails(mix.MIX_EDATA, lambda: fn(bad, np.arange(10) % 2), "nan")
                self.assert_fails(mix.MIX_EDIM, lambda: fn(X[:, :0], np.arange(10) % 2),
                                  "shape")


if __name__ == "__main__":
    unittest.main()
