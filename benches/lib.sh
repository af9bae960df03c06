# Shared by the benchmark scripts (sourced, not run, from the project folder): builds ppdocs
# and the corpus generator and sets BENCH_DIR, TMPFS, PPDOCS and GEN.

BENCH_DIR=${BENCH_DIR:-/tmp/ppdocs-bench}
TMPFS=${TMPFS:-/dev/shm/ppdocs-bench}
mkdir -p "$BENCH_DIR" "$TMPFS"
cargo build --release --quiet --bin ppdocs --example gen_corpus
# A copy, so that rebuilding the project during a run cannot change what is measured.
cp target/release/ppdocs "$BENCH_DIR/ppdocs"
PPDOCS=$BENCH_DIR/ppdocs
GEN=$PWD/target/release/examples/gen_corpus
# Statuses as of one fixed day, so that runs on different days build the same site.
AS_OF=2026-11-28

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
