"""Reference values written for the tests with PyTorch autograd: the
negative log-likelihood of a Gaussian mixture in libmixture's theta
parametrisation (include/mixture.h, mix_gmm_theta_size), its gradient, and
torch.optim.Adam trajectories; the K-means distortion likewise. Nothing here
calls libmixture."""
import numpy as np
import torch

torch.set_default_dtype(torch.float64)
LOG_2PI = float(np.log(2 * np.pi))
ADAM = dict(lr=0.01, betas=(0.9, 0.99), eps=1e-5)


def _factors(c, cov, k, d):
    """The precision factors of theta's covariance part (log diagonals)."""
    if cov in (0, 1):  # full, tied: upper triangles row by row
        blocks = c.reshape(k if cov == 0 else 1, d * (d + 1) // 2)
        iu = torch.triu_indices(d, d)
        out = []
        for b in blocks:
            U = torch.zeros(d, d).index_put((iu[0], iu[1]), b)
            diag = torch.diagonal(U)
            out.append(U - torch.diag(diag) + torch.diag(torch.exp(diag)))
        return out
    if cov == 2:  # diagonal
        return list(torch.exp(c.reshape(k, d)))
    return list(torch.exp(c))  # spherical


def gmm_nll(t, X, w, k, d, cov):
    """-sum_i w_i log p(x_i) at theta t (a tensor), X (n, d), w (n,) or None."""
    logw = torch.log_softmax(t[:k], 0)
    mu = t[k:k + k * d].reshape(k, d)
    U = _factors(t[k + k * d:], cov, k, d)
    Xt = torch.as_tensor(X)
    cols = []
    for j in range(k):
        Uj = U[j if cov != 1 else 0]
        e = Xt - mu[j]
        if cov in (0, 1):
            y = e @ Uj
            logdet = torch.log(torch.diagonal(Uj)).sum()
        elif cov == 2:
            y = e * Uj
            logdet = torch.log(Uj).sum()
        else:
            y = e * Uj
            logdet = d * torch.log(Uj)
        cols.append(-0.5 * (d * LOG_2PI + (y * y).sum(1)) + logdet)
    ll = torch.logsumexp(torch.stack(cols, 1) + logw, 1)
    wt = torch.ones(len(X)) if w is None else torch.as_tensor(w)
    return -(wt * ll).sum()


def gmm_nll_grad(theta, X, w, k, d, cov):
    t = torch.tensor(theta, requires_grad=True)
    nll = gmm_nll(t, X, w, k, d, cov)
    nll.backward()
    return nll.item(), t.grad.numpy().copy()


def gmm_adam(theta, X, w, k, d, cov, epochs):
    """Parameters after `epochs` full-batch Adam steps, and the loss before
    each step."""
    t = torch.tensor(theta, requires_grad=True)
    opt = torch.optim.Adam([t], **ADAM)
    losses = []
    for _ in range(epochs):
        opt.zero_grad()
        nll = gmm_nll(t, X, w, k, d, cov)
        nll.backward()
        losses.append(nll.item())
        opt.step()
    return t.detach().numpy().copy(), np.array(losses)


def kmeans_adam(C, X, w, epochs):
    t = torch.tensor(C, requires_grad=True)
    opt = torch.optim.Adam([t], **ADAM)
    Xt = torch.as_tensor(X)
    wt = torch.ones(len(X)) if w is None else torch.as_tensor(w)
    losses = []
    for _ in range(epochs):
        opt.zero_grad()
        dist = ((Xt[:, None, :] - t[None, :, :]) ** 2).sum(2)
        loss = (wt * dist.min(1).values).sum()
        loss.backward()
        losses.append(loss.item())
        opt.step()
    return t.detach().numpy().copy(), np.array(losses)


def random_theta(rng, X, k, d, cov):
    """A theta near the data: logits, means at random rows, factors with
    log-diagonals around -0.5 and small off-diagonals."""
    n = len(X)
    n_cov = {0: k * d * (d + 1) // 2, 1: d * (d + 1) // 2, 2: k * d, 3: k}[cov]
    theta = np.empty(k + k * d + n_cov)
    theta[:k] = rng.normal(size=k) * 0.3
    theta[k:k + k * d] = X[rng.choice(n, k)].ravel() + rng.normal(size=k * d) * 0.1
    c = theta[k + k * d:]
    if cov in (0, 1):
        iu = np.triu_indices(d)
        size = d * (d + 1) // 2
        for m in range(n_cov // size):
            blk = rng.normal(size=size) * 0.1
            blk[iu[0] == iu[1]] = rng.normal(size=d) * 0.2 - 0.5
            c[m * size:(m + 1) * size] = blk
    else:
        c[:] = rng.normal(size=n_cov) * 0.2 - 0.5
    return theta
