#!/bin/sh
# bench/search.sh [BIN]: rightstrack search against raw SQLite FTS5 on the same data.
#
# Builds one database with `rightstrack import`, makes a copy whose full-text
# index uses SQLite's built-in 'porter unicode61 remove_diacritics 2' tokenizer,
# generates QUERIES (default 1000) mixed queries from the data, and runs them all
# in one process each way:
#   rightstrack  bench/search_driver.c: rt_store_open + rt_search per query
#   raw sqlite3  bench/search_raw.c: the SQL of src/store/sqlite/read.c through the
#                sqlite3 API, query text handed to MATCH as it is
# Each driver runs RUNS times (default 3); the best wall time counts.
# The ratio rightstrack/raw follows; the target is at most 1.2. Then, when a throwaway
# PostgreSQL cluster can be started, the same driver on the same import in PostgreSQL
# (issue 16): its time per query beside SQLite's (target: at most 2x) and whether the
# totals agree.
set -eu

BIN=${1:-build/release/rightstrack}
CSV=${CSV:-/work/shared/data/upr/upr_info_s01-s18.csv}
QUERIES=${QUERIES:-1000}
RUNS=${RUNS:-3}
TARGET=1.2
LIB=$(dirname "$BIN")/librightstrack.a
CC=${CC:-cc}

for f in "$BIN" "$LIB" "$CSV" bench/search_driver.c bench/search_raw.c bench/qfile.h; do
    [ -e "$f" ] || { echo "search.sh: $f is missing (run from the repo root after" \
                          "'make BUILD=release')" >&2; exit 1; }
done
command -v sqlite3 >/dev/null || { echo "search.sh: sqlite3 is not installed" >&2; exit 1; }
command -v python3 >/dev/null || { echo "search.sh: python3 is not installed" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/rt-bench-search.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

echo "search: $QUERIES mixed queries (words, \"phrases\", prefix*, OR; filters;"
echo "        a quarter with facets), 20 hits each, in one process per run"
echo "  rightstrack  $BIN's library through rt_search (our tokenizer)"
echo "  raw sqlite3  the same SQL through the sqlite3 API, built-in porter tokenizer"
echo "  best of $RUNS runs; target: rightstrack/raw at most $TARGET"

# The flags of the release build (Makefile: BASE_CFLAGS, CFLAGS_release, LIBS).
PKGS="jansson libutf8proc sqlite3 libsodium nettle libpq"
CFLAGS="-std=c17 -D_DEFAULT_SOURCE -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
-Wformat=2 -Wvla -Wcast-qual -O2 -DNDEBUG -D_FORTIFY_SOURCE=2 -fstack-protector-strong -fPIE"
# shellcheck disable=SC2046,SC2086
$CC $CFLAGS -Iinclude $(pkg-config --cflags $PKGS) -pie -Wl,-z,relro,-z,now \
    -o "$tmp/search_driver" bench/search_driver.c "$LIB" \
    $(pkg-config --libs $PKGS) -lcsv -lstemmer -lroaring -lm -lpthread
# shellcheck disable=SC2046,SC2086
$CC $CFLAGS $(pkg-config --cflags sqlite3) -pie -Wl,-z,relro,-z,now \
    -o "$tmp/search_raw" bench/search_raw.c $(pkg-config --libs sqlite3)

# The database, and its copy with the built-in tokenizer. The sqlite3 shell cannot
# drop a table made with a tokenizer it does not know, so the copy's CREATE
# VIRTUAL TABLE is rewritten in sqlite_schema and the index rebuilt from the
# recommendation table (the triggers keep their text: they name the table only).
db=$tmp/rt.db
raw=$tmp/raw.db
"$BIN" --db "$db" import "$CSV" >"$tmp/import.log" 2>&1 ||
    { cat "$tmp/import.log" >&2; exit 1; }
sqlite3 "$db" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
cp "$db" "$raw"
sqlite3 -bail "$raw" >/dev/null <<'EOF'
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
   SET sql = replace(sql, 'tokenize=''rightstrack''',
                     'tokenize=''porter unicode61 remove_diacritics 2''')
 WHERE name = 'recommendation_fts';
PRAGMA writable_schema = OFF;
EOF
sqlite3 -bail "$raw" >/dev/null <<'EOF'
INSERT INTO recommendation_fts(recommendation_fts) VALUES ('rebuild');
INSERT INTO recommendation_fts(recommendation_fts) VALUES ('integrity-check');
PRAGMA wal_checkpoint(TRUNCATE);
EOF
tok=$(sqlite3 "$raw" "SELECT sql FROM sqlite_schema WHERE name = 'recommendation_fts'")
case $tok in
*porter*) ;;
*) echo "search.sh: could not switch the copy to the porter tokenizer" >&2; exit 1 ;;
esac

# The queries: deterministic (fixed seed), drawn from the recommendations' words.
sh bench/queries.sh "$db" "$QUERIES" >"$tmp/queries.tsv"
nq=$(wc -l <"$tmp/queries.tsv")
[ "$nq" -eq "$QUERIES" ] || { echo "search.sh: made $nq queries, not $QUERIES" >&2; exit 1; }

now() { date +%s.%N; }
# run NAME DRIVER DB: best wall time of RUNS runs into $best, the driver's line into $line
run() {
    best=
    i=0
    while [ "$i" -lt "$RUNS" ]; do
        t0=$(now)
        line=$("$2" "$3" "$tmp/queries.tsv" "$tmp/totals.$1") ||
            { echo "search.sh: the $1 driver failed" >&2; exit 1; }
        t1=$(now)
        best=$(awk -v a="$t0" -v b="$t1" -v m="$best" \
                   'BEGIN { t = b - a; if (m == "" || t < m) m = t; printf "%.3f", m }')
        i=$((i + 1))
    done
}

run rightstrack "$tmp/search_driver" "$db"
rt_best=$best rt_line=$line
run raw "$tmp/search_raw" "$raw"
raw_best=$best raw_line=$line

report() {
    echo "$2" | awk -v name="$1" -v t="$3" '{
        printf "%-12s %7.3f s  %6.0f queries/s  (%d hits shown, totals add up to %d)\n",
               name, t, $1 / t, $2, $3 }'
}
report rightstrack "$rt_line" "$rt_best"
report "raw sqlite3" "$raw_line" "$raw_best"

# Do both sides find as many? Stemmers differ (Snowball English with our
# case/accent folding against Porter), so not every query can agree.
paste "$tmp/queries.tsv" "$tmp/totals.rightstrack" "$tmp/totals.raw" | awk -F '\t' '
    { n++; same = ($7 == $8); agree += same
      if ($1 == "") { nf++; af += same } else if ($1 ~ /\*/) { np++; ap += same }
      else { nw++; aw += same } }
    END {
      printf "totals agree: %d of %d queries (no text: %d of %d; words and phrases: %d of %d;" \
             " prefix: %d of %d)\n", agree, n, af, nf, aw, nw, ap, np }'
awk -v a="$rt_best" -v b="$raw_best" -v tg="$TARGET" 'BEGIN {
    r = a / b
    printf "target: at most %s (%s)\n", tg, r <= tg ? "met" : "MISSED"
    printf "ratio search rightstrack/sqlite3: %.2f\n", r }'

# PostgreSQL (issue 16): the same queries through the same driver against the same
# import in a throwaway cluster (tests/lib/pg.sh), beside rightstrack on SQLite.
# Target: at most 2x per query; the totals must agree. PG=0 skips it. The two stores
# run in turn (PostgreSQL, SQLite, PostgreSQL, ...) and the ratio is of those runs.
PGTARGET=2
if [ "${PG:-1}" != 0 ]; then
    . "$(dirname "$0")/../tests/lib/pg.sh"
    if pg_start; then
        trap 'pg_stop; rm -rf "$tmp"' EXIT
        pgurl="postgresql:///postgres?host=$PG_DIR"
        "$BIN" --db "$pgurl" import "$CSV" >"$tmp/import.log" 2>&1 ||
            { cat "$tmp/import.log" >&2; echo "search.sh: import into PostgreSQL failed" >&2; exit 1; }
        # PostgreSQL and SQLite in turn, RUNS times each, so that both meet the same
        # machine; the best of each counts. The last runs also write each query's
        # total, page and facets, to compare.
        pg_best='' sq_best='' i=0
        while [ "$i" -lt "$RUNS" ]; do
            t0=$(now)
            pg_line=$("$tmp/search_driver" "$pgurl" "$tmp/queries.tsv" "$tmp/totals.postgresql" \
                "$tmp/dump.postgresql") || { echo "search.sh: the postgresql driver failed" >&2; exit 1; }
            t1=$(now)
            pg_best=$(awk -v a="$t0" -v b="$t1" -v m="$pg_best" \
                          'BEGIN { t = b - a; if (m == "" || t < m) m = t; printf "%.3f", m }')
            t0=$(now)
            "$tmp/search_driver" "$db" "$tmp/queries.tsv" "$tmp/totals.sqlite" "$tmp/dump.sqlite" \
                >/dev/null || { echo "search.sh: the rightstrack driver failed" >&2; exit 1; }
            t1=$(now)
            sq_best=$(awk -v a="$t0" -v b="$t1" -v m="$sq_best" \
                          'BEGIN { t = b - a; if (m == "" || t < m) m = t; printf "%.3f", m }')
            i=$((i + 1))
        done
        report postgresql "$pg_line" "$pg_best"
        report "sqlite again" "$rt_line" "$sq_best"
        paste "$tmp/totals.sqlite" "$tmp/totals.postgresql" |
            awk '{ n++; agree += ($1 == $2) }
                 END { printf "totals agree, postgresql and sqlite: %d of %d queries\n", agree, n }'
        # The first page: the same ids in the same order (both rank with bm25 once the
        # PostgreSQL store holds its text index in memory, after 3 searches; its bm25
        # counts a prefix's words apart, where FTS5 takes them as one phrase), and the
        # same facets.
        paste -d '\t' "$tmp/queries.tsv" "$tmp/dump.sqlite" "$tmp/dump.postgresql" | awk -F '\t' '
            { n++; a = $7; b = $8
              ia = a; sub(/.*"ids": \[/, "", ia); sub(/\].*/, "", ia)
              ib = b; sub(/.*"ids": \[/, "", ib); sub(/\].*/, "", ib)
              fa = a; sub(/.*"facets": /, "", fa); fb = b; sub(/.*"facets": /, "", fb)
              same = (ia == ib); page += same; facets += (fa == fb)
              if ($1 == "") { nf++; pf += same } else { nt++; pt += same } }
            END { printf "first page agrees: %d of %d queries (no text: %d of %d; with text:" \
                         " %d of %d); facets agree: %d of %d\n", page, n, pf, nf, pt, nt, facets, n }'
        awk -v a="$pg_best" -v b="$sq_best" -v q="$QUERIES" -v tg="$PGTARGET" 'BEGIN {
            r = a / b
            printf "per query: sqlite %.2f ms, postgresql %.2f ms\n", 1000 * b / q, 1000 * a / q
            printf "target: at most %s (%s)\n", tg, r <= tg ? "met" : "MISSED"
            printf "ratio search postgresql/sqlite: %.2f\n", r }'
        pg_stop
        trap 'rm -rf "$tmp"' EXIT
    else
        echo "search.sh: skipping PostgreSQL: $PG_WHY"
    fi
fi
