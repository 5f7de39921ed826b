#!/bin/sh
# Issue 13's last links and pages: recommendations linked to a round itself (schema
# 20), from the command line and from a search's check boxes; every link made by hand
# withdrawn from the round page, as `withdraw` does; the briefing lists the hand links
# of the round, its topics and its asks in every format, and names assessed
# recommendations; the banners after a readout and an ask's assessment link to what was
# saved; history pages name records and parties.
. "$(dirname "$0")/../lib/test-lib.sh"
DB=$(new_db demo)
"$RT" --db "$DB" init >/dev/null
"$RT" --db "$DB" import "$ROOT/data/demo/recommendations.csv" >/dev/null
sh "$ROOT/data/demo/us-belarus.sh" "$RT" --db "$DB" >/dev/null
r() { "$RT" --db "$DB" "$@"; }
recs_of_round() { r round show 1#2 --json | python3 -c 'import json,sys; print(" ".join(map(str, json.load(sys.stdin)["recommendations"])))'; }

# The command line: a round, named as people name it, about many recommendations.
check "link 1#2 about two recommendations" r link 1#2 about rec:2 rec:4
check_eq "the round holds them" "2 4" "$(recs_of_round)"
check_eq "and a recommendation's page lists the round" "round 2 of US-Belarus Working Group for Democracy and Human Rights" \
    "$(r show 4 --json | python3 -c 'import json,sys; d=json.load(sys.stdin); l=d.get("ledger", d); print(l["rounds"][0]["label"])' 2>/dev/null)"
check_fails "a round cannot answer anything" 1 r link 1#2 answers rec:2
check_fails "nor be about a step" 1 r link round:2 about step:1
check "link help names the round" sh -c "\"$RT\" link --help | grep -q 'round:ID about rec:ID'"
check "the audit log holds the links and still verifies" r audit verify

# The briefing: hand links of the round and of its asks, in every format.
r link ask:2 about rec:5 >/dev/null
r report brief --dialogue 1 >"$TMP/brief.md"
grep -A4 'Recommendations linked to the round by hand' "$TMP/brief.md" | grep -q 'Belarus, session 8 (noted): Revise the media law'
check_eq "the briefing lists the round's hand links (md)" 0 $?
grep 'Ask 2 of round 2' "$TMP/brief.md" | grep -q 'Linked by hand: Belarus, session 8 (noted): Bring electoral law'
check_eq "and an ask's (md)" 0 $?
r report brief --dialogue 1 --format html >"$TMP/brief.html"
check_eq "the same in HTML" 2 "$(grep -c -e 'Recommendations linked to the round by hand' -e 'Linked by hand: Belarus, session 8 (noted): Bring electoral law' "$TMP/brief.html")"
r report brief --dialogue 1 --json >"$TMP/brief.json"
check_eq "and in JSON, by name" "Belarus, session 8|Belarus, session 8" \
    "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["last_round"]["linked_by_hand"][1]["name"] + "|" + [a for a in d["asks_open"] if a["number"] == 2][0]["linked_recommendations"][0]["name"])' "$TMP/brief.json")"
if command -v pdftotext >/dev/null 2>&1; then
    r report brief --dialogue 1 --format pdf --out "$TMP/brief.pdf" >/dev/null
    pdftotext "$TMP/brief.pdf" - | tr '\n' ' ' | grep -q 'Recommendations linked to the round by hand'
    check_eq "and in the PDF" 0 $?
fi
grep -qi 'recommendation [0-9]' "$TMP/brief.md"
check_eq "no recommendation by its row id in the briefing" 1 $?
grep -q 'The recommendation to Belarus, session 8 (noted): Bring electoral law' "$TMP/brief.md"
check_eq "an assessed recommendation is named" 0 $?

serve_start "$DB"
get() { curl -s -b "$TMP/jar" -c "$TMP/jar" -o "$TMP/body" -w '%{http_code}' "$@"; }
token() { sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' "$TMP/body" | head -n 1; }

# The search's check boxes link to the round itself.
get "$URL/search?sur=Belarus" >/dev/null
T=$(token)
grep -q 'To this round, topic, ask or benchmark' "$TMP/body"
check_eq "the search offers the round as a target" 0 $?
loc=$(curl -s -b "$TMP/jar" -c "$TMP/jar" -o /dev/null -w '%{redirect_url}' -H "Origin: $URL" \
    --data-urlencode "csrf=$T" --data-urlencode "target=1#2" --data "rec=3&rec=4" "$URL/links")
check_eq "link the selected to round 2" "/dialogues/1/rounds/2?saved=round:2&linked=2" "${loc#"$URL"}"
check_eq "one write: the round holds three now" "2 3 4" "$(recs_of_round)"
get "$loc" >/dev/null
grep -q '2 recommendations linked to round 2 of US-Belarus' "$TMP/body"
check_eq "the banner says so" 0 $?
check_eq "the round page lists them" 3 \
    "$(python3 -c 'import re,sys; b=open(sys.argv[1]).read(); s=b[b.index("<h2 id=\"recommendations\">"):]; print(len(re.findall(r"href=\"/recommendations/\d+\"", s[:s.index("</ul>")])))' "$TMP/body")"
check_eq "each hand link on the page has a withdraw control (round 3, topic 1, ask 1)" 5 "$(grep -o 'action="/links/withdraw"' "$TMP/body" | wc -l)"

# Withdrawn from the page, with a reason, as `withdraw` does; the round named as the
# page names it (D#N).
T=$(token)
wd() { curl -s -b "$TMP/jar" -c "$TMP/jar" -o "$TMP/wd" -w '%{http_code} %{redirect_url}' -H "Origin: $URL" --data-urlencode "csrf=$T" "$@" "$URL/links/withdraw"; }
out=$(wd --data-urlencode "link=round:2 about recommendation:3" --data-urlencode "back=/dialogues/1/rounds/2")
check_eq "a link without a reason is refused" "422 " "$out"
grep -q 'The link was not withdrawn' "$TMP/wd"
check_eq "and the page says why" 0 $?
out=$(wd --data-urlencode "link=1#2 about recommendation:3" --data-urlencode "reason=ticked by mistake" --data-urlencode "back=/dialogues/1/rounds/2")
check_eq "withdrawn, back to the round" "303 $URL/dialogues/1/rounds/2?saved=round:2&unlinked=1" "$out"
check_eq "the round no longer holds it" "2 4" "$(recs_of_round)"
r history "round:2 about rec:3" --json >"$TMP/h.json" 2>/dev/null || r history round:2 --json >"$TMP/h.json"
grep -q 'ticked by mistake' "$TMP/h.json"
check_eq "its history keeps the reason" 0 $?
get "$URL/dialogues/1/rounds/2?saved=round:2&unlinked=1" >/dev/null
grep -q 'A link of round 2 of US-Belarus Working Group for Democracy and Human Rights to a recommendation withdrawn' "$TMP/body"
check_eq "the banner says what was withdrawn" 0 $?
out=$(wd --data-urlencode "link=topic:1 about recommendation:5" --data-urlencode "reason=wrong topic" --data-urlencode "back=/dialogues/1/rounds/2")
check_eq "a topic's hand link too" "303 $URL/dialogues/1/rounds/2?saved=topic:1&unlinked=1" "$out"
check_eq "is gone from the topic" "[]" "$(r round show 1#2 --json | python3 -c 'import json,sys; print([t for t in json.load(sys.stdin)["topics"] if t["id"] == 1][0]["recommendations"])')"
out=$(wd --data-urlencode "link=ask:2 about recommendation:5" --data-urlencode "reason=x" --data-urlencode "back=//elsewhere.example/")
check_eq "never sent back off the site" "303 $URL/dialogues?saved=ask:2&unlinked=1" "$out"
out=$(wd --data-urlencode "link=ask:2 about recommendation:999" --data-urlencode "reason=x" --data-urlencode "back=/dialogues/1/rounds/2")
check_eq "a link that is not there" "404 " "$out"
check_eq "a form without the token is refused" 403 \
    "$(curl -s -o /dev/null -w '%{http_code}' -H "Origin: $URL" --data "link=ask:2+about+recommendation:4&reason=x" "$URL/links/withdraw")"

# The banner after assessing an ask links to the ask.
get "$URL/dialogues/1/rounds/2" >/dev/null
T=$(token)
loc=$(curl -s -b "$TMP/jar" -c "$TMP/jar" -o /dev/null -w '%{redirect_url}' -H "Origin: $URL" \
    --data-urlencode "csrf=$T" --data "target=ask:1&status=in-progress&as_of=2017-01-05" \
    --data-urlencode "evidence=No further release in 2016" "$URL/dialogues/1/rounds/2/assessments")
get "$loc" >/dev/null
grep -q 'Assessment of ask 1 of round 2 as of 2017-01-05 saved.</strong> <a href="/dialogues/1/rounds/2#ask-1">' "$TMP/body"
check_eq "an ask's assessment: the banner links to the ask" 0 $?

# The banner after a readout says what came with the round, the welcomed steps by name.
get "$URL/dialogues/1/rounds/2?saved=round:2&readout=1" >/dev/null
grep -q 'Saved from the readout with the round: <a href="#participants">5 participants</a>' "$TMP/body"
check_eq "a readout's banner counts what was saved, linked" 0 $?
grep -q '<ul class="saved-steps"><li><a href="/dialogues/1#step-1">step of 2015-08-22 by Belarus' "$TMP/body"
check_eq "and names the welcomed step it saved, so that no one enters it twice" 0 $?
check_eq "the lists it links to are there" 5 \
    "$(grep -o -e 'id="participants"' -e 'id="topics"' -e 'id="asks"' -e 'id="welcomed"' -e 'id="commitments"' "$TMP/body" | wc -l)"

# History pages name records and parties.
get "$URL/records/step:1/history" >/dev/null
python3 "$ROOT/tests/lib/pick_walk.py" names "$URL" /records/step:1/history /records/round:2/history \
    /records/ask:2/history /records/dialogue:1/history /records/topic:1/history >"$TMP/walk" 2>&1
while IFS= read -r line; do
    case $line in PASS*) pass "${line#PASS }" ;; *) fail "${line#FAIL }" ;; esac
done <"$TMP/walk"
grep -q '<td>step of 2015-08-22 by Belarus answers Belarus, session 22 (noted)' "$TMP/body"
check_eq "a history's record column names both ends of a link" 0 $?
grep -q 'actor: Belarus' "$TMP/body"
check_eq "and a party by its name" 0 $?
grep -q 'actor: BLR' "$TMP/body"
check_eq "not its code" 1 $?
get "$URL/records/round:2/history" >/dev/null
grep -q 'the Withdraw form on the web' "$TMP/body"
check_eq "a change made on the web says by which form, not its address" 0 $?
grep -q 'POST /links' "$TMP/body"
check_eq "(no address with row ids in it)" 1 $?
kill "$SERVE_PID" 2>/dev/null
wait "$SERVE_PID" 2>/dev/null

done_testing
