#!/bin/sh
# Many writers on one PostgreSQL database (issue 16): two servers with two threads
# each, four web clients and two command-line writers at once. Every write is answered
# 201 (or exit 0), and the database then holds each of them exactly once: nothing
# lost, nothing doubled, the ids one after another; the audit log holds one sealed
# entry for each, its chain unbroken, and the export the same steps; the server logged
# no warning of a COMMIT or ROLLBACK outside a transaction (the writers' lock).
. "$(dirname "$0")/../lib/test-lib.sh"
. "$ROOT/tests/lib/pg.sh"

need_pg
PG="postgresql:///postgres?host=$PG_DIR"
"$RT" --db "$PG" init >/dev/null &&
    "$RT" --db "$PG" dialogue add "Writers" --party USA --party Belarus >/dev/null
check_eq "a new database with a dialogue" 0 $?
serve_start "$PG" --threads 2
PID_A=$SERVE_PID URL_A=$URL
serve_start "$PG" --threads 2
PID_B=$SERVE_PID URL_B=$URL
# steps_of URL: how many steps the dialogue's API lists, as that server answers.
steps_of() {
    curl -s "$1/api/v1/dialogues/1/steps" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))'
}
check_eq "both servers list no step yet (and keep that answer)" "0 0" \
    "$(steps_of "$URL_A") $(steps_of "$URL_B")"

# web NAME URL N: N steps through the API, one answer code a line into $TMP/NAME.
web() {
    for i in $(seq 1 "$3"); do
        curl -s -o /dev/null -w '%{http_code}\n' -X POST -H 'Content-Type: application/json' \
            --data-binary "{\"actor\": \"Belarus\", \"date\": \"2017-01\", \"kind\": \"statement\", \"text\": \"$1 $i\"}" \
            "$2/api/v1/steps"
    done >"$TMP/$1"
}
# cli NAME N: N steps from the command line, one exit status a line.
cli() {
    for i in $(seq 1 "$2"); do
        "$RT" --db "$PG" step add --actor Belarus --date 2017-02 --kind statement "$1 $i" >/dev/null 2>>"$TMP/$1.err"
        echo $?
    done >"$TMP/$1"
}
web wa1 "$URL_A" 25 &
P1=$!
web wa2 "$URL_A" 25 &
P2=$!
web wb1 "$URL_B" 25 &
P3=$!
web wb2 "$URL_B" 25 &
P4=$!
cli c1 10 &
P5=$!
cli c2 10 &
P6=$!
wait $P1 $P2 $P3 $P4 $P5 $P6
check_eq "every web write answered 201" 100 "$(cat "$TMP"/wa1 "$TMP"/wa2 "$TMP"/wb1 "$TMP"/wb2 | grep -c '^201$')"
check_eq "every command-line write exits 0" 20 "$(cat "$TMP"/c1 "$TMP"/c2 | grep -c '^0$')"
"$RT" --db "$PG" step list --json >"$TMP/steps.json"
check_eq "the database holds 120 steps, each text once, ids 1 to 120" "120 120 1 120" \
    "$(python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); t={x["text"] for x in s}; i=sorted(x["id"] for x in s); print(len(s), len(t), i[0], i[-1])' "$TMP/steps.json")"
check_eq "each server lists all 120 at once, whoever wrote them" "120 120" \
    "$(steps_of "$URL_A") $(steps_of "$URL_B")"
check "the audit log's chain holds (audit verify)" "$RT" --db "$PG" audit verify
"$RT" --db "$PG" audit log --json >"$TMP/audit.json"
"$RT" --db "$PG" export --json >"$TMP/export.json"
check_eq "the audit log has one insertion for each of the 120 steps; the export and the list name the same" \
    "120 120 same" "$(same_steps "$TMP/audit.json" "$TMP/export.json" "$TMP/steps.json")"
kill -TERM "$PID_A" "$PID_B"
wait "$PID_A" "$PID_B"
check_eq "both servers stop cleanly" 0 $?
check_eq "the server's log has no warning that no transaction was in progress" 0 \
    "$(grep -c 'there is no transaction in progress' "$PG_DIR/server.log")"
done_testing
