#!/bin/sh
# Basics of the command line: help, version, exit codes, the database choice.
. "$(dirname "$0")/../lib/test-lib.sh"
pg_not_yet "init (not on PostgreSQL yet) and SQLite file paths"

check "--help" "$RT" --help
check "--version" "$RT" --version
for c in init import search show stats; do
    "$RT" "$c" --help >"$TMP/h" 2>&1
    check_eq "$c --help exits 0" 0 $?
    grep -q "^usage: rightstrack" "$TMP/h"
    check_eq "$c --help prints usage" 0 $?
done
check_fails "no command is a usage error" 2 "$RT"
check_fails "unknown command is a usage error" 2 "$RT" frobnicate
check_fails "unknown option is a usage error" 2 "$RT" search --frob
check_fails "bad number is a usage error" 2 "$RT" search --cycle x
check_fails "bad response is a usage error" 2 "$RT" search --response maybe
check_fails "show needs an id" 2 "$RT" show
check_fails "help on an unknown command is a usage error" 2 "$RT" help nope
check_fails "missing database is a failure" 1 "$RT" --db "$TMP/none.db" stats
grep -q "rightstrack init" "$TMP/err"
check_eq "missing database says how to create one" 0 $?

check "init creates the database" "$RT" --db "$TMP/a.db" init
check "init again is fine" "$RT" --db "$TMP/a.db" init
v=$("$RT" --db "$TMP/a.db" init --json | json .schema_version)
last=$(ls "$ROOT"/src/store/sqlite/schema/*.sql | sed -n '$s|.*/0*\([0-9][0-9]*\)_[^/]*$|\1|p')
check_eq "init --json gives the schema version (the last migration's number)" "$last" "$v"
RIGHTSTRACK_DB="$TMP/env.db" "$RT" init >/dev/null
check_eq "RIGHTSTRACK_DB chooses the database" yes "$([ -f "$TMP/env.db" ] && echo yes)"
n=$("$RT" --db "$TMP/a.db" stats --json | json .recommendations)
check_eq "a new database is empty" 0 "$n"
check_fails "show of a missing id fails" 1 "$RT" --db "$TMP/a.db" show 5
check_fails "stats of an unknown state is a usage error" 2 "$RT" --db "$TMP/a.db" stats --sur Atlantis
done_testing
