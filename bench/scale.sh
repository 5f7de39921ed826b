#!/bin/sh
# bench/scale.sh [BIN]: how search grows with the data. Makes data sets 2, 4 and 8
# times the UPR Info file (copies of it whose texts are made distinct, so that the
# import keeps every row), imports each, then times a fixed mix of QUERIES (default
# 1000) searches in one process on each (bench/search_driver.c; the queries of
# bench/queries.sh, drawn once from the 1x data: words, phrases, prefixes, OR,
# filters, a quarter with facets), best of RUNS (default 3). Also times
# `search women --facets --json` as a process (best of 3) at each size.
# Prints the time per search at each size, wall and CPU (the machine is often shared
# with other work, which stretches wall time but not CPU time), and last the growth
# from 1x to 8x in CPU time per search (target: at most 2x; women with facets at 8x
# under 40 ms).
set -eu

BIN=${1:-build/release/rightstrack}
CSV=${CSV:-/work/shared/data/upr/upr_info_s01-s18.csv}
QUERIES=${QUERIES:-1000}
RUNS=${RUNS:-3}
SIZES=${SIZES:-1 2 4 8}
LIB=$(dirname "$BIN")/librightstrack.a
CC=${CC:-cc}

for f in "$BIN" "$LIB" "$CSV" bench/copies.py bench/search_driver.c bench/qfile.h bench/queries.sh /usr/bin/time; do
    [ -e "$f" ] || { echo "scale.sh: $f is missing (run from the repo root after" \
                          "'make BUILD=release')" >&2; exit 1; }
done
command -v python3 >/dev/null || { echo "scale.sh: python3 is not installed" >&2; exit 1; }
command -v sqlite3 >/dev/null || { echo "scale.sh: sqlite3 is not installed" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/rt-bench-scale.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

PKGS="jansson libutf8proc sqlite3 libsodium nettle libpq"
CFLAGS="-std=c17 -D_DEFAULT_SOURCE -Wall -Wextra -O2 -DNDEBUG -D_FORTIFY_SOURCE=2 -fPIE"
# shellcheck disable=SC2046,SC2086
$CC $CFLAGS -Iinclude $(pkg-config --cflags $PKGS) -pie -o "$tmp/search_driver" \
    bench/search_driver.c "$LIB" $(pkg-config --libs $PKGS) \
    -lcsv -lstemmer -lxlsxwriter -lroaring -lm -lpthread

echo "scale: $QUERIES mixed searches in one process (a quarter with facets), best of $RUNS,"
echo "       on the UPR Info file and on copies of it ${SIZES} times as large"
echo "  $BIN"

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }

first=
for k in $SIZES; do
    csv=$tmp/upr-$k.csv
    # k copies; copy c > 0 gets new ids and " (copy c)" after each text.
    python3 bench/copies.py "$CSV" "$k" "$csv"
    db=$tmp/rt-$k.db
    t0=$(now)
    "$BIN" --db "$db" import "$csv" >"$tmp/import.log" 2>&1 ||
        { cat "$tmp/import.log" >&2; exit 1; }
    t1=$(now)
    rm -f "$csv"
    recs=$(sqlite3 "$db" "SELECT count(*) FROM recommendation")
    [ -n "$first" ] || sh bench/queries.sh "$db" "$QUERIES" >"$tmp/queries.tsv"
    best= cbest=
    i=0
    while [ "$i" -lt "$RUNS" ]; do
        line=$("$tmp/search_driver" "$db" "$tmp/queries.tsv" "$tmp/totals") ||
            { echo "scale.sh: the driver failed at ${k}x" >&2; exit 1; }
        t=$(echo "$line" | awk '{ print $4 }')
        c=$(echo "$line" | awk '{ print $5 }')
        best=$(awk -v t="$t" -v m="$best" 'BEGIN { if (m == "" || t < m) m = t; print m }')
        cbest=$(awk -v t="$c" -v m="$cbest" 'BEGIN { if (m == "" || t < m) m = t; print m }')
        i=$((i + 1))
    done
    # women with facets as a process: wall and CPU (user + system), best of 3.
    wbest= wcpu=
    for _ in 1 2 3; do
        w0=$(now)
        /usr/bin/time -f "%U %S" -o "$tmp/time" "$BIN" --db "$db" search women --facets --json >/dev/null
        w1=$(now)
        w=$(secs "$w0" "$w1")
        c=$(awk '{ print $1 + $2 }' "$tmp/time")
        wbest=$(awk -v t="$w" -v m="$wbest" 'BEGIN { if (m == "" || t < m) m = t; print m }')
        wcpu=$(awk -v t="$c" -v m="$wcpu" 'BEGIN { if (m == "" || t < m) m = t; print m }')
    done
    per=$(awk -v b="$best" -v n="$QUERIES" 'BEGIN { printf "%.2f", b / n * 1000 }')
    cper=$(awk -v b="$cbest" -v n="$QUERIES" 'BEGIN { printf "%.2f", b / n * 1000 }')
    printf "%sx  %7d recs  import %6.2f s  a search %6s ms (CPU %6s ms)  women --facets %4.0f ms (CPU %4.0f ms)\n" \
        "$k" "$recs" "$(secs "$t0" "$t1")" "$per" "$cper" \
        "$(awk -v w="$wbest" 'BEGIN { print w * 1000 }')" "$(awk -v w="$wcpu" 'BEGIN { print w * 1000 }')"
    [ -n "$first" ] || first=$cper
    last=$cper lastw=$wcpu
    rm -f "$db" "$db-wal" "$db-shm"
done
awk -v a="$first" -v b="$last" -v w="$lastw" 'BEGIN {
    g = b / a
    printf "target: at most 2.0x (%s); women with facets at the largest size under 40 ms CPU (%s)\n",
           g <= 2 ? "met" : "MISSED", w < 0.040 ? "met" : "MISSED"
    printf "growth of the CPU time per search, 1x to largest: %.2fx\n", g }'
