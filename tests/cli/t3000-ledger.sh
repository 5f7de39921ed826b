#!/bin/sh
# The dialogue ledger from the command line: the second round (16 December 2015) of
# the US-Belarus Working Group for Democracy and Human Rights, built command by
# command, then read back through since, timeline, reciprocity and status.
. "$(dirname "$0")/../lib/test-lib.sh"

DB=$(new_db l)
# init makes the schema on either store (on PostgreSQL its own numbering), and again
# changes nothing.
check "init makes the database" "$RT" --db "$DB" init
grep -q ": schema version [0-9][0-9]*$" "$TMP/out" || fail "init names the schema version" "$(cat "$TMP/out")"
check_eq "init again says the same" "$(cat "$TMP/out")" "$("$RT" --db "$DB" init)"
"$RT" --db "$DB" import "$ROOT/data/demo/recommendations.csv" >/dev/null
r() { "$RT" --db "$DB" "$@"; }
id() { r "$@" --json | json .id; }
D="US-Belarus Working Group"

# The ids of demo recommendations, found by their words (they depend on import order).
rec_prisoners=$(r search 'political prisoners' --sur Belarus --json | json .hits.0.id)
rec_elections=$(r search 'elections OSCE' --sur Belarus --json | json .hits.0.id)
check_eq "the demo data has the recommendations we link to" yes \
    "$([ -n "$rec_prisoners" ] && [ -n "$rec_elections" ] && echo yes)"

# The dialogue and its rounds.
dlg=$(id dialogue add "$D" --party "United States" --party Belarus)
check_eq "dialogue add gives an id" 1 "$dlg"
check_eq "parties are stored as codes" '["USA", "BLR"]' "$(r dialogue show "$D" --json | json .parties)"
r1=$(id round add "$D" --date 2015 --summary "First meeting of the working group")
r2=$(id round add "$D" --date 2015-12-16 --place "Washington, DC" \
    --source "data/readouts/us-belarus-wg-2015-12-16.txt" \
    --summary "Second meeting: elections, fundamental freedoms, civil society, rule of law, UPR")
check_eq "rounds are numbered in order" "1 2" "$(r dialogue show 1 --json | json .rounds.0.ordinal) $(r dialogue show 1 --json | json .rounds.1.ordinal)"
check_eq "round 2 found by DIALOGUE#2" "$r2" "$(r round show "$D#2" --json | json .id)"
check_eq "round date precision" "year day" \
    "$(r round show "$r1" --json | json .date_precision) $(r round show "$r2" --json | json .date_precision)"

# The delegations.
R="$D#2"
r participant add "$R" --name "Bridget Brink" --party USA --organisation "Department of State" \
    --title "Deputy Assistant Secretary, European and Eurasian Affairs" >/dev/null &&
r participant add "$R" --name "Robert Berschinski" --party USA --organisation "Department of State" \
    --title "Deputy Assistant Secretary, Democracy, Human Rights and Labor" >/dev/null &&
r participant add "$R" --name "Jonathan Katz" --party USA --organisation USAID \
    --title "Deputy Assistant Administrator, Europe and Eurasia" >/dev/null &&
r participant add "$R" --name "Oleg Kravchenko" --party Belarus \
    --organisation "Ministry of Foreign Affairs" --title "Director for the Americas" >/dev/null &&
r participant add "$R" --name "Pavel Shidlovsky" --party BLR --organisation "Embassy of Belarus" \
    --title "Chargé d'Affaires" >/dev/null
check_eq "five participants added" 0 $?

# Topics.
for t in "Freedom of expression" "Freedom of peaceful assembly" "Freedom of association" \
    "Civil society and independent media" "Rule of law" "Results of the second UPR cycle"; do
    r topic add "$R" "$t" >/dev/null || fail "topic add $t"
done
tp=$(id topic add "$R" "Parliamentary elections of 2016 to international standards" \
    --theme Elections --rec "$rec_elections")

# Steps: the August release, welcomed in the round; the October sanctions relief.
s1=$(id step add --actor Belarus --date 2015-08 --kind prisoner-release --quantity 6 \
    --source "data/belarus/events/2015-08-22-freedomhouse-six-released.txt" \
    --welcomed-in "$R" --answers "$rec_prisoners" "Belarus released six political prisoners")
s2=$(id step add --actor USA --date 2015-10 --kind sanctions-eased --responds-to "$s1" \
    "The US suspended sanctions on nine Belarusian companies")
check_eq "steps get ids" "1 2" "$s1 $s2"

# Asks and the conditional commitment.
a1=$(id ask add "$R" --from USA --to Belarus --theme "Democracy and human rights" \
    "Take further positive steps on democracy and human rights")
a2=$(id ask add "$R" --from USA --to Belarus --theme Elections --rec "$rec_elections" \
    "Hold the 2016 parliamentary elections in line with OSCE/ODIHR standards")
c1=$(id commitment add "$R" --party USA \
    --if "Belarus takes further positive steps on democracy and human rights" \
    --then "Further US steps in response, toward normalised relations")
check_eq "asks and commitment get ids" "1 2 1" "$a1 $a2 $c1"

# round show, field by field.
r round show "$R" --json >"$TMP/round.json"
j() { json "$1" <"$TMP/round.json"; }
check_eq "round: place" "Washington, DC" "$(j .place)"
check_eq "round: date" "2015-12-16" "$(j .date)"
check_eq "round: ordinal" 2 "$(j .ordinal)"
check_eq "round: dialogue" "$D" "$(j .dialogue.name)"
check_eq "round: participants" 5 "$(j .participants | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')"
check_eq "round: participant party" "BLR" "$(j .participants.3.party)"
check_eq "round: topics" 7 "$(j .topics | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')"
check_eq "round: topic about a recommendation" "[$rec_elections]" "$(j .topics.6.recommendations)"
check_eq "round: welcomed step" "$s1" "$(j .welcomed_steps.0.id)"
check_eq "round: welcomed step quantity" 6 "$(j .welcomed_steps.0.quantity)"
check_eq "round: welcomed step answered by the US step" "[$s2]" "$(j .welcomed_steps.0.responded_by)"
check_eq "round: welcomed step answers a recommendation" "[\"recommendation:$rec_prisoners\"]" \
    "$(j .welcomed_steps.0.answers)"
check_eq "round: ask from and to" "USA BLR" "$(j .asks.1.from) $(j .asks.1.to)"
check_eq "round: ask about a recommendation" "[$rec_elections]" "$(j .asks.1.recommendations)"
check_eq "round: commitment open on the round's date" "open 2015-12-16" \
    "$(j .commitments.0.status.status) $(j .commitments.0.status.as_of)"
check_eq "round: commitment condition" "Belarus takes further positive steps on democracy and human rights" \
    "$(j .commitments.0.condition)"
r round show "$R" >"$TMP/round.txt"
for w in "Washington, DC" "Bridget Brink" "Oleg Kravchenko" "prisoner-release" "OSCE/ODIHR" \
    "if Belarus takes further"; do
    grep -q "$w" "$TMP/round.txt" || fail "round show text has '$w'"
done
check_eq "round show text lists sides" 2 "$(grep -cE '^  (USA|BLR)$' "$TMP/round.txt")"

# Later: the 2016 elections, an assessment of the ask and of a recommendation.
s3=$(id step add --actor Belarus --date 2016-09-11 --kind election-held \
    --answers "ask:$a2" "Parliamentary elections held")
as1=$(id assess "ask:$a2" partially --date 2016-12-08 --assessor ODIHR \
    --evidence "Observers found shortcomings; reform of the electoral law recommended")
as2=$(id assess "$rec_prisoners" in-progress --date 2015-08-22 --evidence "Six released")
check_eq "assessments get ids" "1 2" "$as1 $as2"

# since round 2.
r since "$R" --json >"$TMP/since.json"
j() { json "$1" <"$TMP/since.json"; }
check_eq "since: the round" "2 2015-12-16" "$(j .round.ordinal) $(j .round.date)"
check_eq "since: no US step after the round" "USA []" "$(j .steps.0.party) $(j .steps.0.steps)"
check_eq "since: Belarus's election after the round" "BLR $s3" "$(j .steps.1.party) $(j .steps.1.steps.0.id)"
check_eq "since: the election answers the ask" "[\"ask:$a2\"]" "$(j .steps.1.steps.0.answers)"
check_eq "since: both asks open" "$a1 $a2" "$(j .asks_open.0.id) $(j .asks_open.1.id)"
check_eq "since: the ask's assessment" "partially" "$(j .asks_open.1.assessment.status)"
check_eq "since: commitment open" "open" "$(j .commitments.0.status.status)"
check_eq "since: only the assessment after the round" "ask:$a2 partially" \
    "$(j .assessments.0.target) $(j .assessments.0.status)"
check_eq "since: one assessment" 1 "$(j .assessments | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')"
check_eq "since as of 2015-12-31 sees no election" "[]" "$(r since "$R" --as-of 2015-12-31 --json | json .steps.1.steps)"
check_eq "since as of 2015-12-31 sees no assessment" "[]" "$(r since "$R" --as-of 2015-12-31 --json | json .assessments)"
r since "$R" >"$TMP/since.txt"
grep -q "Steps by BLR" "$TMP/since.txt" && grep -q "Parliamentary elections held" "$TMP/since.txt" &&
    grep -q "Asks still open" "$TMP/since.txt" && grep -q "open since 2015-12-16" "$TMP/since.txt"
check_eq "since text reads" 0 $?

# timeline.
r timeline "$D" --json >"$TMP/tl.json"
j() { json "$1" <"$TMP/tl.json"; }
check_eq "timeline: in date order" "round step step round step" \
    "$(j .events.0.type) $(j .events.1.type) $(j .events.2.type) $(j .events.3.type) $(j .events.4.type)"
check_eq "timeline: dates" "2015 2015-08 2015-10 2015-12-16 2016-09-11" \
    "$(j .events.0.date) $(j .events.1.date) $(j .events.2.date) $(j .events.3.date) $(j .events.4.date)"
check_eq "timeline: the response says what it answers" "$s1 BLR" \
    "$(j .events.2.in_response_to.0.id) $(j .events.2.in_response_to.0.actor)"
check_eq "timeline as of 2015-12-31 stops at round 2" 4 \
    "$(r timeline "$D" --as-of 2015-12-31 --json | json .events | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')"
r timeline "$D" >"$TMP/tl.txt"
grep -q "in response to step $s1" "$TMP/tl.txt"
check_eq "timeline text shows the response" 0 $?

# reciprocity.
r reciprocity "$D" --json >"$TMP/rc.json"
j() { json "$1" <"$TMP/rc.json"; }
check_eq "reciprocity: parties" "USA BLR" "$(j .parties.0.party) $(j .parties.1.party)"
check_eq "reciprocity: counts" "1 2" "$(j .parties.0.positive) $(j .parties.1.positive)"
check_eq "reciprocity: US step answers Belarus's" "$s2 $s1 BLR" \
    "$(j .responses.0.step) $(j .responses.0.responds_to) $(j .responses.0.to_actor)"
r reciprocity "$D" | grep -q "answers step $s1 of BLR"
check_eq "reciprocity text says 'answers step N'" 0 $?

# status as of a date.
check_eq "status of the ask as of 2015-12-31" "unassessed []" \
    "$(r status "ask:$a2" --as-of 2015-12-31 --json | json .status) $(r status "ask:$a2" --as-of 2015-12-31 --json | json .history)"
check_eq "status of the ask as of 2016-12-31" "partially ODIHR" \
    "$(r status "ask:$a2" --as-of 2016-12-31 --json | json .status) $(r status "ask:$a2" --as-of 2016-12-31 --json | json .latest.assessor)"
check_eq "a bare number is a recommendation" "recommendation:$rec_prisoners in-progress" \
    "$(r status "$rec_prisoners" --json | json .target) $(r status "$rec_prisoners" --json | json .status)"
check_eq "status of the commitment" "open" "$(r status commitment:$c1 --json | json .status)"

# Benchmark and commitment resolution.
b1=$(id benchmark add "$D" "All political prisoners released" --tracks "$rec_prisoners" --tracks "step:$s1")
check_eq "benchmark tracks" "[\"recommendation:$rec_prisoners\", \"step:$s1\"]" \
    "$(r dialogue show "$D" --json | json .benchmarks.0.tracks)"
r benchmark assess "$b1" partly-met --date 2015-08-22 --evidence "Six released, others remain" >/dev/null
check_eq "benchmark assessed" "partly-met" "$(r status "benchmark:$b1" --json | json .status)"
check "commitment resolve" r commitment resolve "$c1" fulfilled --step "$s2" --date 2016-02 \
    --note "US eased further sanctions"
check_eq "commitment fulfilled as of 2016-03" "fulfilled $s2" \
    "$(r status commitment:$c1 --as-of 2016-03 --json | json .status) $(r status commitment:$c1 --as-of 2016-03 --json | json .step)"
check_eq "commitment still open as of 2016-01" "open" \
    "$(r status commitment:$c1 --as-of 2016-01 --json | json .status)"

# Bad input: a clear error, exit 1 (2 for usage), and nothing written.
len() { python3 -c 'import json,sys; print(len(json.load(sys.stdin)))'; }
nsteps() { r step list --json | len; }
nrounds() { r dialogue show "$D" --json | json .rounds | len; }
before="$(nsteps) $(nrounds)"
check_fails "unknown dialogue" 1 r round add "No such dialogue" --date 2016
grep -q "no dialogue 'No such dialogue'" "$TMP/err" || fail "unknown dialogue message" "$(cat "$TMP/err")"
check_fails "unknown round" 1 r participant add 99 --name X
check_fails "unknown round by ordinal" 1 r ask add "$D#9" --from USA --to BLR "x"
check_fails "bad date 2015-13-01" 1 r round add "$D" --date 2015-13-01
grep -q "2015-13-01" "$TMP/err" || fail "bad date message names it"
check_fails "bad date on a step" 1 r step add --actor BLR --date 2015-02-30 --kind pardon "x"
check_fails "unknown step kind" 1 r step add --actor BLR --date 2016 --kind miracle "x"
grep -q "kind" "$TMP/err" || fail "unknown kind message names the field"
check_fails "unknown party" 1 r step add --actor Atlantis --date 2016 --kind pardon "x"
grep -q "Atlantis" "$TMP/err" || fail "unknown party message names it"
check_fails "unknown party in a dialogue" 1 r dialogue add "Other" --party USA --party Atlantis
check_fails "a step answering an unknown ask writes no step" 1 \
    r step add --actor BLR --date 2016 --kind pardon --answers ask:99 "x"
check_fails "a step responding to a later step writes no step" 1 \
    r step add --actor USA --date 2015-01 --kind statement --responds-to "$s1" "x"
check_fails "a step responding to an unknown step" 1 r link step:$s2 responds-to step:99
check_fails "a step responding to itself" 1 r link step:$s2 responds-to step:$s2
grep -q "itself" "$TMP/err" || fail "self-response message"
check_fails "unknown round to welcome in" 1 \
    r step add --actor BLR --date 2016 --kind pardon --welcomed-in "$D#7" "x"
check_fails "a commitment resolved twice" 1 r commitment resolve "$c1" lapsed --date 2016-06
grep -q "resolved already" "$TMP/err" || fail "resolved-twice message"
check_fails "unknown commitment" 1 r commitment resolve 99 lapsed --date 2016-06
check_fails "assess an unknown recommendation" 1 r assess 999999 fully --date 2016
check_fails "assess with a benchmark status" 1 r assess "ask:$a1" met --date 2016
check_fails "status of an unknown ask" 1 r status ask:99
check_fails "since an unknown round" 1 r since 99
check_fails "as-of that is not a date" 1 r timeline "$D" --as-of 2015-13-01
check_eq "nothing was written by the failures" "$before" "$(nsteps) $(nrounds)"

# A cycle of responses: two steps of one date.
s4=$(id step add --actor BLR --date 2016-01-05 --kind statement "A")
s5=$(id step add --actor USA --date 2016-01-05 --kind statement --responds-to "$s4" "B")
check_fails "a cycle of responses" 1 r link "step:$s4" responds-to "step:$s5"
grep -q "circle" "$TMP/err" || fail "cycle message" "$(cat "$TMP/err")"
check "linking twice is fine" r link "step:$s5" responds-to "$s4"

# Usage errors.
check_fails "no subcommand" 2 r dialogue
check_fails "unknown subcommand" 2 r round frob
check_fails "unknown option" 2 r step add --frob
grep -q "unknown option '--frob'" "$TMP/err" || fail "unknown option is named"
check_fails "round add without --date" 2 r round add "$D"
check_fails "step add without --kind" 2 r step add --actor BLR --date 2016 "x"
check_fails "a bad quantity" 2 r step add --actor BLR --date 2016 --kind pardon --quantity -3 "x"
check_fails "resolve to a bad status" 2 r commitment resolve 1 maybe --date 2016
check_fails "assess a bad reference" 2 r assess rec:x fully --date 2016
check_fails "link needs three arguments" 2 r link step:1 answers
for c in dialogue round participant topic ask step commitment benchmark assess link status \
    since timeline reciprocity; do
    r "$c" --help >"$TMP/h" 2>&1
    check_eq "$c --help" "0 usage: rightstrack" "$? $(head -c 18 "$TMP/h")"
done
done_testing
