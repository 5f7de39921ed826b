#!/bin/sh
# Basics of the command line: help, version, exit codes, the database choice.
. "$(dirname "$0")/../lib/test-lib.sh"

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
if [ "$RT_TEST_STORE" = sqlite ]; then
    check_fails "missing database is a failure" 1 "$RT" --db "$TMP/none.db" stats
    grep -q "rightstrack init" "$TMP/err"
    check_eq "missing database says how to create one" 0 $?
else
    # init makes the schema in a database that exists; it does not create one.
    none="postgresql:///rt_none_$$?host=$RT_TEST_PG_HOST"
    check_fails "missing database is a failure" 1 "$RT" --db "$none" stats
    check_eq "saying so" 1 "$(grep -c "database \"rt_none_$$\" does not exist" "$TMP/err")"
    check_fails "init does not create it" 1 "$RT" --db "$none" init
fi

A=$(new_db a)
check "init creates the database" "$RT" --db "$A" init
check "init again is fine" "$RT" --db "$A" init
v=$("$RT" --db "$A" init --json | json .schema_version)
# Each store numbers its migrations in its own folder (src/store/sqlite|pg/schema).
dir=sqlite
[ "$RT_TEST_STORE" = postgresql ] && dir=pg
last=$(ls "$ROOT"/src/store/$dir/schema/*.sql | sed -n '$s|.*/0*\([0-9][0-9]*\)_[^/]*$|\1|p')
check_eq "init --json gives the schema version (the last migration's number)" "$last" "$v"
if [ "$RT_TEST_STORE" = sqlite ]; then
    RIGHTSTRACK_DB="$TMP/env.db" "$RT" init >/dev/null
    check_eq "RIGHTSTRACK_DB chooses the database" yes "$([ -f "$TMP/env.db" ] && echo yes)"
else
    E=$(new_db env)
    RIGHTSTRACK_DB="$E" "$RT" init >/dev/null
    check_eq "RIGHTSTRACK_DB chooses the database" 1 \
        "$(sql "$E" "SELECT count(*) FROM meta WHERE key = 'pg_schema'")"
fi
n=$("$RT" --db "$A" stats --json | json .recommendations)
check_eq "a new database is empty" 0 "$n"
check_fails "show of a missing id fails" 1 "$RT" --db "$A" show 5
check_fails "stats of an unknown state is a usage error" 2 "$RT" --db "$A" stats --sur Atlantis
check "init gives the states: a dialogue can name its parties before any import" \
    "$RT" --db "$A" dialogue add "Canada-Laos" --party Canada --party "Lao People's Democratic Republic"
done_testing
