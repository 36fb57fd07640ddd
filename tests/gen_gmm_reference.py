#!/usr/bin/python3
"""Write tests/ref/gmm_ref.h: Gaussian mixture reference values computed by
scikit-learn (never by libmixture), for the C suites to check parity without
Python.

Regenerate with Debian's python3-sklearn (1.2.1 is the reference version):

    /usr/bin/python3 tests/gen_gmm_reference.py > tests/ref/gmm_ref.h

Each case gives starting weights, means and COVARIANCES (what
mix_gmm_set_params() takes; sklearn is given their inverses as
precisions_init), and sklearn runs max_iter EM iterations with tol = 0. The
fitted attributes are sklearn's weights_, means_, covariances_ and
precisions_cholesky_, flattened in C order in sklearn's shapes (full k x d x
d, tied d x d, diag k x d, spherical k). On held-out rows X_new the header
holds sklearn's score_samples, predict_proba, score, bic and aic.

The data and starting parameters come from fixed seeds, and sklearn runs on
one thread so that its sums are always added in the same order:
regenerating on the same versions gives the same file byte for byte.
Doubles are printed with repr(), the shortest text that reads back as the
same double (as '%.17g' would, but shorter), so no value is rounded.
"""
import sys
import warnings

import numpy as np
import sklearn
from sklearn.datasets import make_blobs
from sklearn.exceptions import ConvergenceWarning
from sklearn.mixture import GaussianMixture
from threadpoolctl import threadpool_limits

N_NEW = 40        # held-out rows per case
PER_LINE = 4      # numbers per line in the arrays
COV_TYPES = ("full", "tied", "diag", "spherical")  # index = mix_covariance value


# ---------------------------------------------------------------------------
# Cases
# ---------------------------------------------------------------------------

def random_spd(d, scale, rng):
    """A well-conditioned symmetric positive definite d x d matrix."""
    B = rng.normal(size=(d, d))
    return scale * (np.eye(d) + 0.3 * (B @ B.T) / d)


def make_case(name, cov_type, n, d, k, seed, max_iter=10, reg_covar=1e-6, std=1.5):
    rng = np.random.default_rng(seed)
    X, y, C = make_blobs(n_samples=n, n_features=d, centers=max(k, 2), cluster_std=std,
                         random_state=seed, return_centers=True)
    X_new, _ = make_blobs(n_samples=N_NEW, n_features=d, centers=C, cluster_std=std,
                          random_state=seed + 1000)
    # Starting point: Dirichlet weights, means near one row of k different
    # blobs, covariances of the order of the blobs'.
    w = rng.dirichlet(np.full(k, 5.0))
    blob_ids = rng.permutation(np.unique(y))[:k]
    rows = [rng.choice(np.flatnonzero(y == b)) for b in blob_ids]
    means = X[rows] + rng.normal(scale=0.3, size=(k, d))
    if cov_type == "full":
        cov = np.array([random_spd(d, rng.uniform(1.0, 3.0), rng) for _ in range(k)])
    elif cov_type == "tied":
        cov = random_spd(d, rng.uniform(1.0, 3.0), rng)
    elif cov_type == "diag":
        cov = rng.uniform(1.0, 4.0, size=(k, d))
    else:
        cov = rng.uniform(1.0, 4.0, size=k)
    return dict(name=name, cov_type=cov_type, X=X, X_new=X_new, w=w, means=means, cov=cov,
                max_iter=max_iter, reg_covar=reg_covar)


def cases():
    out = []
    for t, cov_type in enumerate(COV_TYPES):
        for j, (d, k, n) in enumerate(((1, 1, 100), (2, 3, 150), (5, 4, 200))):
            out.append(make_case(f"{cov_type}_d{d}_k{k}", cov_type, n, d, k,
                                 seed=300 + 10 * t + j))
    out.append(make_case("full_d3_k2_reg1e-3", "full", 120, 3, 2, seed=390,
                         reg_covar=1e-3, std=0.8))
    return out


# ---------------------------------------------------------------------------
# scikit-learn
# ---------------------------------------------------------------------------

def precisions_of(cov, cov_type):
    if cov_type in ("diag", "spherical"):
        return 1.0 / cov
    P = np.linalg.inv(cov)
    return 0.5 * (P + np.swapaxes(P, -1, -2))  # sklearn checks exact symmetry


def fit_reference(c):
    k = c["w"].shape[0]
    # With all three starting arrays given, the responsibilities drawn by
    # init_params are discarded; "random" is the cheapest.
    gm = GaussianMixture(n_components=k, covariance_type=c["cov_type"], tol=0.0,
                         reg_covar=c["reg_covar"], max_iter=c["max_iter"],
                         init_params="random", random_state=0,
                         weights_init=c["w"], means_init=c["means"],
                         precisions_init=precisions_of(c["cov"], c["cov_type"]))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # tol = 0 never converges
        gm.fit(c["X"])
    Xn = c["X_new"]
    return dict(weights=gm.weights_, means=gm.means_, cov=gm.covariances_,
                prec_chol=gm.precisions_cholesky_, lower_bound=gm.lower_bound_,
                n_iter=gm.n_iter_, score_samples=gm.score_samples(Xn),
                proba=gm.predict_proba(Xn), score=gm.score(Xn), bic=gm.bic(Xn),
                aic=gm.aic(Xn))


# ---------------------------------------------------------------------------
# C output
# ---------------------------------------------------------------------------

def c_double(x):
    # repr() of a Python float is the shortest round-trip text; C reads
    # "1e-05", "3.0" and "-0.0" as the same double.
    x = float(x)
    assert np.isfinite(x), x
    return repr(x)


def doubles(name, values):
    values = np.ravel(values)
    lines = [", ".join(c_double(v) for v in values[i:i + PER_LINE])
             for i in range(0, len(values), PER_LINE)]
    body = ",\n    ".join(lines)
    return f"static const double {name}[] = {{\n    {body}\n}};\n"


HEADER_TOP = """\
/* Generated by tests/gen_gmm_reference.py from scikit-learn {version}; do not edit. */
#ifndef GMM_REF_H
#define GMM_REF_H
#include <stddef.h>
#include <stdint.h>
typedef struct gref_case {{
    const char *name;
    int cov_type;            /* 0 full, 1 tied, 2 diag, 3 spherical */
    size_t n, d, k;
    const double *X;         /* n x d */
    const double *weights_init, *means_init, *cov_init; /* given to set_params (covariances!) */
    int max_iter;            /* tol = 0 */
    double reg_covar;
    const double *weights, *means, *cov, *prec_chol;   /* sklearn's fitted attributes, flattened */
    size_t cov_len;
    double lower_bound;
    int n_iter;
    size_t n_new;
    const double *X_new;
    const double *score_samples; /* n_new */
    const double *proba;         /* n_new x k */
    double score, bic, aic;
}} gref_case;
"""


def case_arrays(i, c, r):
    p = f"gref_{i}_"
    return "".join([f"/* case {i}: {c['name']} */\n",
                    doubles(p + "X", c["X"]),
                    doubles(p + "weights_init", c["w"]),
                    doubles(p + "means_init", c["means"]),
                    doubles(p + "cov_init", c["cov"]),
                    doubles(p + "weights", r["weights"]),
                    doubles(p + "means", r["means"]),
                    doubles(p + "cov", r["cov"]),
                    doubles(p + "prec_chol", r["prec_chol"]),
                    doubles(p + "X_new", c["X_new"]),
                    doubles(p + "score_samples", r["score_samples"]),
                    doubles(p + "proba", r["proba"])])


def case_entry(i, c, r):
    p = f"gref_{i}_"
    n, d = c["X"].shape
    k = c["w"].shape[0]
    cov_len = np.size(r["cov"])
    assert np.size(c["cov"]) == cov_len == np.size(r["prec_chol"])
    return (f"    {{ .name = \"{c['name']}\", .cov_type = {COV_TYPES.index(c['cov_type'])},\n"
            f"      .n = {n}, .d = {d}, .k = {k}, .X = {p}X,\n"
            f"      .weights_init = {p}weights_init, .means_init = {p}means_init,"
            f" .cov_init = {p}cov_init,\n"
            f"      .max_iter = {c['max_iter']}, .reg_covar = {c_double(c['reg_covar'])},\n"
            f"      .weights = {p}weights, .means = {p}means, .cov = {p}cov,"
            f" .prec_chol = {p}prec_chol,\n"
            f"      .cov_len = {cov_len}, .lower_bound = {c_double(r['lower_bound'])},"
            f" .n_iter = {int(r['n_iter'])},\n"
            f"      .n_new = {c['X_new'].shape[0]}, .X_new = {p}X_new,\n"
            f"      .score_samples = {p}score_samples, .proba = {p}proba,\n"
            f"      .score = {c_double(r['score'])}, .bic = {c_double(r['bic'])},"
            f" .aic = {c_double(r['aic'])} }}")


def main():
    cs = cases()
    with threadpool_limits(limits=1):  # one summation order, reproducible bits
        results = [fit_reference(c) for c in cs]
    out = [HEADER_TOP.format(version=sklearn.__version__)]
    out += [case_arrays(i, c, r) for i, (c, r) in enumerate(zip(cs, results))]
    entries = ",\n".join(case_entry(i, c, r) for i, (c, r) in enumerate(zip(cs, results)))
    out.append("static const gref_case gref_cases[] = {\n" + entries + "\n};\n")
    out.append("#define GREF_N_CASES (sizeof gref_cases / sizeof gref_cases[0])\n")
    out.append("#endif\n")
    sys.stdout.write("".join(out))


if __name__ == "__main__":
    main()
