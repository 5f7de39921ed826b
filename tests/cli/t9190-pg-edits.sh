#!/bin/sh
# Edits, withdrawals and the audit log's reads on PostgreSQL (issue 16): written once
# for both stores (src/store/ledger_edit.c, src/store/audit_read.c over sql.h). The same
# ledger, then the same corrections and withdrawals with good and bad input, through
# the command line into SQLite and into PostgreSQL print the same bytes (the records
# after, as edit --json and withdraw --json give them, and every error), give the same
# export, the same history and audit log (but for when: the times, and the hashes
# that cover them), and audit verify holds on both, the same way.
. "$(dirname "$0")/../lib/test-lib.sh"
. "$ROOT/tests/lib/pg.sh"

need_pg
PG="postgresql:///postgres?host=$PG_DIR"
LITE=$TMP/lite.db
D="Edit dialogue"

demo_pair

build() {
    db=$1
    log=$2
    : >"$log"
    w dialogue add "$D" --party USA --party Belarus
    w round add "$D" --date 2015 --summary "First meeting."
    w round add "$D" --date 2015-12-16 --place "Washington"
    w participant add "$D#2" --name "A Person" --party USA
    w topic add "$D#2" "Elections" --theme Elections --rec "$rec"
    w ask add "$D#2" --from USA --to Belarus --rec "$rec2" "Free elections."
    w step add --actor Belarus --date 2015-08-22 --kind prisoner-release --quantity 6 \
        --welcomed-in "$D#2" --answers "$rec" "Six prisoners freed."
    w step add --actor USA --date 2015-10 --kind sanctions-eased --responds-to 1 \
        "Sanctions suspended."
    w step add --actor Belarus --date 2016-09-11 --kind election-held --answers ask:1 \
        "An election."
    w commitment add "$D#2" --party USA --if "further steps" --then "steps in return"
    w benchmark add "$D" "All released" --tracks "$rec" --tracks step:1
    # Corrections: each printed as the record stands after.
    w edit step:3 --text 'Elections, «watched» — and "quoted"' --json
    w edit step:1 --quantity 7 --answers ask:1 --answers "$rec2" --json
    w edit step:1 --answers ask:1 --json
    w edit "$D#2" --place "Washington, DC" --json
    w edit round:1 --summary "" --json
    w edit dialogue:1 --name "Edited dialogue" --party Belarus --party USA --party EU --json
    w edit participant:1 --title Envoy --organisation "Department of State" --json
    w edit topic:1 --text "Elections and media" --rec "$rec2" --json
    w edit ask:1 --to EU --json
    w edit commitment:1 --if "" --then "more steps in return" --json
    w edit benchmark:1 --text "All political prisoners released" --tracks step:1 --json
    w edit step:2 --responds-to 1 --date 2015-11
    # Withdrawals: a record as of a date, one without, a link by its three words.
    w withdraw step:2 --reason "Another programme" --date 2016-01 --json
    w withdraw round:1 --reason "Entered twice" --json
    w withdraw step:1 answers ask:1 --reason "Not an answer" --json
    w withdraw topic:1 --reason "Merged" --date 2016
    # Bad input: each fails the same way and writes nothing.
    w edit step:99 --text x
    w edit step:3 --date 2016-13-01
    w edit step:3 --actor Narnia
    w edit step:3 --text ""
    w edit step:3 --kind miracle
    w edit round:1 --ordinal 0
    w edit assessment:1 --status fully
    w withdraw step:99 --reason x
    w withdraw step:1 answers ask:9 --reason x
    w withdraw step:1 likes ask:1 --reason x
    w withdraw step:3 --reason x --date 2016-02-30
    w withdraw person:1 --reason x
    w dialogue add "Second dialogue" --party USA --party EU
    w edit dialogue:2 --name "Edited dialogue"
    w edit "Edited dialogue#2" --ordinal 1
    # What the log says.
    w history step:1
    w history "Edited dialogue#2"
    w history "step:1 answers ask:1"
    w history nothing:1
    w audit log --record ask:1
    w audit log --limit 3 --since 2199-01-01
}

build "$LITE" "$TMP/log.lite"
build "$PG" "$TMP/log.pg"
# The times of the log's entries, as history and audit log print them.
when() { sed -E 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z/T/g' "$1"; }
when "$TMP/log.lite" >"$TMP/log.lite.n"
when "$TMP/log.pg" >"$TMP/log.pg.n"
diff "$TMP/log.lite.n" "$TMP/log.pg.n" >&2 || true
check "the edits print the same on both stores, failures and history included" \
    cmp "$TMP/log.lite.n" "$TMP/log.pg.n"
check_eq "the adds, twelve corrections, four withdrawals and five reads succeeded" 33 \
    "$(grep -c '^exit 0$' "$TMP/log.pg")"
check_eq "thirteen failed, exit 1, and two were usage errors" "13 2" \
    "$(grep -c '^exit 1$' "$TMP/log.pg") $(grep -c '^exit 2$' "$TMP/log.pg")"
check "a missing record is said" grep -q "no step with id 99" "$TMP/log.pg"
check "a missing link is said" grep -q "there is no link 'step:1 answers ask:9'" "$TMP/log.pg"
check "a name taken is said as add says it" \
    grep -q "field 'name': a dialogue called 'Edited dialogue' exists" "$TMP/log.pg"
check "so is a round's number taken" \
    grep -q "field 'ordinal': the dialogue has a round 1 already" "$TMP/log.pg"
check "a withdrawn record says so" grep -q '"withdrawn": "Entered twice"' "$TMP/log.pg"
check "a list given is the new list" grep -q '"answers": \[' "$TMP/log.pg"

# export --json: the same rows on both, but for when they were written.
same() { jq -S 'walk(if type == "object" then del(.created_at) else . end)' "$1"; }
"$RT" --db "$LITE" export --json >"$TMP/exp.lite"
"$RT" --db "$PG" export --json >"$TMP/exp.pg"
same "$TMP/exp.lite" >"$TMP/exp.lite.n"
same "$TMP/exp.pg" >"$TMP/exp.pg.n"
diff "$TMP/exp.lite.n" "$TMP/exp.pg.n" >&2 || true
check "export --json of both is the same, created_at aside" cmp "$TMP/exp.lite.n" "$TMP/exp.pg.n"
check_eq "with the withdrawn link" "Not an answer" \
    "$(jq -r '.tables.link[] | select(.from_kind == "step" and .from_id == 1 and .to_kind == "ask")
        | .withdrawn' "$TMP/exp.pg")"

# The whole log, in JSON: the same entries, in the same order, the times aside.
log_json() {
    "$RT" --db "$1" audit log --json | jq -S 'map(del(.at, .hash)
        | walk(if type == "object" then del(.created_at) else . end))'
}
log_json "$LITE" >"$TMP/al.lite"
log_json "$PG" >"$TMP/al.pg"
diff "$TMP/al.lite" "$TMP/al.pg" >&2 || true
check "audit log --json is the same on both, the times aside" cmp "$TMP/al.lite" "$TMP/al.pg"
check_eq "and holds every write" "$(sqlite3 "$LITE" 'SELECT count(*) FROM audit_log')" \
    "$(jq length "$TMP/al.pg")"
for db in "$LITE" "$PG"; do
    "$RT" --db "$db" audit verify --json | jq -cS 'del(.head.hash)' >>"$TMP/verify"
done
check_eq "audit verify holds on both, the same way" "2 1" \
    "$(grep -c '"ok":true' "$TMP/verify") $(sort -u "$TMP/verify" | wc -l)"
check_eq "audit head names the last entry" \
    "$(pg_psql -c "SELECT id || ' ' || hash FROM audit_log ORDER BY id DESC LIMIT 1")" \
    "$("$RT" --db "$PG" audit head)"
check "the log copied into SQLite" "$RT" copy --from "$PG" --to "sqlite:$TMP/back.db"
check "holds there too" "$RT" --db "$TMP/back.db" audit verify

# Tampering behind the program's back, with psql: verify names it as on SQLite.
pg_psql -c "UPDATE step SET text = 'Changed' WHERE id = 3" >/dev/null
"$RT" --db "$PG" audit verify >"$TMP/vout" 2>&1
check_eq "a change with the triggers in place leaves an unsealed entry" "1 1" \
    "$? $(grep -c '^unsealed: entry [0-9]* (update step:3) has no hash' "$TMP/vout")"
pg_psql -c "DROP TRIGGER audit_log_no_update ON audit_log;
    UPDATE audit_log SET after = '{}' WHERE id = 5" >/dev/null
"$RT" --db "$PG" audit verify >"$TMP/vout" 2>&1
check "an edited entry is named" grep -q '^edited: entry 5 was changed after it was written' \
    "$TMP/vout"
check "and the guard dropped" grep -q '^trigger: the trigger audit_log_no_update is missing' \
    "$TMP/vout"

# The public reads no entry of a private record (its view of private_record is empty:
# the filter reads the table), everybody else reads them all.
for db in "$LITE" "$PG"; do
    "$RT" --db "$db" private step:3 >/dev/null
    echo "$("$RT" --db "$db" --as public audit log --record step:3 --json | jq length)" \
        "$("$RT" --db "$db" audit log --record step:3 --json | jq 'length > 0')" >>"$TMP/pub"
done
check_eq "as the public, a private record has no entries; else it has" "0 true
0 true" "$(cat "$TMP/pub")"

# A record's lists of links are among its fields, as the forms and the API read them.
check_eq "a step's answers are a field" '["ask:1"]' \
    "$("$RT" --db "$PG" edit step:3 --answers ask:1 --json | jq -c .fields.answers)"

done_testing
