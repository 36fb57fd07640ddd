#!/bin/sh
# The version story must agree everywhere:
#  1. the header's MIX_VERSION_* is the version of CHANGELOG.md's top entry;
#  2. every exported symbol is listed in the ABI section of exactly one
#     CHANGELOG entry, the version node that section names is the node of
#     the version script holding the symbol, and the header's @since tag of
#     the symbol is that entry's version;
#  3. an entry that adds symbols is a MINOR release (PATCH 0) and, from
#     0.3.0 on, its node is LIBMIXTURE_MAJOR.MINOR (0.1.0 and 0.2.0 shipped
#     in the first node, LIBMIXTURE_1.0).
# usage: check_versions.sh mixture.h libmixture.map CHANGELOG.md
set -eu
header=$1 map=$2 changelog=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "version check: $*" >&2; status=1; }
status=0

part() { sed -n "s/^#define MIX_VERSION_$1 \([0-9]*\).*/\1/p" "$header"; }
version="$(part MAJOR).$(part MINOR).$(part PATCH)"
top=$(sed -n 's/^## \[\([0-9][0-9.]*\)\].*/\1/p' "$changelog" | head -n 1)
[ "$top" = "$version" ] ||
    fail "the header says $version but CHANGELOG.md's top entry is [$top]"
if grep -q '^## \[Unreleased\]' "$changelog"; then
    fail "CHANGELOG.md has an [Unreleased] heading: name the version the header states instead"
fi

# symbol -> @since of its declaration in the header
awk '/@since/ { since = $NF }
     /^MIX_API/ { if (match($0, /mix_[a-z0-9_]*\(/)) print substr($0, RSTART, RLENGTH - 1), since }' \
    "$header" | sort > "$tmp/since"
# symbol -> version node in the map
awk '/^[A-Z0-9_.]+ *\{/ { node = $1 }
     /^[ \t]*mix_[a-z0-9_]*;/ { gsub(/[ \t;]/, ""); print $0, node }' "$map" | sort > "$tmp/node"
# symbol -> (release, node) from the ABI sections of CHANGELOG.md
awk '/^## \[/ { rel = $2; gsub(/[][]/, "", rel); abi = 0; next }
     /^### ABI/ { abi = 1; node = ""; next }
     /^### / { abi = 0 }
     abi {
         line = $0
         while (match(line, /`[A-Za-z0-9_.]+`/)) {
             tok = substr(line, RSTART + 1, RLENGTH - 2); line = substr(line, RSTART + RLENGTH)
             if (tok ~ /^LIBMIXTURE_/) node = tok
             else if (tok ~ /^mix_/) print tok, rel, node
         }
     }' "$changelog" | sort > "$tmp/listed"

while read -r sym node; do
    n=$(awk -v s="$sym" '$1 == s' "$tmp/listed" | wc -l)
    if [ "$n" -ne 1 ]; then
        fail "$sym is listed in $n CHANGELOG ABI sections (must be exactly 1)"
        continue
    fi
    set -- $(awk -v s="$sym" '$1 == s { print $2, $3 }' "$tmp/listed")
    rel=$1 cl_node=${2:-none}
    [ "$cl_node" = "$node" ] ||
        fail "$sym is in node $node of the version script but CHANGELOG [$rel] names $cl_node"
    since=$(awk -v s="$sym" '$1 == s { print $2 }' "$tmp/since")
    [ "$since" = "$rel" ] || fail "$sym: the header says @since ${since:-nothing}, CHANGELOG says $rel"
done < "$tmp/node"

# Entries that add symbols: PATCH 0, and their own node from 0.3.0 on.
awk '{ print $2, $3 }' "$tmp/listed" | sort -u | while read -r rel node; do
    case $rel in *.0) ;; *) echo "version check: [$rel] adds symbols but is not a MINOR release" >&2; exit 1 ;; esac
    maj=${rel%%.*} rest=${rel#*.} min=${rest%%.*}
    case $rel in
    0.1.0 | 0.2.0) want=LIBMIXTURE_1.0 ;;
    *) want=LIBMIXTURE_$maj.$min ;;
    esac
    if [ "$node" != "$want" ]; then
        echo "version check: [$rel] adds symbols to $node, expected $want" >&2
        exit 1
    fi
done || status=1
# Symbols listed in CHANGELOG but exported by nobody (the header declares
# them as functions, so they are not types).
awk '{ print $1 }' "$tmp/listed" | sort -u > "$tmp/listed_syms"
awk '{ print $1 }' "$tmp/since" | sort -u > "$tmp/declared"
awk '{ print $1 }' "$tmp/node" | sort -u > "$tmp/mapped"
comm -12 "$tmp/listed_syms" "$tmp/declared" | comm -23 - "$tmp/mapped" > "$tmp/missing"
if [ -s "$tmp/missing" ]; then
    fail "listed in CHANGELOG and declared but not in the version script: $(tr '\n' ' ' < "$tmp/missing")"
fi
[ $status -eq 0 ] &&
    echo "version check: $version agrees in the header, CHANGELOG.md, the version script and the @since tags ($(wc -l < "$tmp/node") symbols)"
exit $status
