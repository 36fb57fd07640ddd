#!/bin/sh
# ABI guard against the last release: compares the built library with the
# ABI dump kept for that release (tests/abi/libmixture-<version>.abi, made
# with `abidw` when the release is tagged, see docs/reliability.md). Until a
# release exists there is nothing to compare with, and the check says so.
# usage: check_abidiff.sh lib.so tests/abi
set -eu
so=$1 dir=$2
baseline=$(ls "$dir"/libmixture-*.abi 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$baseline" ]; then
    echo "check-abi: no released ABI dump in $dir yet (no release tagged): nothing to compare"
    exit 0
fi
if ! command -v abidiff > /dev/null 2>&1; then
    echo "check-abi: abidiff not found (apt-get install abigail-tools)" >&2
    exit 1
fi
# Added symbols are allowed (a minor release); abidiff flags as
# "incompatible" (bit 8) only removals, so any other reported change
# (bit 4: a changed parameter or type) fails too. Only the types the public
# header defines are compared: the handles (kmeans_t, gmm_t, bmm_t) are
# opaque there, so their private layout (src/api/handles.h) is not ABI.
headers=$(dirname "$0")/../../include
status=0
abidiff --no-added-syms --headers-dir1 "$headers" --headers-dir2 "$headers" "$baseline" "$so" ||
    status=$?
if [ "$status" -ne 0 ]; then
    echo "check-abi: the ABI changed against $(basename "$baseline") (abidiff status $status)" >&2
    exit 1
fi
echo "check-abi: compatible with $(basename "$baseline")"
