"""The clustering metrics computed exactly (mpmath, 50 digits), to judge
scikit-learn's values and libmixture's where the two differ by more than
rounding. Used by test_metrics_parity.py and tests/gen_metrics_reference.py.

Definitions are scikit-learn 1.2.1's, special cases included, plus one
convention where its formula is 0 / 0 (AMI of two labelings that put every
item alone: 1, the value of identical partitions)."""
from collections import Counter

import mpmath

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
