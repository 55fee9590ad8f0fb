# bench/lib/peers.sh: the peers' side of a comparison (sourced): an OCI bundle for crun and runc
# and a private podman store, all on the same busybox rootfs as gocker's default image.
# shellcheck shell=bash

# bundle_setup DIR ARGS_JSON: DIR/rootfs from $IMAGE_TAR and DIR/config.json running ARGS_JSON.
bundle_setup() {
    mkdir -p "$1/rootfs"
    tar -xf "$IMAGE_TAR" -C "$1/rootfs" --numeric-owner
    write_oci_config "$1" "$2"
}

# podman_setup DIR: a podman with its own store under DIR (never the host's images and containers),
# the busybox rootfs imported as gocker-bench-busybox. Sets PODMAN (the command with its global
# options). Returns 1, with the reason in DIR.err, when podman cannot do that here.
# cgroupfs: there may be no systemd to ask for cgroups; events none: no journal either.
podman_setup() {
    local d=$1
    # The runroot must be short (podman refuses one longer than 50 characters): not under DIR.
    PODMAN_RUNROOT=$(mktemp -d /tmp/gkp.XXXXXX)
    mkdir -p "$d/root" "$d/tmp"
    PODMAN=(podman --root "$d/root" --runroot "$PODMAN_RUNROOT" --tmpdir "$d/tmp"
        --cgroup-manager cgroupfs --events-backend none)
    # crun 1.8 refuses a hybrid cgroup host unless /sys/fs/cgroup/unified is unmounted (the private
    # namespace some scripts run in): elsewhere on such a host podman runs runc.
    if mountpoint -q /sys/fs/cgroup/unified 2>/dev/null; then PODMAN+=(--runtime runc); fi
    # Podman's default rlimits (nofile, nproc 1048576) need CAP_SYS_RESOURCE to raise the hard limit;
    # where root lacks it (some VMs and sandboxes), the container gets low fixed limits instead (the
    # current hard limits are not enough: podman's own processes lower them on the way).
    PODMAN_RUN_OPTS=()
    if (( (0x$(awk '/^CapEff/ { print $2 }' /proc/self/status) >> 24 & 1) == 0 )); then
        PODMAN_RUN_OPTS=(--ulimit nofile=1024:1024 --ulimit nproc=1024:1024)
    fi
    "${PODMAN[@]}" import --quiet "$IMAGE_TAR" gocker-bench-busybox >/dev/null 2>"$d.err"
}

# podman_teardown DIR: removes every container of that store and detaches its mounts (containers/
# storage keeps its overlay directory bind-mounted on itself).
podman_teardown() {
    local d=$1
    [[ ${#PODMAN[@]} -gt 0 ]] || return 0
    "${PODMAN[@]}" rm -a -f -t 0 >/dev/null 2>&1 || true
    "${PODMAN[@]}" system reset -f >/dev/null 2>&1 || true
    bench_umount_under "$d"
    if [[ -n ${PODMAN_RUNROOT:-} ]]; then
        bench_umount_under "$PODMAN_RUNROOT"
        rm -rf --one-file-system "$PODMAN_RUNROOT"
    fi
}

# oci_teardown RUNTIME ROOT: deletes whatever containers a failed run left in RUNTIME's state ROOT
# (with their cgroups).
oci_teardown() {
    local rt=$1 root=$2 id
    [[ -d $root ]] || return 0
    for id in "$root"/*; do
        [[ -d $id ]] || continue
        "$rt" --root "$root" delete -f "${id##*/}" >/dev/null 2>&1 || true
    done
}

# gocker_teardown ROOT: removes every container of a gocker root, then its networks: the bridge, the
# iptables rules and the address files a run on the default network made (removing the root's
# directory would leave the bridge and its rules on the host for good).
gocker_teardown() {
    local root=$1 id veth
    [[ -d $root ]] || return 0
    "$GOCKER" --root "$root" ps -a -q --no-trunc | xargs -r "$GOCKER" --root "$root" rm -f >/dev/null 2>&1 || true
    # Asking a root without networks/ about them would define its default network first.
    [[ -d $root/networks ]] || return 0
    # A veth goes when the kernel tears its container's network namespace down, asynchronously: the
    # bridges' remaining ports are deleted here, so that none outlives the benchmark.
    for id in $("$GOCKER" --root "$root" network ls -q --filter driver=bridge 2>/dev/null); do
        ip -o link show master "gk-$id" 2>/dev/null | awk -F': ' '{ sub(/@.*/, "", $2); print $2 }' |
            while read -r veth; do ip link del "$veth" 2>/dev/null || true; done
    done
    "$GOCKER" --root "$root" network teardown >/dev/null 2>&1 || true
}
