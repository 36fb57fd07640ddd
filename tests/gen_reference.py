#!/usr/bin/python3
"""Write tests/ref/kmeans_ref.h: K-means and ARI reference values computed by
scikit-learn (never by libmixture), for the C suites (tests/unit/
test_kmeans_ref.c) to check parity without Python.

Regenerate with Debian's python3-sklearn (1.2.1 is the reference version):

    /usr/bin/python3 tests/gen_reference.py > tests/ref/kmeans_ref.h

The data come from fixed seeds, and sklearn runs on one thread so that its
sums are always added in the same order: regenerating on the same versions
gives the same file byte for byte. Doubles are printed with repr(), the
shortest text that reads back as the same double, so no value is rounded.
"""
import sys
import warnings

import numpy as np
import sklearn
from sklearn.cluster import KMeans
from sklearn.datasets import make_blobs
from sklearn.metrics import adjusted_rand_score
from threadpoolctl import threadpool_limits

N_NEW = 50        # held-out rows per case (fewer for the k = n case)
PER_LINE = 4      # numbers per line in the arrays


# ---------------------------------------------------------------------------
# Cases: name, X, weights (or None), init, max_iter, tol, X_new
# ---------------------------------------------------------------------------

def distinct_rows(X, k, rng):
    """k initial centers from distinct rows (distinct values) of X."""
    uniq = np.unique(X, axis=0)
    return uniq[rng.choice(uniq.shape[0], k, replace=False)].copy()


def blobs(n, d, centers, seed, std=1.0, n_new=N_NEW):
    """Training and held-out draws around the same blob centers."""
    X, _, C = make_blobs(n_samples=n, n_features=d, centers=centers, cluster_std=std,
                         random_state=seed, return_centers=True)
    X_new, _ = make_blobs(n_samples=n_new, n_features=d, centers=C, cluster_std=std,
                          random_state=seed + 1000)
    return X, X_new


def case(name, X, X_new, init, weights=None, max_iter=300, tol=1e-4):
    return dict(name=name, X=X, weights=weights, init=init, max_iter=max_iter, tol=tol,
                X_new=X_new)


def kmeans_cases():
    out = []

    rng = np.random.default_rng(101)
    X, X_new = blobs(300, 4, 5, seed=101)
    out.append(case("blobs", X, X_new, distinct_rows(X, 5, rng)))
    out.append(case("blobs_weighted", X, X_new, distinct_rows(X, 5, rng),
                    weights=rng.uniform(0.05, 5.0, X.shape[0])))

    rng = np.random.default_rng(102)
    X, X_new = blobs(200, 1, 3, seed=102)
    out.append(case("d1", X, X_new, distinct_rows(X, 3, rng)))

    rng = np.random.default_rng(103)
    X, X_new = blobs(150, 3, 3, seed=103)
    out.append(case("k1", X, X_new, distinct_rows(X, 1, rng)))

    # init = X: every point its own cluster, inertia 0.
    rng = np.random.default_rng(104)
    X = rng.normal(size=(20, 2))
    out.append(case("k_equals_n", X, rng.normal(size=(10, 2)), X.copy()))

    # 240 rows drawn from 30 distinct points: exact ties between copies.
    rng = np.random.default_rng(105)
    P = rng.normal(scale=3.0, size=(30, 3))
    X = P[rng.integers(0, 30, 240)]
    X_new = P[rng.integers(0, 30, N_NEW)] + rng.normal(scale=0.1, size=(N_NEW, 3))
    out.append(case("duplicates", X, X_new, distinct_rows(X, 6, rng)))

    # tol = 0, 3 iterations on overlapping blobs: stops on max_iter.
    rng = np.random.default_rng(106)
    X, X_new = blobs(300, 3, 6, seed=106, std=3.0)
    out.append(case("not_converged", X, X_new, distinct_rows(X, 6, rng), max_iter=3, tol=0.0))
    return out


def ari_cases():
    rng = np.random.default_rng(201)
    values = np.array([0, 7, 1000, 65537, 123456789, 2**31 - 1])
    a = rng.integers(0, 8, 40)
    return [
        ("random", rng.integers(0, 4, 100), rng.integers(0, 3, 100)),
        ("large_noncontiguous", values[rng.integers(0, 6, 60)],
         values[::-1][rng.integers(0, 4, 60)]),
        ("identical_renamed", a, (a * 977 + 5) % 2**31),
        ("single_cluster", np.zeros(30, dtype=np.int64), rng.integers(0, 3, 30)),
        ("one_item", np.array([3]), np.array([0])),
    ]


# ---------------------------------------------------------------------------
# scikit-learn
# ---------------------------------------------------------------------------

def fit_reference(c):
    k = c["init"].shape[0]
    km = KMeans(n_clusters=k, init=c["init"], n_init=1, algorithm="lloyd",
                max_iter=c["max_iter"], tol=c["tol"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "fewer distinct clusters" on duplicates
        km.fit(c["X"], sample_weight=c["weights"])
    X_new = c["X_new"]
    return dict(centers=km.cluster_centers_, labels=km.labels_, inertia=km.inertia_,
                n_iter=km.n_iter_, predict=km.predict(X_new),
                transform=km.transform(X_new), score=km.score(X_new))


# ---------------------------------------------------------------------------
# C output
# ---------------------------------------------------------------------------

def c_double(x):
    # repr() of a Python float is the shortest round-trip text; C reads
    # "1e-05", "3.0" and "-0.0" as the same double.
    return repr(float(x))


def c_array(ctype, name, values, fmt):
    values = np.ravel(values)
    lines = [", ".join(fmt(v) for v in values[i:i + PER_LINE])
             for i in range(0, len(values), PER_LINE)]
    body = ",\n    ".join(lines)
    return f"static const {ctype} {name}[] = {{\n    {body}\n}};\n"


def doubles(name, values):
    return c_array("double", name, values, c_double)


def int32s(name, values):
    values = np.asarray(values)
    assert values.min() >= 0 and values.max() < 2**31
    return c_array("int32_t", name, values, lambda v: str(int(v)))


HEADER_TOP = """\
/* Generated by tests/gen_reference.py from scikit-learn {version}; do not edit. */
#ifndef KMEANS_REF_H
#define KMEANS_REF_H
#include <stddef.h>
#include <stdint.h>
typedef struct kref_case {{
    const char *name;
    size_t n, d, k;
    const double *X;        /* n x d */
    const double *weights;  /* n, or NULL */
    const double *init;     /* k x d initial centers */
    int max_iter;
    double tol;
    const double *centers;  /* k x d, sklearn's cluster_centers_ */
    const int32_t *labels;  /* n, sklearn's labels_ */
    double inertia;
    int n_iter;
    size_t n_new;           /* held-out rows */
    const double *X_new;    /* n_new x d */
    const int32_t *predict; /* n_new */
    const double *transform;/* n_new x k */
    double score;           /* sklearn score(X_new) */
}} kref_case;
"""


def kmeans_arrays(i, c, r):
    p = f"kref_{i}_"
    parts = [f"/* case {i}: {c['name']} */\n", doubles(p + "X", c["X"])]
    if c["weights"] is not None:
        parts.append(doubles(p + "weights", c["weights"]))
    parts += [doubles(p + "init", c["init"]), doubles(p + "centers", r["centers"]),
              int32s(p + "labels", r["labels"]), doubles(p + "X_new", c["X_new"]),
              int32s(p + "predict", r["predict"]), doubles(p + "transform", r["transform"])]
    return "".join(parts)


def kmeans_entry(i, c, r):
    p = f"kref_{i}_"
    n, d = c["X"].shape
    k = c["init"].shape[0]
    weights = p + "weights" if c["weights"] is not None else "NULL"
    return (f"    {{ .name = \"{c['name']}\", .n = {n}, .d = {d}, .k = {k},\n"
            f"      .X = {p}X, .weights = {weights}, .init = {p}init,\n"
            f"      .max_iter = {c['max_iter']}, .tol = {c_double(c['tol'])},\n"
            f"      .centers = {p}centers, .labels = {p}labels,\n"
            f"      .inertia = {c_double(r['inertia'])}, .n_iter = {int(r['n_iter'])},\n"
            f"      .n_new = {c['X_new'].shape[0]}, .X_new = {p}X_new, .predict = {p}predict,\n"
            f"      .transform = {p}transform, .score = {c_double(r['score'])} }}")


def ari_section(cases):
    parts, entries = ["typedef struct ari_case { size_t n; const int32_t *a, *b; double ari; }"
                      " ari_case;\n"], []
    for i, (name, a, b) in enumerate(cases):
        ari = adjusted_rand_score(a, b)
        parts += [f"/* ARI case {i}: {name} */\n", int32s(f"ari_{i}_a", a),
                  int32s(f"ari_{i}_b", b)]
        entries.append(f"    {{ {len(a)}, ari_{i}_a, ari_{i}_b, {c_double(ari)} }}")
    parts.append("static const ari_case ari_cases[] = {\n" + ",\n".join(entries) + "\n};\n")
    parts.append("#define ARI_N_CASES (sizeof ari_cases / sizeof ari_cases[0])\n")
    return "".join(parts)


def main():
    out = [HEADER_TOP.format(version=sklearn.__version__)]
    cases = kmeans_cases()
    with threadpool_limits(limits=1):  # one summation order, reproducible bits
        results = [fit_reference(c) for c in cases]
    out += [kmeans_arrays(i, c, r) for i, (c, r) in enumerate(zip(cases, results))]
    entries = ",\n".join(kmeans_entry(i, c, r) for i, (c, r) in enumerate(zip(cases, results)))
    out.append("static const kref_case kref_cases[] = {\n" + entries + "\n};\n")
    out.append("#define KREF_N_CASES (sizeof kref_cases / sizeof kref_cases[0])\n")
    out.append(ari_section(ari_cases()))
    out.append("#endif\n")
    sys.stdout.write("".join(out))


if __name__ == "__main__":
    main()
