#!/bin/sh
# CMake downstream build (from run.sh, on the copy it installed): the
# project of tests/downstream/cmake finds libmixture with
# find_package(mixture 0.3 REQUIRED) and links mixture::mixture, three ways:
# shared (the default), static through the component (COMPONENTS static)
# and static through MIXTURE_USE_STATIC_LIBS. Each program runs; ldd shows
# which library it uses. A request for another major version must fail.
# usage: cmake.sh INSTALLED_PREFIX CC
set -eu
root=$1 cc=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

configure() { # configure NAME CMAKE-ARGS...: a build tree of the project
    name=$1; shift
    cmake -S tests/downstream/cmake -B "$work/$name" -DCMAKE_PREFIX_PATH="$root" \
        -DCMAKE_C_COMPILER="$cc" "$@" > "$work/$name.log" 2>&1
}

for build in shared static-component:-DMIXTURE_STATIC=ON static-option:-DMIXTURE_USE_STATIC_LIBS=ON; do
    name=${build%%:*}
    arg=${build#"$name"}; arg=${arg#:}
    if ! configure "$name" $arg || ! cmake --build "$work/$name" >> "$work/$name.log" 2>&1; then
        cat "$work/$name.log" >&2
        echo "downstream cmake: the $name build failed" >&2
        exit 1
    fi
    LD_LIBRARY_PATH="$root/lib" "$work/$name/prog"
    if LD_LIBRARY_PATH="$root/lib" ldd "$work/$name/prog" | grep -q 'libmixture\.so'; then
        linked=shared
    else
        linked=static
    fi
    if [ "$linked" != "${name%%-*}" ]; then
        echo "downstream cmake: the $name build linked the $linked library" >&2
        exit 1
    fi
done
grep 'mixture .* from' "$work/shared.log" | sed 's/^-- /downstream cmake: /'

if configure wrong-major -DMIXTURE_VERSION=1.0; then
    echo "downstream cmake: find_package(mixture 1.0) accepted libmixture 0.x" >&2
    exit 1
fi
grep -q 'compatible with requested version "1.0"' "$work/wrong-major.log" || {
    cat "$work/wrong-major.log" >&2
    echo "downstream cmake: find_package(mixture 1.0) failed for another reason" >&2
    exit 1
}
echo "downstream cmake: shared, static (component and option) ran; 1.0 refused"
