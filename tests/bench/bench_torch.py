#!/usr/bin/python3
"""PyTorch benchmark runner (tests/bench): one Adam epoch of a Gaussian
mixture fitted by gradient, as people write it with autograd.

Same data and starting parameters as bench_mixture --adam (see gen_data.py),
in libmixture's theta (docs/two_ways.md, tests/python/torch_reference.py):
[logits (k) | means (k x d) | precision Cholesky factors, log diagonal],
float64. One epoch is what a full-batch torch training loop does:

    opt.zero_grad(); loss = -log_likelihood(theta, X).sum(); loss.backward(); opt.step()

with torch.optim.Adam(lr 0.01, betas (0.9, 0.99), eps 1e-5), libmixture's
defaults, so that both follow the same trajectory. The log-likelihood is
written one of two ways (VARIANT):

  dist  torch.distributions: MixtureSameFamily(Categorical(logits),
        MultivariateNormal(means, scale_tril = U^-T)) for full and tied
        (U the precision factor, so that U^-T U^-1 is the covariance),
        Independent(Normal(means, 1 / s), 1) for diag and spherical;
        argument validation off (it only adds time)
  hand  the log-density by hand, one matrix product per epoch where the
        model allows it (full: X [U_1 .. U_k]; tied: X U; diag and spherical:
        the expanded square [x^2, x] against [s^2, -2 mu s^2]), then
        torch.logsumexp over the components

Time per epoch: the median over the epochs after the first (which is also
run, so the trajectories match libmixture's), as bench_mixture does with
its callback. objective: the mean log-likelihood of the final theta (one
more forward pass, untimed), libmixture's lower bound for an Adam fit.
Peak memory beyond the data: VmHWM after loading the data and a warm-up
epoch on a slice (imports, the thread pool, the allocator), and after the
epochs.

Usage: bench_torch.py MODEL META.json EPOCHS [THREADS [VARIANT]]
MODEL is full, tied, diag or spherical; VARIANT dist (default) or hand.
Prints one JSON line. Run with /usr/bin/python3 (Debian's python3-torch).
"""
import os
import sys

THREADS = int(sys.argv[4]) if len(sys.argv) > 4 else 2
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = str(THREADS)

import json  # noqa: E402
import math  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_data  # noqa: E402

torch.set_default_dtype(torch.float64)
torch.set_num_threads(THREADS)
torch.distributions.Distribution.set_default_validate_args(False)
ADAM = dict(lr=0.01, betas=(0.9, 0.99), eps=1e-5)
LOG_2PI = math.log(2 * math.pi)


def vmhwm_mib():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    return -1.0


def start_theta(model, means, weights, var):
    """theta of the runners' start: weights, means, covariances v I (the
    precision factor is I / sqrt(v): log diagonal -log(v) / 2)."""
    k, d = means.shape
    ld = -0.5 * math.log(var)
    if model in ("full", "tied"):
        iu = np.triu_indices(d)
        blk = np.where(iu[0] == iu[1], ld, 0.0)
        cov = np.tile(blk, k if model == "full" else 1)
    elif model == "diag":
        cov = np.full(k * d, ld)
    else:
        cov = np.full(k, ld)
    return np.concatenate([np.log(weights), means.ravel(), cov])


class Model:
    def __init__(self, model, k, d, variant):
        self.model, self.k, self.d, self.variant = model, k, d, variant
        self.iu = torch.triu_indices(d, d)
        self.diag_mask = (self.iu[0] == self.iu[1])

    def factors(self, c):
        """Upper precision factors (m, d, d) from the stored upper triangles
        (log diagonal): m = k (full) or 1 (tied)."""
        d = self.d
        blocks = c.reshape(-1, d * (d + 1) // 2)
        vals = torch.where(self.diag_mask, torch.exp(blocks), blocks)
        U = torch.zeros(blocks.shape[0], d, d, dtype=c.dtype)
        return U.index_put((torch.arange(blocks.shape[0])[:, None], self.iu[0], self.iu[1]),
                           vals)

    def loglik(self, t, X):
        """log p(x_i) for every row of X (n,)."""
        k, d, model = self.k, self.d, self.model
        logits, mu, c = t[:k], t[k:k + k * d].reshape(k, d), t[k + k * d:]
        if self.variant == "dist":
            D = torch.distributions
            if model in ("full", "tied"):
                U = self.factors(c)
                eye = torch.eye(d).expand_as(U)
                L = torch.linalg.solve_triangular(U.transpose(-1, -2), eye, upper=False)
                comp = D.MultivariateNormal(mu, scale_tril=L.expand(k, d, d))
            elif model == "diag":
                comp = D.Independent(D.Normal(mu, torch.exp(-c.reshape(k, d))), 1)
            else:
                comp = D.Independent(D.Normal(mu, torch.exp(-c)[:, None].expand(k, d)), 1)
            return D.MixtureSameFamily(D.Categorical(logits=logits), comp).log_prob(X)
        # By hand: squared Mahalanobis distances (n, k), log determinants (k,).
        if model == "full":
            U = self.factors(c)                                   # (k, d, d)
            Y = X @ U.permute(1, 0, 2).reshape(d, k * d)          # (n, k d)
            M = torch.einsum("kd,kde->ke", mu, U).reshape(1, k * d)
            maha = ((Y - M) ** 2).reshape(-1, k, d).sum(2)
            logdet = c.reshape(k, -1)[:, self.diag_mask].sum(1)
        elif model == "tied":
            U = self.factors(c)[0]
            Y, M = X @ U, mu @ U
            maha = (Y * Y).sum(1, keepdim=True) - 2 * Y @ M.T + (M * M).sum(1)
            logdet = c[self.diag_mask].sum().expand(k)
        elif model == "diag":
            s2 = torch.exp(2 * c.reshape(k, d))
            maha = (X * X) @ s2.T - 2 * X @ (mu * s2).T + (mu * mu * s2).sum(1)
            logdet = c.reshape(k, d).sum(1)
        else:
            s2 = torch.exp(2 * c)
            maha = ((X * X).sum(1, keepdim=True) - 2 * X @ mu.T + (mu * mu).sum(1)) * s2
            logdet = d * c
        logp = -0.5 * (d * LOG_2PI + maha) + logdet + torch.log_softmax(logits, 0)
        return torch.logsumexp(logp, 1)


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    model, meta_path, epochs = sys.argv[1], sys.argv[2], int(sys.argv[3])
    variant = sys.argv[5] if len(sys.argv) > 5 else "dist"
    meta, Xn, means, weights, _ = gen_data.load(meta_path)
    k, d = means.shape
    X = torch.from_numpy(np.ascontiguousarray(Xn))
    theta0 = start_theta(model, means, weights, meta["var"])
    net = Model(model, k, d, variant)

    def epoch(t, opt, rows):
        opt.zero_grad()
        loss = -net.loglik(t, rows).sum()
        loss.backward()
        opt.step()

    # Warm-up on a slice (threads, allocator, lazy initialisation), then the
    # baseline of the memory measure.
    t = torch.tensor(theta0, requires_grad=True)
    opt = torch.optim.Adam([t], **ADAM)
    epoch(t, opt, X[:min(len(X), 5000)])
    base = vmhwm_mib()
    t = torch.tensor(theta0, requires_grad=True)
    opt = torch.optim.Adam([t], **ADAM)
    times = []
    for _ in range(epochs):
        t0 = time.perf_counter()
        epoch(t, opt, X)
        times.append((time.perf_counter() - t0) * 1e3)
    peak = vmhwm_mib()
    with torch.no_grad():
        objective = float(net.loglik(t, X).mean())
    rest = times[1:] or times
    print(json.dumps({
        "runner": "torch", "version": torch.__version__.split("+")[0], "model": model,
        "variant": variant, "n": meta["n"], "d": d, "k": k, "threads": THREADS,
        "torch_threads": torch.get_num_threads(), "n_iter": epochs,
        "ms_per_iter": round(float(np.median(rest)), 4), "ms_first_iter": round(times[0], 3),
        "ms_total": round(sum(times), 3), "objective": objective,
        "rss_base_mib": round(base, 2), "rss_peak_mib": round(peak, 2),
        "extra_mib": round(peak - base, 2)}))


if __name__ == "__main__":
    main()
