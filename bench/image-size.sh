#!/usr/bin/env bash
# bench/image-size.sh: does the image's size change how long a container takes to start?
# `gocker run --rm IMAGE true` with busybox (2 MB) and with a large image built here (busybox plus one
# layer of random files, SIZE_MB in total, loaded from a docker-archive made with tar and sha256sum),
# alternated (busybox large busybox large ...) after WARMUP runs each. Rootfs setup is an overlay
# mount of the stored layers, so large/busybox (medians of the same run) should be ~1 whatever SIZE_MB.
#
# Options (bench/README.md): --runs N (default 20), --tiny (3 runs, a 20 MB image), --out DIR.
# Environment: GOCKER, IMAGE_TAR (the busybox rootfs, the large image's lower layer);
#   SIZE_MB   size of the large layer in MB (default 300; 20 with --tiny)
#   BASELINE  another gocker binary (with images/ beside it) to time on busybox as well, for
#             before/after comparisons (contender "baseline"; default: none)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/contract.sh"
source "$BENCH_LIB/stats.sh"
source "$BENCH_LIB/peers.sh"
bench_init image-size 20 "$@"
WARMUP=3
if [[ $TINY == 1 ]]; then
    WARMUP=1
    SIZE_MB=${SIZE_MB:-20}
fi
SIZE_MB=${SIZE_MB:-300}
BASELINE=${BASELINE:-}
[[ $SIZE_MB =~ ^[1-9][0-9]*$ ]] || bench_die "SIZE_MB must be a positive integer, got '$SIZE_MB'"
[[ -x $GOCKER ]] || bench_skip "no gocker at $GOCKER (./build.sh)"
[[ -f $IMAGE_TAR ]] || bench_skip "no busybox image at $IMAGE_TAR (./build.sh)"
command -v sha256sum >/dev/null || bench_skip "sha256sum not found (coreutils)"
[[ -z $BASELINE || -x $BASELINE ]] || bench_die "BASELINE=$BASELINE is not an executable"

LARGE=busybox+${SIZE_MB}MB
bench_md "# Start latency by image size"
bench_md
bench_md "\`gocker run --rm IMAGE true\` with busybox (2 MB) and with \`$LARGE\`: busybox plus one layer"
bench_md "of random files, $SIZE_MB MB, built and loaded (\`gocker load\`) before timing; alternated."
bench_md "Rootfs setup is an overlay mount of the stored layers, nothing is copied: the large image"
bench_md "should start as fast as busybox (large ÷ busybox ≈ 1)."
bench_md

T=$(bench_tmpdir)
ROOT=$T/root
cleanup() {
    gocker_teardown "$ROOT"
    [[ -n $BASELINE ]] && GOCKER=$BASELINE gocker_teardown "$T/baseline-root"
    bench_umount_under "$T"
    bench_remove_tmpdir "$T"
}
trap cleanup EXIT

# --- the large image: busybox + a layer of random files, as a docker-archive -----------------------
# Random, so that nothing on the way (page cache aside) can make the bytes cheaper than their size.
echo "building a $SIZE_MB MB image..."
mkdir -p "$T/files/data" "$T/archive"
for ((left = SIZE_MB, i = 0; left > 0; left -= 10, i++)); do
    head -c $(((left < 10 ? left : 10) << 20)) /dev/urandom >"$T/files/data/blob$i"
done
tar -C "$T/files" --numeric-owner -cf "$T/big-layer.tar" data
rm -rf "$T/files"
d1=$(sha256sum <"$IMAGE_TAR" | cut -d' ' -f1)
d2=$(sha256sum <"$T/big-layer.tar" | cut -d' ' -f1)
mkdir -p "$T/archive/$d1" "$T/archive/$d2"
cp "$IMAGE_TAR" "$T/archive/$d1/layer.tar"
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
bench_note "\`gocker load\` of the $SIZE_MB MB image (once, not a figure): $(us_to_ms $((t1 - t0))) ms; \`gocker images\`:" \
    "$("$GOCKER" --root "$ROOT" images --format '{{.Repository}} {{.Size}}' | paste -sd, | sed 's/,/, /g')."

CONTENDERS=(busybox "$LARGE")
[[ -n $BASELINE ]] && CONTENDERS+=(baseline)
cmd_for() {
    case $1 in
        busybox) CMD=("$GOCKER" --root "$ROOT" run --rm busybox true) ;;
        baseline) CMD=("$BASELINE" --root "$T/baseline-root" run --rm busybox true) ;;
        *) CMD=("$GOCKER" --root "$ROOT" run --rm bench/large true) ;;
    esac
}
ERR=$T/stderr
PREFIX=()
bench_series start bar lower image "Start to exit by image size (run --rm IMAGE true)"

echo "image size: $RUNS runs (+$WARMUP warmup) of ${CONTENDERS[*]}"
run_alternating start "$WARMUP" "${CONTENDERS[@]}"
bench_note "$LARGE ÷ busybox (medians, same run): $(bench_ratio start "$LARGE" busybox)."
if [[ -n $BASELINE ]]; then
    bench_note "busybox ÷ baseline (medians, same run): $(bench_ratio start busybox baseline); baseline: $BASELINE."
fi
bench_summary
