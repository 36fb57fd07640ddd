"""The clustering metrics computed exactly (mpmath, 50 digits), to judge
scikit-learn's values and libmixture's where the two differ by more than
rounding. Used by test_metrics_parity.py and tests/gen_metrics_reference.py.

Definitions are scikit-learn 1.2.1's, special cases included, plus one
convention where its formula is 0 / 0 (AMI of two labelings that put every
item alone: 1, the value of identical partitions)."""
from collections import Counter, defaultdict

import mpmath
import numpy as np

mpmath.mp.dps = 50
mpf = mpmath.mpf


def info(a, b):
    """(MI, H_a, H_b, clusters of a, clusters of b), natural logarithms."""
    a, b = [int(v) for v in a], [int(v) for v in b]
    n = len(a)
    ca, cb, cab = Counter(a), Counter(b), Counter(zip(a, b))
    mi = sum(mpf(v) / n * mpmath.log(mpf(v) * n / (ca[x] * cb[y])) for (x, y), v in cab.items())
    h = lambda c: -sum(mpf(v) / n * mpmath.log(mpf(v) / n) for v in c.values())  # noqa: E731
    return mi, h(ca), h(cb), ca, cb


def emi(n, ca, cb):
    """Expected mutual information under the permutation model. O(sum over
    cells of min(a, b)) 50-digit terms: for n up to a few thousand."""
    if len(ca) == 1 or len(cb) == 1:
        return mpf(0)
    lf = lambda k: mpmath.loggamma(k + 1)  # noqa: E731
    e = mpf(0)
    for ai in ca.values():
        for bj in cb.values():
            base = lf(ai) + lf(bj) + lf(n - ai) + lf(n - bj) - lf(n)
            for m in range(max(1, ai + bj - n), min(ai, bj) + 1):
                p = mpmath.exp(base - lf(m) - lf(ai - m) - lf(bj - m) - lf(n - ai - bj + m))
                e += mpf(m) / n * mpmath.log(mpf(n) * m / (ai * bj)) * p
    return e


def nmi(a, b):
    mi, ha, hb, ca, cb = info(a, b)
    if len(ca) == 1 and len(cb) == 1:
        return mpf(1)
    if len(ca) == 1 or len(cb) == 1:
        return mpf(0)
    return mi / ((ha + hb) / 2)


def ami(a, b):
    mi, ha, hb, ca, cb = info(a, b)
    n = len(a)
    if (len(ca) == 1 and len(cb) == 1) or len(ca) == len(cb) == n:
        return mpf(1)
    if len(ca) == 1 or len(cb) == 1:
        mi = mpf(0)
    e = emi(n, ca, cb)
    return (mi - e) / ((ha + hb) / 2 - e)


def _groups(labels):
    g = defaultdict(list)
    for i, v in enumerate(labels):
        g[int(v)].append(i)
    return [g[k] for k in sorted(g)]


def silhouette(X, labels):
    """O(n^2 d) 50-digit operations: for n up to a few hundred."""
    P = [[mpf(float(v)) for v in row] for row in np.asarray(X)]
    groups = _groups(labels)
    dist = lambda i, j: mpmath.sqrt(sum((u - v) ** 2 for u, v in zip(P[i], P[j])))  # noqa: E731
    total = mpf(0)
    for c, rows in enumerate(groups):
        if len(rows) == 1:
            continue
        for i in rows:
            sums = [sum(dist(i, j) for j in g) for g in groups]
            a = sums[c] / (len(rows) - 1)
            b = min(sums[k] / len(g) for k, g in enumerate(groups) if k != c)
            top = max(a, b)
            total += (b - a) / top if top > 0 else 0
    return total / len(P)


def davies_bouldin(X, labels):
    """Exact arithmetic on the centroids numpy computes (scikit-learn's,
    and libmixture's bit for bit): what remains is the distances."""
    X = np.asarray(X)
    groups = _groups(labels)
    cents = [[mpf(float(v)) for v in X[rows].mean(axis=0)] for rows in groups]
    P = [[mpf(float(v)) for v in row] for row in X]
    dist = lambda u, v: mpmath.sqrt(sum((p - q) ** 2 for p, q in zip(u, v)))  # noqa: E731
    s = [sum(dist(P[i], cents[c]) for i in rows) / len(rows) for c, rows in enumerate(groups)]
    k = len(groups)
    cd = [[dist(cents[i], cents[j]) for j in range(k)] for i in range(k)]
    if all(v <= 1e-8 for v in s) or all(v <= 1e-8 for row in cd for v in row):
        return mpf(0)
    score = [max([(s[i] + s[j]) / cd[i][j] for j in range(k) if cd[i][j] != 0] + [mpf(0)])
             for i in range(k)]
    return sum(score) / k
