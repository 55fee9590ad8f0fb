#!/usr/bin/env bash
# bench/network.sh: what networking costs.
#   1. Start to exit, `gocker run --rm busybox true` on the default bridge network against
#      `--network none`, alternated (none bridge none bridge ...), after warmup runs; median, min and max
#      and the difference of the medians. Target: networking adds under 5 ms.
#   2. Throughput of a published port against the container's address directly: busybox httpd in a
#      container serves a SIZE_MB file, fetched by the host with curl (if installed) or busybox wget,
#      through 127.0.0.1:PORT (DNAT in the nat OUTPUT chain, masquerade on the bridge) and through
#      CONTAINER_IP:80 (routed, no NAT), alternated; best and median of TRIES fetches each, in MB/s.
# Environment: GOCKER (default <repo>/out/gocker), RUNS (default 30), SIZE_MB (default 50), TRIES
# (default 9), PORT (default 18180). Needs root. Uses a temporary --root, torn down at the end.
set -euo pipefail
export LC_ALL=C
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=lib/stats.sh
source "$REPO/bench/lib/stats.sh"
GOCKER=${GOCKER:-$REPO/out/gocker}
RUNS=${RUNS:-30}
SIZE_MB=${SIZE_MB:-50}
TRIES=${TRIES:-9}
PORT=${PORT:-18180}
BENCH=network
[[ $EUID -eq 0 ]] || { echo "network: must run as root" >&2; exit 1; }
[[ -x $GOCKER ]] || { echo "network: $GOCKER not built (./build.sh)" >&2; exit 1; }
T=$(mktemp -d /tmp/gocker-network-bench.XXXXXX)
ERR=$T/err
cleanup() {
    "$GOCKER" --root "$T/root" ps -a -q --no-trunc 2>/dev/null | xargs -r "$GOCKER" --root "$T/root" rm -f >/dev/null 2>&1 || true
    "$GOCKER" --root "$T/root" network teardown >/dev/null 2>&1 || true
    rm -rf "$T"
}
trap cleanup EXIT

declare -A SAMPLES MED
CONTENDERS=(none bridge)
PREFIX=()
cmd_for() {
    case $1 in
        none) CMD=("$GOCKER" --root "$T/root" run --rm --network none busybox true) ;;
        bridge) CMD=("$GOCKER" --root "$T/root" run --rm busybox true) ;;
    esac
}
for c in "${CONTENDERS[@]}"; do SAMPLES[$c]=""; done
# Warmup: the first bridged run defines the default network and makes its bridge and rules.
for c in "${CONTENDERS[@]}"; do for _ in 1 2 3; do run_one "$c"; done; done
for ((i = 0; i < RUNS; i++)); do
    for c in "${CONTENDERS[@]}"; do
        run_one "$c"
        SAMPLES[$c]+="$DT "
    done
done

echo "network: RUNS=$RUNS, $(nproc) CPUs, $(uname -r), $(date -u +%Y-%m-%dT%H:%MZ)"
echo "run --rm busybox true, --network none against the default bridge network:"
print_summary
awk -v a="${MED[bridge]}" -v b="${MED[none]}" 'BEGIN {printf "the bridge network adds %.2f ms (median against median)\n\n", (a - b) / 1000}'

# ---- published port throughput ----
id=$("$GOCKER" --root "$T/root" run -d -p "127.0.0.1:$PORT:80" busybox sh -c "mkdir /www && head -c $((SIZE_MB * 1024 * 1024)) /dev/zero > /www/blob && exec httpd -f -p 80 -h /www")
ip=$("$GOCKER" --root "$T/root" inspect -f '{{.NetworkSettings.IPAddress}}' "$id")
if command -v curl >/dev/null; then
    fetch() { curl -s -o /dev/null -w '%{size_download} %{time_total}\n' "$1"; }
else
    fetch() {
        local s e
        s=$EPOCHREALTIME
        busybox wget -q -O /dev/null "$1"
        e=$EPOCHREALTIME
        echo "$((SIZE_MB * 1024 * 1024)) $(awk -v s="$s" -v e="$e" 'BEGIN {print e - s}')"
    }
fi
for _ in $(seq 50); do fetch "http://$ip:80/blob" >/dev/null 2>&1 && break; sleep 0.1; done
# Alternated (direct published direct published ...), TRIES each; best and median in MB/s.
declare -A RATES=([direct]="" [published]="")
rate_of() {
    local bytes secs
    read -r bytes secs <<<"$(fetch "$1")"
    [[ $bytes -eq $((SIZE_MB * 1024 * 1024)) ]] || { echo "network: short read from $1 ($bytes bytes)" >&2; exit 1; }
    awk -v b="$bytes" -v s="$secs" 'BEGIN {printf "%.0f", b / s / 1048576}'
}
for _ in $(seq "$TRIES"); do
    RATES[direct]+="$(rate_of "http://$ip:80/blob") "
    RATES[published]+="$(rate_of "http://127.0.0.1:$PORT/blob") "
done
summary() { tr ' ' '\n' <<<"${RATES[$1]}" | sed '/^$/d' | sort -n | awk '{v[NR]=$1} END {m = (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2; printf "best %5d  median %5d", v[NR], m}'; }
echo "throughput, ${SIZE_MB} MB over HTTP from busybox httpd to the host, $TRIES fetches each, alternated, MB/s:"
printf '  %-40s %s\n' "container address $ip:80 (routed)" "$(summary direct)"
printf '  %-40s %s\n' "published 127.0.0.1:$PORT (DNAT+SNAT)" "$(summary published)"
