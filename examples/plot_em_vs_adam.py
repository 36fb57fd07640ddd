"""The two ways to fit a Gaussian mixture to Old Faithful (full
covariances, k = 3, the same start): the mean log-likelihood per iteration
of EM and per epoch of Adam (full batch, learning rate 0.05), read through
the iteration callback. Usage: plot_em_vs_adam.py OUT.svg"""
import sys
import warnings

from figures_common import load, mixture, plt, save

X, _, _, _ = load("faithful")
curves = {}
for name, options in (("EM", dict(method="em", max_iter=100)),
                      ("Adam (lr 0.05)", dict(method="adam", learning_rate=0.05, max_iter=400))):
    trace = []
    g = mixture.GaussianMixture(
        3, covariance_type="full", random_state=0, tol=0, **options,
        callback=lambda run, it, objective, change: trace.append(objective))
    with warnings.catch_warnings():  # tol 0: every fit runs max_iter, not converged on purpose
        warnings.simplefilter("ignore", mixture.ConvergenceWarning)
        g.fit(X)
    curves[name] = (trace, g.lower_bound_)
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
