#!/usr/bin/env bash
# bench/binary.sh: the binary itself: its size on disk (alone, and with the shared libraries it loads,
# as ldd lists them: gocker is one static file, the peers link libc, libseccomp and more), and how long
# `--version` takes from exec to exit (the floor under every command), against crun, runc and podman.
#
# Options (bench/README.md): --runs N (default 50), --tiny, --out DIR. Environment: GOCKER.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/contract.sh"
source "$BENCH_LIB/stats.sh"
bench_init binary 50 "$@"
[[ -x $GOCKER ]] || bench_skip "no gocker at $GOCKER (./build.sh)"

bench_md "# The binary"
bench_md
bench_md "Size on disk, alone and with the shared libraries the dynamic loader maps for it (as \`ldd\`"
bench_md "lists them; gocker is one static executable, gocker-init a symlink to it), and the time"
bench_md "\`--version\` takes from exec to exit, which is the floor under every command."
bench_md

T=$(bench_tmpdir)
trap 'rm -rf "$T"' EXIT
ERR=$T/stderr
PREFIX=()

CONTENDERS=(gocker)
for c in crun runc podman; do
    if command -v "$c" >/dev/null; then CONTENDERS+=("$c"); else bench_note "$c: not installed, skipped"; fi
done
path_of() { if [[ $1 == gocker ]]; then echo "$GOCKER"; else command -v "$1"; fi; }

bench_series size bar lower "" "Executable size"
bench_series size_libs bar lower "" "Executable and the shared libraries it loads"
for c in "${CONTENDERS[@]}"; do
    p=$(readlink -f "$(path_of "$c")")
    own=$(stat -c %s "$p")
    libs=0
    # "name => /path (addr)" or "/path (addr)"; a static binary lists none.
    while read -r lib; do
        [[ -f $lib ]] && libs=$((libs + $(stat -Lc %s "$lib")))
    done < <(ldd "$p" 2>/dev/null | sed -n 's/.*=> \(\/[^ ]*\) .*/\1/p; s/^[[:space:]]*\(\/[^ ]*\) (.*/\1/p')
    bench_sample size "$c" "" 1 "$(awk -v b="$own" 'BEGIN { printf "%.2f", b / 1048576 }')" MiB
    bench_sample size_libs "$c" "" 1 "$(awk -v b=$((own + libs)) 'BEGIN { printf "%.2f", b / 1048576 }')" MiB
done

cmd_for() { CMD=("$(path_of "$1")" --version); }
bench_series version bar lower "" "--version, exec to exit"
echo "binary: $RUNS runs of --version for ${CONTENDERS[*]}"
for c in "${CONTENDERS[@]}"; do run_one "$c"; run_one "$c"; done # warmup
for ((i = 1; i <= RUNS; i++)); do
    for c in "${CONTENDERS[@]}"; do
        run_one "$c"
        bench_sample version "$c" "" "$i" "$(us_to_ms "$DT")" ms
    done
done
bench_summary
