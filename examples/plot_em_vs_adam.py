"""The two ways to fit a Gaussian mixture to Old Faithful (full
covariances, k = 3, the same start): the mean log-likelihood per iteration
of EM and per epoch of Adam (full batch, learning rate 0.05), read through
the iteration callback. Usage: plot_em_vs_adam.py OUT.svg"""
import sys

from figures_common import load, mix, plt, save

X, _, _, _ = load("faithful")
curves = {}
for name, method, lr in (("EM", mix.MIX_METHOD_EM, None), ("Adam (lr 0.05)", mix.MIX_METHOD_ADAM, 0.05)):
    trace = []
    with mix.GaussianMixture(3, "full", seed=0, tol=0, max_iter=100 if lr is None else 400) as g:
        g.set_method(method)
        if lr is not None:
            g.set_adam(learning_rate=lr)
        g.set_callback(lambda run, it, objective, change: trace.append(objective) and 0)
        g.fit(X)
        curves[name] = (trace, g.lower_bound)
fig, ax = plt.subplots(figsize=(6, 3.5))
for name, (trace, lb) in curves.items():
    ax.plot(range(1, len(trace) + 1), trace, label="%s: %.4f at the end" % (name, lb))
ax.set_xscale("log")
ax.set_xlabel("iteration (EM) / epoch (Adam)")
ax.set_ylabel("mean log-likelihood")
ax.set_ylim(min(min(t) for t, _ in curves.values()) - 0.01,
            max(max(t) for t, _ in curves.values()) + 0.01)
ax.legend(frameon=False)
ax.set_title("Old Faithful, full covariances, k = 3")
save(fig, sys.argv[1])
