#!/usr/bin/env bash
# ppdocs beside Hugo on the same generated corpus, in one run: the median of RUNS full builds
# into an empty folder, output on a tmpfs and on disk, with peak RSS and the ratios.
#
#   bash benches/compare.sh            # 1,000 and 10,000 pages, 5 runs each
#   RUNS=3 bash benches/compare.sh 1000
#
# Needs `hugo` (apt-get install hugo). Hugo gets the same Markdown files (checklists,
# evidence, training) and the minimal templates in benches/hugo/ (sidebar, breadcrumbs,
# table of contents, Chroma highlighting as CSS classes). ppdocs does more with them: per-section
# pages, evidence linked to tasks, appendices, records.json/csv. Not run by CI.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hugo >/dev/null || { echo "hugo is not installed: apt-get install hugo" >&2; exit 2; }
source benches/lib.sh
RUNS=${RUNS:-5}
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(1000 10000)

# time_build NAME OUT COMMAND...: prints "median_wall median_peak_KiB output_files"
time_build() {
    local out=$1; shift
    local walls=() rss=()
    for _ in $(seq "$RUNS"); do
        rm -rf "$out"
        sync
        /usr/bin/time -f '%e %M' -o "$BENCH_DIR/time.txt" "$@" >/dev/null
        read -r wall peak <"$BENCH_DIR/time.txt"
        walls+=("$wall")
        rss+=("$peak")
    done
    echo "$(printf '%s\n' "${walls[@]}" | median) $(printf '%s\n' "${rss[@]}" | median) $(find "$out" -type f | wc -l)"
    rm -rf "$out"
}

echo "$(hugo version | cut -d' ' -f1-2); ppdocs $("$PPDOCS" --version | cut -d' ' -f2); $RUNS runs each, medians"
printf '%-7s %-6s %10s %9s %8s %10s %9s %8s %8s %9s\n' pages output ppdocs_s peak_MiB files hugo_s peak_MiB files time_x memory_x
for pages in "${SIZES[@]}"; do
    corpus=$(corpus "$pages")
    hugo_site=$BENCH_DIR/hugo-$pages
    if [ ! -d "$hugo_site" ]; then
        mkdir -p "$hugo_site"
        cp -r benches/hugo/. "$hugo_site/"
        cp -r "$corpus/content" "$hugo_site/content"
        # Hugo reads YAML front matter too and takes `{prefix=…}` as a heading attribute.
        # Its folder pages are `_index.md` (an `index.md` would hide the pages beneath it).
        rm -f "$hugo_site/content/frameworks.yaml"
        mv "$hugo_site/content/index.md" "$hugo_site/content/_index.md"
        mv "$hugo_site/content/training/index.md" "$hugo_site/content/training/_index.md"
    fi
    find "$corpus/content" "$hugo_site/content" -type f -exec cat {} + >/dev/null
    for where in tmpfs disk; do
        case $where in
            tmpfs) base=$TMPFS ;;
            disk) base=$BENCH_DIR ;;
        esac
        read -r p_wall p_rss p_files < <(time_build "$base/ppdocs-out" \
            "$PPDOCS" build --quiet --root "$corpus" --as-of "$AS_OF" --output "$base/ppdocs-out")
        read -r h_wall h_rss h_files < <(time_build "$base/hugo-out" \
            hugo --quiet --source "$hugo_site" --destination "$base/hugo-out" --noBuildLock)
        awk -v p="$pages" -v w="$where" -v pw="$p_wall" -v pr="$p_rss" -v pf="$p_files" \
            -v hw="$h_wall" -v hr="$h_rss" -v hf="$h_files" 'BEGIN {
            printf "%-7s %-6s %10.2f %9.0f %8d %10.2f %9.0f %8d %7.2fx %8.2fx\n",
                p, w, pw, pr / 1024, pf, hw, hr / 1024, hf, pw / hw, pr / hr }'
    done
done
echo "time_x and memory_x: ppdocs / Hugo (below 1 means ppdocs is faster or smaller)"
