# bench/lib/contract.sh: what every bench/NAME.sh does to take part in bench/run (sourced).
# The contract itself is written down in bench/README.md; this file is its implementation.
#
#   bench_init NAME DEFAULT_RUNS "$@"   parses --runs N, --tiny, --out DIR (and -h); sets BENCH, RUNS,
#                                       TINY (0|1), OUT, REPO, GOCKER, IMAGE_TAR; starts NAME.csv
#   bench_series ID CHART BETTER XLABEL TITLE...
#                                       describes a series (CHART bar|loglog|none, BETTER lower|higher)
#   bench_sample SERIES CONTENDER X RUN VALUE UNIT
#                                       one raw sample (X empty when the series has no parameter)
#   bench_md TEXT...                    a line of markdown for the report (description)
#   bench_note TEXT...                  printed, and a bullet in the report (skipped peers, caveats)
#   bench_skip REASON...                the whole benchmark cannot run here: says why, exits 77
#   bench_summary                       prints median/min/max (and ratios to gocker) from NAME.csv
#   bench_median SERIES CONTENDER [X]   the median of those samples in NAME.csv (as stats.awk computes it)
#   bench_ratio SERIES A B [X]          A's median over B's, two decimals: for a note when neither is "gocker"
#   bench_tmpdir                        a scratch directory under $TMPDIR (bench/run points it at its own)
#   bench_umount_under DIR              detaches every mount at or below DIR (deepest first)
#   bench_private_cgroup_ns "$@"        re-executes the script in a private mount namespace with the
#                                       empty cgroup2 mount of a v1 hybrid host removed (crun needs it)
# shellcheck shell=bash

BENCH_LIB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$BENCH_LIB/../.." && pwd)
GOCKER=${GOCKER:-$REPO/out/gocker}
IMAGE_TAR=${IMAGE_TAR:-$(dirname "$GOCKER")/images/busybox.tar}
export LC_ALL=C # EPOCHREALTIME and printf must use "." as the decimal separator

bench_die() { echo "${BENCH:-bench}: $*" >&2; exit 1; }

bench_init() {
    BENCH=$1
    local default_runs=$2 runs=
    # Interrupted, a script still runs its EXIT trap (its cleanup): bash skips it on a fatal signal.
    trap 'exit 130' INT
    trap 'exit 143' TERM
    shift 2
    TINY=0 OUT=
    while [[ $# -gt 0 ]]; do
        case $1 in
            --runs) [[ $# -ge 2 ]] || bench_die "--runs needs a number"; runs=$2; shift 2 ;;
            --runs=*) runs=${1#--runs=}; shift ;;
            --tiny) TINY=1; shift ;;
            --out) [[ $# -ge 2 ]] || bench_die "--out needs a directory"; OUT=$2; shift 2 ;;
            --out=*) OUT=${1#--out=}; shift ;;
            -h | --help)
                sed -n '2,/^[^#]/{/^#/s/^# \{0,1\}//p}' "$0"
                echo "options: --runs N (timed runs per contender), --tiny (a few runs, small counts), --out DIR"
                exit 0 ;;
            *) bench_die "unknown option '$1' (see bench/README.md: --runs N, --tiny, --out DIR)" ;;
        esac
    done
    if [[ -z $runs ]]; then
        if [[ $TINY == 1 ]]; then runs=3; else runs=${RUNS:-$default_runs}; fi
    fi
    [[ $runs =~ ^[1-9][0-9]*$ ]] || bench_die "--runs must be a positive integer, got '$runs'"
    RUNS=$runs
    [[ $EUID -eq 0 ]] || bench_die "must run as root (containers need namespaces, mounts and cgroups)"
    [[ -n ${EPOCHREALTIME:-} ]] || bench_die "bash >= 5 needed (EPOCHREALTIME)"
    if [[ -z $OUT ]]; then
        OUT=$REPO/bench/results/$BENCH-$(date -u +%Y%m%dT%H%M%SZ)
    fi
    mkdir -p "$OUT"
    OUT=$(cd "$OUT" && pwd)
    echo "series,contender,x,run,value,unit" >"$OUT/$BENCH.csv"
    echo "series,chart,better,xlabel,title" >"$OUT/$BENCH.series.csv"
    : >"$OUT/$BENCH.md"
}

bench_series() {
    local id=$1 chart=$2 better=$3 xlabel=$4
    shift 4
    echo "$id,$chart,$better,$xlabel,$*" >>"$OUT/$BENCH.series.csv"
}

bench_sample() { echo "$1,$2,$3,$4,$5,$6" >>"$OUT/$BENCH.csv"; }

bench_md() { echo "$*" >>"$OUT/$BENCH.md"; }

bench_note() {
    echo "$*"
    echo "- $*" >>"$OUT/$BENCH.md"
}

bench_skip() {
    echo "$BENCH: skipped: $*"
    echo "- Skipped: $*" >>"$OUT/$BENCH.md"
    exit 77
}

bench_summary() {
    awk -F, -v title="$BENCH" -f "$BENCH_LIB/stats.awk" -f "$BENCH_LIB/summary.awk" \
        "$OUT/$BENCH.series.csv" "$OUT/$BENCH.csv"
    echo "raw samples: $OUT/$BENCH.csv"
}

bench_median() {
    awk -F, -v s="$1" -v c="$2" -v x="${3:-}" 'NR > 1 && $1 == s && $2 == c && $3 == x { print $5 }' \
        "$OUT/$BENCH.csv" | sort -g |
        awk '{ v[NR] = $1 } END { if (NR) { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; print m } }'
}

bench_ratio() {
    local a b
    a=$(bench_median "$1" "$2" "${4:-}") b=$(bench_median "$1" "$3" "${4:-}")
    awk -v a="$a" -v b="$b" 'BEGIN { if (a == "" || b + 0 <= 0) print "n/a"; else printf "%.2f\n", a / b }'
}

bench_tmpdir() { mktemp -d "${TMPDIR:-/tmp}/gocker-bench-$BENCH.XXXXXX"; }

# Mount points are the 5th field of mountinfo, with spaces and the like octal-escaped; scratch
# directories made by bench_tmpdir have none of those.
bench_umount_under() {
    local dir=$1 m
    awk -v d="$dir" '$5 == d || index($5, d "/") == 1 { print $5 }' /proc/self/mountinfo |
        sort -r | while read -r m; do umount -l "$m" 2>/dev/null || true; done
}

# bench_remove_tmpdir DIR: removes a scratch directory and what is mounted under it. A mount that a
# peer's processes still hold in a namespace of their own (podman's storage, for a moment after
# `podman system reset`) makes the removal fail with EBUSY after the lazy umount: it is retried for
# a few seconds before the error stands.
bench_remove_tmpdir() {
    local dir=$1 i
    for ((i = 0; i < 50; i++)); do
        bench_umount_under "$dir"
        rm -rf --one-file-system "$dir" 2>/dev/null && return 0
        sleep 0.1
    done
    rm -rf --one-file-system "$dir"
}

# crun 1.8 refuses a cgroup v1 "hybrid" host (cgroup2 mounted, without controllers, on
# /sys/fs/cgroup/unified). unshare(1) makes the new mount namespace's propagation private, so the
# umount below never reaches the host. Call it first thing, with the script's arguments.
BENCH_UNIFIED=/sys/fs/cgroup/unified
bench_private_cgroup_ns() {
    if [[ -z ${_GOCKER_BENCH_PRIVATE_NS:-} ]]; then
        command -v unshare >/dev/null || bench_die "unshare not found (apt-get install util-linux)"
        exec unshare -m -- env _GOCKER_BENCH_PRIVATE_NS=1 "$BASH" "$0" "$@"
    fi
    if mountpoint -q "$BENCH_UNIFIED"; then
        umount "$BENCH_UNIFIED"
        BENCH_UNMOUNTED=1
    fi
}

# The wrapper's description, for the report.
bench_wrapper_md() {
    bench_md
    if [[ ${BENCH_UNMOUNTED:-0} == 1 ]]; then
        bench_md "Every contender runs in the same private mount namespace (\`unshare -m\`) with" \
            "\`$BENCH_UNIFIED\` unmounted: crun 1.8 refuses cgroup v1 hybrid hosts like this one" \
            "otherwise, and the others get the same environment so that the comparison stays fair."
    else
        bench_md "Every contender runs in the same private mount namespace (\`unshare -m\`), the one crun" \
            "needs on cgroup v1 hybrid hosts (this host is not one: nothing is unmounted there)."
    fi
}
