#!/bin/sh
# Robustness of writes, bounded in time: kill -9 at several moments of a loop of
# writes leaves no damaged database and no partial record; a DB.init-PID file left
# by a killed init is removed by the next init or open.
. "$(dirname "$0")/../lib/test-lib.sh"
pg_not_yet "SQLite's crash and locking behaviour (kill -9 of a writer, the file's lock and journal); PostgreSQL's counterparts are t9031 (the server killed during an import), t9032 (stopped under web writes) and t9034 (many writers at once)"

t0=$(date +%s)
healthy() { # ok when the database, opened again (which rolls back what a kill left), passes restore's checks
    "$RT" --db "$1" stats >/dev/null 2>&1 &&
        "$RT" --db "$TMP/none.db" restore --check "$1" >/dev/null 2>&1 && echo ok || echo damaged
}
# kill -9 during writes: a dialogue (one row and its parties, in one transaction) is
# there whole or not at all.
DB="$TMP/w.db"
"$RT" --db "$DB" init >/dev/null
# With accounts on (issue 14); restore --check verifies the audit chain too.
echo 'editor pass phrase' | "$RT" --db "$DB" user add ed --role editor >/dev/null
bad=0
for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
    "$RT" --db "$DB" dialogue add "D$i" --party USA --party Belarus --party France >/dev/null 2>&1 &
    pid=$!
    sleep "0.0$i"
    kill -9 $pid 2>/dev/null
    wait $pid 2>/dev/null
    [ "$(healthy "$DB")" = ok ] || bad=$((bad + 1))
done
check_eq "kill -9 at twelve moments of writes: no database damaged" 0 $bad
check_eq "every dialogue has its three parties" "" \
    "$("$RT" --db "$DB" dialogue list --json | python3 -c 'import json,sys; print(" ".join(d["name"] for d in json.load(sys.stdin) if len(d["parties"]) != 3))')"
check "the audit log explains what is there" "$RT" --db "$DB" audit verify

# A file left by an init killed after it began: the next init removes it.
sh -c 'exit 0' &
dead=$!
wait $dead
touch "$TMP/i.db.init-$dead"
"$RT" --db "$TMP/i.db" init >/dev/null
check_eq "a stale DB.init-PID is removed by the next init" "" "$(ls "$TMP" | grep 'i\.db\.init-')"
touch "$TMP/i.db.init-$dead"
"$RT" --db "$TMP/i.db" stats >/dev/null
check_eq "and by the next open" "" "$(ls "$TMP" | grep 'i\.db\.init-')"
touch "$TMP/i.db.init-$$"
"$RT" --db "$TMP/i.db" stats >/dev/null
check_eq "one of a process alive stays" "i.db.init-$$" "$(ls "$TMP" | grep 'i\.db\.init-')"
say "# took $(($(date +%s) - t0)) s"
done_testing
