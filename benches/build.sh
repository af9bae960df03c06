#!/usr/bin/env bash
# Whole-build benchmark: generates corpora of 100, 1,000 and 10,000 pages (or the sizes given
# as arguments) with examples/gen_corpus.rs and times `ppdocs build` on each, into an empty
# folder on a tmpfs and on disk: median wall time, CPU time, pages per second, peak RSS.
#
#   bash benches/build.sh                 # 100 1000 10000 pages, 5 runs each
#   RUNS=3 bash benches/build.sh 1000 100000
#
# Corpora are kept in $BENCH_DIR (default /tmp/ppdocs-bench) between runs. Not run by CI.
set -euo pipefail
cd "$(dirname "$0")/.."
source benches/lib.sh

RUNS=${RUNS:-5}
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(100 1000 10000)

printf '%-8s %-6s %10s %10s %10s %10s %12s %9s\n' pages output wall_s cpu_s pages/s peak_MiB output_MB files
for pages in "${SIZES[@]}"; do
    corpus=$(corpus "$pages")
    for where in tmpfs disk; do
        case $where in
            tmpfs) out=$TMPFS/site-$pages ;;
            disk) out=$BENCH_DIR/site-$pages ;;
        esac
        walls=() cpus=() rss=()
        for _ in $(seq "$RUNS"); do
            rm -rf "$out"
            sync
            /usr/bin/time -f '%e %U %S %M' -o "$BENCH_DIR/time.txt" \
                "$PPDOCS" build --quiet --root "$corpus" --as-of "$AS_OF" --output "$out"
            read -r wall user sys peak <"$BENCH_DIR/time.txt"
            walls+=("$wall")
            cpus+=("$(awk "BEGIN {print $user + $sys}")")
            rss+=("$peak")
        done
        wall=$(printf '%s\n' "${walls[@]}" | median)
        cpu=$(printf '%s\n' "${cpus[@]}" | median)
        peak=$(printf '%s\n' "${rss[@]}" | median)
        bytes=$(du -sb "$out" | cut -f1)
        files=$(find "$out" -type f | wc -l)
        awk -v p="$pages" -v w="$where" -v wall="$wall" -v cpu="$cpu" -v peak="$peak" \
            -v bytes="$bytes" -v files="$files" 'BEGIN {
                printf "%-8s %-6s %10.2f %10.2f %10.0f %10.0f %12.1f %9d\n",
                    p, w, wall, cpu, p / wall, peak / 1024, bytes / 1e6, files }'
        rm -rf "$out"
    done
done
