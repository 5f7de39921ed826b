#!/bin/sh
# Issue 13, what was left: `history` and the record pages' history take a link named by
# its words, each end in any form a record takes (step:3, rec:14, 14, 1#2, round:1#2,
# DIALOGUE#2), quoted or not, and so does `withdraw`; the step picker offers the
# dialogue's own steps before an organisation's step linked to nothing of it; the
# dialogue page names the party of another's step (Lithuania, not LTU).
. "$(dirname "$0")/../lib/test-lib.sh"

DB=$(new_db demo)
demo_ledger "$DB"
r() { "$RT" --db "$DB" "$@"; }
WG="US-Belarus Working Group for Democracy and Human Rights"

r link 1#2 about rec:2 >/dev/null
r link topic:1 about rec:3 >/dev/null
# Every form of the same link names the same history.
want=$(r history "round:2 about recommendation:2" --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
check_eq "the link's history has its making" 1 "$want"
for form in "1#2 about rec:2" "round:1#2 about rec:2" "$WG#2 about rec:2" "1#2 about 2" \
    "round:2 about recommendation:2"; do
    check_eq "history \"$form\"" "$want" \
        "$(r history "$form" --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')"
done
check "history takes the three words unquoted" r history topic:1 about rec:3
check_eq "and names the link" "topic:1 about recommendation:3" \
    "$(r history topic:1 about rec:3 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["record"])')"
check_eq "a link of no record has no history, as a record that is not there" \
    "no history for step:99 answers ask:1" "$(r history "step:99 answers ask:1")"
check_fails "a link of a round that is not there is refused" 1 r history "1#9 about rec:2"
check_fails "half a link is refused" 1 r history "about rec:2"
r history "step:1 answers" >/dev/null 2>"$TMP/err1"
check_eq "a link without its end is refused" 1 $?
check "and says what a link is" grep -q "step:3 answers ask:2" "$TMP/err1"

# withdraw takes the same forms; the history then shows the withdrawal.
check "withdraw a round's link named by the dialogue's name" \
    r withdraw "$WG#2 about rec:2" --reason "linked by mistake"
check_eq "the round no longer holds it" "[]" \
    "$(r round show 1#2 --json | python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin)["recommendations"]))')"
check_eq "its history has the withdrawal" "linked by mistake" \
    "$(r history 1#2 about rec:2 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[-1]["after"]["withdrawn"])')"
check_eq "audit log --record takes a link too" "topic:1 about recommendation:3" \
    "$(r audit log --record "topic:1 about 3" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["record"])')"

# Steps: an organisation's step linked to nothing of the dialogue, dated first, and a
# step of another state welcomed in round 2.
odihr=$(r step add --actor ODIHR --date 2010-01-05 --kind statement "An early statement on nothing of this dialogue" --json |
    sed -n 's/^ *"id": \([0-9]*\).*/\1/p' | head -n 1)
ltu=$(r step add --actor Lithuania --date 2015-11-03 --kind statement "Lithuania welcomes the release" --json |
    sed -n 's/^ *"id": \([0-9]*\).*/\1/p' | head -n 1)
r link "step:$ltu" welcomed-in 1#2 >/dev/null

serve_start "$DB"
code=$(curl -s -o "$TMP/look.json" -w '%{http_code}' "$URL/api/v1/lookup?kind=step&dialogue=1&limit=20")
check_eq "the step lookup answers" 200 "$code"
check_eq "the dialogue's steps come first, the unlinked organisation's last" "step:$odihr" \
    "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["results"][-1]["ref"])' "$TMP/look.json")"
check_eq "no label names a party by its code" "" \
    "$(python3 -c 'import json,sys; print(" ".join(e["label"] for e in json.load(open(sys.argv[1]))["results"] if " by BLR" in e["label"] or " by USA" in e["label"] or " by LTU" in e["label"]))' "$TMP/look.json")"
curl -s -o "$TMP/d.html" "$URL/dialogues/1"
sed -n '/Steps of others/,/<\/ul>/p' "$TMP/d.html" >"$TMP/others"
check "the dialogue page lists the other state's step" grep -q "Lithuania welcomes the release" "$TMP/others"
check "by the state's name" grep -q "Lithuania:" "$TMP/others"
grep -q "LTU" "$TMP/others"
check_eq "not by its code" 1 $?

# The history page of a link, named by words in the address.
code=$(curl -s -o "$TMP/h.html" -w '%{http_code}' "$URL/records/1%232%20about%20rec:2/history")
check_eq "the history page of a link" 200 "$code"
check "is titled as a link's" grep -q "<h1>History of a link</h1>" "$TMP/h.html"
check "names the round by its number" grep -q "round 2 of US-Belarus" "$TMP/h.html"
check "shows the withdrawal's reason" grep -q "linked by mistake" "$TMP/h.html"
python3 -c 'import re,sys; t=re.sub("<[^>]+>", " ", open(sys.argv[1]).read()); sys.exit(1 if re.search(r"round:\d", t) else 0)' "$TMP/h.html"
check_eq "no round by its row id" 0 $?
check "the record it links from, by the round's number" grep -q 'href="/records/1%232"' "$TMP/h.html"
code=$(curl -s -o "$TMP/h2.html" -w '%{http_code}' "$URL/records/1%239%20about%20rec:2/history")
check_eq "a link of a round that is not there is a 404" 404 "$code"
curl -s -o "$TMP/round.html" "$URL/dialogues/1/rounds/2"
check "the round page links a hand link's history" \
    grep -q 'href="/records/topic:1%20about%20recommendation:3/history"' "$TMP/round.html"
code=$(curl -s -o /dev/null -w '%{http_code}' "$URL/records/topic:1%20about%20recommendation:3/history")
check_eq "and that page answers" 200 "$code"

kill "$SERVE_PID" 2>/dev/null
wait "$SERVE_PID" 2>/dev/null

done_testing
