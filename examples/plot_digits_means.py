"""A Bernoulli mixture of the digits (pixels above 7 of 16 as 1), k = 10:
each component's probabilities as an 8 x 8 image, with its weight.
Usage: plot_digits_means.py OUT.svg"""
import sys

from figures_common import load, mixture, plt, save

X, y, _, _ = load("digits")
B = (X > 7).astype(float)
b = mixture.BernoulliMixture(10, n_init=3, binarize=None, random_state=0).fit(B)
probs, weights = b.probs_, b.weights_
fig, axes = plt.subplots(1, 10, figsize=(12, 1.7))
for j, ax in enumerate(axes):
    ax.imshow(probs[j].reshape(8, 8), cmap="gray_r", vmin=0, vmax=1, interpolation="nearest")
    ax.set_title("%.2f" % weights[j], fontsize=8)
    ax.axis("off")
fig.suptitle("Bernoulli mixture of the digits, k = 10: component probabilities (and weights)",
             y=1.12)
save(fig, sys.argv[1])
