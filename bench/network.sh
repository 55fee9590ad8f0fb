#!/usr/bin/env bash
# bench/network.sh: what networking costs.
#   1. Start to exit, `gocker run --rm busybox true` on the default bridge network against
#      `--network none`, alternated (none bridge none bridge ...) after WARMUP runs each; the
#      difference of the medians. Target: networking adds under 5 ms.
#   2. Throughput of a published port against the container's address directly: busybox httpd in a
#      container serves a SIZE_MB file, fetched by the host with curl (if installed) or busybox wget,
#      through 127.0.0.1:PORT (DNAT in the nat OUTPUT chain, masquerade on the bridge; PORT picked by
#      gocker) and through CONTAINER_IP:80 (routed, no NAT), alternated; MiB/s per fetch.
#
# Options (bench/README.md): --runs N (default 30: runs, and fetches, per contender), --tiny (3 runs,
# a 4 MB file), --out DIR. Environment: GOCKER, IMAGE_TAR; SIZE_MB (default 50; 4 with --tiny),
# TRIES (fetches per path, default: the runs). Uses a temporary --root, its networks torn down at the end.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/contract.sh"
source "$BENCH_LIB/stats.sh"
source "$BENCH_LIB/peers.sh"
bench_init network 30 "$@"
WARMUP=3
if [[ $TINY == 1 ]]; then
    WARMUP=1
    SIZE_MB=${SIZE_MB:-4}
fi
SIZE_MB=${SIZE_MB:-50}
TRIES=${TRIES:-$RUNS}
[[ $SIZE_MB =~ ^[1-9][0-9]*$ ]] || bench_die "SIZE_MB must be a positive integer, got '$SIZE_MB'"
[[ $TRIES =~ ^[1-9][0-9]*$ ]] || bench_die "TRIES must be a positive integer, got '$TRIES'"
[[ -x $GOCKER ]] || bench_skip "no gocker at $GOCKER (./build.sh)"
"$GOCKER" run --help 2>/dev/null | grep -q -- '--network' || bench_skip "gocker run has no --network option"
command -v curl >/dev/null || command -v busybox >/dev/null || bench_skip "neither curl nor busybox (for wget) is installed"

bench_md "# What networking costs"
bench_md
bench_md "What networking costs. Start to exit of \`gocker run --rm busybox true\` on the default bridge"
bench_md "network (a veth to the root's bridge, an address, the container's rules) against \`--network"
bench_md "none\` (loopback only), alternated; target: the bridge adds under 5 ms. Then the throughput of"
bench_md "busybox httpd in a container serving a $SIZE_MB MB file to the host, through a published port"
bench_md "(\`-p 127.0.0.1::80\`: DNAT in the nat OUTPUT chain, masquerade on the bridge) and through the"
bench_md "container's address directly (routed, no NAT), alternated, one fetch a sample."
bench_md

T=$(bench_tmpdir)
ROOT=$T/root
cleanup() {
    gocker_teardown "$ROOT"
    bench_umount_under "$T"
    bench_remove_tmpdir "$T"
}
trap cleanup EXIT
ERR=$T/stderr
PREFIX=()

# --- 1. start to exit, --network none against the default bridge ----------------------------------
cmd_for() {
    case $1 in
        none) CMD=("$GOCKER" --root "$ROOT" run --rm --network none busybox true) ;;
        bridge) CMD=("$GOCKER" --root "$ROOT" run --rm busybox true) ;;
    esac
}
bench_series start bar lower network "Start to exit by network (run --rm [--network none] busybox true)"
echo "network: $RUNS runs (+$WARMUP warmup) of none bridge"
# Warmup: the first bridged run defines the default network and makes its bridge and rules.
run_alternating start "$WARMUP" none bridge
bench_note "The bridge network adds $(awk -v a="$(bench_median start bridge)" -v b="$(bench_median start none)" \
    'BEGIN { printf "%.2f", a - b }') ms to a start (median against median, same run; target: under 5 ms)."

# --- 2. throughput: published port against the container's address ---------------------------------
BYTES=$((SIZE_MB << 20))
id=$("$GOCKER" --root "$ROOT" run -d -p 127.0.0.1::80 busybox \
    sh -c "mkdir /www && head -c $BYTES /dev/zero >/www/blob && exec httpd -f -p 80 -h /www") ||
    bench_die "gocker run -d -p 127.0.0.1::80 busybox httpd failed"
ip=$("$GOCKER" --root "$ROOT" inspect -f '{{.NetworkSettings.IPAddress}}' "$id")
hostport=$("$GOCKER" --root "$ROOT" port "$id" 80 | head -n 1)
port=${hostport##*:}
[[ -n $ip && $port =~ ^[0-9]+$ ]] || bench_die "no address ('$ip') or published port ('$hostport') for the httpd container"

if command -v curl >/dev/null; then
    FETCHER=curl
    fetch() { curl -sf -o /dev/null -w '%{size_download} %{time_total}\n' "$1"; }
else
    FETCHER="busybox wget"
    fetch() {
        local s e
        s=$EPOCHREALTIME
        busybox wget -q -O /dev/null "$1" || return 1
        e=$EPOCHREALTIME
        echo "$BYTES $(awk -v s="$s" -v e="$e" 'BEGIN { print e - s }')"
    }
fi
# httpd starts once the file is written; nothing tells the host when that is, hence the polling.
for ((i = 0; i < 100; i++)); do
    fetch "http://$ip:80/blob" >/dev/null 2>&1 && break
    sleep 0.1
done
((i < 100)) || bench_die "busybox httpd at $ip:80 did not answer within 10 s"

rate_of() { # URL: one fetch, in MiB/s (three decimals)
    local out bytes secs
    out=$(fetch "$1") || bench_die "$FETCHER $1 failed"
    read -r bytes secs <<<"$out"
    [[ $bytes == "$BYTES" ]] || bench_die "short read from $1 ($bytes of $BYTES bytes)"
    awk -v b="$bytes" -v s="$secs" 'BEGIN { printf "%.3f", b / s / 1048576 }'
}
DIRECT="container IP (routed)" PUBLISHED="published port (DNAT)"
bench_series throughput bar higher path "Throughput from busybox httpd to the host ($SIZE_MB MB over HTTP with $FETCHER)"
echo "throughput: $TRIES fetches of $SIZE_MB MB each from http://$ip:80 and http://127.0.0.1:$port"
for ((i = 1; i <= TRIES; i++)); do
    # Assigned first: a failure inside $(...) as a command's argument would go unnoticed.
    direct=$(rate_of "http://$ip:80/blob")
    bench_sample throughput "$DIRECT" "" "$i" "$direct" MiB/s
    published=$(rate_of "http://127.0.0.1:$port/blob")
    bench_sample throughput "$PUBLISHED" "" "$i" "$published" MiB/s
done
bench_note "Published port ÷ container address (throughput medians, same run): $(bench_ratio throughput "$PUBLISHED" "$DIRECT")."
bench_summary
