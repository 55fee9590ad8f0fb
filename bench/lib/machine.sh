#!/usr/bin/env bash
# bench/lib/machine.sh TINY RUNS: prints machine.json, the machine and software a run measured on.
# One "key": value pair per line (bench/lib/report.sh reads it back with sed).
set -euo pipefail
export LC_ALL=C
tiny=$1 runs=$2

# cgroup v2 mounts cgroup2 at /sys/fs/cgroup; v1 mounts a tmpfs of per-controller hierarchies there,
# and a "hybrid" host also mounts cgroup2 (without controllers) at /sys/fs/cgroup/unified.
cgroup_mode() {
    if [[ $(stat -fc %T /sys/fs/cgroup) == cgroup2fs ]]; then
        echo v2
    elif mountpoint -q /sys/fs/cgroup/unified 2>/dev/null; then
        echo hybrid
    else
        echo v1
    fi
}
first_line() { "$@" 2>/dev/null | head -n 1 || true; }
version_of() { # the first version-looking word of `CMD --version`, or nothing when absent
    command -v "$1" >/dev/null || return 0
    first_line "$@" --version | grep -oE '[0-9]+\.[0-9]+(\.[0-9]+)?([-+~][0-9A-Za-z.+~-]*)?' | head -n 1 || true
}
clean() { tr -d '"\\' <<<"$1" | tr -s ' \t' ' ' | sed 's/^ //; s/ $//'; }
pair() { printf '  "%s": "%s"%s\n' "$1" "$(clean "$2")" "${3-,}"; }

gocker=${GOCKER:?GOCKER must name the gocker binary}
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
[[ -n $cpu ]] || cpu=$(uname -m)
os=$(sed -n 's/^PRETTY_NAME="\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' /etc/os-release 2>/dev/null | head -n 1)

echo "{"
pair date "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
pair mode "$([[ $tiny == 1 ]] && echo tiny || echo full)"
pair runs "$runs"
pair cpu_model "$cpu"
pair cores "$(nproc)"
pair memory_kib "$(awk '/^MemTotal:/ { print $2 }' /proc/meminfo)"
pair kernel "$(uname -r)"
pair os "${os:-unknown}"
pair cgroup_mode "$(cgroup_mode)"
pair load_average "$(cut -d' ' -f1-3 /proc/loadavg)"
pair gocker "$(first_line "$gocker" --version)"
pair gocker_binary_bytes "$(stat -Lc %s "$gocker")"
pair crun "$(version_of crun)"
pair runc "$(version_of runc)"
pair podman "$(version_of podman)"
pair conmon "$(version_of conmon)"
pair nsenter "$(version_of nsenter)" ""
echo "}"
