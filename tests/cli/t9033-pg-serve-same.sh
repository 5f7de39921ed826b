#!/bin/sh
# The same pages from both stores (issue 16, "the same behaviour to the byte"): the
# demo ledger in a SQLite file and, copied through export --json, in this script's own
# PostgreSQL cluster; one serve on each; a set of pages and API answers must be the
# same bytes (each server's form token aside), the dialogue page's persons included.
. "$(dirname "$0")/../lib/test-lib.sh"
. "$ROOT/tests/lib/pg.sh"

need_pg
PG="postgresql:///postgres?host=$PG_DIR"
demo_ledger "$TMP/demo.db" &&
    "$RT" --db "$TMP/demo.db" export --json --out "$TMP/demo.json" &&
    "$RT" --db "$PG" import "$TMP/demo.json" >/dev/null
check_eq "the demo ledger is in both stores" 0 $?

cat >"$TMP/paths" <<'EOF2'
/
/search?q=education
/search?q=torture&sur=Belarus
/search?sur=Belarus&response=supported&page=1
/dialogues
/dialogues/1
/dialogues/1/rounds/2
/recommendations/1
/recommendations/14
/dialogues/new
/readouts/new
/imports
/api/v1/dialogues
/api/v1/dialogues/1
/api/v1/rounds/2
/api/v1/dialogues/1/timeline
/api/v1/dialogues/1/reciprocity
/api/v1/dialogues/1/steps
/api/v1/recommendations/14
/api/v1/recommendations?q=political+prisoners&facets=1
/api/v1/status?target=ask:2
/api/v1/lookup?kind=step,ask,rec&q=bel
/api/v1/lookup?kind=party&q=bel
/api/v1/lookup?kind=round,dialogue&q=2015
EOF2
# fetch DIR: every path into DIR/N, form tokens taken out.
fetch() {
    mkdir -p "$TMP/$1"
    i=0
    while read -r p; do
        i=$((i + 1))
        code=$(curl -s -o "$TMP/$1/raw" -w '%{http_code}' "$URL$p")
        { echo "$code"; sed -e 's/name="csrf" value="[0-9a-f]*"/name="csrf" value=""/g' \
            "$TMP/$1/raw"; } >"$TMP/$1/$i"
    done <"$TMP/paths"
}
serve_start "$TMP/demo.db"
fetch sqlite
kill -TERM "$SERVE_PID"; wait "$SERVE_PID"
serve_start "$PG" --threads 2
fetch pg
kill -TERM "$SERVE_PID"; wait "$SERVE_PID"

n=0 same=0 ok=0
while read -r p; do
    n=$((n + 1))
    [ "$(head -n 1 "$TMP/sqlite/$n")" = 200 ] && ok=$((ok + 1))
    if cmp -s "$TMP/sqlite/$n" "$TMP/pg/$n"; then
        same=$((same + 1))
    else
        say "# differs: $p"
    fi
done <"$TMP/paths"
check_eq "every page answers 200 on SQLite" "$n" "$ok"
check_eq "and the same bytes on PostgreSQL" "$n" "$same"
grep -q 'href="/recommendations/14"' "$TMP/pg/6"
check_eq "the dialogue page names the recommendation a step answers" 0 $?
grep -q '<span class="persons">Persons: ' "$TMP/pg/6"
check_eq "and the persons a step freed" 0 $?
done_testing
