#!/bin/sh
# The Python package installed two ways (from run.sh), each imported by a
# fresh Debian python3 that fits a K-means and checks the answer:
#  1. `make install` (run.sh staged it): PYTHONPATH is the installed site
#     directory; the library is found next to the package (the relative
#     link make install writes), nothing else set;
#  2. `pip install --no-build-isolation ./python` (no network, into a
#     --target directory): the package alone, the library through the
#     system loader (LD_LIBRARY_PATH here).
# usage: python.sh PYTHON INSTALLED_PYTHONDIR INSTALLED_LIBDIR
set -eu
python=$1 site=$2 libdir=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# fit.py EXPECTED_LIBRARY_PATH: the four points of main.c, two clusters
cat > "$work/fit.py" <<'PY'
import os, sys
import numpy as np
import mixture
X = np.array([[0.0, 0.0], [0.0, 2.0], [10.0, 10.0], [10.0, 12.0]])
km = mixture.KMeans(2, random_state=1).fit(X)
centers = sorted(map(tuple, km.cluster_centers_))
assert np.allclose(centers, [(0, 1), (10, 11)], rtol=0, atol=1e-12), centers
assert abs(km.inertia_ - 4.0) < 1e-12, km.inertia_
where = os.path.realpath(mixture.library_path)
assert where == os.path.realpath(sys.argv[1]), (mixture.library_path, sys.argv[1])
print("mixture %s from %s, libmixture %s from %s: inertia %g" % (
    mixture.__version__, os.path.dirname(mixture.__file__), mixture.library_version(),
    mixture.library_path, km.inertia_))
PY

if [ ! -d "$site/mixture" ]; then
    echo "downstream python: make install did not install the package into $site" >&2
    exit 1
fi
printf 'downstream python (make install): '
env -u MIXTURE_LIBRARY -u LD_LIBRARY_PATH PYTHONPATH="$site" \
    "$python" "$work/fit.py" "$libdir/libmixture.so.0"

if ! "$python" -c 'import setuptools' > /dev/null 2>&1 || ! "$python" -m pip --version > /dev/null 2>&1; then
    echo "note: pip or setuptools is absent; the pip install is not tested (apt-get install python3-pip)"
    exit 0
fi
# a copy of ./python, so that the build leaves nothing in the source tree
mkdir "$work/src"
cp -R python "$work/src/"
rm -f "$work/src/python/mixture/libmixture.so"*
if ! "$python" -m pip install --no-build-isolation --no-deps --no-index --quiet \
        --target "$work/site" "$work/src/python" > "$work/pip.log" 2>&1; then
    cat "$work/pip.log" >&2
    echo "downstream python: pip install ./python failed" >&2
    exit 1
fi
if ls "$work/site/mixture" | grep -q '\.so'; then
    echo "downstream python: pip installed a library into the package" >&2
    exit 1
fi
printf 'downstream python (pip install): '
env -u MIXTURE_LIBRARY PYTHONPATH="$work/site" LD_LIBRARY_PATH="$libdir" \
    "$python" "$work/fit.py" libmixture.so.0
