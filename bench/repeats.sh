#!/bin/sh
# bench/repeats.sh [BIN]: all pairs of repeats (Jaccard of word 3-shingles at least
# THRESHOLD, default 0.7) over the normalised UPR Info file, two ways:
#   rightstrack  bench/repeats_driver.c: rt_text_shingles + rt_shingle_join, the
#                exact prefix-filtered join (PPJoin) of src/text/shingle.c
#   naive        bench/repeats_naive.c: the same shingles, then an inverted index
#                that counts every overlap (ScanCount), no filter
# Both read the texts of one imported database (not timed) and must give the same
# pairs with the same Jaccard values; the script fails if they do not. Each runs
# RUNS times (default 3); the best time counts. It also times the command line,
# `rightstrack similar --all --recompute --json`, end to end. The last line is the
# ratio rightstrack/naive.
set -eu

BIN=${1:-build/release/rightstrack}
CSV=${CSV:-/work/shared/data/upr/upr_info_s01-s18.csv}
RUNS=${RUNS:-3}
THRESHOLD=${THRESHOLD:-0.7}
TARGET=0.2
LIB=$(dirname "$BIN")/librightstrack.a
CC=${CC:-cc}

for f in "$BIN" "$LIB" "$CSV" bench/repeats_driver.c bench/repeats_naive.c \
    bench/repeats_texts.h; do
    [ -e "$f" ] || { echo "repeats.sh: $f is missing (run from the repo root after" \
                          "'make BUILD=release')" >&2; exit 1; }
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/rt-bench-repeats.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

echo "repeats: every pair of recommendations whose word 3-shingle sets have a"
echo "         Jaccard similarity of at least $THRESHOLD, over $(basename "$CSV")"
echo "  rightstrack  rt_text_shingles + rt_shingle_join (prefix, length and position filters)"
echo "  naive        rt_text_shingles + an inverted index counting every overlap"
echo "  best of $RUNS runs, reading the texts not timed; target: rightstrack under $TARGET s"

# The flags of the release build (Makefile: BASE_CFLAGS, CFLAGS_release, LIBS).
PKGS="jansson libutf8proc sqlite3 libsodium nettle libpq"
CFLAGS="-std=c17 -D_DEFAULT_SOURCE -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
-Wformat=2 -Wvla -Wcast-qual -O2 -DNDEBUG -D_FORTIFY_SOURCE=2 -fstack-protector-strong -fPIE"
for d in repeats_driver repeats_naive; do
    # shellcheck disable=SC2046,SC2086
    $CC $CFLAGS -Iinclude $(pkg-config --cflags $PKGS) -pie -Wl,-z,relro,-z,now \
        -o "$tmp/$d" "bench/$d.c" "$LIB" $(pkg-config --libs $PKGS) -lcsv -lstemmer -lroaring -lm -lpthread
done

db=$tmp/rt.db
"$BIN" --db "$db" import "$CSV" >"$tmp/import.log" 2>&1 ||
    { cat "$tmp/import.log" >&2; exit 1; }

# run NAME: best total time (shingles + join) of RUNS runs into $best, that run's
# line into $line
run() {
    best=
    line=
    i=0
    while [ "$i" -lt "$RUNS" ]; do
        l=$("$tmp/repeats_$1" "$db" "$THRESHOLD" "$tmp/pairs.$1") ||
            { echo "repeats.sh: the $1 driver failed" >&2; exit 1; }
        t=$(echo "$l" | awk '{ printf "%.4f", $3 + $4 }')
        if [ -z "$best" ] || [ "$(awk -v a="$t" -v b="$best" 'BEGIN { print (a < b) }')" = 1 ]; then
            best=$t
            line=$l
        fi
        i=$((i + 1))
    done
}
run driver
rt_best=$best rt_line=$line
run naive
nv_best=$best nv_line=$line

sort -k1,1n -k2,2n "$tmp/pairs.driver" >"$tmp/a"
sort -k1,1n -k2,2n "$tmp/pairs.naive" >"$tmp/b"
if ! cmp -s "$tmp/a" "$tmp/b"; then
    echo "repeats.sh: the two sides found different pairs:" >&2
    diff "$tmp/a" "$tmp/b" | head -20 >&2
    exit 1
fi
cmp -s "$tmp/a" "$tmp/pairs.driver" ||
    { echo "repeats.sh: rt_shingle_join's pairs are not sorted by a then b" >&2; exit 1; }

t0=$(date +%s.%N)
"$BIN" --db "$db" similar --all --recompute --json >"$tmp/cli.json"
t1=$(date +%s.%N)
cli_n=$(grep -c '"a":' "$tmp/cli.json" || true)

report() {
    echo "$2" | awk -v name="$1" -v t="$3" '{
        printf "%-12s %7.4f s  (shingles %.4f s, join %.4f s), %d recommendations, %d pairs\n",
               name, t, $3, $4, $1, $2 }'
}
report rightstrack "$rt_line" "$rt_best"
report naive "$nv_line" "$nv_best"
echo "same pairs on both sides: $(wc -l <"$tmp/a")"
awk -v a="$t0" -v b="$t1" -v n="$cli_n" 'BEGIN {
    printf "command line: similar --all --recompute --json %.3f s (read, join, store, print; %d pairs)\n",
           b - a, n }'
awk -v a="$rt_best" -v b="$nv_best" -v tg="$TARGET" 'BEGIN {
    printf "target: rightstrack under %s s (%s)\n", tg, a < tg ? "met" : "MISSED"
    printf "ratio repeats rightstrack/naive: %.3f\n", a / b }'
