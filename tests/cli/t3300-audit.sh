#!/bin/sh
# The audit log: every write from the command line and the API becomes a chained
# entry with the right actor; `audit verify` holds on an untouched database and names
# each kind of tampering done behind the program's back with sqlite3; `audit head`
# finds entries cut off the end; `history` shows a record's add and later changes.
. "$(dirname "$0")/../lib/test-lib.sh"

DB=$(new_db a)
ME="cli:$(id -un)"
q() { sql "$1" "$2"; }
# A field of an entry's JSON (after), in each store's dialect.
sha='json_extract(after, '"'"'$.sha256'"'"')'
[ "$RT_TEST_STORE" = postgresql ] && sha="after::json->>'sha256'"

"$RT" --db "$DB" import "$ROOT/data/demo/recommendations.csv" >/dev/null
check_eq "an import makes one entry, not one per recommendation" 1 \
    "$(q "$DB" "SELECT count(*) FROM audit_log")"
check_eq "the import's entry names the file's SHA-256" \
    "$(sha256sum "$ROOT/data/demo/recommendations.csv" | cut -d' ' -f1)" \
    "$(q "$DB" "SELECT $sha FROM audit_log WHERE op = 'import'")"

# A few ledger writes leave the same entries on either store, the times aside.
L=$(new_db l)
W="Audit dialogue"
"$RT" --db "$L" import "$ROOT/data/demo/recommendations.csv" >/dev/null &&
    "$RT" --db "$L" dialogue add "$W" --party USA --party Belarus >/dev/null &&
    "$RT" --db "$L" round add "$W" --date 2016 >/dev/null &&
    "$RT" --db "$L" step add --actor Belarus --date 2016-02 --kind statement "Said" >/dev/null &&
    "$RT" --db "$L" link step:1 welcomed-in "$W#1" >/dev/null
check_eq "a few ledger writes" 0 $?
check_eq "are logged, entry by entry" "$(cat <<EOF
1|import|import|source:1|||import $ROOT/data/demo/recommendations.csv
2|dialogue|insert|dialogue:1|||dialogue add
3|dialogue_party|insert|dialogue:1 party USA|dialogue:1||dialogue add
4|dialogue_party|insert|dialogue:1 party BLR|dialogue:1||dialogue add
5|round|insert|round:1|dialogue:1||round add
6|step|insert|step:1|||step add
7|link|insert|step:1 welcomed-in round:1|step:1|round:1|link step:1
EOF
)" "$(q "$L" "SELECT id || '|' || tbl || '|' || op || '|' || record || '|' || coalesce(ref1, '')
               || '|' || coalesce(ref2, '') || '|' || via FROM audit_log ORDER BY id")"
check_eq "with the same record in each" \
    '{"id":1,"actor":"BLR","date":"2016-02","kind":"statement","direction":"positive","quantity":null,"text":"Said","source":null,"created_at":"T","withdrawn":null,"withdrawn_on":null}' \
    "$(q "$L" "SELECT after FROM audit_log WHERE tbl = 'step'" | sed 's/"created_at":"[^"]*"/"created_at":"T"/')"
check_eq "sealed, by the OS user, each holding the hash of the one before" "0 $ME 0" \
    "$(q "$L" "SELECT count(*) FROM audit_log WHERE hash IS NULL") $(q "$L" "SELECT DISTINCT actor FROM audit_log") $(q "$L" "SELECT count(*) FROM audit_log a JOIN audit_log b ON b.id = a.id - 1
                WHERE coalesce(a.prev_hash, '') <> coalesce(b.hash, '')")"
# Below, sqlite3 or psql itself: the tampering's refused statements are expected to fail.
if [ "$RT_TEST_STORE" = sqlite ]; then
    q() { sqlite3 "$1" "$2"; }
    DEMO="$ROOT/data/demo/us-belarus.sh"
else
    q() { pg_sql "$1" "$2"; }
    # The demo without its persons (not yet on PostgreSQL): what they freed is a step.
    DEMO="$TMP/us-belarus.sh"
    sed '/^# The six it freed/,/^# The US answer/{/^# The US answer/!d}' \
        "$ROOT/data/demo/us-belarus.sh" >"$DEMO"
    say "# on PostgreSQL: the demo ledger without its persons"
fi

sh "$DEMO" "$RT" --db "$DB" >/dev/null 2>&1
check_eq "the demo dialogue is recorded" 0 $?

N=$(q "$DB" "SELECT count(*) FROM audit_log")
check_eq "the demo's writes are logged" yes "$([ "$N" -gt 30 ] && echo yes)"
check_eq "every entry is sealed" 0 "$(q "$DB" "SELECT count(*) FROM audit_log WHERE hash IS NULL")"
check_eq "command-line entries name the OS user" "$ME" \
    "$(q "$DB" "SELECT DISTINCT actor FROM audit_log")"
check_eq "and the command" "step add" \
    "$(q "$DB" "SELECT via FROM audit_log WHERE tbl = 'step' LIMIT 1")"
check_eq "each entry holds the hash of the one before" 0 \
    "$(q "$DB" "SELECT count(*) FROM audit_log a JOIN audit_log b ON b.id = a.id - 1
                WHERE a.prev_hash IS DISTINCT FROM b.hash")"
check "audit verify holds on the untouched database" "$RT" --db "$DB" audit verify
grep -q "the log holds: $N entries" "$TMP/out"
check_eq "and says how many entries it checked" 0 $?
"$RT" --db "$DB" audit verify --json >"$TMP/v.json"
check_eq "verify --json: ok" True "$(json .ok <"$TMP/v.json")"
check_eq "verify --json: no findings" "[]" "$(json .findings <"$TMP/v.json")"

# A step added, then changed through the program (by a link, and a later edit made on
# the store's own connection would show the same way: see test_audit.c).
S=$("$RT" --db "$DB" step add --actor Belarus --date 2017-01 --kind statement --json \
    'A statement' | json .id)
"$RT" --db "$DB" link "step:$S" welcomed-in 'US-Belarus Working Group for Democracy and Human Rights#2' \
    >/dev/null
"$RT" --db "$DB" history "step:$S" >"$TMP/h.txt"
check_eq "history exits 0" 0 $?
check_eq "history shows the add" 1 "$(grep -c "$ME (step add)  insert step:$S\$" "$TMP/h.txt")"
check_eq "and the later link" 1 "$(grep -c "(link step:$S)  insert step:$S welcomed-in round:" "$TMP/h.txt")"
"$RT" --db "$DB" history "step:$S" --json >"$TMP/h.json"
check_eq "history --json: the first entry is the insert" insert "$(json .0.op <"$TMP/h.json")"
check_eq "history --json: with the step's text" "A statement" "$(json .0.after.text <"$TMP/h.json")"
"$RT" --db "$DB" history 'US-Belarus Working Group for Democracy and Human Rights#2' --json \
    >"$TMP/r.json"
check_eq "a round named DIALOGUE#N has a history" insert "$(json .0.op <"$TMP/r.json")"
check_fails "history of no record is a usage error" 1 "$RT" --db "$DB" history nothing:1
check_fails "history needs a record" 2 "$RT" --db "$DB" history
check "audit log --record" "$RT" --db "$DB" audit log --record "step:$S"
check_eq "audit log --record lists the same entries" 2 "$(grep -c '^#' "$TMP/out")"
check_eq "audit log --since tomorrow lists nothing" "[]" \
    "$("$RT" --db "$DB" audit log --since 2199-01-01 --json)"
check_fails "audit log --since needs a date" 1 "$RT" --db "$DB" audit log --since yesterday

# Writes through the API: the actor is the web face's.
serve_start "$DB"
code=$(curl -s -o "$TMP/body" -w '%{http_code}' -H 'Content-Type: application/json' \
    -d '{"actor":"Belarus","date":"2017-02","kind":"statement","text":"Said on the web"}' \
    "$URL/api/v1/steps")
check_eq "POST /api/v1/steps" 201 "$code"
W=$(json .id <"$TMP/body")
code=$(curl -s -o "$TMP/hist" -w '%{http_code}' "$URL/api/v1/history?record=step:$W")
check_eq "GET /api/v1/history" 200 "$code"
check_eq "the API's history names the web actor" web:anonymous "$(json .entries.0.actor <"$TMP/hist")"
check_eq "and the request" "POST /api/v1/steps" "$(json .entries.0.via <"$TMP/hist")"
code=$(curl -s -o /dev/null -w '%{http_code}' "$URL/api/v1/history?record=bogus")
check_eq "GET /api/v1/history of no record: 422" 422 "$code"
kill "$SERVE_PID"
wait "$SERVE_PID" 2>/dev/null
check "the chain holds across faces" "$RT" --db "$DB" audit verify

# Tampering, each on a fresh copy. PostgreSQL has one trigger "audit" per table for the
# three operations, where SQLite has audit_TABLE_OP; verify names what is lost as
# SQLite's triggers on both.
if [ "$RT_TEST_STORE" = sqlite ]; then
    T="$TMP/t.db"
    copy() { rm -f "$T"*; q "$DB" ".backup '$TMP/t.db'"; }
    UNGUARD="DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;"
    unlog() { echo "DROP TRIGGER audit_$1_$2;"; } # TABLE OP
else
    T=$(new_db t)
    name_of() { d=${1#postgresql:///}; echo "${d%%\?*}"; }
    copy() {
        pg_sql postgres "DROP DATABASE IF EXISTS $(name_of "$T")" &&
            pg_sql postgres "CREATE DATABASE $(name_of "$T") TEMPLATE $(name_of "$DB")"
    }
    UNGUARD="DROP TRIGGER audit_log_no_update ON audit_log;
        DROP TRIGGER audit_log_no_delete ON audit_log;"
    unlog() { echo "DROP TRIGGER IF EXISTS audit ON $1;"; }
fi
verify_says() { # NAME KIND PATTERN [--head HASH]
    name=$1 kind=$2 pattern=$3; shift 3
    "$RT" --db "$T" audit verify "$@" >"$TMP/vout" 2>&1
    got=$?
    if [ "$got" = 1 ] && grep -q "^$kind: .*$pattern" "$TMP/vout"; then pass "$name"
    else fail "$name" "exit $got" "$(head -c 600 "$TMP/vout")"; fi
}

copy
q "$T" "UPDATE audit_log SET after = '{}' WHERE id = 5" 2>"$TMP/err"
check_eq "the log refuses to change a sealed entry" 1 "$(grep -c 'append-only' "$TMP/err")"
q "$T" "DELETE FROM audit_log WHERE id = 5" 2>"$TMP/err"
check_eq "and to remove one" 1 "$(grep -c 'append-only' "$TMP/err")"
check "copy untouched: verify holds" "$RT" --db "$T" audit verify

copy
q "$T" "$UNGUARD UPDATE audit_log SET actor = 'someone else' WHERE id = 7"
verify_says "an edited entry is named" edited "entry 7 was changed"
grep -q "^trigger: the trigger audit_log_no_update is missing" "$TMP/vout"
check_eq "and so are the guards dropped" 0 $?

copy
q "$T" "$UNGUARD DELETE FROM audit_log WHERE id = 9"
verify_says "a removed entry is named" removed "entry 9 is missing"

copy
q "$T" "$UNGUARD UPDATE audit_log SET id = -1 WHERE id = 10;
    UPDATE audit_log SET id = 10 WHERE id = 11; UPDATE audit_log SET id = 11 WHERE id = -1"
verify_says "reordered entries are named" reordered "entries 10 and 11 are out of order"
check_eq "with one line" 1 "$(grep -vc '^trigger:' "$TMP/vout")"

copy
last=$(q "$T" "SELECT max(id) FROM audit_log")
q "$T" "$UNGUARD UPDATE audit_log SET id = id + 100000 WHERE id > 12;
    UPDATE audit_log SET id = id - 99999 WHERE id > 100000;
    INSERT INTO audit_log(id, at, actor, tbl, op, record, before, after, prev_hash, hash)
    SELECT 13, at, 'cli:mallory', tbl, op, record, before, after, prev_hash,
           '$(printf '%064d' 0)' FROM audit_log WHERE id = 12"
verify_says "an entry inserted in the middle is named" inserted "entry 13 is not in the chain"

copy
q "$T" "INSERT INTO audit_log(tbl, op, record, after) VALUES ('step', 'insert', 'step:999', '{}')"
verify_says "an entry written behind the program's back is named" unsealed \
    "entry $(q "$T" "SELECT max(id) FROM audit_log") (insert step:999)"

copy
q "$T" "$(unlog step update) UPDATE step SET text = 'Changed' WHERE id = $S"
verify_says "a ledger row changed directly is named" unexplained "step:$S is not as the log last left it.*text"
grep -q "^trigger: the trigger audit_step_update is missing" "$TMP/vout"
check_eq "and the missing trigger" 0 $?

copy
q "$T" "UPDATE step SET text = 'Changed' WHERE id = $S"
verify_says "a ledger change with the triggers in place leaves an unsealed entry" unsealed "update step:$S"

copy
q "$T" "$(unlog link delete) $(unlog step delete)
    DELETE FROM link WHERE from_kind = 'step' AND from_id = $S; DELETE FROM step WHERE id = $S"
verify_says "a ledger row removed directly is named" unexplained "step:$S is gone"

copy
q "$T" "$(unlog ask insert)
    INSERT INTO ask(id, round_id, from_party, to_party, text)
    SELECT max(id) + 1, 1, 'USA', 'BLR', 'Slipped in' FROM ask"
verify_says "a ledger row added directly is named" unexplained "has no entry in the log"

# Cutting off the end: found with the head kept elsewhere.
"$RT" --db "$DB" import "$ROOT/data/demo/recommendations.csv" >/dev/null
HEAD=$("$RT" --db "$DB" audit head | cut -d' ' -f2)
check_eq "audit head prints the number and hash of the last entry" \
    "$(q "$DB" "SELECT id || ' ' || hash FROM audit_log ORDER BY id DESC LIMIT 1")" \
    "$("$RT" --db "$DB" audit head)"
check "verify --head holds while the log reaches the head" "$RT" --db "$DB" audit verify --head "$HEAD"
copy
q "$T" "$UNGUARD DELETE FROM audit_log WHERE id = (SELECT max(id) FROM audit_log)"
"$RT" --db "$T" audit verify >"$TMP/vout"
check_eq "without the head, a cut end goes unseen (the last entry was an import)" 0 \
    "$(grep -vc '^trigger:' "$TMP/vout")"
verify_says "with the head kept elsewhere, it is found" head "no longer holds the head" --head "$HEAD"
check_fails "a head that is not a hash is a usage error" 2 "$RT" --db "$DB" audit verify --head xyz

done_testing
