"""An independent EM for mixtures of Bernoulli distributions in NumPy,
written for the tests (Bishop, Pattern Recognition and Machine Learning,
9.3.3, with sample weights and the pseudo-count alpha of include/mixture.h):

    E-step: r_ij = w_j p(x_i | mu_j) / sum_l w_l p(x_i | mu_l)
    M-step: N_j = sum_i s_i r_ij + 10 eps, w_j = N_j / sum N,
            mu_jt = (sum_i s_i r_ij x_it + alpha) / (N_j + 2 alpha)

The lower bound is the (weighted) mean log-likelihood at the last E-step.
Nothing here calls libmixture."""
import numpy as np

EPS = np.finfo(float).eps


def log_prob(X, probs):
    """(n, k) log p(x_i | mu_j), -inf where a probability of 0 or 1 makes the
    row impossible."""
    with np.errstate(divide="ignore"):
        lp, lq = np.log(probs), np.log1p(-probs)
    out = np.empty((X.shape[0], probs.shape[0]))
    for j in range(probs.shape[0]):
        terms = np.where(X == 1, lp[j], lq[j])
        out[:, j] = terms.sum(1)
    return out


def e_step(X, weights, probs):
    """Per-row log-likelihood and responsibilities."""
    with np.errstate(divide="ignore"):
        lw = log_prob(X, probs) + np.log(weights)
    top = lw.max(1, keepdims=True)
    e = np.exp(lw - top)
    s = e.sum(1, keepdims=True)
    return (np.log(s) + top)[:, 0], e / s


def em(X, weights, probs, iters, alpha, sample_weight=None):
    """`iters` EM iterations from the given parameters; returns weights,
    probs, the lower bound of the last E-step."""
    s = np.ones(len(X)) if sample_weight is None else np.asarray(sample_weight, float)
    lb = np.nan
    for _ in range(iters):
        ll, r = e_step(X, weights, probs)
        lb = (s * ll).sum() / s.sum()
        wr = r * s[:, None]
        nk = wr.sum(0) + 10 * EPS
        weights = nk / nk.sum()
        probs = (wr.T @ X + alpha) / (nk[:, None] + 2 * alpha)
    return weights, probs, lb


def binary_data(rng, n, d, k, flip=0.1):
    """n rows from k random prototypes with bits flipped with probability flip."""
    protos = rng.random((k, d)) < 0.5
    labels = rng.integers(0, k, size=n)
    X = protos[labels] ^ (rng.random((n, d)) < flip)
    return X.astype(float), labels
