#!/bin/sh
# import --private on PostgreSQL (issues 14 and 16): the mark goes through the
# import's working copy (the ledger's writes during a load go there, src/store/pg/ops.c)
# and reaches PostgreSQL with the import, in its transaction. The same imports into
# SQLite and PostgreSQL, the first into an empty database and the second into one that
# holds data (the merge), give the same outputs, the same private marks, the same
# export --json for everybody and for the public, and the same audit entries of the
# mark. t5221 is the SQLite test of import --private.
. "$(dirname "$0")/../lib/test-lib.sh"
. "$ROOT/tests/lib/pg.sh"

need_pg
mkdir -p "$TMP/work"
export TMPDIR="$TMP/work"
DEMO=$ROOT/data/demo/recommendations.csv
# A partner's list: one recommendation the demo has (from another state), one new.
{
    head -1 "$DEMO"
    sed -n 2p "$DEMO" | sed 's/^1,/901,/; s/,demo$/,partner/'
    echo '902,8,1,2010,Belarus,EEG,,Norway,WEOG,,Noted,5,Death penalty,"Publish the list of every person held for their views.",partner'
} >"$TMP/partner-list.csv"

pg_psql -d postgres -c 'CREATE DATABASE one' -c 'CREATE DATABASE two' >/dev/null
PG1="postgresql:///one?host=$PG_DIR"
PG2="postgresql:///two?host=$PG_DIR"
stamp='s/"created_at": "[^"]*"/"created_at": T/'

# Both stores' answers to the same command, compared byte for byte (created_at aside).
same() {
    name=$1 lite=$2 pg=$3; shift 3
    "$RT" --db "$lite" "$@" 2>&1 | sed "$stamp" >"$TMP/a.lite"
    "$RT" --db "$pg" "$@" 2>&1 | sed "$stamp" >"$TMP/a.pg"
    check "$name" cmp "$TMP/a.lite" "$TMP/a.pg"
}

# The first import, into an empty database, marked private.
check "import --private into an empty PostgreSQL database" \
    "$RT" --db "$PG1" import --private "$TMP/partner-list.csv"
cp "$TMP/out" "$TMP/said.pg"
check "into SQLite" "$RT" --db "$TMP/one.db" import --private "$TMP/partner-list.csv"
cp "$TMP/out" "$TMP/said.lite"
check "both say the same" cmp "$TMP/said.lite" "$TMP/said.pg"
check "that the source is private" grep -q "its source private" "$TMP/said.pg"
check_eq "PostgreSQL holds the mark" "source|1" \
    "$(pg_psql -d one -c 'SELECT kind, id FROM private_record')"
check_eq "as SQLite does" "$(sqlite3 "$TMP/one.db" 'SELECT kind, id FROM private_record')" \
    "$(pg_psql -d one -c 'SELECT kind, id FROM private_record')"
same "export --json is the same" "$TMP/one.db" "$PG1" export --json
same "the public's export is the same" "$TMP/one.db" "$PG1" --as public export --json
check "and names no source" sh -c "! grep -q partner-list '$TMP/a.pg'"

# The second import, into a database with data (seeded working copy, changes written).
check "the demo into PostgreSQL" "$RT" --db "$PG2" import "$DEMO"
check "and into SQLite" "$RT" --db "$TMP/two.db" import "$DEMO"
check "import --private into PostgreSQL that holds data" \
    "$RT" --db "$PG2" import --private "$TMP/partner-list.csv"
cp "$TMP/out" "$TMP/said.pg"
check "into SQLite" "$RT" --db "$TMP/two.db" import --private "$TMP/partner-list.csv"
cp "$TMP/out" "$TMP/said.lite"
check "both say the same" cmp "$TMP/said.lite" "$TMP/said.pg"
check_eq "PostgreSQL holds the mark on the second source" "source|2" \
    "$(pg_psql -d two -c 'SELECT kind, id FROM private_record')"
check_eq "as SQLite does" "$(sqlite3 "$TMP/two.db" 'SELECT kind, id FROM private_record')" \
    "$(pg_psql -d two -c 'SELECT kind, id FROM private_record')"
same "export --json is the same" "$TMP/two.db" "$PG2" export --json
same "the public's export is the same" "$TMP/two.db" "$PG2" --as public export --json
check "and names the demo's source only" sh -c "! grep -q partner-list '$TMP/a.pg'"
check_eq "the mark's audit entries are the same in number" \
    "$(sqlite3 "$TMP/two.db" "SELECT count(*) FROM audit_log WHERE tbl = 'private_record'")" \
    "$(pg_psql -d two -c "SELECT count(*) FROM audit_log WHERE tbl = 'private_record'")"
check_eq "and there is one" 1 \
    "$(pg_psql -d two -c "SELECT count(*) FROM audit_log WHERE tbl = 'private_record'")"
check "audit verify holds on SQLite" "$RT" --db "$TMP/two.db" audit verify

# An export keeps its marks: refused with --private, as on SQLite.
"$RT" --db "$TMP/two.db" export >"$TMP/full.json"
pg_psql -d postgres -c 'CREATE DATABASE three' >/dev/null
check_fails "an export is refused with --private on PostgreSQL" 1 \
    "$RT" --db "postgresql:///three?host=$PG_DIR" import --private "$TMP/full.json"
cp "$TMP/err" "$TMP/said.pg"
check "saying why" grep -q "without --private" "$TMP/said.pg"
check_eq "leaving nothing" 0 "$(pg_psql -d three -c 'SELECT count(*) FROM source')"
check_eq "no working copy is left behind" "" \
    "$(ls -d "$TMP/work"/rightstrack-pg-load.* 2>/dev/null)"
done_testing
