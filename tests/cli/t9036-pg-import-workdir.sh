#!/bin/sh
# Where an import into PostgreSQL builds its working copy (issue 16, src/store/pg/ops.c,
# work_base): under $TMPDIR when it is set; else in a memory file system with room
# (/dev/shm, or the folder RT_PG_SHM names for this test); else /tmp. Each import is
# held at its commit by the writers' lock (taken here by another session first), and
# its working copy is looked for meanwhile; when the lock is let go the import goes
# through, with every recommendation, and leaves nothing behind.
. "$(dirname "$0")/../lib/test-lib.sh"
. "$ROOT/tests/lib/pg.sh"

need_pg
DEMO=$ROOT/data/demo/recommendations.csv
mkdir -p "$TMP/shm" "$TMP/work"
# The writers' lock of src/store/pg/conn.c (WRITERS_LOCK).
LOCK=7242024

"$RT" --db "$TMP/demo.db" init >/dev/null 2>&1
"$RT" --db "$TMP/demo.db" import "$DEMO" >/dev/null 2>&1
RECS=$(sqlite3 "$TMP/demo.db" 'SELECT count(*) FROM recommendation')

# hold_lock DB: another session takes the writers' lock of database DB (an advisory
# lock is the database's) and keeps it until let_go.
hold_lock() {
    PGAPPNAME=rt-t9036-lock pg_psql -d "$1" \
        -c "SELECT pg_advisory_lock($LOCK), pg_sleep(600)" >/dev/null 2>&1 &
    locker=$!
    i=0
    while [ "$i" -lt 600 ] && [ "$(pg_psql -d postgres -c "SELECT count(*) FROM pg_locks
            WHERE locktype = 'advisory' AND objid = $LOCK AND granted")" != 1 ]; do
        sleep 0.05
        i=$((i + 1))
    done
}

# waiting: whether a session waits for the writers' lock (the import, at its commit).
waiting() {
    i=0
    while [ "$i" -lt 1200 ] && kill -0 "$pid" 2>/dev/null; do
        if [ "$(pg_psql -d postgres -c "SELECT count(*) FROM pg_locks
                WHERE locktype = 'advisory' AND objid = $LOCK AND NOT granted")" = 1 ]; then
            echo 1
            return
        fi
        sleep 0.05
        i=$((i + 1))
    done
    echo 0
}

let_go() {
    pg_psql -d postgres -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE application_name = 'rt-t9036-lock'" >/dev/null 2>&1
    wait "$locker" 2>/dev/null
}

# new_pg_db DB: a new database with rightstrack's schema.
new_pg_db() {
    pg_psql -d postgres -c "CREATE DATABASE $1" >/dev/null
    "$RT" --db "postgresql:///$1?host=$PG_DIR" stats >/dev/null 2>&1
}

# import DB ENV…: the demo into database DB, in the background (pid), with the
# environment given.
import() {
    db=$1
    shift
    env "$@" "$RT" --db "postgresql:///$db?host=$PG_DIR" import "$DEMO" \
        >"$TMP/import.out" 2>"$TMP/import.err" &
    pid=$!
}

# No TMPDIR: the memory file system.
new_pg_db one
hold_lock one
import one -u TMPDIR RT_PG_SHM="$TMP/shm"
check_eq "without TMPDIR the import reaches its commit" 1 "$(waiting)"
check "with its working copy in the memory file system" \
    test -f "$(ls -d "$TMP/shm"/rightstrack-pg-load.* 2>/dev/null)/load.db"
let_go
wait "$pid"
check_eq "then goes through" 0 "$?"
check_eq "with every recommendation" "$RECS" \
    "$(pg_psql -d one -c 'SELECT count(*) FROM recommendation')"
check_eq "and leaves no working copy behind" "" \
    "$(ls -d "$TMP/shm"/rightstrack-pg-load.* 2>/dev/null)"

# TMPDIR set: there, whatever else there is.
new_pg_db two
hold_lock two
import two TMPDIR="$TMP/work" RT_PG_SHM="$TMP/shm"
check_eq "with TMPDIR the import reaches its commit" 1 "$(waiting)"
check "with its working copy under TMPDIR" \
    test -f "$(ls -d "$TMP/work"/rightstrack-pg-load.* 2>/dev/null)/load.db"
check_eq "and none in the memory file system" "" \
    "$(ls -d "$TMP/shm"/rightstrack-pg-load.* 2>/dev/null)"
let_go
wait "$pid"
check_eq "then goes through" 0 "$?"
check_eq "with every recommendation" "$RECS" \
    "$(pg_psql -d two -c 'SELECT count(*) FROM recommendation')"
check_eq "and leaves no working copy behind" "" \
    "$(ls -d "$TMP/work"/rightstrack-pg-load.* 2>/dev/null)"

# No TMPDIR and no memory file system: /tmp, and the import goes through.
new_pg_db three
import three -u TMPDIR RT_PG_SHM="$TMP/none"
wait "$pid"
check_eq "without either the import goes through" 0 "$?"
check_eq "with every recommendation" "$RECS" \
    "$(pg_psql -d three -c 'SELECT count(*) FROM recommendation')"
done_testing
