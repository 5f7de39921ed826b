#!/bin/sh
# Corrections and withdrawals from the command line (issue 13, point 3): `edit` changes
# only the fields given, checked as `add` checks them; `withdraw` keeps the record but
# takes it out of the views as of its date (out of all of them without a date); an
# assessment is corrected by a new one that replaces it; `history` shows each change,
# field by field, with the command that made it. On the demo dialogue (data/demo).
. "$(dirname "$0")/../lib/test-lib.sh"

DB=$(new_db e)
D="US-Belarus Working Group for Democracy and Human Rights"
r() { "$RT" --db "$DB" "$@"; }

demo_ledger "$DB"
check_eq "the demo dialogue is recorded" 0 $?

# edit: only the fields given; the record as it stands after, in JSON.
r edit step:3 --text "Elections to the House of Representatives" --json >"$TMP/e.json"
check_eq "edit exits 0" 0 $?
check_eq "edit --json prints the corrected record" "step:3 Elections to the House of Representatives" \
    "$(json .ref <"$TMP/e.json") $(json .fields.text <"$TMP/e.json")"
check_eq "the fields not given are kept" "2016-09-11 election-held BLR" \
    "$(json .fields.date <"$TMP/e.json") $(json .fields.kind <"$TMP/e.json") $(json .fields.actor <"$TMP/e.json")"
check_eq "step list shows the correction" "Elections to the House of Representatives" \
    "$(r step list --json | json .2.text)"
r edit "$D#2" --place "Washington" >"$TMP/out"
check_eq "a round is edited by its name in the dialogue" "corrected round 1#2" "$(cat "$TMP/out")"
check_eq "round show has the new place" Washington "$(r round show "$D#2" --json | json .place)"

# The same checks as add, each naming the option.
check_fails "a bad date is refused" 1 r edit step:3 --date 2016-13-01
grep -q "date" "$TMP/err"
check_eq "and the error names --date" 0 $?
check_fails "an unknown party is refused" 1 r edit step:3 --actor Narnia
grep -q "actor" "$TMP/err"
check_eq "and the error names --actor" 0 $?
check_fails "a required field cannot be cleared" 1 r edit step:3 --text ""
check_fails "a kind of step not in the list" 1 r edit step:3 --kind miracle
check_fails "edit needs a field" 2 r edit step:3
check_fails "edit of a record that is not there" 1 r edit step:99 --text x
check_fails "assessments are not edited" 2 r edit assessment:1 --status fully
check_eq "nothing refused was written" "2016-09-11" "$(r step list --json | json .2.date)"

# A list given is the new list: the release answers nothing more.
r edit step:1 --answers ask:2 >/dev/null
check_eq "a list given replaces the links" '["ask:2"]' \
    "$(r step list --json | json .0.answers | tr -d ' \n')"

# withdraw, as of a date: gone from the views from then on, there before.
check_fails "withdraw needs a reason" 2 r withdraw step:2
r withdraw step:2 --reason "The suspension was of another programme" --date 2016-01 \
    --json >"$TMP/w.json"
check_eq "withdraw --json gives the reason and the date" \
    "The suspension was of another programme 2016-01" \
    "$(json .withdrawn <"$TMP/w.json") $(json .withdrawn_on <"$TMP/w.json")"
check_eq "the timeline before the withdrawal has the step" 1 \
    "$(r timeline "$D" --as-of 2015-12-31 --json | grep -c '"text": "US Treasury')"
check_eq "the timeline after it has not" 0 \
    "$(r timeline "$D" --as-of 2016-12-31 --json | grep -c '"text": "US Treasury')"
check_eq "nor reciprocity as of now" "[]" \
    "$(r reciprocity "$D" --json | json .responses | tr -d ' \n')"
check_eq "nor step list" 2 "$(r step list --json | grep -c '"actor"')"
check_eq "the briefing as of 2016-12-31 leaves it out" 0 \
    "$(r report brief --dialogue "$D" --as-of 2016-12-31 --format json 2>/dev/null | grep -c 'US Treasury')"
r export --out "$TMP/x.json"
check_eq "the export keeps the withdrawn step, with its reason" \
    "The suspension was of another programme" \
    "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print([s for s in d["tables"]["step"] if s["id"]==2][0]["withdrawn"])' "$TMP/x.json")"

# Without a date it was a mistake: out of every view, whatever the date.
check_eq "the dialogue has two rounds" 2 "$(r dialogue show "$D" --json | grep -c '"ordinal"')"
r withdraw "$D#1" --reason "Entered twice" >"$TMP/out"
check_eq "a round is withdrawn by its name" "withdrew round 1#1" "$(cat "$TMP/out")"
check_eq "a round withdrawn without a date leaves the dialogue" 1 \
    "$(r dialogue show "$D" --json | grep -c '"ordinal"')"

# A link, by its three words.
r withdraw step:3 answers ask:2 --reason "Not an answer" >/dev/null
check_eq "a withdrawn link leaves the step" "[]" "$(r step list --json | json .1.answers | tr -d ' \n')"

# An assessment corrected by a new one.
A=$(r status ask:2 --json | json .history.0.id)
r assess ask:2 in-progress --date 2016-12-08 --assessor ODIHR --replaces "assessment:$A" \
    --json >/dev/null
check_eq "the correction stands for the ask" in-progress "$(r status ask:2 --json | json .status)"
check_eq "and the replaced one leaves its history of statuses" "1 in-progress $A" \
    "$(r status ask:2 --json | python3 -c 'import json,sys; h=json.load(sys.stdin)["history"]; print(len(h), h[0]["status"], h[0]["replaces"])')"
check_fails "only an assessment of the same record is replaced" 1 \
    r assess ask:1 fully --date 2017 --replaces "assessment:$A"

# history: what changed, field by field, by which command.
r history step:2 >"$TMP/h.txt"
check_eq "history names the withdraw command" 1 "$(grep -c '(withdraw step:2)  update step:2' "$TMP/h.txt")"
check_eq "and the reason, old -> new" 1 \
    "$(grep -c 'withdrawn: (none) -> The suspension was of another programme' "$TMP/h.txt")"
check_eq "and the date" 1 "$(grep -c 'withdrawn_on: (none) -> 2016-01' "$TMP/h.txt")"
r history step:3 --json >"$TMP/h.json"
check_eq "history --json of an edit: the fields that changed" '["text"]' \
    "$(python3 -c 'import json,sys; print(json.dumps([e["changed"] for e in json.load(open(sys.argv[1])) if e["op"]=="update" and e["table"]=="step"][0]).replace(" ",""))' "$TMP/h.json")"
check_eq "and the command" "edit step:3" \
    "$(python3 -c 'import json,sys; print([e["via"] for e in json.load(open(sys.argv[1])) if e["op"]=="update" and e["table"]=="step"][0])' "$TMP/h.json")"

# The API: PATCH on a record's URL, POST .../withdraw; the same checks and history.
serve_start "$DB"
code=$(curl -s -o "$TMP/body" -w '%{http_code}' -X PATCH -H 'Content-Type: application/json' \
    -d '{"place":"Washington, DC"}' "$URL/api/v1/dialogues/1/rounds/2")
check_eq "PATCH a round by its number" "200 Washington, DC" "$code $(json .fields.place <"$TMP/body")"
code=$(curl -s -o "$TMP/body" -w '%{http_code}' -X PATCH -H 'Content-Type: application/json' \
    -d '{"date":"2016-13"}' "$URL/api/v1/records/step:3")
check_eq "PATCH with a bad date: 422 naming the field" "422 date" "$code $(json .error.field <"$TMP/body")"
code=$(curl -s -o "$TMP/body" -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
    -d '{"reason":"Not ours to record","date":"2017"}' "$URL/api/v1/records/step:3/withdraw")
check_eq "POST .../withdraw" "200 2017" "$code $(json .withdrawn_on <"$TMP/body")"
code=$(curl -s -o "$TMP/body" -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
    -d '{"date":"2017"}' "$URL/api/v1/records/step:3/withdraw")
check_eq "a withdrawal without a reason: 422" "422 reason" "$code $(json .error.field <"$TMP/body")"
code=$(curl -s -o /dev/null -w '%{http_code}' -X PUT "$URL/api/v1/records/step:3")
check_eq "PUT is not allowed" 405 "$code"
code=$(curl -s -o "$TMP/hist" -w '%{http_code}' "$URL/api/v1/history?record=step:3")
check_eq "the API's withdrawal is in the history, with the request" \
    "200 POST /api/v1/records/step:3/withdraw" \
    "$code $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["entries"][-1]["via"])' "$TMP/hist")"

# The web: the record's page has an Edit form made from the step's fields, prefilled,
# and a Withdraw form; both post with the page's form token (rt_csrf cookie + field).
get() { curl -s -m 10 -b "$TMP/jar" -c "$TMP/jar" -o "$TMP/body" -w '%{http_code}' "$@"; }
check_eq "GET /records/step:1" 200 "$(get "$URL/records/step:1")"
TOKEN=$(sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' "$TMP/body" | head -n 1)
check_eq "the Edit form is prefilled from the record" 1 \
    "$(grep -o '<input[^>]*name="actor"[^>]*>' "$TMP/body" | grep -c 'value="BLR"')"
check_eq "and the Withdraw form asks a reason" 1 "$(grep -c 'name="reason"' "$TMP/body")"
check_eq "the round page links its records' pages" yes \
    "$(get "$URL/dialogues/1/rounds/2" >/dev/null; grep -q 'href="/records/participant:' "$TMP/body" && echo yes)"
code=$(get --data-urlencode "csrf=$TOKEN" --data-urlencode "actor=Belarus" \
    --data-urlencode "date=2015-08-22" --data-urlencode "kind=prisoner-release" \
    --data-urlencode "direction=positive" --data-urlencode "quantity=6" \
    --data-urlencode "text=Six political prisoners pardoned" --data-urlencode "source=" \
    --data-urlencode "answers=ask:2" --data-urlencode "welcomed_in=" --data-urlencode "responds_to=" \
    "$URL/records/step:1/edit")
check_eq "the Edit form saves and goes back to the record" 303 "$code"
check_eq "the step is corrected" "Six political prisoners pardoned" "$(r step list --json | json .0.text)"
code=$(get --data-urlencode "csrf=$TOKEN" --data-urlencode "date=2015-13-01" "$URL/records/step:1/edit")
check_eq "a bad date: the page again, 422, saying why" "422 1" \
    "$code $(grep -c 'Not saved: date' "$TMP/body")"
code=$(get --data-urlencode "date=2015" "$URL/records/step:1/edit")
check_eq "a form without the page's token is refused" 403 "$code"
code=$(get --data-urlencode "csrf=$TOKEN" --data-urlencode "reason=Entered by mistake" \
    --data-urlencode "date=" "$URL/records/step:1/withdraw")
check_eq "the Withdraw form" 303 "$code"
check_eq "the record's page says it is withdrawn, and why" "200 1" \
    "$(get "$URL/records/step:1") $(grep -c 'Withdrawn (a mistake: it shows in no view):</strong> Entered by mistake' "$TMP/body")"
check_eq "the dialogue page no longer shows it" "200 0" \
    "$(get "$URL/dialogues/1") $(grep -c 'Six political prisoners pardoned' "$TMP/body")"
check_eq "its history page shows the edit, old -> new, and the withdrawal" "200 1 1" \
    "$(get "$URL/records/step:1/history") $(grep -c '<del>Presidential pardon' "$TMP/body") $(grep -c 'the Withdraw form on the web' "$TMP/body")"
check_eq "and is titled by what the record is, not its row id" "1 0" \
    "$(grep -c '<h1>History: Step of ' "$TMP/body") $(grep -c '<h1>History of step:' "$TMP/body")"
check_eq "what was added is listed without the row id" 0 "$(grep -c '<li>id: ' "$TMP/body")"
kill "$SERVE_PID"
wait "$SERVE_PID" 2>/dev/null

done_testing
