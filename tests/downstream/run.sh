#!/bin/sh
# Downstream build test: install into a temporary DESTDIR, then build and run
# a program that knows the library only through pkg-config, once linked
# against the shared library and once fully static (`pkg-config --static`);
# the same program through CMake's find_package(mixture) (cmake.sh); the
# Python package as make install put it and as pip installs it (python.sh).
# Finally uninstall and check that nothing the install wrote is left.
# usage: run.sh CC MAKE [PYTHON]
set -eu
cc=$1 make=$2 python=${3:-}
top=$(pwd)
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
prefix=/opt/mixture-test

$make -s install DESTDIR="$stage" PREFIX="$prefix" > /dev/null
export PKG_CONFIG_PATH="$stage$prefix/lib/pkgconfig"
export PKG_CONFIG_SYSROOT_DIR="$stage"

pkg-config --exists mixture
echo "downstream: pkg-config finds mixture $(pkg-config --modversion mixture)"

$cc -o "$stage/prog-shared" tests/downstream/main.c $(pkg-config --cflags --libs mixture) -lm
LD_LIBRARY_PATH="$stage$prefix/lib" "$stage/prog-shared"
if ! LD_LIBRARY_PATH="$stage$prefix/lib" ldd "$stage/prog-shared" | grep -q 'libmixture.so.[0-9]'; then
    echo "downstream: the shared build did not link libmixture.so" >&2
    exit 1
fi

$cc -static -o "$stage/prog-static" tests/downstream/main.c \
    $(pkg-config --static --cflags --libs mixture) -lm
"$stage/prog-static"
if ldd "$stage/prog-static" 2>&1 | grep -q 'libmixture'; then
    echo "downstream: the static build depends on libmixture.so" >&2
    exit 1
fi

if command -v cmake > /dev/null 2>&1; then
    sh tests/downstream/cmake.sh "$stage$prefix" "$cc"
else
    echo "note: cmake is absent; the CMake downstream build is skipped (apt-get install cmake)"
fi

if [ -n "$python" ] && "$python" -c 'import numpy' > /dev/null 2>&1; then
    sh tests/downstream/python.sh "$python" "$(echo "$stage$prefix"/lib/python3*/dist-packages)" \
        "$stage$prefix/lib"
else
    echo "note: python3 with NumPy is absent; the Python installs are not tested"
fi

$make -s uninstall DESTDIR="$stage" PREFIX="$prefix" > /dev/null
left=$(find "$stage$prefix" -type f -o -type l)
if [ -n "$left" ]; then
    echo "downstream: uninstall left files behind:" >&2
    echo "$left" >&2
    exit 1
fi
echo "downstream: shared and static builds ran; uninstall removed everything"
cd "$top"
