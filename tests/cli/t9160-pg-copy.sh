#!/bin/sh
# rightstrack copy between the stores (issue 16, point 3): the UPR Info import and
# the demo ledger copied from SQLite into PostgreSQL and back into a new SQLite file
# give three byte-identical `export --json`s and the same search results; a target
# with data is refused and left as it was; bad URLs and options fail clearly.
. "$(dirname "$0")/../lib/test-lib.sh"
. "$ROOT/tests/lib/pg.sh"

need_data
need_pg
PG="postgresql:///postgres?host=$PG_DIR"
PG2="postgresql:///second?host=$PG_DIR"
LITE=$TMP/lite.db
BACK=$TMP/back.db

# The source: the whole UPR Info import, the demo recommendations and the demo
# ledger (dialogues, rounds, steps, assessments, the audit log of every write).
upr_db "$LITE"
"$RT" --db "$LITE" import "$ROOT/data/demo/recommendations.csv" >/dev/null
check "the demo ledger is written" sh "$ROOT/data/demo/us-belarus.sh" "$RT" --db "$LITE"
check "the source has a ledger" test "$(sqlite3 "$LITE" 'SELECT count(*) FROM step')" -gt 0
# ... and recommendations of no UPR cycle (ODIHR's), which count under no cycle.
printf '%s\n' 'election,election_date,report_date,priority,recommendation' \
    'parliamentary elections,2016-09-11,2016-12-08,yes,Publish the results of each polling station.' \
    'presidential election,2015-10-11,2016-01-28,no,Let observers watch the count.' >"$TMP/odihr.csv"
check "an ODIHR list imports" "$RT" --db "$LITE" import --state BLR "$TMP/odihr.csv"
"$RT" --db "$LITE" export --json >"$TMP/exp.lite"

check "copy SQLite into PostgreSQL" "$RT" copy --from "$LITE" --to "$PG" --json
check_eq "its summary counts the tables" yes \
    "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
print("yes" if d["tables"] > 20 and d["rows"] > 100000 else d)' "$TMP/out")"
check_eq "PostgreSQL holds the recommendations" \
    "$(sqlite3 "$LITE" 'SELECT count(*) FROM recommendation')" \
    "$(pg_psql -c 'SELECT count(*) FROM recommendation')"
check_eq "and their lexemes" "$(sqlite3 "$LITE" 'SELECT count(*) FROM recommendation')" \
    "$(pg_psql -c 'SELECT count(*) FROM recommendation_fts')"
check_eq "and the audit log" "$(sqlite3 "$LITE" 'SELECT count(*) FROM audit_log')" \
    "$(pg_psql -c 'SELECT count(*) FROM audit_log')"
"$RT" --db "$PG" export --json >"$TMP/exp.pg"
check "export --json is non-trivial" test "$(wc -c <"$TMP/exp.pg")" -gt 10000000
check "export --json of PostgreSQL is SQLite's, byte for byte" cmp "$TMP/exp.lite" "$TMP/exp.pg"
for store in LITE PG; do
    eval "db=\$$store"
    "$RT" --db "$db" stats --sur Belarus --json >"$TMP/stats.$store"
    "$RT" --db "$db" search --sur Belarus --facets --json --limit 1 >"$TMP/facets.$store"
done
check_eq "stats on PostgreSQL: the ODIHR ones under no_cycle, no cycle 0" "2 True" \
    "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
print(d["no_cycle"], "0" not in d["by_cycle"])' "$TMP/stats.PG")"
check "and as SQLite's" cmp "$TMP/stats.LITE" "$TMP/stats.PG"
check_eq "a search's cycle facet on PostgreSQL has no cycle 0" False \
    "$(python3 -c 'import json,sys; print("0" in json.load(open(sys.argv[1]))["facets"]["cycle"])' "$TMP/facets.PG")"
check "and its facets are SQLite's" cmp "$TMP/facets.LITE" "$TMP/facets.PG"

check "copy PostgreSQL into a new SQLite file" "$RT" copy --from "$PG" --to "sqlite:$BACK"
cp "$TMP/out" "$TMP/msg"
check "it says what it copied" grep -q '^copied [0-9]* rows of [0-9]* tables$' "$TMP/msg"
"$RT" --db "$BACK" export --json >"$TMP/exp.back"
check "export --json of the copy back is the same bytes" cmp "$TMP/exp.lite" "$TMP/exp.back"
check_eq "the copy back has the audit log, hashes and all" \
    "$(sqlite3 "$LITE" 'SELECT count(*), sum(length(hash)) FROM audit_log')" \
    "$(sqlite3 "$BACK" 'SELECT count(*), sum(length(hash)) FROM audit_log')"
check "its audit log checks" "$RT" --db "$BACK" audit verify

# Searches: the full-text index made again in each target. The copy back gives the
# same pages; PostgreSQL the same totals and facets (its ranking is its own, t9030).
tf() {
    python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["total"], d.get("facets"))' "$1"
}
for q in 'torture' 'freedom of expression' 'child*' 'death penalty -abolish' \
    'women AND violence'; do
    "$RT" --db "$LITE" search "$q" --limit 20 --json >"$TMP/s.lite" 2>&1
    "$RT" --db "$PG" search "$q" --limit 20 --json >"$TMP/s.pg" 2>&1
    "$RT" --db "$BACK" search "$q" --limit 20 --json >"$TMP/s.back" 2>&1
    check "search '$q' on the copy back is the source's" cmp "$TMP/s.lite" "$TMP/s.back"
    check_eq "search '$q' on PostgreSQL: the source's total and facets" \
        "$(tf "$TMP/s.lite")" "$(tf "$TMP/s.pg")"
done
check "a search finds something" grep -q '"id"' "$TMP/s.lite"

# A target with data is refused, exit 1, and left as it was.
check_fails "copy into a PostgreSQL database with data is refused" 1 \
    "$RT" copy --from "$LITE" --to "$PG"
cp "$TMP/err" "$TMP/msg"
check "the refusal names the database and a table" \
    grep -q 'PostgreSQL database "postgres", is not empty (table [a-z_]* has rows)' "$TMP/msg"
"$RT" --db "$PG" export --json >"$TMP/exp.pg2"
check "the refused target is unchanged" cmp "$TMP/exp.pg" "$TMP/exp.pg2"
before=$(cksum <"$BACK")
check_fails "copy into a SQLite file with data is refused" 1 "$RT" copy --from "$PG" --to "$BACK"
cp "$TMP/err" "$TMP/msg"
check "the refusal names the file" grep -q "$BACK.*not empty" "$TMP/msg"
check_eq "the refused file is unchanged" "$before" "$(cksum <"$BACK")"

# An empty database that only init touched is a good target.
pg_psql -c 'CREATE DATABASE second' >/dev/null
"$RT" --db "$TMP/init.db" init >/dev/null
check "copy into a SQLite file that init made" "$RT" copy --from "$PG" --to "$TMP/init.db"
check "its export is the same" sh -c '"$1" --db "$2" export --json | cmp - "$3"' _ \
    "$RT" "$TMP/init.db" "$TMP/exp.lite"
check "copy into a second, new PostgreSQL database" "$RT" copy --from "$BACK" --to "$PG2"
check "its export is the same" sh -c '"$1" --db "$2" export --json | cmp - "$3"' _ \
    "$RT" "$PG2" "$TMP/exp.lite"

# All or nothing: a copy that fails part way leaves the target as it was. A small
# source (the demo alone); a NUL in a text, which PostgreSQL's COPY cannot carry.
SMALL=$TMP/small.db
PG3="postgresql:///third?host=$PG_DIR"
"$RT" --db "$SMALL" import "$ROOT/data/demo/recommendations.csv" >/dev/null
sqlite3 "$SMALL" ".backup '$TMP/nul.db'"
sqlite3 "$TMP/nul.db" "UPDATE state SET name = name || char(0) || 'x' WHERE code = 'BLR'"
pg_psql -c 'CREATE DATABASE third' >/dev/null
check_fails "a copy into PostgreSQL that fails part way exits 1" 1 \
    "$RT" copy --from "$TMP/nul.db" --to "$PG3"
check_eq "and leaves no row behind" "0 0 0" \
    "$(pg_psql -d third -c 'SELECT (SELECT count(*) FROM recommendation) || '"' '"' ||
        (SELECT count(*) FROM source) || '"' '"' || (SELECT count(*) FROM audit_log)')"
check "the same target then takes a good copy" "$RT" copy --from "$SMALL" --to "$PG3"
# A reference to nothing, which SQLite's check at the end of the copy refuses.
pg_psql -d third -c 'SET session_replication_role = replica' \
    -c 'INSERT INTO recommendation_by VALUES (999999, (SELECT min(id) FROM state))'
check_fails "a copy into SQLite that fails at its end exits 1" 1 \
    "$RT" copy --from "$PG3" --to "$TMP/fk.db"
check "and removes the file it made" test ! -e "$TMP/fk.db"
"$RT" --db "$TMP/init2.db" init >/dev/null
"$RT" --db "$TMP/init2.db" export --json >"$TMP/init2.before"
check_fails "into a file that init made, too" 1 "$RT" copy --from "$PG3" --to "$TMP/init2.db"
check "which keeps its empty export" sh -c '"$1" --db "$2" export --json | cmp - "$3"' _ \
    "$RT" "$TMP/init2.db" "$TMP/init2.before"
check_eq "and its empty recommendation table" 0 \
    "$(sqlite3 "$TMP/init2.db" 'SELECT count(*) FROM recommendation')"

# Bad URLs and options.
check_fails "copy without --to is a usage error" 2 "$RT" copy --from "$LITE"
check_fails "copy with an argument is a usage error" 2 "$RT" copy --from "$LITE" --to "$PG" x
check_fails "copy between two SQLite files is refused" 1 "$RT" copy --from "$LITE" --to "$TMP/x.db"
cp "$TMP/err" "$TMP/msg"
check "it says to use backup" grep -q 'use backup' "$TMP/msg"
check "and makes no file" test ! -e "$TMP/x.db"
check_fails "copy from a missing SQLite file fails" 1 \
    "$RT" copy --from "$TMP/missing.db" --to "$PG2"
cp "$TMP/err" "$TMP/msg"
check "saying so" grep -q 'cannot open the source' "$TMP/msg"
check_fails "copy from a PostgreSQL server that is not there fails" 1 \
    "$RT" copy --from "postgresql:///postgres?host=$TMP/nowhere" --to "$TMP/y.db"
cp "$TMP/err" "$TMP/msg"
check "saying it cannot connect" grep -qi 'connect\|server' "$TMP/msg"
check "and leaves no file behind" test ! -e "$TMP/y.db"
check "copy --help" "$RT" copy --help
cp "$TMP/out" "$TMP/msg"
check "help says it is an administrator's command" grep -q "administrator" "$TMP/msg"

done_testing
