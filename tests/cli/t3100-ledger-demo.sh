#!/bin/sh
# The demo script data/demo/us-belarus.sh records the US-Belarus dialogue of 2015-2016
# on the demo recommendations; the tour relies on what it writes.
. "$(dirname "$0")/../lib/test-lib.sh"

DB=$(new_db demo)
"$RT" --db "$DB" init >/dev/null
"$RT" --db "$DB" import "$ROOT/data/demo/recommendations.csv" >/dev/null
check "the demo script runs" sh "$ROOT/data/demo/us-belarus.sh" "$RT" --db "$DB"
if [ "$RT_TEST_STORE" = postgresql ]; then
    # The same on SQLite, for the reads below to answer to the byte as there.
    "$RT" --db "$TMP/demo.db" import "$ROOT/data/demo/recommendations.csv" >/dev/null
    check "the demo script runs on SQLite too" sh "$ROOT/data/demo/us-belarus.sh" "$RT" \
        --db "$TMP/demo.db"
fi
check_fails "the demo script wants --db" 2 sh "$ROOT/data/demo/us-belarus.sh" "$RT"
r() { "$RT" --db "$DB" "$@"; }
len() { python3 -c 'import json,sys; print(len(json.load(sys.stdin)))'; }
WG="US-Belarus Working Group for Democracy and Human Rights"

check_eq "two rounds" 2 "$(r dialogue show "$WG" --json | json .rounds | len)"
check_eq "five participants in round 2" 5 "$(r round show "$WG#2" --json | json .participants | len)"
check_eq "the release is welcomed in round 2" "prisoner-release 6 2015-08-22" \
    "$(r round show "$WG#2" --json | json .welcomed_steps.0.kind) $(r round show "$WG#2" --json | json .welcomed_steps.0.quantity) $(r round show "$WG#2" --json | json .welcomed_steps.0.date)"
check_eq "the sanctions relief answers the release" "USA 2015-10 1" \
    "$(r reciprocity "$WG" --json | json .responses.0.actor) $(r reciprocity "$WG" --json | json .responses.0.date) $(r reciprocity "$WG" --json | json .responses.0.responds_to)"
check_eq "the 2016 elections are a step of Belarus after round 2" "election-held 2016-09-11" \
    "$(r since "$WG#2" --json | json .steps.1.steps.0.kind) $(r since "$WG#2" --json | json .steps.1.steps.0.date)"
check_eq "the elections ask as of mid-2016 and as of 2017" "unassessed partially" \
    "$(r status ask:2 --as-of 2016-06-30 --json | json .status) $(r status ask:2 --as-of 2017 --json | json .status)"
check_eq "the release freed six persons, all named" "6 6 0" \
    "$(r person step 1 --json | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["quantity"], d["named"], d["unnamed"])')"
check_eq "the benchmark is partly met" "partly-met" \
    "$(r dialogue show "$WG" --json | json .benchmarks.0.assessment.status)"
check_eq "the commitment is open" "open" "$(r status commitment:1 --json | json .status)"
pp=$(r search 'political prisoners' --sur Belarus --json | json .hits.0.id)
check_eq "a UPR recommendation on political prisoners is assessed" "partially" \
    "$(r status "$pp" --json | json .status)"
check_eq "three recommendations assessed, one of them after 2016" "2 3" \
    "$(for d in 2016-12-31 2024; do
        n=0; for q in 'political prisoners' 'elections OSCE' '"death penalty" OR executions'; do
            i=$(r search "$q" --sur Belarus --json | json .hits.0.id)
            [ "$(r status "$i" --as-of $d --json | json .status)" != unassessed ] && n=$((n + 1))
        done; printf '%s ' $n; done | sed 's/ $//')"
texts() {
    name=$1; shift
    r "$@" >"$TMP/o" 2>"$TMP/e"
    check_eq "$name prints text" "0 yes" "$? $([ -s "$TMP/o" ] && echo yes)"
}
texts "dialogue show" dialogue show "$WG"
texts "round show" round show "$WG#2"
texts since since "$WG#2"
texts timeline timeline "$WG"
texts reciprocity reciprocity "$WG"
grep -q "answers step 1 of BLR" "$TMP/o"
check_eq "reciprocity text says what answered what" 0 $?
# The text names the parties as the web pages do; --json keeps their codes.
check_eq "the dialogue's head names the parties" 1 \
    "$(grep -c "between United States and Belarus$" "$TMP/o")"
texts "round show" round show "$WG#2"
check_eq "so does a round's" 1 "$(grep -c "^  Parties  United States and Belarus$" "$TMP/o")"
check_eq "and dialogue list" 1 "$(r dialogue list | grep -c "between United States and Belarus$")"
check_eq "the JSON keeps the codes" '["USA", "BLR"]' "$(r dialogue show "$WG" --json | json .parties)"

# On PostgreSQL: each read answers to the byte as it does on the SQLite database the
# demo ran on.
if [ "$RT_TEST_STORE" = postgresql ]; then
    same() {
        name=$1; shift
        check_eq "$name: the same as on SQLite" "$("$RT" --db "$TMP/demo.db" "$@" 2>&1; echo "exit $?")" \
            "$(r "$@" 2>&1; echo "exit $?")"
    }
    for j in "" --json; do
        same "dialogue list $j" dialogue list $j
        same "dialogue show $j" dialogue show "$WG" $j
        same "round show 1 $j" round show "$WG#1" $j
        same "round show 2 $j" round show "$WG#2" $j
        same "since $j" since "$WG#2" $j
        same "since --as-of $j" since "$WG#2" --as-of 2016-06 $j
        same "timeline $j" timeline "$WG" $j
        same "reciprocity $j" reciprocity "$WG" $j
        same "step list $j" step list $j
        same "status commitment:1 $j" status commitment:1 $j
        same "status benchmark:1 $j" status benchmark:1 $j
        same "status rec:$pp $j" status "rec:$pp" $j
        same "status ask:1 $j" status ask:1 $j
        same "status ask:2 --as-of $j" status ask:2 --as-of 2016-06-30 $j
        same "person list $j" person list $j
        same "person show $j" person show Statkevich $j
        same "person count --as-of $j" person count --as-of 2015-08-21 $j
        same "person step $j" person step 1 $j
    done
fi
done_testing
