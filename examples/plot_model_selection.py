"""Choosing k on iris (4 measurements, Gaussian mixtures, full
covariances): BIC and AIC of each k on all rows, and the held-out negative
log-likelihood of a model fitted to 80 % of the rows, scored on the other
20 %; the chosen k of each criterion marked. `mixture select` prints the
same table. Usage: plot_model_selection.py OUT.svg"""
import sys

from figures_common import load, mixture, np, plt, save

X, _, _, _ = load("iris")
ks = range(1, 9)
held = np.random.default_rng(0).random(len(X)) < 0.2
bic, aic, nll = [], [], []
for k in ks:
    g = mixture.GaussianMixture(k, covariance_type="full", n_init=3, random_state=0).fit(X)
    bic.append(g.bic(X))
    aic.append(g.aic(X))
    g = mixture.GaussianMixture(k, covariance_type="full", n_init=3, random_state=0)
    nll.append(-g.fit(X[~held]).score(X[held]))
fig, (a1, a2) = plt.subplots(1, 2, figsize=(9, 3.2))
for values, name in ((bic, "BIC"), (aic, "AIC")):
    line, = a1.plot(ks, values, marker="o", ms=3, label=name)
    best = int(np.argmin(values))
    a1.plot(ks[best], values[best], marker="*", ms=14, color=line.get_color())
a1.set_xlabel("k")
a1.set_ylabel("criterion (lower is better)")
a1.legend(frameon=False)
a2.plot(ks, nll, marker="o", ms=3, color="C2")
best = int(np.argmin(nll))
a2.plot(ks[best], nll[best], marker="*", ms=14, color="C2")
a2.set_xlabel("k")
a2.set_ylabel("held-out NLL per row")
fig.suptitle("iris: BIC chooses k = %d, AIC k = %d, held-out NLL k = %d"
             % (ks[int(np.argmin(bic))], ks[int(np.argmin(aic))], ks[best]))
save(fig, sys.argv[1])
