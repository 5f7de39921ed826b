#!/bin/sh
# Records picked by name on the web (issue 13, points 2 and 4): the lookup route the
# pickers ask; every form field that names a record takes the record picked from the
# page, and the page the write lands on says what was saved; the search's check boxes
# link many recommendations in one write; no page or report of the demo or of the real
# data shows a row id where a name belongs.
. "$(dirname "$0")/../lib/test-lib.sh"

DB=$(new_db demo)
demo_ledger "$DB"
serve_start "$DB"
get() { curl -s -b "$TMP/jar" -c "$TMP/jar" -o "$TMP/body" -w '%{http_code}' "$@"; }
results() { python3 -c 'import json,sys; d=json.load(sys.stdin); print("\n".join(r["ref"] + " " + r["label"] for r in d["results"]))' <"$TMP/body"; }
walk() { python3 "$ROOT/tests/lib/pick_walk.py" "$@" >"$TMP/walk" 2>&1 || echo "FAIL the walk: $(tail -n 3 "$TMP/walk")" >>"$TMP/walk"
    while IFS= read -r line; do
        case $line in
        PASS*) pass "${line#PASS }" ;;
        FAIL*) fail "${line#FAIL }" ;;
        *) fail "the walk says: $line" ;;
        esac
    done <"$TMP/walk"; }

# The lookup: labels a person reads, references the library takes.
check_eq "lookup of recommendations by state and words" 200 "$(get "$URL/api/v1/lookup?kind=rec&q=Belarus+death")"
results | head -n 1 | grep -q "^rec:2 Belarus, session 8 (noted): Join the Second Optional Protocol"
check_eq "finds Belarus's on the death penalty, named by state and session" 0 $?
get "$URL/api/v1/lookup?kind=rec&q=prisoner" >/dev/null
check_eq "a word being typed is a prefix" yes "$(results | grep -q 'political prisoners' && echo yes)"
get "$URL/api/v1/lookup?kind=step&q=pardon" >/dev/null
results | grep -q "^step:1 step of 2015-08-22 by Belarus: Presidential pardon"
check_eq "a step by its date, actor and text" 0 $?
get "$URL/api/v1/lookup?kind=round&dialogue=1" >/dev/null
check_eq "rounds of a dialogue by their number, date and place, the latest first" \
    "1#2 round 2 of US-Belarus Working Group for Democracy and Human Rights (2015-12-16, Washington, DC)" \
    "$(results | sed -n 1p)"
check_eq "the round before it second" "1#1" "$(results | sed -n 2p | cut -d' ' -f1)"
get "$URL/api/v1/lookup?kind=ask,topic&dialogue=1&q=elections" >/dev/null
check_eq "asks and topics at once, by number in their round" \
    "ask:2 ask 2 of round 2 (United States to Belarus)|topic:1 topic of round 2" \
    "$(results | cut -d: -f1-2 | paste -sd'|')"
get "$URL/api/v1/lookup?kind=party&q=bela&dialogue=1" >/dev/null
check_eq "a party: the dialogue's first" "BLR Belarus" "$(results | head -n 1)"
get "$URL/api/v1/lookup?kind=party&q=odihr" >/dev/null
check_eq "an organisation is a party too" "ODIHR" "$(results | head -n 1 | cut -d' ' -f1)"
get "$URL/api/v1/lookup?kind=rec&q=rec:14" >/dev/null
check_eq "a reference finds its record" "rec:14" "$(results | cut -d' ' -f1)"
get "$URL/api/v1/lookup?kind=round&q=1%232" >/dev/null
check_eq "a round by DIALOGUE#NUMBER" "1#2" "$(results | cut -d' ' -f1)"
check_eq "an unknown kind" 422 "$(get "$URL/api/v1/lookup?kind=people&q=a")"
check_eq "no kind" 422 "$(get "$URL/api/v1/lookup?q=a")"
check_eq "a limit out of range" 422 "$(get "$URL/api/v1/lookup?kind=rec&q=a&limit=1000")"
check_eq "an unknown argument" 422 "$(get "$URL/api/v1/lookup?kind=rec&qq=a")"
check_eq "an unknown dialogue" 404 "$(get "$URL/api/v1/lookup?kind=step&dialogue=nothing")"
check_eq "the pickers' script" 200 "$(get "$URL/assets/pick.js")"
check_eq "is served as JavaScript" "text/javascript; charset=utf-8" \
    "$(curl -s -o /dev/null -w '%{content_type}' "$URL/assets/pick.js")"

# Every field that names a record, on every page with a form: picked, saved, named.
get "$URL/dialogues/1" >/dev/null
check_eq "the step form's record fields are pickers" 4 "$(grep -o 'data-pick=' "$TMP/body" | wc -l)"
walk forms "$URL" /dialogues/1 /dialogues/1/rounds/2 /recommendations/14
check_eq "the banner never carries markup it was sent" 0 \
    "$(curl -s "$URL/dialogues/1?saved=%3Cb%3Ebold%3C/b%3E" | grep -c '<b>bold')"
curl -s "$URL/dialogues/1?saved=step:999" >"$TMP/body"
check_eq "nor names a record that is not there" 0 "$(grep -c 'role="status"' "$TMP/body")"

# A step saved from the dialogue page shows on that page, linked from the banner, when
# it belongs to the dialogue: ODIHR's report on the elections, in response to them.
T=$(curl -s -b "$TMP/jar" -c "$TMP/jar" "$URL/dialogues/1" | sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' | head -n 1)
get "$URL/api/v1/lookup?kind=step&dialogue=1&q=2016-09-11" >/dev/null
elections=$(results | head -n 1 | cut -d' ' -f1)
check_eq "the elections step, picked" "step:" "$(echo "$elections" | cut -c1-5)"
loc=$(curl -s -b "$TMP/jar" -c "$TMP/jar" -o /dev/null -w '%{redirect_url}' -H "Origin: $URL" \
    --data-urlencode "csrf=$T" --data "actor=ODIHR&date=2016-12-08&kind=statement" \
    --data-urlencode "responds_to=$elections" \
    --data-urlencode "text=ODIHR's final report on the elections" "$URL/dialogues/1/steps")
id=$(echo "$loc" | sed -n 's/.*saved=step:\([0-9]*\).*/\1/p')
check_eq "an organisation's step is saved from the dialogue page" yes "$([ -n "$id" ] && echo yes)"
get "$loc" >/dev/null
grep -q "Step of 2016-12-08 by ODIHR saved.</strong> <a href=\"/dialogues/1#step-$id\"" "$TMP/body"
check_eq "the page says what was saved, with a link" 0 $?
grep -q "<li id=\"step-$id\">" "$TMP/body"
check_eq "and shows it where the link goes" 0 $?
# One linked to nothing of the dialogue is not listed there (docs/web.md, "Steps of
# others"): the write lands on the step's own page, which says so.
loc=$(curl -s -b "$TMP/jar" -c "$TMP/jar" -o /dev/null -w '%{redirect_url}' -H "Origin: $URL" \
    --data-urlencode "csrf=$T" --data "actor=OHCHR&date=2016-11-01&kind=statement" \
    --data-urlencode "text=OHCHR's note on another country" "$URL/dialogues/1/steps")
other=$(echo "$loc" | sed -n 's/.*saved=step:\([0-9]*\).*/\1/p')
check_eq "an unlinked organisation's step lands on its own page" "/records/step:$other?saved=step:$other" "${loc#"$URL"}"
get "$loc" >/dev/null
grep -q "Step of 2016-11-01 by OHCHR saved.</strong> <a href=\"/records/step:$other\"" "$TMP/body"
check_eq "which says what was saved, linked to where it is" 0 $?
get "$URL/dialogues/1" >/dev/null
check_eq "the dialogue lists ODIHR's step on its elections" 1 "$(grep -c "<li id=\"step-$id\">" "$TMP/body")"
check_eq "but not OHCHR's, linked to nothing of it" 0 "$(grep -c "<li id=\"step-$other\">" "$TMP/body")"
"$RT" --db "$DB" link "step:$other" responds-to "$elections" >/dev/null
get "$URL/dialogues/1" >/dev/null
check_eq "until it is linked to a step of its parties" 1 "$(grep -c "<li id=\"step-$other\">" "$TMP/body")"
"$RT" --db "$DB" withdraw "step:$other responds-to $elections" --reason "not about this" >/dev/null
get "$URL/dialogues/1" >/dev/null
check_eq "and leaves when the link is withdrawn" 0 "$(grep -c "<li id=\"step-$other\">" "$TMP/body")"

# The search's check boxes: many recommendations linked to a topic in one write.
get "$URL/search?sur=Belarus" >/dev/null
recs=$(grep -o 'name="rec" value="[0-9]*"' "$TMP/body" | sed 's/.*value="//;s/"//' | head -n 3)
check_eq "search results carry check boxes" 3 "$(echo "$recs" | wc -l)"
check_eq "and a picker for what to link them to (a round too)" 1 "$(grep -c 'data-pick="round,topic,ask,benchmark"' "$TMP/body")"
args=$(for r in $recs; do printf -- '--data rec=%s ' "$r"; done)
# shellcheck disable=SC2086
loc=$(curl -s -b "$TMP/jar" -c "$TMP/jar" -o /dev/null -w '%{redirect_url}' -H "Origin: $URL" \
    --data-urlencode "csrf=$T" --data "target=topic:3" $args "$URL/links")
check_eq "link the selected to a topic" "/dialogues/1/rounds/2?saved=topic:3&linked=3" "${loc#"$URL"}"
check_eq "one write: the command line sees all three" 3 \
    "$("$RT" --db "$DB" round show 1#2 --json | python3 -c 'import json,sys; print(len([t for t in json.load(sys.stdin)["topics"] if t["id"] == 3][0]["recommendations"]))')"
get "$loc" >/dev/null
grep -q '3 recommendations linked to topic of round 2.' "$TMP/body"
check_eq "the round page says so" 0 $?
check_eq "and shows the links made by hand" 3 \
    "$(grep -o '<li id="topic-3">.*' "$TMP/body" | sed 's#</ul>.*##' | grep -o 'href="/recommendations/[0-9]*"' | wc -l)"
check_eq "nothing ticked is refused" 422 "$(get -H "Origin: $URL" --data "csrf=$T&target=topic:3" "$URL/links")"
check_eq "a target that is not there" 404 "$(get -H "Origin: $URL" --data "csrf=$T&target=topic:99&rec=1" "$URL/links")"
grep -q 'There is a problem' "$TMP/body"
check_eq "says why nothing was linked" 0 $?
# The reports.
REPORTS="/reports/brief/1 /reports/brief/1?as_of=2016-01-31 /reports/country/BLR"
"$RT" --db "$DB" report brief --dialogue 1 >"$TMP/brief.md"
grep -A6 'Space for civil society' "$TMP/brief.md" | grep -q 'Linked by hand'
check_eq "the briefing lists the links made by hand" 0 $?

# Names, not row ids, on every page and report of the demo.
walk names "$URL" / /dialogues /dialogues/1 /dialogues/1/rounds/1 /dialogues/1/rounds/2 \
    /recommendations/14 /recommendations/5 /states/BLR "/search?q=prisoners" $REPORTS
kill "$SERVE_PID" 2>/dev/null
wait "$SERVE_PID" 2>/dev/null

# And of the real data: a ledger on Belarus's real UPR recommendations.
need_data
DB=$(new_db real)
"$RT" --db "$DB" init >/dev/null
"$RT" --db "$DB" import "$DATA/belarus/upr_cycle1_2010_uprinfo.csv" >/dev/null
r() { "$RT" --db "$DB" "$@" >/dev/null; }
rec=$("$RT" --db "$DB" search 'death penalty' --sur Belarus --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["hits"][0]["id"])')
r dialogue add "EU-Belarus Human Rights Dialogue" --party EU --party Belarus
r round add 1 --date 2016-06-01 --ordinal 1 --place Brussels
r topic add 1#1 "The death penalty" --rec "$rec"
r ask add 1#1 --from EU --to Belarus "A moratorium on executions" --rec "$rec"
r step add --actor Belarus --date 2016-07 --kind statement "A working group on the death penalty" --answers "rec:$rec" --answers ask:1
r step add --actor EU --date 2016-09 --kind statement "The EU welcomes the working group" --responds-to 1 --welcomed-in 1#1
serve_start "$DB"
[ -n "$REPORTS" ] && REPORTS="/reports/brief/1 /reports/country/BLR"
walk names "$URL" /dialogues/1 /dialogues/1/rounds/1 "/recommendations/$rec" /states/BLR $REPORTS
get "$URL/dialogues/1" >/dev/null
grep -q 'in response to <a href="/dialogues/1#step-1">step of 2016-07 by Belarus: A working group' "$TMP/body"
check_eq "a response names the step it answers" 0 $?
kill "$SERVE_PID" 2>/dev/null
wait "$SERVE_PID" 2>/dev/null

done_testing
