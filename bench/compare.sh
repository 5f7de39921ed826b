#!/bin/sh
# bench/compare.sh OLD_BUILD [NEW_BUILD]: do two builds answer the searches of
# bench/search.sh alike? Imports the UPR Info file once, makes its QUERIES (default
# 1000) queries with bench/queries.sh, runs them through each build's library
# (bench/search_driver.c linked against BUILD/librightstrack.a) and compares the
# answers as JSON: the total, the hits' ids in order and every facet's counts in
# order. NEW_BUILD defaults to build/release. SCALE=K (default 1) compares on the
# file K times over, as bench/scale.sh makes it (the queries are still drawn from
# that data). Prints how many answers differ and the first differences; exits 1
# when any does.
#   make BUILD=release && cp -a build/release /tmp/before   (on the old commit)
#   sh bench/compare.sh /tmp/before build/release
set -eu
OLD=${1:?usage: compare.sh OLD_BUILD [NEW_BUILD]}
NEW=${2:-build/release}
CSV=${CSV:-/work/shared/data/upr/upr_info_s01-s18.csv}
QUERIES=${QUERIES:-1000}
SCALE=${SCALE:-1}
CC=${CC:-cc}
for f in "$OLD/librightstrack.a" "$NEW/librightstrack.a" "$NEW/rightstrack" "$CSV"; do
    [ -e "$f" ] || { echo "compare.sh: $f is missing" >&2; exit 1; }
done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/rt-bench-compare.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

PKGS="jansson libutf8proc sqlite3 libsodium nettle libpq"
for side in old new; do
    if [ $side = old ]; then lib=$OLD/librightstrack.a; else lib=$NEW/librightstrack.a; fi
    # shellcheck disable=SC2046,SC2086
    $CC -std=c17 -D_DEFAULT_SOURCE -O2 -Iinclude $(pkg-config --cflags $PKGS) \
        -o "$tmp/driver.$side" bench/search_driver.c "$lib" \
        $(pkg-config --libs $PKGS) -lcsv -lstemmer -lxlsxwriter -lroaring -lm -lpthread
done
csv=$CSV
if [ "$SCALE" != 1 ]; then
    csv=$tmp/upr-$SCALE.csv
    python3 bench/copies.py "$CSV" "$SCALE" "$csv"
fi
"$NEW/rightstrack" --db "$tmp/rt.db" import "$csv" >"$tmp/import.log" 2>&1 ||
    { cat "$tmp/import.log" >&2; exit 1; }
sh bench/queries.sh "$tmp/rt.db" "$QUERIES" >"$tmp/queries.tsv"
for side in old new; do
    "$tmp/driver.$side" "$tmp/rt.db" "$tmp/queries.tsv" "$tmp/totals.$side" \
        "$tmp/answers.$side" >/dev/null
done
n=$(wc -l <"$tmp/answers.new")
facets=$(grep -c '"facets": {"' "$tmp/answers.new" || true)
paste -d '\n' "$tmp/queries.tsv" "$tmp/answers.old" "$tmp/answers.new" | awk '
    NR % 3 == 1 { q = $0 } NR % 3 == 2 { o = $0 }
    NR % 3 == 0 && $0 != o { d++; if (d <= 3) printf "query %d: %s\n  old %s\n  new %s\n",
                                                     NR / 3, q, substr(o, 1, 300), substr($0, 1, 300) }
    END { exit d > 0 }' && same=1 || same=0
if [ "$same" = 1 ]; then
    echo "compare: $n of $n answers identical ($facets with facets) at ${SCALE}x:" \
        "$OLD and $NEW agree"
else
    echo "compare: answers differ between $OLD and $NEW" >&2
    exit 1
fi
