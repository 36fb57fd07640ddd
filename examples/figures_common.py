"""What the plot_*.py scripts share: the library (through the Python
package `mixture`), the bundled data, and SVG output that is the same bytes
run after run.

From the libmixture sources, after `make python`, run a script as
`PYTHONPATH=python python3 examples/plot_clusters.py docs/figures/clusters.svg`
(`make figures` runs them all; a .png name gives a PNG). With the package
installed, PYTHONPATH is not needed; MIXTURE_LIBRARY may name the shared
library.

The scripts give the estimators random_state=0 where they mean the
library's default seed (random_state=None would draw a seed), so that the
figures are the same run after run."""
import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402,F401
import numpy as np  # noqa: E402

import mixture  # noqa: E402,F401

HERE = os.path.dirname(os.path.abspath(__file__))

matplotlib.rcParams.update({"svg.hashsalt": "libmixture", "font.size": 9,
                            "axes.spines.top": False, "axes.spines.right": False})


def load(name):
    """(X, y, column names, class names) of examples/data/NAME.csv; y is
    None when the file has no class column."""
    path = os.path.join(HERE, "data", name + ".csv")
    with open(path) as f:
        header = f.readline().strip().split(",")
        rows = [line.strip().split(",") for line in f if line.strip()]
    last_is_class = name in ("iris", "digits")
    cols = header[:-1] if last_is_class else header
    X = np.array([[float(v) for v in r[:len(cols)]] for r in rows])
    if not last_is_class:
        return X, None, cols, None
    classes = sorted(set(r[-1] for r in rows), key=lambda c: [r[-1] for r in rows].index(c))
    y = np.array([classes.index(r[-1]) for r in rows])
    return X, y, cols, classes


def save(fig, path):
    """The figure as SVG, without the date, so that unchanged figures stay
    byte for byte the same."""
    fig.savefig(path, format=path.rsplit(".", 1)[-1], bbox_inches="tight",
                metadata={"Date": None} if path.endswith(".svg") else None)
