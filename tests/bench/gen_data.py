#!/usr/bin/python3
"""Deterministic benchmark data and starting parameters for tests/bench.

One data set is an (n, d, k) triple: n rows of d features drawn around k blob
centers, as scikit-learn's make_blobs does (centers uniform in the box
[-10, 10]^d, equal counts per blob, isotropic normal noise, rows shuffled;
written with numpy alone, seeded, so that it needs no scikit-learn), with
cluster_std = 2.5 sqrt(d) so that neighbouring blobs overlap somewhat
(centers are about 4.1 sqrt(d) apart): Lloyd's algorithm from the starting
centers below then needs many iterations (about 90 for n = 100k, d = 16,
k = 16). The starting parameters every runner uses:

  means / K-means centers  the first k rows of the shuffled data
  weights                  1/k each
  covariances              identity times v, v = mean per-feature variance of
                           the data, in the shape of each covariance type
                           (full k*d*d, tied d*d, diag k*d, spherical k)
  labels                   n labels in [0, k) drawn uniformly at random
                           (int32), for the metrics rows

Everything is written as raw little-endian float64 (row-major) into the
output directory, with meta.json describing shapes and file names. The data
never go into the repository: run.py passes a temporary directory.

Usage: gen_data.py OUTDIR N D K [--seed S]
Prints the path of meta.json.
"""
import argparse
import json
import os
import sys

import numpy as np


def blob_std(d):
    return 2.5 * np.sqrt(d)


def generate(outdir, n, d, k, seed=0):
    os.makedirs(outdir, exist_ok=True)
    rs = np.random.RandomState(seed)
    # The centers are drawn first: they depend only on (d, k, seed), so data
    # sets that differ only in n share their blobs (used by the scaling runs).
    centers = rs.uniform(-10.0, 10.0, size=(k, d))
    counts = np.full(k, n // k)
    counts[: n % k] += 1
    labels = np.repeat(np.arange(k), counts)
    X = rs.standard_normal(size=(n, d))
    X *= blob_std(d)
    X += centers[labels]
    X = np.ascontiguousarray(X[rs.permutation(n)], dtype="<f8")
    # The first k rows after a fixed shuffle (independent of make_blobs' own).
    perm = np.random.RandomState(seed + 1).permutation(n)
    means = np.ascontiguousarray(X[perm[:k]])
    v = float(X.var(axis=0).mean())
    weights = np.full(k, 1.0 / k)
    eye = np.eye(d)
    covs = {
        "full": np.ascontiguousarray(np.broadcast_to(eye * v, (k, d, d))),
        "tied": eye * v,
        "diag": np.full((k, d), v),
        "spherical": np.full(k, v),
    }
    random_labels = np.random.RandomState(seed + 2).randint(0, k, n).astype("<i4")
    files = {"X": "X.f64", "means": "means.f64", "weights": "weights.f64",
             "labels": "labels.i32"}
    random_labels.tofile(os.path.join(outdir, files["labels"]))
    X.tofile(os.path.join(outdir, files["X"]))
    means.astype("<f8").tofile(os.path.join(outdir, files["means"]))
    weights.astype("<f8").tofile(os.path.join(outdir, files["weights"]))
    for t, c in covs.items():
        files["cov_" + t] = "cov_%s.f64" % t
        np.asarray(c, dtype="<f8").tofile(os.path.join(outdir, files["cov_" + t]))
    meta = {"n": n, "d": d, "k": k, "seed": seed, "var": v,
            "cluster_std": float(blob_std(d)), "dtype": "<f8", "order": "C",
            "dir": os.path.abspath(outdir), "files": files}
    path = os.path.join(outdir, "meta.json")
    with open(path, "w") as f:
        json.dump(meta, f, indent=1)
    return path


def load_labels(meta_path):
    with open(meta_path) as f:
        meta = json.load(f)
    return np.fromfile(os.path.join(meta["dir"], meta["files"]["labels"]), dtype="<i4")


def load(meta_path):
    """(meta, X, means, weights, covs) with the arrays memory-mapped read-only."""
    with open(meta_path) as f:
        meta = json.load(f)
    n, d, k = meta["n"], meta["d"], meta["k"]
    p = lambda key: os.path.join(meta["dir"], meta["files"][key])
    X = np.fromfile(p("X"), dtype="<f8").reshape(n, d)
    means = np.fromfile(p("means"), dtype="<f8").reshape(k, d)
    weights = np.fromfile(p("weights"), dtype="<f8")
    shapes = {"full": (k, d, d), "tied": (d, d), "diag": (k, d), "spherical": (k,)}
    covs = {t: np.fromfile(p("cov_" + t), dtype="<f8").reshape(s) for t, s in shapes.items()}
    return meta, X, means, weights, covs


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("outdir")
    ap.add_argument("n", type=int)
    ap.add_argument("d", type=int)
    ap.add_argument("k", type=int)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args(argv)
    print(generate(a.outdir, a.n, a.d, a.k, a.seed))


if __name__ == "__main__":
    sys.exit(main())
