# Shared by the benchmark scripts (sourced, not run).

# The median of the numbers on stdin.
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# Makes (once) a generated corpus of $1 pages in $BENCH_DIR and prints its path; its input is
# read once so that it is in the page cache, as for every engine measured.
corpus() {
    local dir=$BENCH_DIR/corpus-$1
    [ -d "$dir" ] || "$GEN" --pages "$1" --out "$dir" >/dev/null
    find "$dir/content" -type f -exec cat {} + >/dev/null
    echo "$dir"
}
