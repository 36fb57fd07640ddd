#!/bin/sh
# The exported ABI must match, name for name: the symbols the shared object
# defines, the version script's explicit list, the functions the header
# declares, and the checked-in list tests/abi/symbols.txt. Adding a symbol
# means adding it to all four (and to CHANGELOG.md's ABI section).
# usage: check_symbols.sh lib.so libmixture.map mixture.h symbols.txt
set -eu
so=$1 map=$2 header=$3 list=$4
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

nm -D --defined-only "$so" | awk '$2 == "T" { sub(/@.*/, "", $3); print $3 }' | sort > "$tmp/exported"
grep -o '^[[:space:]]*mix_[a-z0-9_]*;' "$map" | tr -d ' ;\t' | sort > "$tmp/map"
# Declarations look like: MIX_API <type> [*]mix_name(
grep '^MIX_API' "$header" | grep -o 'mix_[a-z0-9_]*(' | tr -d '(' | sort > "$tmp/header"
sort "$list" > "$tmp/list"

status=0
for f in exported map header; do
    if ! diff -u "$tmp/list" "$tmp/$f" > "$tmp/diff"; then
        echo "symbol check: $f differs from $list:" >&2
        cat "$tmp/diff" >&2
        status=1
    fi
done
other=$(nm -D --defined-only "$so" | awk '$2 != "A" { sub(/@.*/, "", $3); print $3 }' | grep -v '^mix_' || true)
if [ -n "$other" ]; then
    echo "symbol check: exported symbols outside mix_*: $other" >&2
    status=1
fi
[ $status -eq 0 ] && echo "symbol check: $(wc -l < "$tmp/list") symbols match (library, version script, header, list)"
exit $status
