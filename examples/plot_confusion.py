"""Predicted cluster by true class as heat maps: iris by a Gaussian mixture
(full, k = 3) and the digits by a Bernoulli mixture (k = 10), with the
adjusted Rand index of each. Usage: plot_confusion.py OUT.svg"""
import sys

from figures_common import load, mixture, np, plt, save


def table(y, labels, k):
    t = np.zeros((y.max() + 1, k), dtype=int)
    np.add.at(t, (y, labels), 1)
    return t[:, np.argsort(np.argmax(t, axis=0) + 1e-3 * np.arange(k))]


Xi, yi, _, iris_classes = load("iris")
li = mixture.GaussianMixture(3, covariance_type="full", random_state=0).fit(Xi).predict(Xi)
Xd, yd, _, digit_classes = load("digits")
Bd = (Xd > 7).astype(float)
ld = mixture.BernoulliMixture(10, n_init=3, binarize=None, random_state=0).fit(Bd).predict(Bd)
fig, (a1, a2) = plt.subplots(1, 2, figsize=(10, 3.6), gridspec_kw={"width_ratios": [1, 2.2]})
for ax, y, labels, k, classes, title in (
        (a1, yi, li, 3, iris_classes, "iris, Gaussian mixture"),
        (a2, yd, ld, 10, digit_classes, "digits, Bernoulli mixture")):
    t = table(y, labels, k)
    ax.imshow(t, cmap="Blues")
    for (i, j), v in np.ndenumerate(t):
        if v:
            ax.text(j, i, str(v), ha="center", va="center", fontsize=7,
                    color="white" if v > t.max() / 2 else "black")
    ax.set_yticks(range(len(classes)), classes)
    ax.set_xticks(range(k), [str(j) for j in range(k)])
    ax.set_xlabel("cluster (ordered by majority class)")
    ax.set_ylabel("true class")
    ax.set_title("%s: ARI %.3f" % (title, mixture.metrics.adjusted_rand_score(y, labels)))
save(fig, sys.argv[1])
