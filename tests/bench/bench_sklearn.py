#!/usr/bin/python3
"""scikit-learn benchmark runner (tests/bench).

Same data and starting parameters as bench_mixture (see gen_data.py):
KMeans(init=centers, n_init=1, algorithm="lloyd", tol=0) or
GaussianMixture(weights_init, means_init, precisions_init, tol=0,
reg_covar=1e-6, init_params="random_from_data" -- cheap, and overridden by
the three given arrays). scikit-learn has no iteration callback, so the time
per iteration is (time(fit with M2 iterations) - time(fit with M1)) /
(n_iter_2 - n_iter_1), which removes the set-up (input checks, copies,
initialisation, the final E-step). When one pair of fits is short, pairs are
repeated (up to 5, until about 2 s have passed) and the medians of the two
fit times are used.

Peak memory beyond the data: VmHWM after loading the data, the starting
parameters and a small warm-up fit (so that imports, the OpenMP pool and
OpenBLAS buffers are not charged to the fit), and VmHWM after the two fits.

MODEL silhouette times sklearn.metrics.silhouette_score(X, labels) (the
labels of gen_data.py), one call after a warm-up on 2000 rows; M1 and M2
are ignored. It prints ms for the call and the score as the objective.

Usage: bench_sklearn.py MODEL META.json M1 M2 [THREADS]
MODEL is kmeans, full, tied, diag, spherical or silhouette. Prints one JSON line.
Run with /usr/bin/python3 (Debian's python3-sklearn).
"""
import os
import sys

THREADS = int(sys.argv[5]) if len(sys.argv) > 5 else 2
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = str(THREADS)

import json  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_data  # noqa: E402


def vmhwm_mib():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    return -1.0


def make_estimator(model, means, weights, covs, max_iter):
    if model == "kmeans":
        from sklearn.cluster import KMeans
        return KMeans(n_clusters=means.shape[0], init=means, n_init=1, algorithm="lloyd",
                      tol=0.0, max_iter=max_iter)
    from sklearn.mixture import GaussianMixture
    c = covs[model]
    if model in ("full", "tied"):
        prec = np.linalg.inv(c)
    else:
        prec = 1.0 / c
    return GaussianMixture(n_components=means.shape[0], covariance_type=model, tol=0.0,
                           reg_covar=1e-6, max_iter=max_iter, n_init=1,
                           init_params="random_from_data", weights_init=weights,
                           means_init=means, precisions_init=prec, random_state=0)


def timed_fit(model, X, means, weights, covs, max_iter):
    est = make_estimator(model, means, weights, covs, max_iter)
    t0 = time.perf_counter()
    est.fit(X)
    t1 = time.perf_counter()
    return (t1 - t0) * 1e3, int(est.n_iter_), est


def silhouette(meta_path):
    from threadpoolctl import threadpool_limits
    import sklearn
    from sklearn.metrics import silhouette_score
    meta, X, _, _, _ = gen_data.load(meta_path)
    labels = gen_data.load_labels(meta_path)
    with threadpool_limits(limits=THREADS):
        silhouette_score(np.ascontiguousarray(X[:2000]), labels[:2000])  # imports, pools
        base = vmhwm_mib()
        t0 = time.perf_counter()
        score = silhouette_score(X, labels)
        t1 = time.perf_counter()
        peak = vmhwm_mib()
    print(json.dumps({
        "runner": "sklearn", "version": sklearn.__version__, "model": "silhouette",
        "n": meta["n"], "d": meta["d"], "k": meta["k"], "threads": THREADS,
        "ms": round((t1 - t0) * 1e3, 3), "objective": float(score),
        "rss_base_mib": round(base, 2), "rss_peak_mib": round(peak, 2),
        "extra_mib": round(peak - base, 2)}))


def main():
    if len(sys.argv) < 5:
        sys.exit(__doc__)
    model, meta_path = sys.argv[1], sys.argv[2]
    if model == "silhouette":
        return silhouette(meta_path)
    m1, m2 = int(sys.argv[3]), int(sys.argv[4])
    from threadpoolctl import threadpool_limits
    import sklearn
    meta, X, means, weights, covs = gen_data.load(meta_path)
    warnings.simplefilter("ignore")  # ConvergenceWarning: tol = 0 on purpose
    with threadpool_limits(limits=THREADS):
        # Warm-up on a slice: lazy imports, thread pools, BLAS buffers.
        nw = min(X.shape[0], max(20 * means.shape[0], 5000))
        timed_fit(model, np.ascontiguousarray(X[:nw]), means, weights, covs, 2)
        base = vmhwm_mib()
        f1, f2 = [], []
        start = time.perf_counter()
        while len(f2) < 5 and (not f2 or time.perf_counter() - start < 2.0):
            t1, it1, _ = timed_fit(model, X, means, weights, covs, m1)
            t2, it2, est = timed_fit(model, X, means, weights, covs, m2)
            f1.append(t1)
            f2.append(t2)
        peak = vmhwm_mib()
    t1, t2 = float(np.median(f1)), float(np.median(f2))
    per_iter = (t2 - t1) / (it2 - it1) if it2 > it1 else -1.0
    if model == "kmeans":
        objective = float(est.inertia_)
    else:
        objective = float(est.lower_bound_)
    print(json.dumps({
        "runner": "sklearn", "version": sklearn.__version__, "model": model,
        "n": meta["n"], "d": meta["d"], "k": meta["k"], "threads": THREADS,
        "m1": m1, "m2": m2, "n_iter_1": it1, "n_iter_2": it2, "pairs": len(f2),
        "ms_fit_1": round(t1, 3), "ms_fit_2": round(t2, 3),
        "ms_per_iter": round(per_iter, 4), "objective": objective,
        "rss_base_mib": round(base, 2), "rss_peak_mib": round(peak, 2),
        "extra_mib": round(peak - base, 2)}))


if __name__ == "__main__":
    main()
