#!/usr/bin/env bash
# build-busybox-image.sh OUTDIR
#
# Builds OUTDIR/busybox.tar: a plain rootfs tarball (not a docker-archive) for
# Gocker's default "busybox" image, from Debian's busybox-static package.
#
#   - the .deb is fetched with `apt-get download` into a cache dir
#     ($GOCKER_CACHE, default OUTDIR/../cache) and reused when already there;
#   - it is unpacked with `dpkg-deb -x` (no root needed); only bin/busybox is
#     kept (no usr/share/doc, man pages, initramfs hooks...);
#   - every applet from `busybox --list-full` becomes a symlink to /bin/busybox;
#   - a minimal /etc (passwd, group, hosts, hostname, nsswitch.conf) is added.
#
# The tarball is reproducible: same .deb in, byte-identical tar out. All
# entries get a fixed mtime ($SOURCE_DATE_EPOCH, else the mtime dpkg-deb
# restored for bin/busybox, which Debian clamps to the changelog date),
# normalised modes, numeric owner 0:0 (home/user: 1000:1000), C-locale order,
# GNU format (no pax atime/ctime headers), names without a leading "./" or "/".
#
# Works without root: ownership and modes are set in the archive headers, not
# on disk.
set -euo pipefail

die() { echo "build-busybox-image: $*" >&2; exit 1; }

[[ $# -eq 1 ]] || die "usage: $0 OUTDIR"
OUTDIR=$1

# --- prerequisites -----------------------------------------------------------
command -v dpkg-deb >/dev/null || die "dpkg-deb not found; install it with: apt-get install dpkg"
command -v tar >/dev/null || die "tar not found; install it with: apt-get install tar"
tar --version 2>/dev/null | grep -q 'GNU tar' || die "GNU tar required (--sort/--mtime/--owner); install it with: apt-get install tar"

mkdir -p "$OUTDIR"
OUTDIR=$(cd "$OUTDIR" && pwd)
CACHE=${GOCKER_CACHE:-$OUTDIR/../cache}
mkdir -p "$CACHE"
CACHE=$(cd "$CACHE" && pwd)

ARCH=$(dpkg --print-architecture 2>/dev/null || echo amd64)

# --- fetch (or reuse) the .deb ----------------------------------------------
# Newest cached busybox-static .deb for this arch, if any (sort -V on the
# file name is good enough for picking between cached versions).
find_cached_deb() {
    find "$CACHE" -maxdepth 1 -type f -name "busybox-static_*_${ARCH}.deb" -printf '%f\n' 2>/dev/null \
        | sort -V | tail -n 1
}

DEB=$(find_cached_deb)
if [[ -z $DEB ]]; then
    command -v apt-get >/dev/null \
        || die "apt-get not found and no cached busybox-static_*_${ARCH}.deb in $CACHE; install apt (apt-get install apt) or put the .deb there by hand"
    echo "fetching busybox-static with apt-get download into $CACHE" >&2
    # apt-get download writes into the current directory. As root apt warns
    # that the download is "unsandboxed" (the _apt user can't write $CACHE);
    # that is harmless. As non-root it just works, given readable apt lists.
    if ! (cd "$CACHE" && apt-get download "busybox-static:${ARCH}"); then
        die "apt-get download busybox-static failed; if apt has no package lists yet run (as root): apt-get update"
    fi
    DEB=$(find_cached_deb)
    [[ -n $DEB ]] || die "apt-get download succeeded but no busybox-static_*_${ARCH}.deb appeared in $CACHE"
else
    echo "using cached $CACHE/$DEB" >&2
fi
DEB=$CACHE/$DEB

# --- staging -----------------------------------------------------------------
WORK=$(mktemp -d "${TMPDIR:-/tmp}/gocker-busybox.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
umask 022

dpkg-deb -x "$DEB" "$WORK/deb"
[[ -f $WORK/deb/bin/busybox ]] || die "$DEB has no bin/busybox"

# Fixed timestamp for every entry.
if [[ -n ${SOURCE_DATE_EPOCH:-} ]]; then
    EPOCH=$SOURCE_DATE_EPOCH
else
    EPOCH=$(stat -c %Y "$WORK/deb/bin/busybox")
fi

R=$WORK/rootfs
mkdir -p "$R"
for d in bin sbin usr/bin usr/sbin etc dev proc sys tmp root home/user var; do
    mkdir -p "$R/$d"
done
install -m 0755 "$WORK/deb/bin/busybox" "$R/bin/busybox"

# Every applet, at the path busybox itself says it belongs (bin/sh, usr/bin/[,
# sbin/init, linuxrc, ...). Absolute target: valid wherever the link lives.
# --list-full runs the binary, so this needs a host that can execute it (same
# arch); busybox-static has no library dependencies.
APPLETS=$("$R/bin/busybox" --list-full) || die "cannot run $R/bin/busybox --list-full (foreign architecture?)"
n_applets=0
while IFS= read -r path; do
    [[ -n $path ]] || continue
    [[ $path == bin/busybox ]] && continue   # listed too; it is the real binary
    mkdir -p "$R/$(dirname "$path")"
    ln -sfn /bin/busybox "$R/$path"
    n_applets=$((n_applets + 1))
done <<<"$APPLETS"

cat >"$R/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
daemon:x:1:1:daemon:/usr/sbin:/bin/false
bin:x:2:2:bin:/bin:/bin/false
sys:x:3:3:sys:/dev:/bin/false
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
user:x:1000:1000:user:/home/user:/bin/sh
EOF

cat >"$R/etc/group" <<'EOF'
root:x:0:
daemon:x:1:
bin:x:2:
sys:x:3:
adm:x:4:
tty:x:5:
disk:x:6:
wheel:x:10:root
users:x:100:
nogroup:x:65534:
user:x:1000:
EOF

cat >"$R/etc/hosts" <<'EOF'
127.0.0.1	localhost
::1	localhost ip6-localhost ip6-loopback
EOF

echo busybox >"$R/etc/hostname"
echo 'hosts: files dns' >"$R/etc/nsswitch.conf"

# Normalise modes on disk (independent of the caller's umask), then fix up the
# few special directories. Symlinks are skipped: their mode is always 0777.
find "$R" -type d -exec chmod 0755 {} +
find "$R" -type f -exec chmod 0644 {} +
chmod 0755 "$R/bin/busybox"
chmod 1777 "$R/tmp"
chmod 0700 "$R/root"

# --- archive -----------------------------------------------------------------
# Entry list in C-locale order, without "./" (a parent always sorts before its
# children, since it is a prefix of them). home/user and anything below it is
# owned by 1000:1000; everything else by 0:0. tar can't assign per-file owners
# in one pass when all files on disk share one owner (we may not be root), so
# the archive is written in three ordered passes: entries before home/user
# (0:0), home/user itself (1000:1000), entries after it (0:0).
(cd "$R" && find . -mindepth 1 | sed 's|^\./||' | LC_ALL=C sort) >"$WORK/all"
# home/user's subtree is contiguous in sorted order: split around it.
awk -v b="$WORK/before" -v u="$WORK/user" -v a="$WORK/after" '
    /^home\/user(\/|$)/ { print > u; seen = 1; next }
    seen                { print > a; next }
                        { print > b }
' "$WORK/all"
touch "$WORK/before" "$WORK/user" "$WORK/after"

TAR_OPTS=(
    --format=gnu            # no pax extended headers (atime/ctime, etc.)
    --verbatim-files-from   # -T lines are names, never options
    --no-recursion          # we pass every entry explicitly, already sorted
    --numeric-owner         # empty uname/gname fields
    --mtime="@$EPOCH"
    -C "$R"
)

OUT=$OUTDIR/busybox.tar
TMP_OUT=$OUT.tmp.$$
rm -f "$TMP_OUT"
tar -cf "$TMP_OUT" "${TAR_OPTS[@]}" --owner=root:0 --group=root:0 -T "$WORK/before"
if [[ -s $WORK/user ]]; then
    tar -rf "$TMP_OUT" "${TAR_OPTS[@]}" --owner=user:1000 --group=user:1000 -T "$WORK/user"
fi
if [[ -s $WORK/after ]]; then
    tar -rf "$TMP_OUT" "${TAR_OPTS[@]}" --owner=root:0 --group=root:0 -T "$WORK/after"
fi
mv -f "$TMP_OUT" "$OUT"

version=$(dpkg-deb -f "$DEB" Version)
echo "busybox-static $version: $n_applets applets, mtime @$EPOCH" >&2
# Path and digest, in sha256sum(1) format ("HASH  PATH"; usable with sha256sum -c).
sha256sum "$OUT"
