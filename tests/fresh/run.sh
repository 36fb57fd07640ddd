#!/bin/sh
# Clean-room install test (make check-fresh): the README's two commands,
# `make demo` then `make check`, run exactly as written, as root, in a
# minimal Debian root that has only gcc, make and git, the machine a new
# user starts from. It catches what a development machine hides: a package
# the README's set-up forgets because it happened to be installed already.
#
# What is tested is the COMMITTED tree: the repository this script lives in
# is cloned at HEAD into the root, so uncommitted changes do not leak in
# (commit first, then run).
#
# Steps:
#  1. once: `debootstrap --variant=minbase --include=gcc,make,git` of this
#     machine's release (VERSION_CODENAME of /etc/os-release) from this
#     machine's configured mirror. debootstrap installs the three with their
#     dependencies but not their Recommends (gcc's libc6-dev among them), as
#     `apt-get install --no-install-recommends gcc make git` would: the
#     smallest machine that has them, so nothing the README's set-up needs
#     is there by accident. The pristine root is cached in
#     $FRESH_CACHE/<codename>-minbase; it is built in a temporary directory
#     and renamed when complete, so an interrupted build is never reused,
#     and a stamp inside it records the variant, release, mirror and
#     package list: a change of any of them rebuilds it.
#  2. every run: a copy of the pristine root (never one where an earlier run
#     installed packages), the clone, /proc, /dev, /dev/pts, /dev/shm, /sys
#     mounted, /etc/resolv.conf and the machine's added certificate
#     authorities copied; `make demo`, then `make check`.
#     Downloaded .deb files are kept between runs in $FRESH_CACHE/apt-archives
#     (bind-mounted on the root's /var/cache/apt/archives): a download cache
#     only, nothing is pre-installed.
#  3. on every exit path (success, failure, interrupt): everything mounted is
#     unmounted and the work copy removed.
#
# Environment:
#   FRESH_KEEP=1     keep the work root (its path is printed) for debugging
#   FRESH_REBUILD=1  rebuild the cached pristine root first
#   FRESH_CACHE      cache directory (default /var/tmp/libmixture-fresh)
#   FRESH_MIRROR     Debian mirror (default: the machine's configured one)
#
# Must run as root (debootstrap, chroot and mount need it).
set -eu

BASE_PACKAGES="gcc make git"
STAMP_FORMAT=2
CACHE=${FRESH_CACHE:-/var/tmp/libmixture-fresh}
KEEP=${FRESH_KEEP:-0}
REBUILD=${FRESH_REBUILD:-0}

top=$(cd "$(dirname "$0")/../.." && pwd)
t_start=$(date +%s)

elapsed() { # seconds since start as "M min S s"
    s=$(( $(date +%s) - t_start ))
    echo "$((s / 60)) min $((s % 60)) s"
}
stage() { echo; echo "==== check-fresh: $* [$(elapsed)]"; }
die() { echo "check-fresh: $*" >&2; exit 1; }

if [ "$(id -u)" != 0 ]; then
    die "must run as root: it builds a Debian root with debootstrap, mounts
/proc, /dev and /sys into it and runs the README's commands there as root
(which install packages with apt-get). Run: sudo make check-fresh"
fi

# ---- this machine: release and mirror ---------------------------------------
[ -r /etc/os-release ] || die "no /etc/os-release: not a Debian machine?"
codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
[ -n "$codename" ] || die "VERSION_CODENAME is not set in /etc/os-release"

# The first URI of an apt source serving the suite "$codename" itself (not
# -updates or -security): deb822 stanzas of /etc/apt/sources.list.d/*.sources,
# then one-line entries of /etc/apt/sources.list[.d/*.list].
find_mirror() {
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -r "$f" ] || continue
        awk -v suite="$codename" '
            function flush() {
                if (uri != "" && enabled && types ~ /(^|[ \t])deb([ \t]|$)/ &&
                    (" " suites " ") ~ (" " suite " ")) { print uri; found = 1; exit }
                uri = ""; suites = ""; types = ""; enabled = 1
            }
            BEGIN { enabled = 1 }
            /^[ \t]*$/ { flush(); next }
            /^[ \t]*#/ { next }
            tolower($1) == "uris:"   { uri = $2 }
            tolower($1) == "suites:" { $1 = ""; suites = $0; gsub(/[ \t]+/, " ", suites) }
            tolower($1) == "types:"  { $1 = ""; types = $0 }
            tolower($1) == "enabled:" && tolower($2) == "no" { enabled = 0 }
            END { if (!found) flush() }' "$f"
    done
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [ -r "$f" ] || continue
        awk -v suite="$codename" '
            $1 == "deb" {
                i = 2
                if ($i ~ /^\[/) { while ($i !~ /\]$/ && i < NF) i++; i++ }
                if ($(i + 1) == suite) { print $i; exit }
            }' "$f"
    done
}
mirror=${FRESH_MIRROR:-$(find_mirror | head -n 1)}
mirror=${mirror:-http://deb.debian.org/debian}
mirror=${mirror%/}

# apt needs CA certificates to fetch from an https mirror, nothing else.
include=$(echo "$BASE_PACKAGES" | tr ' ' ',')
case $mirror in https:*) include="$include,ca-certificates" ;; esac

mkdir -p "$CACHE"
pristine=$CACHE/$codename-minbase
archives=$CACHE/apt-archives
mkdir -p "$archives/partial"
stamp_want="format=$STAMP_FORMAT variant=minbase suite=$codename mirror=$mirror include=$include"

# ---- mounts and clean-up -----------------------------------------------------
# Every mount point is recorded (innermost last) and unmounted in reverse
# order by cleanup(); a work root is deleted only when nothing is mounted
# under it any more (a bound /dev must never be deleted through the root).
mounts=""
work=""
mount_in() { # mount_in ROOT TARGET MOUNT-ARGUMENTS...
    r=$1 target=$2; shift 2
    mkdir -p "$r$target"
    mount "$@" "$r$target"
    mounts="$r$target $mounts"
}
mount_root() { # the file systems the package installations and the tests use
    r=$1
    mount_in "$r" /proc -t proc proc
    mount_in "$r" /sys -t sysfs sysfs
    mount_in "$r" /dev --bind /dev
    mount_in "$r" /dev/pts --bind /dev/pts
    mount_in "$r" /dev/shm -t tmpfs tmpfs
    mount_in "$r" /var/cache/apt/archives --bind "$archives"
    cp -L /etc/resolv.conf "$r/etc/resolv.conf" 2>/dev/null || true
    # The certificate authorities this machine's administrator added (a
    # network that inspects TLS has one): like resolv.conf, the machine's
    # network, not the project's. ca-certificates takes them in when it is
    # installed in the root, so that npm reaches its registry there too.
    if ls /usr/local/share/ca-certificates/*.crt > /dev/null 2>&1; then
        mkdir -p "$r/usr/local/share/ca-certificates"
        cp /usr/local/share/ca-certificates/*.crt "$r/usr/local/share/ca-certificates/"
    fi
}
unmount_all() {
    for m in $mounts; do
        umount "$m" 2>/dev/null || umount -l "$m" || echo "check-fresh: could not unmount $m" >&2
    done
    mounts=""
}
still_mounted() { # is anything mounted at or under $1?
    awk -v p="$1" '$2 == p || index($2, p "/") == 1 { found = 1 } END { exit !found }' /proc/mounts
}
remove_root() {
    if still_mounted "$1"; then
        echo "check-fresh: something is still mounted under $1; not removing it" >&2
        return 1
    fi
    rm -rf --one-file-system "$1"
}
cleanup() {
    rc=$?
    trap - EXIT INT TERM HUP
    [ -n "$mounts$work" ] && stage "clean-up: unmount, remove the work root"
    unmount_all
    if [ -n "$work" ] && [ -d "$work" ]; then
        if [ "$KEEP" = 1 ] && [ "$rc" != 130 ] && [ "$rc" != 143 ] && [ "${building:-0}" = 0 ]; then
            echo "check-fresh: FRESH_KEEP=1: work root kept in $work, unmounted" \
                 "(mount /proc and /dev again before using it with chroot;" \
                 "remove it with rm -rf --one-file-system $work)"
        else
            remove_root "$work" || rc=1
        fi
    fi
    if [ "$rc" = 0 ]; then
        echo "check-fresh: passed in $(elapsed)"
    else
        echo "check-fresh: FAILED (status $rc) after $(elapsed)" >&2
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# The README's commands and the installations run with a clean environment:
# nothing of the caller's (CC, CFLAGS, MAKEFLAGS of an outer make...) leaks in.
in_root() { # in_root ROOT COMMAND: run a shell command in the root
    chroot "$1" /usr/bin/env -i HOME=/root TERM="${TERM:-dumb}" LANG=C.UTF-8 \
        PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        /bin/sh -c "$2" < /dev/null
}

# One run at a time per cache (the pristine root and the archives are shared).
exec 9> "$CACHE/lock"
if ! flock -n 9; then
    echo "check-fresh: another run holds $CACHE/lock; waiting"
    flock 9
fi

# ---- 1. the pristine root (cached) -------------------------------------------
stage "Debian $codename (minbase + $BASE_PACKAGES, no Recommends) from $mirror"
if [ "$REBUILD" = 1 ] && [ -d "$pristine" ]; then
    echo "FRESH_REBUILD=1: removing the cached root"
    remove_root "$pristine"
fi
if [ -d "$pristine" ] && [ "$(cat "$pristine/.fresh-stamp" 2>/dev/null)" != "$stamp_want" ]; then
    echo "the cached root was built for another list or mirror; rebuilding"
    echo "  had:  $(cat "$pristine/.fresh-stamp" 2>/dev/null || echo '(no stamp)')"
    echo "  want: $stamp_want"
    remove_root "$pristine"
fi
if [ -d "$pristine" ]; then
    echo "cached: $pristine ($(cat "$pristine/.fresh-stamp"))"
else
    if ! command -v debootstrap > /dev/null 2>&1; then
        echo "installing debootstrap"
        apt-get install -y -q debootstrap > /dev/null 2>&1 ||
            { apt-get update -q > /dev/null && apt-get install -y -q debootstrap > /dev/null; } ||
            die "could not install debootstrap"
    fi
    # Left-overs of interrupted builds are removed, never reused.
    for old in "$pristine".tmp.*; do
        if [ -d "$old" ]; then remove_root "$old" || die "cannot remove $old"; fi
    done
    work=$(mktemp -d "$pristine.tmp.XXXXXX")
    chmod 755 "$work" # the root's /: mktemp's 0700 would lock out apt's _apt user
    building=1
    echo "debootstrap --variant=minbase --include=$include $codename into $work"
    log=$CACHE/debootstrap.log
    if ! debootstrap --variant=minbase --include="$include" \
            "$codename" "$work" "$mirror" > "$log" 2>&1; then
        tail -n 40 "$log" >&2
        [ -f "$work/debootstrap/debootstrap.log" ] && tail -n 40 "$work/debootstrap/debootstrap.log" >&2
        die "debootstrap failed (full log: $log)"
    fi
    echo "$stamp_want" > "$work/.fresh-stamp"
    mv "$work" "$pristine"
    work="" building=0
    echo "cached: $pristine"
fi

# ---- 2. a fresh copy, the committed tree ------------------------------------
stage "fresh copy of the root"
work=$(mktemp -d "$CACHE/work.XXXXXX")
cp -a "$pristine/." "$work/"
chmod 755 "$work"
rm -f "$work/.fresh-stamp"
echo "work root: $work"

rev=$(git -C "$top" rev-parse HEAD)
stage "git clone of $top at HEAD ($(git -C "$top" log -1 --format='%h %s' HEAD))"
if [ -n "$(git -C "$top" status --porcelain --untracked-files=no)" ]; then
    echo "note: uncommitted changes in $top are NOT tested (the clone is of HEAD)"
fi
src=/root/libmixture
git clone -q --no-checkout "$top" "$work$src"
git -C "$work$src" cat-file -e "$rev^{commit}" 2>/dev/null || git -C "$work$src" fetch -q "$top" "$rev"
git -C "$work$src" checkout -q --detach "$rev"
echo "cloned into $src (chroot), HEAD $rev"

mount_root "$work"

# ---- 3. the README's two commands ---------------------------------------------
stage "make demo (in $src, as root, in the fresh root)"
in_root "$work" "cd $src && make demo" || die "make demo failed in the fresh root"

stage "make check (in $src, as root, in the fresh root)"
in_root "$work" "cd $src && make check" || die "make check failed in the fresh root"

stage "done: make demo and make check passed on a fresh Debian $codename"
