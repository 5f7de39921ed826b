#!/bin/sh
# The readout page and its API over real HTTP: paste a readout, review the draft in a
# form, get a refused save back with the input kept, save it as a round; the API
# parses as `readout parse --json` does and saves a draft.
. "$(dirname "$0")/../lib/test-lib.sh"
DB=$(new_db w)
"$RT" --db "$DB" init >/dev/null
"$RT" --db "$DB" dialogue add "Canada-Laos Human Rights Dialogue" --party Canada --party Laos >/dev/null
"$RT" --db "$DB" dialogue add "Other" --party Canada --party Peru >/dev/null

# A readout written here.
cat >"$TMP/r.txt" <<'TXT'
Canada-Laos Human Rights Dialogue
2019-03-12
https://example.org/canada-laos (2019-03-14)

The third Canada-Laos Human Rights Dialogue was held in Vientiane on 12 March 2019.
Canada's delegation was led by Ms Anna Kowalczyk, Director General, Human Rights Division.
The two sides discussed freedom of the press, the death penalty and labour rights.
Canada welcomed Laos' release of four political prisoners in November and urged Laos to ratify the Convention against Torture.
If Laos lifts the restrictions on NGOs, Canada will expand its cooperation programme.
TXT

serve_start "$DB"
PID=$SERVE_PID
check_eq "serve prints where it listens" yes "$(echo "$URL" | grep -q '^http://127.0.0.1:[0-9]*$' && echo yes)"

# A browser: it keeps its cookies (the form token is derived from one) in a jar.
get() { curl -s -b "$TMP/jar" -c "$TMP/jar" -o "$TMP/body" -w '%{http_code}' "$@"; }
rounds() { "$RT" --db "$DB" dialogue show 1 --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["rounds"]))'; }

# Submits the form of page $1 (an HTML file) to $2 as a browser would, with NAME=VALUE
# changes; prints the status and the Location; the answer goes to $TMP/body.
cat >"$TMP/form.py" <<'PY'
import sys, urllib.parse, urllib.request, urllib.error
from html.parser import HTMLParser
class Form(HTMLParser):
    def __init__(self):
        super().__init__(); self.fields = []; self.area = None; self.select = None
    def handle_starttag(self, tag, a):
        a = dict(a)
        if tag == "input" and a.get("name"): self.fields.append([a["name"], a.get("value") or ""])
        if tag == "textarea": self.area = [a["name"], ""]; self.fields.append(self.area)
        if tag == "select": self.select = [a["name"], ""]; self.fields.append(self.select)
        if tag == "option" and self.select is not None and "selected" in a: self.select[1] = a.get("value", "")
    def handle_endtag(self, tag):
        if tag == "textarea": self.area = None
        if tag == "select": self.select = None
    def handle_data(self, d):
        if self.area is not None: self.area[1] += d
f = Form(); f.feed(open(sys.argv[1], encoding="utf-8").read())
fields = dict(f.fields)
if fields.get("text", "").startswith("\n"): fields["text"] = fields["text"][1:]  # as browsers read it
for kv in sys.argv[3:]:
    k, v = kv.split("=", 1); fields[k] = v
class Keep(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *a, **k): return None
req = urllib.request.Request(sys.argv[2], data=urllib.parse.urlencode(list(fields.items())).encode())
for line in open(sys.argv[1].rsplit("/", 1)[0] + "/jar", encoding="utf-8"):  # curl's jar
    parts = line.strip().removeprefix("#HttpOnly_").split("\t")
    if len(parts) == 7: req.add_header("Cookie", parts[5] + "=" + parts[6])
try:
    r = urllib.request.build_opener(Keep).open(req); code, body, loc = r.status, r.read(), r.headers.get("Location")
except urllib.error.HTTPError as e:
    code, body, loc = e.code, e.read(), e.headers.get("Location")
open(sys.argv[1] + ".answer", "wb").write(body)
print(code, loc or "")
PY
submit() { page=$1; shift; python3 "$TMP/form.py" "$page" "$URL/readouts/new" "$@"; cp "$page.answer" "$TMP/body"; }

# The paste page.
check_eq "GET /readouts/new" 200 "$(get "$URL/readouts/new?dialogue=1")"
T=$(sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' "$TMP/body" | head -n 1)
check_eq "its form carries a token" 64 "${#T}"
grep -q '<textarea id="f-text" name="text"' "$TMP/body"
check_eq "has a text area for the readout" 0 $?
grep -q '<option value="1" selected>' "$TMP/body"
check_eq "the dialogue of the link is chosen" 0 $?
get "$URL/dialogues/1" >/dev/null
grep -q 'href="/readouts/new?dialogue=1"' "$TMP/body"
check_eq "the dialogue page links to it" 0 $?

# Bad input keeps the text and says why.
check_eq "an empty readout" 422 "$(get --data "csrf=$T&action=parse&dialogue=1&text=+%0A+" "$URL/readouts/new")"
grep -q 'role="alert"' "$TMP/body" && grep -q 'empty' "$TMP/body"
check_eq "is refused with a message" 0 $?
check_eq "a readout that is not UTF-8" 422 "$(get --data "csrf=$T&action=parse&text=abc%FF%FEdef" "$URL/readouts/new")"
grep -q 'not a text file' "$TMP/body"
check_eq "is refused as not text" 0 $?

# Paste, then the draft in a form.
check_eq "POST the readout" 200 "$(get --data-urlencode "text@$TMP/r.txt" --data "csrf=$T&action=parse&dialogue=1" "$URL/readouts/new")"
cp "$TMP/body" "$TMP/review.html"
grep -q 'name="p0_name" [^>]*value="Anna Kowalczyk"' "$TMP/review.html"
check_eq "the review form holds the participant" 0 $?
grep -q 'name="date" [^>]*value="2019-03-12"' "$TMP/review.html" &&
    grep -q 'name="round" [^>]*value="3"' "$TMP/review.html" &&
    grep -q 'name="place" [^>]*value="Vientiane"' "$TMP/review.html"
check_eq "the date, round and place" 0 $?
grep -q 'name="u0_themes" [^>]*value="[^"]*torture' "$TMP/review.html"
check_eq "the ask with its themes" 0 $?
grep -q 'name="source" [^>]*value="https://example.org/canada-laos"' "$TMP/review.html"
check_eq "the source from the readout's source line" 0 $?
grep -q 'from: &ldquo;Canada welcomed' "$TMP/review.html"
check_eq "the sentence an item came from" 0 $?

# A save that is refused shows the form again, with what was typed.
check_eq "an unknown theme is refused" "422 " "$(submit "$TMP/review.html" action=save 'u0_themes=torture made-up')"
grep -q 'name="u0_themes" [^>]*value="torture made-up" aria-invalid="true"' "$TMP/body"
check_eq "the field keeps its value and is marked" 0 $?
grep -q 'role="alert"' "$TMP/body" && grep -q "made-up" "$TMP/body"
check_eq "the message names the theme" 0 $?
check_eq "a round number that is not one is refused" "422 " "$(submit "$TMP/review.html" action=save round=third)"
grep -q 'name="round" [^>]*value="third" aria-invalid="true"' "$TMP/body"
check_eq "and kept" 0 $?
check_eq "no dialogue chosen is refused" "422 " "$(submit "$TMP/review.html" action=save dialogue=)"
check_eq "a date that is not one is refused" "422 " "$(submit "$TMP/review.html" action=save date=2019-13-01)"
grep -q 'name="date" [^>]*value="2019-13-01" aria-invalid="true"' "$TMP/body"
check_eq "and kept" 0 $?
check_eq "markup typed in is kept as text" "422 " "$(submit "$TMP/review.html" action=save date= 'p0_title=<b>Head</b>')"
grep -q 'value="&lt;b&gt;Head&lt;/b&gt;"' "$TMP/body" && ! grep -q '<b>Head' "$TMP/body"
check_eq "escaped" 0 $?
check_eq "nothing was written" 0 "$(rounds)"

# An unknown party: the form says what would be left out before writing.
check_eq "an unknown party is shown first" "200 " "$(submit "$TMP/review.html" action=save u0_target=Atlantis)"
grep -q 'role="status"' "$TMP/body" && grep -q 'would be left out' "$TMP/body"
check_eq "with what would be left out" 0 $?
check_eq "still nothing written" 0 "$(rounds)"

# Corrected and saved.
out=$(submit "$TMP/review.html" action=save 'p0_title=Director General, Human Rights' 't2_text=prison conditions' 't2_themes=detention')
check_eq "the corrected draft is saved" 303 "${out% *}"
rid=${out#*/rounds/}
rid=${rid%%\?*}
check_eq "and the answer goes to the round, by its number in the dialogue, with the banner" \
    "/dialogues/1/rounds/3?saved=round:$("$RT" --db "$DB" round show "1#3" --json | json .id)&readout=1" "${out#* }"
curl -s -b "$TMP/jar" "$URL${out#* }" | grep -q 'Round 3 of Canada-Laos Human Rights Dialogue saved.'
check_eq "which says what was saved" 0 $?
"$RT" --db "$DB" round show "1#$rid" --json >"$TMP/round.json"
check_eq "round 3" 3 "$(json .ordinal <"$TMP/round.json")"
check_eq "the corrected title" "Director General, Human Rights" "$(json .participants.0.title <"$TMP/round.json")"
check_eq "the added topic" "prison conditions" "$(json .topics.2.text <"$TMP/round.json")"
check_eq "with its theme" detention "$(json .topics.2.areas.0 <"$TMP/round.json")"
check_eq "the ask is tagged" yes "$(json .asks.0.areas <"$TMP/round.json" | grep -q torture && echo yes)"
check_eq "the welcomed release is a step of 4 in 2018-11" "prisoner-release 4 2018-11" \
    "$(json .welcomed_steps.0.kind <"$TMP/round.json") $(json .welcomed_steps.0.quantity <"$TMP/round.json") $(json .welcomed_steps.0.date <"$TMP/round.json")"
check_eq "the source" "https://example.org/canada-laos" "$(json .source <"$TMP/round.json")"
check_eq "the round page" 200 "$(get "$URL/dialogues/1/rounds/$rid")"
grep -q 'Recommendations on the same themes' "$TMP/body" && grep -q 'href="/search?sur=LAO&amp;theme=' "$TMP/body"
check_eq "links to the recommendations on its themes" 0 $?
check_eq "saving round 3 again is refused" "422 " "$(submit "$TMP/review.html" action=save)"
check_eq "one round" 1 "$(rounds)"

# The API: parse as `readout parse --json` does, and save a draft.
"$RT" readout parse --json "$TMP/r.txt" >"$TMP/cli.json"
python3 -c 'import json,sys; print(json.dumps({"text": open(sys.argv[1]).read(), "name": "r.txt"}))' "$TMP/r.txt" >"$TMP/req.json"
check_eq "POST /api/v1/readouts/parse (JSON)" 200 \
    "$(get -H 'Content-Type: application/json' --data-binary @"$TMP/req.json" "$URL/api/v1/readouts/parse")"
same_json() { python3 -c 'import json,sys; a=json.load(open(sys.argv[1])); b=json.load(open(sys.argv[2])); sys.exit(0 if a == b else 1)' "$1" "$2"; }
check "answers as readout parse --json" same_json "$TMP/body" "$TMP/cli.json"
check_eq "POST /api/v1/readouts/parse (text)" 200 \
    "$(get -H 'Content-Type: text/plain' --data-binary @"$TMP/r.txt" "$URL/api/v1/readouts/parse?evidence=1")"
check_eq "with the evidence asked for" yes "$(json .sentences <"$TMP/body" | grep -q 'Vientiane' && echo yes)"
cp "$TMP/body" "$TMP/draft.json"
check_eq "an empty text" 422 "$(get -H 'Content-Type: text/plain' --data-binary ' ' "$URL/api/v1/readouts/parse")"
printf 'ab\000cd' >"$TMP/bin"
check_eq "a binary text" 422 "$(get -H 'Content-Type: text/plain' --data-binary @"$TMP/bin" "$URL/api/v1/readouts/parse")"
check_eq "another media type" 415 "$(get -H 'Content-Type: application/pdf' --data-binary @"$TMP/bin" "$URL/api/v1/readouts/parse")"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d["round"]=4; d["place"]="Ottawa"; print(json.dumps(d))' "$TMP/draft.json" >"$TMP/d4.json"
check_eq "a dry run of a save" 200 \
    "$(get -H 'Content-Type: application/json' --data-binary @"$TMP/d4.json" "$URL/api/v1/dialogues/1/readouts?dry_run=1")"
check_eq "writes nothing" 1 "$(rounds)"
check_eq "POST /api/v1/dialogues/1/readouts" 201 \
    "$(get -H 'Content-Type: application/json' --data-binary @"$TMP/d4.json" "$URL/api/v1/dialogues/1/readouts")"
check_eq "a round" 2 "$(rounds)"
check_eq "in Ottawa" Ottawa "$("$RT" --db "$DB" round show "$(json .round <"$TMP/body")" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["place"])')"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d["round"]=5; d["urged"][0]["themes"]=["nope"]; print(json.dumps(d))' "$TMP/draft.json" >"$TMP/bad.json"
check_eq "a draft with an unknown theme" 422 \
    "$(get -H 'Content-Type: application/json' --data-binary @"$TMP/bad.json" "$URL/api/v1/dialogues/1/readouts")"
check_eq "names the field" '"urged[0].themes"' "$(python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin)["error"]["field"]))' <"$TMP/body")"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d["round"]=5; d["date"]=None; print(json.dumps(d))' "$TMP/draft.json" >"$TMP/bad.json"
check_eq "a draft without a date" 422 \
    "$(get -H 'Content-Type: application/json' --data-binary @"$TMP/bad.json" "$URL/api/v1/dialogues/1/readouts")"
check_eq "an unknown dialogue" 404 \
    "$(get -H 'Content-Type: application/json' --data-binary @"$TMP/d4.json" "$URL/api/v1/dialogues/99/readouts")"
check_eq "still two rounds" 2 "$(rounds)"

kill -TERM $PID
wait $PID
check_eq "SIGTERM stops the server cleanly" 0 $?
done_testing
