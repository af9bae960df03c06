#!/usr/bin/env bash
# ppdocs beside the floor: the time `cp -r` takes to write a copy of ppdocs' own output on the
# same file system. Writing those files is the part no generator can skip. For each size,
# RUNS rounds of (full build into an empty folder, then `cp -r` of that output to a sibling
# folder), on disk and on a tmpfs; medians and the ratio build / copy.
#
#   bash benches/floor.sh              # 10,000 pages (20,000 evidence files), 3 rounds
#   RUNS=5 bash benches/floor.sh 1000
#
# Nothing is synced to the device after either command: both are timed up to the point
# where the files are in the page cache, as a user sees them. Not run by CI.
set -euo pipefail
cd "$(dirname "$0")/.."
source benches/lib.sh

RUNS=${RUNS:-3}
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(10000)

# timed FILE COMMAND...: runs COMMAND under /usr/bin/time and appends its wall time to FILE.
timed() {
    local file=$1; shift
    /usr/bin/time -f '%e' -a -o "$file" "$@" >/dev/null
}

printf '%-7s %-6s %10s %10s %8s %10s %9s\n' pages output build_s cp_s ratio output_MB files
for pages in "${SIZES[@]}"; do
    input=$(corpus "$pages")
    for where in disk tmpfs; do
        case $where in
            tmpfs) base=$TMPFS ;;
            disk) base=$BENCH_DIR ;;
        esac
        out=$base/floor-site copy=$base/floor-copy
        rm -f "$BENCH_DIR/build.txt" "$BENCH_DIR/cp.txt"
        for _ in $(seq "$RUNS"); do
            rm -rf "$out" "$copy"
            sync
            timed "$BENCH_DIR/build.txt" "$PPDOCS" build --quiet --root "$input" --as-of "$AS_OF" --output "$out"
            sync
            timed "$BENCH_DIR/cp.txt" cp -r "$out" "$copy"
        done
        build=$(median <"$BENCH_DIR/build.txt")
        copied=$(median <"$BENCH_DIR/cp.txt")
        bytes=$(du -sb "$out" | cut -f1)
        files=$(find "$out" -type f | wc -l)
        rm -rf "$out" "$copy"
        awk -v p="$pages" -v w="$where" -v b="$build" -v c="$copied" -v bytes="$bytes" -v f="$files" \
            'BEGIN { printf "%-7s %-6s %10.2f %10.2f %7.2fx %10.1f %9d\n", p, w, b, c, b / c, bytes / 1e6, f }'
    done
done
echo "ratio: ppdocs build / cp -r of its output (the goal is at most 2x)"
