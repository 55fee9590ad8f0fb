#!/usr/bin/env bash
# Builds gocker: native/ into a static library, the CLI with NativeAOT into one static executable,
# and the default busybox image.
#   ./build.sh          build out/gocker, out/gocker-init, out/images/busybox.tar
#   ./build.sh test     build, then run the unit tests and (as root) the integration tests
set -euo pipefail
cd "$(dirname "$0")"
top=$PWD
out=$top/out
mode=${1:-build}

need_pkgs=()
command -v cc >/dev/null || need_pkgs+=(gcc)
command -v ld.lld >/dev/null || need_pkgs+=(lld)
command -v dpkg-deb >/dev/null || need_pkgs+=(dpkg)
command -v dotnet >/dev/null || { echo "build.sh: the .NET SDK 10 is required (dotnet not on PATH)" >&2; exit 1; }
if [ "$mode" = test ]; then
    command -v script >/dev/null || need_pkgs+=(bsdutils)
    command -v tmux >/dev/null || need_pkgs+=(tmux)
    # Bridge networks (the default for every container) need iptables-save and iptables-restore.
    command -v iptables-restore >/dev/null || [ -x /usr/sbin/iptables-restore ] || need_pkgs+=(iptables)
    # Peers the tests run: runc and crun (the benchmarks' smoke test), podman (image archive interop).
    command -v runc >/dev/null || need_pkgs+=(runc)
    command -v crun >/dev/null || need_pkgs+=(crun)
    command -v podman >/dev/null || need_pkgs+=(podman)
fi
if [ ${#need_pkgs[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "build.sh: installing ${need_pkgs[*]}"
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_pkgs[@]}" >/dev/null
    else
        echo "build.sh: missing build prerequisites; install them with: sudo apt-get install ${need_pkgs[*]}" >&2
        exit 1
    fi
fi

mkdir -p "$out/native" "$out/images"

echo "== native"
objs=()
for src in native/*.c; do
    obj=$out/native/$(basename "${src%.c}").o
    cc -O2 -g0 -Wall -Wextra -Werror -fPIE -fno-omit-frame-pointer -c "$src" -o "$obj"
    objs+=("$obj")
done
rm -f "$out/native/libgocker.a"
ar rcs "$out/native/libgocker.a" "${objs[@]}"

echo "== gocker (NativeAOT)"
# The native link step tracks the managed object, not libgocker.a (it is linked through a linker
# argument, whole-archive): remove the linked image so that a change in native/ always relinks.
rm -f src/Gocker.Cli/bin/Release/net10.0/linux-x64/native/gocker
dotnet publish src/Gocker.Cli/Gocker.Cli.csproj -c Release -nologo -v quiet -o "$out/publish" \
    -p:NativeLibDir="$out/native/"
install -m 0755 "$out/publish/gocker" "$out/gocker"
ln -sfn gocker "$out/gocker-init"

echo "== default image"
rootfs-tools/build-busybox-image.sh "$out/images"

if [ "$mode" != test ]; then
    echo "built: $out/gocker"
    exit 0
fi

echo "== tests"
export GOCKER_BIN=$out/gocker
results=$out/test-results
rm -rf "$results"
mkdir -p "$results"
fail=0
dotnet test tests/Gocker.Core.Tests/Gocker.Core.Tests.csproj -c Release -nologo \
    --logger "trx;LogFileName=unit.trx" --results-directory "$results" || fail=1
if [ "$(id -u)" = 0 ]; then
    dotnet test tests/Gocker.Integration.Tests/Gocker.Integration.Tests.csproj -c Release -nologo \
        --logger "trx;LogFileName=integration.trx" --results-directory "$results" || fail=1
else
    echo "build.sh: the integration tests run real containers and need root: sudo ./build.sh test" >&2
    fail=1
fi
# One line with the whole suite's counts, from the test result files.
passed=0; failed=0
for trx in "$results"/*.trx; do
    [ -f "$trx" ] || continue
    c=$(grep -o '<Counters [^>]*>' "$trx" | head -n1)
    p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$c"); f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$c")
    passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
done
[ "$failed" = 0 ] || fail=1
# A run that could not count its failures (a test host that crashed: "Test Run Aborted", or the
# integration tests not run without root) is one failure, so that the line never says 0 on a failure.
[ "$fail" = 0 ] || [ "$failed" != 0 ] || failed=1
echo "Tests: $passed passed, $failed failed"
exit $fail
