#!/bin/sh
# The dialogue ledger's writes on PostgreSQL (issue 16): written once for both stores
# (src/store/ledger_write.c over src/store/sql.h). The same ledger built through the
# command line's write commands into SQLite and into PostgreSQL prints the same and
# gives the same `export --json` (but for the times the rows were written); bad input
# fails the same way on both and leaves nothing behind; the commands that are still
# SQLite's alone are refused clearly; writers in parallel lose and double nothing, and
# a transaction aborted for a clash is run again, a bounded number of times.
. "$(dirname "$0")/../lib/test-lib.sh"
. "$ROOT/tests/lib/pg.sh"

need_pg
PG="postgresql:///postgres?host=$PG_DIR"

# The library's writes where the command line does not reach (test_pg_ledger.c): every
# test ran, and passed.
UNIT=$(dirname "$RT")/tests/unit/store
"$UNIT/test_pg_ledger" >"$TMP/crit" 2>&1
cat "$TMP/crit" >&2
check_eq "test_pg_ledger runs on the cluster and passes" "Tested: 3 | Passing: 3" \
    "$(grep -o 'Tested: [0-9]* | Passing: [0-9]*' "$TMP/crit" | tail -n 1)"
LITE=$TMP/lite.db
D="Test dialogue"

demo_pair
check_eq "both stores give the recommendations the same ids" "$rec $rec2" \
    "$("$RT" --db "$PG" search 'political prisoners' --sur Belarus --json | json .hits.0.id) $(
        "$RT" --db "$PG" search 'elections' --sur Belarus --json | json .hits.0.id)"

# The ledger, every write command, with good and bad input, into db; its log in log.
build() {
    db=$1
    log=$2
    : >"$log"
    w dialogue add "$D" --party "United States" --party Belarus
    w dialogue add "Second dialogue" --party Belarus --party OSCE --kind multilateral --json
    w round add "$D" --date 2015 --ordinal 1 --summary "First meeting."
    w round add "test DIALOGUE" --date 2015-12-16 --place "Washington, DC" --json
    w participant add "$D#2" --name "A Person" --party USA --organisation "Department of State"
    w participant add "1#2" --name "B Person" --party Belarus --title "Director"
    w topic add "$D#2" "Elections and standards" --theme Elections --rec "$rec"
    w topic add "$D#1" "Civil society" --json
    w ask add "$D#2" --from USA --to Belarus --theme Elections --rec "$rec2" "Free elections."
    w step add --actor Belarus --date 2015-08-22 --kind prisoner-release --quantity 6 \
        --welcomed-in "$D#2" --answers "$rec" "Six prisoners freed."
    w step add --actor USA --date 2015-10 --kind sanctions-eased --responds-to 1 \
        "Sanctions suspended." --json
    w step add --actor Belarus --date 2016-09-11 --kind election-held --negative \
        --answers ask:1 "An election short of the standards."
    w link topic:1 about "$rec2"
    w link step:3 responds-to step:2
    w commitment add "$D#2" --party USA --if "further steps" --then "steps in return"
    w commitment resolve 1 fulfilled --date 2016-01 --step 2 --note "Sanctions eased."
    w benchmark add "$D" "All political prisoners released" --tracks "$rec" --tracks step:1
    w assess ask:1 partially --date 2016-12-08 --assessor ODIHR --evidence "Some progress."
    w assess ask:1 not-started --date 2016-12-08 --replaces assessment:1 --evidence "None."
    w benchmark assess 1 partly-met --date 2015-08-22 --source "a note"
    w assess "$rec" partially --date 2015-08-22 --assessor "demo desk"
    # Bad input: each fails and writes nothing.
    w round add "No such dialogue" --date 2016
    w step add --actor USA --date 2016-13-45 --kind other "A bad date."
    w step add --actor Atlantis --date 2016 --kind other "No such party."
    w link step:1 responds-to step:2
    w link step:2 responds-to step:3
    w link step:2 responds-to step:2
    w link step:1 answers step:2
    w dialogue add "$D" --party USA --party Belarus
    w dialogue add "Third" --party USA --party USA
    w step add --actor USA --date 2017 --kind other --answers 999999 "Answers nothing."
    w topic add "$D#9" "No such round."
    w commitment resolve 1 lapsed --date 2016
    w commitment resolve 99 lapsed --date 2016
    w assess ask:1 partially --date 2016 --replaces assessment:3
    w benchmark assess 1 fully --date 2016
    w participant add "$D#2" --name "C Person" --party Nowhere
    # A good write after them takes the next ids.
    w step add --actor USA --date 2017-01 --kind statement "After the failures." --json
}

build "$LITE" "$TMP/log.lite"
build "$PG" "$TMP/log.pg"
diff "$TMP/log.lite" "$TMP/log.pg" >&2 || true
check "the writes print the same on both stores, failures included" \
    cmp "$TMP/log.lite" "$TMP/log.pg"
check_eq "twenty-two writes succeeded" 22 "$(grep -c '^exit 0$' "$TMP/log.pg")"
check_eq "fifteen failed, exit 1" 15 "$(grep -c '^exit 1$' "$TMP/log.pg")"
check "a round is named D#N" grep -q '^added round 1#1$' "$TMP/log.pg"
check "an unknown dialogue is said" grep -q "no dialogue 'No such dialogue'" "$TMP/log.pg"
check "a bad date is said" grep -q "date.*2016-13-45" "$TMP/log.pg"
check "a link back in time is refused" grep -q "which came later" "$TMP/log.pg"
check "a step cannot respond to itself" grep -q "cannot respond to itself" "$TMP/log.pg"
check "a dialogue's name is taken once" grep -q "a dialogue called '$D' exists" "$TMP/log.pg"
check "a step whose link fails is not written" grep -q "no recommendation with id 999999" \
    "$TMP/log.pg"

# export --json: the same rows on both, but for when they were written (created_at).
same() { jq -S 'walk(if type == "object" then del(.created_at) else . end)' "$1"; }
"$RT" --db "$LITE" export --json >"$TMP/exp.lite"
"$RT" --db "$PG" export --json >"$TMP/exp.pg"
same "$TMP/exp.lite" >"$TMP/exp.lite.n"
same "$TMP/exp.pg" >"$TMP/exp.pg.n"
diff "$TMP/exp.lite.n" "$TMP/exp.pg.n" >&2 || true
check "export --json of both is the same, created_at aside" cmp "$TMP/exp.lite.n" "$TMP/exp.pg.n"
check_eq "PostgreSQL holds the ledger and nothing of the failures" "2 2 4 0 2" \
    "$(pg_psql -c "SELECT (SELECT count(*) FROM dialogue) || ' ' || (SELECT count(*) FROM round)
        || ' ' || (SELECT count(*) FROM step) || ' ' || (SELECT count(*) FROM step
        WHERE text = 'Answers nothing.') || ' ' || (SELECT count(*) FROM assessment
        WHERE target_kind = 'ask')")"
check_eq "the export's created_at are times" yes "$(jq -r '[.tables.step[].created_at |
    test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$")] | all | if . then "yes" else "no" end' \
    "$TMP/exp.pg")"
# The audit log notes the same writes on both stores, and seals them (rt__pg_end).
audit_counts="SELECT tbl || ' ' || op || ' ' || count(*) FROM audit_log GROUP BY tbl, op
    ORDER BY tbl, op"
check_eq "the audit log notes the same writes on both stores" \
    "$(sqlite3 "$LITE" "$audit_counts")" "$(pg_psql -c "$audit_counts COLLATE \"C\"")"
check_eq "with the four steps" "step insert 4" "$(pg_psql -c "$audit_counts" | grep '^step ')"
check_eq "every entry sealed" 0 "$(pg_psql -c 'SELECT count(*) FROM audit_log WHERE hash IS NULL')"
check "every write raised the data version" test \
    "$(pg_psql -c "SELECT value FROM meta WHERE key = 'data_version'")" -ge 23

# Persons are written once for both stores too (src/store/person.c; t9182 compares them).
check "person add works" "$RT" --db "$PG" person add "Some One" --state Belarus
check_eq "and writes one person, private" "1 1" \
    "$(pg_psql -c "SELECT count(*) FROM person") $(pg_psql -c "SELECT count(*) FROM private_record WHERE kind = 'person'")"
# Private records (src/store/private.c): the same marks on both stores, written with a
# step and by the private command, bad references failing alike; then what the public
# reads (--as public) the same on both, and without the private records.
private_writes() {
    db=$1
    log=$2
    : >"$log"
    w step add --actor USA --date 2018 --kind other --private "A private step."
    w private participant:2 --json
    w private step:2
    w private --public step:2
    w private step:5 step:99
    w private dialogue:1
    w --as public private step:1
    w --as public step add --actor USA --date 2018 --kind other "By the public."
    w --as public step list --json
    w --as public round show 1#2 --json
    w --as public reciprocity 1 --json
    w --as public export --json
    w --as viewer stats
    w step list --json
}
private_writes "$LITE" "$TMP/priv.lite"
private_writes "$PG" "$TMP/priv.pg"
sed 's/"created_at": "[^"]*"/"created_at": ""/' "$TMP/priv.lite" >"$TMP/priv.lite.n"
sed 's/"created_at": "[^"]*"/"created_at": ""/' "$TMP/priv.pg" >"$TMP/priv.pg.n"
diff "$TMP/priv.lite.n" "$TMP/priv.pg.n" >&2 || true
check "private records: the same output on both stores, --as public included" \
    cmp "$TMP/priv.lite.n" "$TMP/priv.pg.n"
check_eq "four of the fourteen commands fail" 4 "$(grep -c '^exit 1$' "$TMP/priv.pg")"
check_eq "the marks are stored" "participant 2|person 1|step 5" \
    "$(pg_psql -c "SELECT string_agg(kind || ' ' || id, '|' ORDER BY kind, id) FROM private_record")"
check "the public cannot mark" grep -q "reads for the public and cannot mark" "$TMP/priv.pg"
"$RT" --db "$PG" --as public step list >"$TMP/pub"
"$RT" --db "$PG" step list >"$TMP/all"
check "everybody reads the private step" grep -q 'A private step' "$TMP/all"
check "the public does not" sh -c "! grep -q 'A private step' '$TMP/pub'"
check "but reads the others" grep -q 'Six prisoners freed' "$TMP/pub"
check_eq "and the public wrote no step" 5 "$(pg_psql -c 'SELECT count(*) FROM step')"

# Writers in parallel on one database: every step written once, none lost. Each
# commit raises the data version, so the writers clash, and the clashes are run again.
pg_psql -c 'CREATE DATABASE many' >/dev/null
MANY="postgresql:///many?host=$PG_DIR"
"$RT" --db "$MANY" import "$ROOT/data/demo/recommendations.csv" >/dev/null
"$RT" --db "$MANY" dialogue add "Many" --party USA --party Belarus >/dev/null
writer() {
    i=0
    while [ $i -lt 50 ]; do
        "$RT" --db "$MANY" step add --actor USA --date 2016 --kind other "writer $1 step $i" \
            >/dev/null 2>>"$TMP/many.err" || echo "writer $1 step $i failed" >>"$TMP/many.err"
        i=$((i + 1))
    done
}
: >"$TMP/many.err"
pids=
for k in 1 2 3 4 5 6 7 8; do
    writer $k &
    pids="$pids $!"
done
for p in $pids; do wait "$p"; done
check_eq "eight writers in parallel: no error" "" "$(cat "$TMP/many.err")"
check_eq "400 steps" 400 "$(pg_psql -d many -c 'SELECT count(*) FROM step')"
check_eq "each once" 400 "$(pg_psql -d many -c 'SELECT count(DISTINCT text) FROM step')"
check_eq "with ids 1 to 400 or more, none twice" 400 \
    "$(pg_psql -d many -c 'SELECT count(DISTINCT id) FROM step')"
check_eq "the data version counts every write (and the import)" 402 \
    "$(pg_psql -d many -c "SELECT value FROM meta WHERE key = 'data_version'")"
check_eq "export --json holds them all" 400 \
    "$("$RT" --db "$MANY" export --json | jq '.tables.step | length')"
check_eq "each step in the audit log, every entry sealed" "400|0" \
    "$(pg_psql -d many -c "SELECT count(*) FILTER (WHERE tbl = 'step'),
        count(*) FILTER (WHERE hash IS NULL) FROM audit_log")"
check_eq "each by its writer, named as SQLite names it" 400 \
    "$(pg_psql -d many -c "SELECT count(*) FROM audit_log WHERE tbl = 'step' AND via = 'step add'")"
check "the log copied into SQLite" "$RT" copy --from "$MANY" --to "sqlite:$TMP/many.db"
check "is one chain there, every hash its entry's (audit verify)" \
    "$RT" --db "$TMP/many.db" audit verify

# A transaction aborted for a clash (SQLSTATE 40001) is run again, five times at most:
# a trigger made to fail the first inserts, counted by a sequence (never rolled back).
flaky() {
    pg_psql -d many -c "CREATE OR REPLACE FUNCTION flaky() RETURNS trigger LANGUAGE plpgsql AS
        \$\$ BEGIN IF nextval('flaky') <= $1 THEN
        RAISE EXCEPTION 'made to clash' USING ERRCODE = '40001'; END IF; RETURN NEW; END \$\$"
}
pg_psql -d many -c 'CREATE SEQUENCE flaky' >/dev/null
flaky 2
pg_psql -d many -c 'CREATE TRIGGER flaky BEFORE INSERT ON step FOR EACH ROW
    EXECUTE FUNCTION flaky()' >/dev/null
check_eq "a write aborted twice for a clash is run again, and stored once" "added step 401" \
    "$("$RT" --db "$MANY" step add --actor USA --date 2016 --kind other "Clashed twice." 2>&1)"
check_eq "the trigger was met three times" 3 "$(pg_psql -d many -c 'SELECT last_value FROM flaky')"
flaky 1000
check_fails "a write that clashes every time gives up" 1 \
    "$RT" --db "$MANY" step add --actor USA --date 2016 --kind other "Clashed always."
cp "$TMP/err" "$TMP/msg"
check "saying so" grep -q "gave up after 5 tries: .*made to clash" "$TMP/msg"
check_eq "after five tries" 8 "$(pg_psql -d many -c 'SELECT last_value FROM flaky')"
check_eq "and storing nothing" 401 "$(pg_psql -d many -c 'SELECT count(*) FROM step')"

done_testing
