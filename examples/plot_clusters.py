"""Old Faithful (each column standardised) clustered five ways: K-means, and Gaussian mixtures with
each covariance type, with each component's 1, 2 and 3 sigma ellipses and
its center. Usage: plot_clusters.py OUT.svg"""
import sys

from figures_common import load, mixture, np, plt, save

X, _, cols, _ = load("faithful")
X = (X - X.mean(axis=0)) / X.std(axis=0)
cols = [c + " (standardised)" for c in cols]
K = 3
fig, axes = plt.subplots(1, 5, figsize=(15, 3.4), sharex=True, sharey=True)


def ellipses(ax, mean, cov, color):
    """1, 2 and 3 sigma contours of N(mean, cov): the unit circle through
    the covariance's square root."""
    vals, vecs = np.linalg.eigh(cov)
    t = np.linspace(0, 2 * np.pi, 200)
    circle = np.stack([np.cos(t), np.sin(t)])
    for s in (1, 2, 3):
        pts = mean[:, None] + vecs @ (s * np.sqrt(vals)[:, None] * circle)
        ax.plot(pts[0], pts[1], color=color, lw=1.2 / s, alpha=0.9)


colors = plt.get_cmap("tab10").colors
km = mixture.KMeans(K, random_state=0).fit(X)
labels, centers = km.labels_, km.cluster_centers_
ax = axes[0]
ax.scatter(X[:, 0], X[:, 1], s=6, c=[colors[i] for i in labels])
ax.scatter(centers[:, 0], centers[:, 1], marker="x", s=60, c="k")
ax.set_title("K-means (k = %d)" % K)
ax.set_ylabel(cols[1])
for ax, cov_type in zip(axes[1:], ("full", "tied", "diag", "spherical")):
    g = mixture.GaussianMixture(K, covariance_type=cov_type, random_state=0).fit(X)
    labels, means, covs = g.predict(X), g.means_, g.covariances_
    ax.scatter(X[:, 0], X[:, 1], s=6, c=[colors[i] for i in labels])
    for j in range(K):
        cov = {"full": lambda: covs[j], "tied": lambda: covs,
               "diag": lambda: np.diag(covs[j]),
               "spherical": lambda: covs[j] * np.eye(2)}[cov_type]()
        ellipses(ax, means[j], cov, colors[j])
    ax.scatter(means[:, 0], means[:, 1], marker="x", s=60, c="k")
    ax.set_title("Gaussian mixture, %s" % cov_type)
for ax in axes:
    ax.set_xlabel(cols[0])
save(fig, sys.argv[1])
