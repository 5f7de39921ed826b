#!/bin/sh
# backup and restore: a copy made during a loop of writes from another process
# passes restore's checks and holds every write committed before it began; restore
# refuses a damaged file, an unknown schema and broken references without replacing
# anything, and refuses while a server has the database open.
. "$(dirname "$0")/../lib/test-lib.sh"

# On PostgreSQL, backup and restore copy no file: both refuse in the same words,
# which send the administrator to pg_dump and point-in-time recovery.
if [ "$RT_TEST_STORE" = postgresql ]; then
    PG=$(new_db b)
    "$RT" --db "$PG" init >/dev/null
    check_fails "backup refuses a PostgreSQL database" 1 "$RT" --db "$PG" backup "$TMP/copy.backup"
    cp "$TMP/err" "$TMP/said"
    check "saying to use pg_dump" grep -q "for a PostgreSQL database use pg_dump and pg_restore" "$TMP/said"
    check "or point-in-time recovery, as the guide tells" \
        grep -q "pg_basebackup .*point in time (docs/deployment-postgresql.md, section 6)" "$TMP/said"
    check_eq "in one line" 1 "$(wc -l <"$TMP/said" | tr -d ' ')"
    check_eq "and writes no file" no "$([ -e "$TMP/copy.backup" ] && echo yes || echo no)"
    check_fails "restore refuses it too" 1 "$RT" --db "$PG" restore "$TMP/copy.backup"
    check_eq "in the same words" "$(sed 's/^rightstrack: backup /rightstrack: restore /' "$TMP/said")" \
        "$(head -n 1 "$TMP/err")"
    check_eq "and nothing was replaced" 1 "$(grep -c 'nothing was replaced' "$TMP/err")"
    check "the database is as it was" "$RT" --db "$PG" stats
fi
sqlite_only_below "backup and restore copy SQLite files (on PostgreSQL they refuse, above)"

DB="$TMP/b.db"
"$RT" --db "$DB" import "$ROOT/data/demo/recommendations.csv" >/dev/null
sh "$ROOT/data/demo/us-belarus.sh" "$RT" --db "$DB" >/dev/null 2>&1
steps() { "$RT" --db "$1" step list --json | python3 -c 'import json,sys; print(" ".join(s["text"] for s in json.load(sys.stdin) if s["text"].startswith("w")))'; }

# Writes from another process; each committed one is logged after its command ends.
: >"$TMP/committed"
(
    i=1
    while [ ! -e "$TMP/stop" ] && [ $i -le 400 ]; do
        "$RT" --db "$DB" step add --actor Belarus --date 2016 --kind statement "w$i" >/dev/null &&
            echo "w$i" >>"$TMP/committed"
        i=$((i + 1))
    done
) &
WRITER=$!
# Some writes first (slow machines and sanitizer builds take longer to start).
for _ in $(seq 1 150); do
    [ "$(wc -l <"$TMP/committed")" -ge 3 ] && break
    sleep 0.2
done
before=$(cat "$TMP/committed")
check "backup while another process writes" "$RT" --db "$DB" backup "$TMP/copy.db" --json
n_at_backup=$(wc -l <"$TMP/committed")
for _ in $(seq 1 150); do
    [ "$(wc -l <"$TMP/committed")" -gt "$n_at_backup" ] && break
    sleep 0.2
done
touch "$TMP/stop"
wait $WRITER
check_eq "the writer was still writing" yes "$([ "$(wc -l <"$TMP/committed")" -gt "$(echo "$before" | wc -w)" ] && echo yes)"
check_eq "there were writes before the backup" yes "$([ -n "$before" ] && echo yes)"
check "the copy passes restore's checks" "$RT" --db "$TMP/other.db" restore --check "$TMP/copy.db"
in_copy=" $(steps "$TMP/copy.db") "
missing=0
for w in $before; do case $in_copy in *" $w "*) ;; *) missing=$((missing + 1)) ;; esac; done
check_eq "the copy holds every write committed before the backup began ($(echo "$before" | wc -w))" 0 $missing
check_fails "a backup over an existing file" 1 "$RT" --db "$DB" backup "$TMP/copy.db"

# Restore into a database: it becomes the copy.
"$RT" --db "$TMP/r.db" init >/dev/null
check "restore --json" "$RT" --db "$TMP/r.db" restore "$TMP/copy.db" --json
# The schema's version is the number of its last migration.
last=$(ls "$ROOT/src/store/sqlite/schema" | sed -n 's/^0*\([0-9][0-9]*\)_.*/\1/p' | sort -n | tail -n 1)
check_eq "it says what it checked" "$last" "$(json .schema_version <"$TMP/out")"
check_eq "and that the audit log holds" verified "$(json .audit <"$TMP/out")"
check_eq "the restored database holds the copy's steps" "$(steps "$TMP/copy.db")" "$(steps "$TMP/r.db")"
check_eq "no file is left beside it" "" "$(ls "$TMP" | grep -E 'r\.db\.(restore|part)')"

# Refusals: nothing is replaced.
cp "$TMP/copy.db" "$TMP/damaged.db"
python3 -c 'import os,sys
f = open(sys.argv[1], "r+b"); size = os.path.getsize(sys.argv[1])
for at in range(16384, size, 16384):
    f.seek(at); f.write(b"\xde\xad" * 8)
f.close()' "$TMP/damaged.db"
check_fails "a damaged file" 1 "$RT" --db "$TMP/r.db" restore "$TMP/damaged.db"
grep -q "nothing was replaced" "$TMP/err" || fail "says nothing was replaced" "$(cat "$TMP/err")"
cp "$TMP/copy.db" "$TMP/future.db"
python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute("PRAGMA user_version = 999"); c.commit()' "$TMP/future.db"
check_fails "an unknown schema version" 1 "$RT" --db "$TMP/r.db" restore "$TMP/future.db"
grep -q "schema version 999" "$TMP/err" || fail "names the version" "$(cat "$TMP/err")"
cp "$TMP/copy.db" "$TMP/broken.db"
python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute("INSERT INTO round(dialogue_id, ordinal, date) VALUES (999, 1, \"2016\")"); c.commit()' "$TMP/broken.db"
check_fails "a broken reference" 1 "$RT" --db "$TMP/r.db" restore "$TMP/broken.db"
grep -q "round" "$TMP/err" || fail "names the table" "$(cat "$TMP/err")"
cp "$TMP/copy.db" "$TMP/rewritten.db"
python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute("UPDATE step SET text = text || \" (changed)\" WHERE id = (SELECT min(id) FROM step)"); c.commit()' "$TMP/rewritten.db"
check_fails "a ledger row changed behind the program's back" 1 "$RT" --db "$TMP/r.db" restore "$TMP/rewritten.db"
grep -q "audit log does not hold" "$TMP/err" || fail "says the audit log does not hold" "$(cat "$TMP/err")"
check_eq "the database is still the copy" "$(steps "$TMP/copy.db")" "$(steps "$TMP/r.db")"

# Not while a server has the database open.
serve_start "$TMP/r.db"
curl -s -o /dev/null "$URL/api/v1/dialogues"
check_fails "restore while serve runs" 1 "$RT" --db "$TMP/r.db" restore "$TMP/copy.db"
grep -q "open" "$TMP/err" || fail "says why" "$(cat "$TMP/err")"
check "backup while serve runs" "$RT" --db "$TMP/r.db" backup "$TMP/served.db"
kill -TERM "$SERVE_PID"
wait "$SERVE_PID" 2>/dev/null
check "restore once it stopped" "$RT" --db "$TMP/r.db" restore "$TMP/served.db"
done_testing
