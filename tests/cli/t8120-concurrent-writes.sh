#!/bin/sh
# Concurrent writers: 300 writes from three processes at once, none lost, with
# accounts and the audit log on: two processes of the command line and a script
# writing through the server's API with an editor's token (issue 14).
. "$(dirname "$0")/../lib/test-lib.sh"
pg_not_yet "SQLite's crash and locking behaviour (kill -9 of a writer, the file's lock and journal); PostgreSQL's counterparts are t9031 (the server killed during an import), t9032 (stopped under web writes) and t9034 (many writers at once)"

t0=$(date +%s)
healthy() { # ok when the database, opened again (which rolls back what a kill left), passes restore's checks
    "$RT" --db "$1" stats >/dev/null 2>&1 &&
        "$RT" --db "$TMP/none.db" restore --check "$1" >/dev/null 2>&1 && echo ok || echo damaged
}
DB="$TMP/w.db"
"$RT" --db "$DB" init >/dev/null
echo 'editor pass phrase' | "$RT" --db "$DB" user add ed --role editor >/dev/null
TOKEN=$("$RT" --db "$DB" user token add ed --write 2>/dev/null)
serve_start "$DB"
check "the server listens, with accounts" test -n "$URL"
# 300 writes from three processes at once.
writer() {
    for i in $(seq 1 100); do
        "$RT" --db "$DB" step add --actor Belarus --date 2016 --kind statement "p$1 $i" >/dev/null ||
            echo "p$1 $i" >>"$TMP/lost"
    done
}
api_writer() {
    for i in $(seq 1 100); do
        c=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" \
            -H 'Content-Type: application/json' \
            -d "{\"actor\": \"Belarus\", \"date\": \"2016\", \"kind\": \"statement\", \"text\": \"p$1 $i\"}" \
            "$URL/api/v1/steps")
        [ "$c" = 201 ] || echo "p$1 $i ($c)" >>"$TMP/lost"
    done
}
: >"$TMP/lost"
writer 1 &
a=$!
writer 2 &
b=$!
api_writer 3 &
c=$!
wait $a $b $c
kill "$SERVE_PID" 2>/dev/null
wait "$SERVE_PID" 2>/dev/null
check_eq "300 writes from three processes: none failed" 0 "$(wc -l <"$TMP/lost")"
check_eq "and all 300 are there" 300 \
    "$("$RT" --db "$DB" step list --json | python3 -c 'import json,sys; print(sum(1 for s in json.load(sys.stdin) if s["text"].startswith("p")))')"
check "the audit log explains every one" "$RT" --db "$DB" audit verify
check_eq "the API's writes are logged as the editor's" 100 \
    "$("$RT" --db "$DB" audit log --json | python3 -c 'import json,sys; d=json.load(sys.stdin); print(sum(1 for e in d if e["table"] == "step" and e["op"] == "insert" and e["actor"] == "web:ed"))')"
"$RT" --db "$DB" audit log --json >"$TMP/audit.json"
"$RT" --db "$DB" export --json >"$TMP/export.json"
"$RT" --db "$DB" step list --json >"$TMP/steps.json"
check_eq "one audit entry inserts each of the 300 steps; the export and the list name the same" \
    "300 300 same" "$(same_steps "$TMP/audit.json" "$TMP/export.json" "$TMP/steps.json")"

say "# took $(($(date +%s) - t0)) s"
done_testing
