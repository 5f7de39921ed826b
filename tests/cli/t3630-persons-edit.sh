#!/bin/sh
# Correcting the register (issue 18): `person edit` and `case edit|withdraw` on the
# command line, the record pages' forms and the API's PATCH and withdraw on the web,
# all through rt_ledger_edit and rt_ledger_withdraw; each change in the history; a
# withdrawn event leaves the status, the step's named persons and the counts; the
# rules of a new event hold for a corrected one; persons' records stay private.
. "$(dirname "$0")/../lib/test-lib.sh"

DB=$(new_db e)
r() { "$RT" --db "$DB" "$@"; }
code() { curl -s -o "$TMP/body" -w '%{http_code}' "$@"; }
r init >/dev/null
r dialogue add WG --party USA --party Belarus >/dev/null
r round add WG --date 2015-06 --ordinal 1 >/dev/null
step=$(r step add --actor Belarus --date 2015-08-22 --kind prisoner-release --quantity 2 \
    "Two political prisoners pardoned." --json | json .id)
other=$(r step add --actor Belarus --date 2016-01 --kind prisoner-release --quantity 2 \
    "One more freed." --json | json .id)
p1=$(r person add "Mikalai Statkevich" --json | json .id)
p2=$(r person add "Ales Bialiatski" --json | json .id)
p3=$(r person add "Yury Rubtsou" --json | json .id)
r case add "$p1" --event detained --date 2010-12-19 >/dev/null
c2=$(r case add "$p1" --event released --date 2015-08-22 --how pardon --step "$step" --json | json .id)
r case add "$p2" --event detained --date 2011-08-04 >/dev/null
c4=$(r case add "$p2" --event released --date 2015-08-22 --how pardon --step "$step" --json | json .id)

check "person edit --help" r person edit --help
check "case edit --help" r case edit --help
check "case withdraw --help" r case withdraw --help
check_fails "person edit without PERSON" 2 r person edit
check_fails "case withdraw without --reason" 2 r case withdraw "$c2"
check_fails "case edit of no number" 2 r case edit Statkevich --date 2015

# person edit: by a name, the fields, the name shown becomes a spelling.
check "person edit by a name" r person edit Statkevich --groups "opposition politician" \
    --born 1956 --name "Mikola Statkevich"
check_eq "the fields are corrected" "Mikola Statkevich|opposition politician|1956" \
    "$(r person show "$p1" --json | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["name"], d["groups"], d["birth_year"], sep="|")')"
check_eq "the new name is one of its spellings, the old one kept" \
    "Mikalai Statkevich|Mikola Statkevich" \
    "$(r person show "$p1" --json | python3 -c 'import json,sys; print("|".join(sorted(n["name"] for n in json.load(sys.stdin)["names"])))')"
check_eq "and finds the person" "$p1" "$(r person show 'Mikola Statkevich' --json | json .id)"
check "an empty value clears a field" r person edit "$p2" --groups ""
check_eq "cleared" None "$(r person show "$p2" --json | json .groups)"
check_fails "a bad sex is refused" 1 r person edit "$p1" --sex unknown
check_fails "a source is only for adding" 1 r person edit "$p1" --source Viasna
check_fails "a person is not withdrawn" 1 r withdraw "person:$p1" --reason "duplicate"
check "edit person:ID is the same" r edit "person:$p2" --groups "human-rights defender"
check_eq "corrected through edit" "human-rights defender" "$(r person show "$p2" --json | json .groups)"

# case edit: the rules of a new event hold.
check "case edit" r case edit "$c2" --how amnesty
check_eq "the release is now an amnesty" amnesty "$(r person show "$p1" --json | json .status.how)"
check_fails "how only for a release" 1 r case edit 1 --how pardon
check_fails "a step only for a release" 1 r case edit 1 --step "$step"
check_fails "an unknown event" 1 r case edit "$c2" --event vanished
check_fails "a bad date" 1 r case edit "$c2" --date 2015-13-01
c5=$(r case add "$p3" --event released --date 2016-01 --step "$other" --json | json .id)
check_fails "a step full already takes no more" 1 r case edit "$c5" --step "$step"
check_eq "and nothing moved" "$other" "$(r person show "$p3" --json | json .events.0.step)"
check "a release moves to another step" r case edit "$c2" --step "step:$other" --date 2016-01
check_eq "its step" "$other" "$(r person show "$p1" --json | json .events.1.step)"
c7=$(r case add "$p2" --event released --date 2016-01 --json | json .id)
check_fails "that step is full now: a third is refused" 1 r case edit "$c7" --step "$other"
check "a wrong event withdrawn" r case withdraw "$c7" --reason "typed by mistake"
check "back" r case edit "$c2" --step "$step" --date 2015-08-22 --how pardon
check_eq "the step names two again" 2 "$(r person step "$step" --json | json .named)"

# case withdraw: as of a date, and a mistake.
check_eq "held the day before" "detained" "$(r person show "$p2" --as-of 2015-08-21 --json | json .status.status)"
check "withdraw the release as a mistake" r case withdraw "$c4" --reason "not among the six"
check_eq "the person is held again" "detained" "$(r person show "$p2" --json | json .status.status)"
check_eq "the event is gone from the case" 1 \
    "$(r person show "$p2" --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["events"]))')"
check_eq "the step names one" "1 1" \
    "$(r person step "$step" --json | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["named"], d["unnamed"])')"
check_eq "the count says so" "2 1" \
    "$(r person count --as-of 2015-08-22 --json | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["detained"] + d["inferred"], d["released"])')"
c6=$(r case add "$p2" --event released --date 2021-07 --how served --json | json .id)
check "withdraw as of a date" r case withdraw "$c6" --reason "rearrested" --date 2021-09
check_eq "released before the date" released "$(r person show "$p2" --as-of 2021-08 --json | json .status.status)"
check_eq "not from it on" detained "$(r person show "$p2" --as-of 2021-09-15 --json | json .status.status)"
check_eq "nor today" detained "$(r person show "$p2" --json | json .status.status)"
check "withdraw case:ID is the same" r withdraw "case:$c5" --reason "wrong person"
check_eq "person 3 has no event now" unknown "$(r person show "$p3" --json | json .status.status)"

# The history of each, and the audit chain.
check_eq "the history of the person has the edit" yes \
    "$(r history "person:$p1" | grep -q 'groups: (none) -> opposition politician' && echo yes)"
check_eq "the history of the event has the edit and the withdrawal" "1 1" \
    "$(r history "case:$c4" | grep -c 'case withdraw') $(r history "case:$c2" | grep -c 'how: pardon -> amnesty')"
check "the chain holds" r audit verify

# The web face: the person's page links its record and each event's; the forms and the
# API correct and withdraw; a public server refuses them all.
serve_start "$DB"
get() { curl -s -m 10 -b "$TMP/jar" -c "$TMP/jar" -o "$TMP/body" -w '%{http_code}' "$@"; }
check_eq "the person's page" 200 "$(get "$URL/persons/$p1")"
check "links the person's record to correct it" grep -q "href=\"/records/person:$p1#edit\"" "$TMP/body"
check "and each event's record" grep -q "href=\"/records/case:$c2\"" "$TMP/body"
check_eq "the person's record page" 200 "$(get "$URL/records/person:$p1")"
TOKEN=$(sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' "$TMP/body" | head -n 1)
check_eq "its Edit form is prefilled" 1 \
    "$(grep -o '<input[^>]*name="groups"[^>]*>' "$TMP/body" | grep -c 'value="opposition politician"')"
check_eq "and has no field only adding takes" 0 "$(grep -c 'name="if_close"' "$TMP/body")"
code=$(get --data-urlencode "csrf=$TOKEN" --data-urlencode "name=Mikola Statkevich" \
    --data-urlencode "sex=male" --data-urlencode "birth_year=1956" \
    --data-urlencode "groups=opposition politician, former presidential candidate" \
    --data-urlencode "note=" "$URL/records/person:$p1/edit")
check_eq "the Edit form saves" 303 "$code"
check_eq "corrected" "male 1956" \
    "$(r person show "$p1" --json | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["sex"], d["birth_year"])')"
check_eq "an event's record page" 200 "$(get "$URL/records/case:$c2")"
code=$(get --data-urlencode "csrf=$TOKEN" --data-urlencode "event=released" \
    --data-urlencode "date=2015-08-22" --data-urlencode "how=pardon" \
    --data-urlencode "detail=with five others" --data-urlencode "source=" \
    --data-urlencode "step=$step" "$URL/records/case:$c2/edit")
check_eq "the event's Edit form saves" 303 "$code"
check_eq "the detail is there" "with five others" "$(r person show "$p1" --json | json .events.1.detail)"
code=$(get --data-urlencode "csrf=$TOKEN" --data-urlencode "event=detained" \
    --data-urlencode "date=2015-08-22" --data-urlencode "how=pardon" "$URL/records/case:$c2/edit")
check_eq "a release's how on a detention: 422, saying why" "422 1" \
    "$code $(grep -c 'only a release says how' "$TMP/body")"
check_eq "PATCH an event" 200 "$(code -X PATCH -H 'Content-Type: application/json' \
    -d '{"source": "Viasna"}' "$URL/api/v1/records/case:$c2")"
check_eq "its source" Viasna "$(r person show "$p1" --json | json .events.1.source)"
check_eq "withdraw an event by the API" 200 "$(code -X POST -H 'Content-Type: application/json' \
    -d '{"reason": "entered twice", "date": "2030"}' "$URL/api/v1/records/case:$c2/withdraw")"
check_eq "the history page of the event" 200 "$(get "$URL/records/case:$c2/history")"
check "shows the withdrawal" grep -q 'entered twice' "$TMP/body"
kill "$SERVE_PID" 2>/dev/null
wait "$SERVE_PID" 2>/dev/null

echo 'viewer pass phrase' | r user add vic --role viewer >/dev/null
serve_start "$DB" --public
# Persons are private records (schema 16): to the public a private person and the
# events of their case do not exist, and their history holds nothing of them.
check_eq "a public server has no private person's record" 404 "$(code "$URL/records/person:$p1")"
code "$URL/records/person:$p1/history" >/dev/null
check "its history names nobody" sh -c "! grep -q 'Statkevich' '$TMP/body'"
check_eq "an event's record" 404 "$(code "$URL/records/case:$c2")"
check_eq "the API's record" 404 "$(code "$URL/api/v1/records/person:$p1")"
code "$URL/api/v1/history?record=case:$c2" >/dev/null
check_eq "the API's history of an event is empty" "[]" "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(json.dumps(d if isinstance(d, list) else d.get("entries", d)))' "$TMP/body")"
check_eq "a PATCH without logging in" 401 "$(code -X PATCH -H 'Content-Type: application/json' \
    -d '{"groups": "x"}' "$URL/api/v1/records/person:$p1")"
check_eq "and nothing changed" "opposition politician, former presidential candidate" \
    "$(r person show "$p1" --json | json .groups)"
kill "$SERVE_PID" 2>/dev/null
wait "$SERVE_PID" 2>/dev/null

done_testing
