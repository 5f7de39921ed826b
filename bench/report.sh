#!/bin/sh
# bench/report.sh [BIN]: the briefing over the full UPR import plus the demo ledger.
#
# Times, RUNS times each (default 10, the best counts), whole processes:
#   brief    rightstrack report brief --dialogue 1 --as-of 2016-12-31 --format html
#            (every ledger read, the UPR record on each of the round's five topics,
#            repeats, citations and rendering)
#   country  rightstrack report country Belarus --as-of 2016-12-31 --format html
#   sqlite3  the sqlite3 shell on the same database answering only the briefing's core
#            query: Belarus's recommendations on each of the five topics' themes
#            (matched through the taxonomy), counted by response
# Target: the HTML briefing under 200 ms. The last line is the ratio brief/sqlite3.
set -eu

BIN=${1:-build/release/rightstrack}
CSV=${CSV:-${RIGHTSTRACK_SHARED_DATA:-../shared/data}/upr/upr_info_s01-s18.csv}
RUNS=${RUNS:-10}
TARGET_MS=200

[ -x "$BIN" ] || { echo "report.sh: $BIN is missing (make BUILD=release)" >&2; exit 1; }
[ -r "$CSV" ] || { echo "report.sh: cannot read $CSV" >&2; exit 1; }
command -v sqlite3 >/dev/null || { echo "report.sh: sqlite3 is not installed" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/rt-bench-report.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
DB=$tmp/r.db
"$BIN" --db "$DB" import data/demo/recommendations.csv >/dev/null
"$BIN" --db "$DB" import "$CSV" >/dev/null 2>&1
sh data/demo/us-belarus.sh "$BIN" --db "$DB" >/dev/null
# Repeats are derived data, computed once after an import; not part of a report's time.
"$BIN" --db "$DB" similar --all >/dev/null

cat >"$tmp/peer.sql" <<'EOF'
SELECT th.theme, r.response, count(DISTINCT r.id)
FROM (SELECT 'Elections' AS theme UNION ALL SELECT 'expression' UNION ALL
      SELECT 'Civil society' UNION ALL SELECT 'rule-of-law' UNION ALL SELECT 'UPR process') th
JOIN theme t ON t.label = th.theme COLLATE NOCASE OR t.code = th.theme COLLATE NOCASE
     OR EXISTS (SELECT 1 FROM theme_area_label m WHERE m.vocabulary = t.vocabulary
                AND m.label = t.label AND m.area IN (SELECT a.code FROM theme_area a
                WHERE a.code = th.theme OR a.label = th.theme COLLATE NOCASE
                UNION SELECT m2.area FROM theme_area_label m2 WHERE m2.label = th.theme))
JOIN recommendation_theme rt ON rt.theme_id = t.id
JOIN recommendation r ON r.id = rt.rec_id
JOIN state s ON s.id = r.sur_id AND s.code = 'BLR'
GROUP BY th.theme, r.response;
EOF

now() { date +%s.%N; }
# best NAME CMD...: runs CMD RUNS times, prints the best time in seconds.
best() {
    b=''
    i=0
    while [ "$i" -lt "$RUNS" ]; do
        t0=$(now)
        "$@" >"$tmp/out" 2>"$tmp/err" || { cat "$tmp/err" >&2; echo "report.sh: $* failed" >&2; exit 1; }
        t1=$(now)
        b=$(awk -v a="$t0" -v c="$t1" -v m="$b" 'BEGIN { t = c - a; if (m == "" || t < m) m = t; printf "%.4f", m }')
        i=$((i + 1))
    done
    echo "$b"
}

recs=$(sqlite3 "$DB" "SELECT count(*) FROM recommendation")
echo "report: the US-Belarus briefing as of 2016-12-31 over $recs recommendations"
echo "  best of $RUNS runs of each whole process; target: the HTML briefing under ${TARGET_MS} ms"
brief=$(best "$BIN" --db "$DB" report brief --dialogue 1 --as-of 2016-12-31 --format html)
size=$(wc -c <"$tmp/out")
country=$(best "$BIN" --db "$DB" report country Belarus --as-of 2016-12-31 --format html)
peer=$(best sqlite3 "$DB" ".read $tmp/peer.sql")
rows=$(wc -l <"$tmp/out")
printf 'brief    %7.1f ms  (%s bytes of HTML)\n' "$(awk -v t="$brief" 'BEGIN { print t * 1000 }')" "$size"
printf 'country  %7.1f ms\n' "$(awk -v t="$country" 'BEGIN { print t * 1000 }')"
printf 'sqlite3  %7.1f ms  (%s rows: the topic counts alone)\n' \
    "$(awk -v t="$peer" 'BEGIN { print t * 1000 }')" "$rows"
awk -v a="$brief" -v b="$peer" -v tg="$TARGET_MS" 'BEGIN {
    printf "target: brief under %d ms (%s)\n", tg, a * 1000 < tg ? "met" : "MISSED"
    printf "ratio brief/sqlite3: %.2f\n", a / b }'
