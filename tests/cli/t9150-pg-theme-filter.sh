#!/bin/sh
# The theme filter on the PostgreSQL store (issue 16): a theme is checked against
# the same ids that the search's filter takes (and a process that searches many
# times keeps them, bench/search.sh), so a known theme gives SQLite's total and an
# unknown one is refused as on SQLite, with the same exit code. (SQLite's message
# goes on to name close labels; PostgreSQL's does not yet.)
. "$(dirname "$0")/../lib/test-lib.sh"
. "$ROOT/tests/lib/pg.sh"

need_data
need_pg
mkdir -p "$TMP/work"
export TMPDIR="$TMP/work"
PG="postgresql:///postgres?host=$PG_DIR"
LITE=$TMP/lite.db
# The first 400 recommendations of the UPR Info file, whole records.
python3 - "$DATA/upr/upr_info_s01-s18.csv" "$TMP/part.csv" <<'PY'
import csv, sys
with open(sys.argv[1], newline="", encoding="utf-8") as f, \
        open(sys.argv[2], "w", newline="", encoding="utf-8") as out:
    w = csv.writer(out)
    for n, row in enumerate(csv.reader(f)):
        if n > 400:
            break
        w.writerow(row)
PY

check "import into PostgreSQL" "$RT" --db "$PG" import "$TMP/part.csv"
check "import into SQLite" "$RT" --db "$LITE" import "$TMP/part.csv"

total() { sed -n 's/^ *"total": \([0-9]*\).*/\1/p' "$1" | head -n 1; }
theme=$(sqlite3 "$LITE" "SELECT t.label FROM theme t JOIN recommendation_theme rt
    ON rt.theme_id = t.id GROUP BY t.id ORDER BY count(*) DESC, t.id LIMIT 1")
check "a theme with recommendations" test -n "$theme"
"$RT" --db "$PG" search --json --theme "$theme" >"$TMP/pg.json" 2>"$TMP/pg.err"
pg_rc=$?
"$RT" --db "$LITE" search --json --theme "$theme" >"$TMP/lite.json" 2>"$TMP/lite.err"
check_eq "a known theme is searched on PostgreSQL" 0 "$pg_rc"
check "and finds something" test "$(total "$TMP/pg.json")" -gt 0
check_eq "as many as on SQLite" "$(total "$TMP/lite.json")" "$(total "$TMP/pg.json")"
"$RT" --db "$PG" search --json women --theme "$theme" >"$TMP/pg.json" 2>&1
"$RT" --db "$LITE" search --json women --theme "$theme" >"$TMP/lite.json" 2>&1
check_eq "with words too" "$(total "$TMP/lite.json")" "$(total "$TMP/pg.json")"

"$RT" --db "$PG" search --theme "no such theme at all" >"$TMP/pg.out" 2>"$TMP/pg.err"
pg_rc=$?
"$RT" --db "$LITE" search --theme "no such theme at all" >"$TMP/lite.out" 2>"$TMP/lite.err"
lite_rc=$?
check_eq "an unknown theme is a usage error on SQLite" 2 "$lite_rc"
check_eq "and on PostgreSQL, with the same code" "$lite_rc" "$pg_rc"
check "saying which theme" grep -q "^rightstrack: field 'theme': no theme matches 'no such theme at all'" \
    "$TMP/pg.err"
check_eq "in SQLite's words" "$(cat "$TMP/lite.err")" "$(cat "$TMP/pg.err")"
check_eq "and printing nothing else" "" "$(cat "$TMP/pg.out")"

done_testing
