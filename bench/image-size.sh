#!/usr/bin/env bash
# bench/image-size.sh — does the image's size change how long a container takes to start?
# `gocker run --rm IMAGE true` with busybox (2 MB) and with a large image built here (busybox plus
# one layer of random files, SIZE_MB in total, ~300 MB by default, loaded from a docker-archive made
# with tar and sha256sum), alternating (small large small large ...), RUNS each after WARMUP.
# Prints median/min/max in ms and the ratio large/small: rootfs setup is an overlay mount of the
# stored layers, so the ratio should be ~1 whatever SIZE_MB is.
#
# Environment:
#   GOCKER    gocker binary (default: <repo>/out/gocker)
#   RUNS      timed runs per contender (default 20)
#   SIZE_MB   size of the large layer in MB (default 300)
#   BASELINE  another gocker binary (with images/ beside it) to time on busybox as well, for
#             before/after comparisons (contender "baseline"; default: none)
set -euo pipefail
export LC_ALL=C

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=lib/stats.sh
source "$REPO/bench/lib/stats.sh"
GOCKER=${GOCKER:-$REPO/out/gocker}
RUNS=${RUNS:-20}
SIZE_MB=${SIZE_MB:-300}
BASELINE=${BASELINE:-}
WARMUP=3

die() { echo "image-size: $*" >&2; exit 1; }
[[ $EUID -eq 0 ]] || die "must run as root"
[[ -x $GOCKER ]] || die "no gocker at $GOCKER (./build.sh)"
BUSYBOX=$(dirname "$GOCKER")/images/busybox.tar
[[ -f $BUSYBOX ]] || die "no $BUSYBOX (./build.sh)"
command -v sha256sum >/dev/null || die "sha256sum not found"

T=$(mktemp -d /tmp/gocker-bench-size.XXXXXX)
cleanup() { rm -rf --one-file-system "$T"; }
trap cleanup EXIT
ROOT=$T/root

# --- the large image: busybox + a layer of random files, as a docker-archive ---------------------
echo "building a $SIZE_MB MB image..."
mkdir -p "$T/files/data" "$T/archive"
for ((i = 0; i < SIZE_MB / 10; i++)); do
    head -c $((10 << 20)) /dev/urandom >"$T/files/data/blob$i"
done
tar -C "$T/files" --numeric-owner -cf "$T/big-layer.tar" data
rm -rf "$T/files"
d1=$(sha256sum <"$BUSYBOX" | cut -d' ' -f1)
d2=$(sha256sum <"$T/big-layer.tar" | cut -d' ' -f1)
mkdir -p "$T/archive/$d1" "$T/archive/$d2"
cp "$BUSYBOX" "$T/archive/$d1/layer.tar"
mv "$T/big-layer.tar" "$T/archive/$d2/layer.tar"
config="{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Cmd\":[\"sh\"]},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:$d1\",\"sha256:$d2\"]}}"
cid=$(printf '%s' "$config" | sha256sum | cut -d' ' -f1)
printf '%s' "$config" >"$T/archive/$cid.json"
printf '[{"Config":"%s.json","RepoTags":["bench/large:latest"],"Layers":["%s/layer.tar","%s/layer.tar"]}]' \
    "$cid" "$d1" "$d2" >"$T/archive/manifest.json"
tar -C "$T/archive" -cf "$T/large.tar" .
rm -rf "$T/archive"
t0=${EPOCHREALTIME/./}
"$GOCKER" --root "$ROOT" load -i "$T/large.tar" >/dev/null
t1=${EPOCHREALTIME/./}
rm -f "$T/large.tar"
echo "load of the large image: $(ms $((t1 - t0))) ms; $("$GOCKER" --root "$ROOT" images --format '{{.Repository}} {{.Size}}' | tr '\n' ' ')"
echo

CONTENDERS=(small large)
[[ -n $BASELINE ]] && CONTENDERS+=(baseline)
cmd_for() {
    case $1 in
        small)    CMD=("$GOCKER" --root "$ROOT" run --rm busybox true) ;;
        large)    CMD=("$GOCKER" --root "$ROOT" run --rm bench/large true) ;;
        baseline) CMD=("$BASELINE" --root "$T/baseline-root" run --rm busybox true) ;;
    esac
}
ERR=$T/stderr
BENCH=image-size
PREFIX=()

echo "image-size: RUNS=$RUNS (+$WARMUP warmup each), $(uname -r), $(nproc) CPUs"
for ((i = 1; i <= WARMUP; i++)); do
    for c in "${CONTENDERS[@]}"; do run_one "$c"; done
done
declare -A SAMPLES MED
for c in "${CONTENDERS[@]}"; do SAMPLES[$c]=""; done
for ((i = 1; i <= RUNS; i++)); do
    for c in "${CONTENDERS[@]}"; do
        run_one "$c"
        SAMPLES[$c]+="$DT "
    done
done
print_summary
echo "large/small (medians): $(awk -v a="${MED[large]}" -v b="${MED[small]}" 'BEGIN { printf "%.2f", a / b }')"
if [[ -n $BASELINE ]]; then
    echo "small/baseline (medians): $(awk -v a="${MED[small]}" -v b="${MED[baseline]}" 'BEGIN { printf "%.2f", a / b }')"
fi
