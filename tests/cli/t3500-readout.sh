#!/bin/sh
# readout parse and readout import: usage, bad input, the scorer on the real
# readouts, and an import (dry run first) into a dialogue's ledger.
. "$(dirname "$0")/../lib/test-lib.sh"

check_fails "readout needs a subcommand" 2 "$RT" readout
check_fails "readout parse needs a file" 2 "$RT" readout parse
check_fails "readout import needs --dialogue" 2 "$RT" readout import x.txt
check "readout --help" "$RT" readout --help
check "readout parse --help" "$RT" readout parse --help

# Bad input: a clear message and exit 1, never a crash.
: >"$TMP/empty.txt"
check_fails "an empty file fails" 1 "$RT" readout parse "$TMP/empty.txt"
check_eq "the message says it is empty" 1 "$(grep -c 'empty' "$TMP/err")"
printf '\177ELF\000\001\002\377' >"$TMP/bin.txt"
check_fails "a binary file fails" 1 "$RT" readout parse "$TMP/bin.txt"
check_eq "the message says it is not text" 1 "$(grep -c 'not a text file' "$TMP/err")"
check_fails "a missing file fails" 1 "$RT" readout parse "$TMP/nope.txt"
# (a file over the limit, and 5 MB texts that parse: t3710-readout-big.sh)
printf 'Canada and Laos discussed prisons and the press.\n' >"$TMP/nodate.txt"
check "a text without a date is a partial draft" "$RT" readout parse --json "$TMP/nodate.txt"
check_eq "its notes say so" yes "$(json .notes <"$TMP/out" | grep -q 'no date' && echo yes)"
check_eq "and its date is null" None "$(json .date <"$TMP/out")"
printf 'Делегации Канады и Лаоса обсудили права человека.\n' >"$TMP/cyr.txt"
check "a text in another script is a partial draft" "$RT" readout parse --json "$TMP/cyr.txt"
check_eq "its notes name the script" yes "$(json .notes <"$TMP/out" | grep -q 'Latin script' && echo yes)"

# A readout written here, no database needed.
cat >"$TMP/r.txt" <<'TXT'
Canada-Laos Human Rights Dialogue
2019-03-12
https://example.org/canada-laos (2019-03-14)

The third Canada-Laos Human Rights Dialogue was held in Vientiane on 12 March 2019.
Canada's delegation was led by Ms Anna Kowalczyk, Director General, Human Rights Division.
Canada welcomed Laos' release of four political prisoners in November and urged Laos to ratify the Convention against Torture.
If Laos lifts the restrictions on NGOs, Canada will expand its cooperation programme.
TXT
"$RT" readout parse --json "$TMP/r.txt" >"$TMP/r.json"
check_eq "parse: round" 3 "$(json .round <"$TMP/r.json")"
check_eq "parse: place" Vientiane "$(json .place <"$TMP/r.json")"
check_eq "parse: participant" "Anna Kowalczyk" "$(json .participants.0.name <"$TMP/r.json")"
check_eq "parse: urged" "ratify the Convention against Torture" "$(json .urged.0.what <"$TMP/r.json")"
check_eq "parse: the ask's themes" yes \
    "$(json .urged.0.themes <"$TMP/r.json" | grep -q '"torture"' && echo yes)"
check_eq "parse: one topic_themes entry per topic" \
    "$(python3 -c 'import json,sys; print(len(json.load(sys.stdin)["topics"]))' <"$TMP/r.json")" \
    "$(python3 -c 'import json,sys; print(len(json.load(sys.stdin)["topic_themes"]))' <"$TMP/r.json")"
check "parse: text form" "$RT" readout parse "$TMP/r.txt"
check_eq "the text form shows the sentence" yes "$(grep -q 'from: "Canada welcomed' "$TMP/out" && echo yes)"

# Import into a dialogue: --dry-run writes nothing, then a real import.
DB=$(new_db l)
"$RT" --db "$DB" init >/dev/null
"$RT" --db "$DB" dialogue add "Canada-Laos Human Rights Dialogue" --party Canada --party Laos >/dev/null
check "import --dry-run" "$RT" --db "$DB" readout import "$TMP/r.txt" --dialogue 1 --dry-run
check_eq "dry run says so" 1 "$(grep -c 'dry run' "$TMP/out")"
check_eq "dry run wrote no round" 0 \
    "$("$RT" --db "$DB" dialogue show 1 --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["rounds"]))')"
"$RT" --db "$DB" readout import "$TMP/r.txt" --dialogue 1 --json >"$TMP/imp.json"
rid=$(json .round <"$TMP/imp.json")
check "import created a round that round show finds" "$RT" --db "$DB" round show "$rid"
"$RT" --db "$DB" round show "$rid" --json >"$TMP/round.json"
check_eq "the round's number" 3 "$(json .ordinal <"$TMP/round.json")"
check_eq "the round's date" 2019-03-12 "$(json .date <"$TMP/round.json")"
check_eq "a participant" "Anna Kowalczyk" "$(json .participants.0.name <"$TMP/round.json")"
check_eq "an ask to Laos" LAO "$(json .asks.0.to <"$TMP/round.json")"
check_eq "a welcomed step, a prisoner release of 4" "prisoner-release 4 2018-11" \
    "$(json .welcomed_steps.0.kind <"$TMP/round.json") $(json .welcomed_steps.0.quantity <"$TMP/round.json") $(json .welcomed_steps.0.date <"$TMP/round.json")"
check_eq "a commitment by Canada" CAN "$(json .commitments.0.party <"$TMP/round.json")"
check_eq "the ask is tagged with its themes" yes \
    "$(json .asks.0.areas <"$TMP/round.json" | grep -q '"torture"' && echo yes)"
check_eq "the round links to recommendations to Laos" '["LAO"]' \
    "$(json .linked_recommendations.states <"$TMP/round.json" | tr -d ' \n')"
check "round show prints the linked recommendations" "$RT" --db "$DB" round show "$rid"
check_eq "as a count" 1 "$(grep -c '^Linked recommendations: 0 to LAO' "$TMP/out")"
check_fails "importing round 3 again fails and writes nothing" 1 \
    "$RT" --db "$DB" readout import "$TMP/r.txt" --dialogue 1
check_eq "still one round" 1 \
    "$("$RT" --db "$DB" dialogue show 1 --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["rounds"]))')"
check_fails "an unknown dialogue fails" 1 "$RT" --db "$DB" readout import "$TMP/r.txt" --dialogue 9
check_fails "a readout without a date does not import" 1 \
    "$RT" --db "$DB" readout import "$TMP/nodate.txt" --dialogue 1
check_eq "the message names the date" 1 "$(grep -c "field 'date'" "$TMP/err")"

# The real readouts: every one parses, and the scorer's overall F1 stays above a floor.
need_data
R="$DATA/readouts"
mkdir -p "$TMP/pred"
for f in "$R"/*.txt; do
    "$RT" readout parse --json "$f" >"$TMP/pred/$(basename "$f" .txt).json" ||
        fail "parse $(basename "$f")"
done
SCORER="$ROOT/../shared/tools/readout_score.py"
[ -f "$SCORER" ] || SCORER=/work/shared/tools/readout_score.py
python3 "$SCORER" "$R" "$TMP/pred" >"$TMP/score"
f1=$(sed -n 's/^overall F1 //p' "$TMP/score")
check_eq "overall F1 $f1 is at least 0.90" yes "$(python3 -c "print('yes' if $f1 >= 0.90 else 'no')")"
pf1=$(sed -n 's/^participants .*F1 \([0-9.]*\).*/\1/p' "$TMP/score")
check_eq "participants F1 $pf1 is at least 0.93" yes "$(python3 -c "print('yes' if $pf1 >= 0.93 else 'no')")"
tf1=$(sed -n 's/^topics .*F1 \([0-9.]*\).*/\1/p' "$TMP/score")
check_eq "topics F1 $tf1 is at least 0.60" yes "$(python3 -c "print('yes' if $tf1 >= 0.60 else 'no')")"
"$RT" --db "$DB" dialogue add "US-Belarus WG" --party USA --party Belarus >/dev/null
check "the seed readout imports" "$RT" --db "$DB" readout import "$R/us-belarus-wg-2015-12-16.txt" --dialogue "US-Belarus WG"
done_testing
