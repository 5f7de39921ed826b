#!/bin/sh
# The web face over real HTTP: the API answers with the CLI's JSON, pages render,
# hostile requests get clear errors, data is escaped, and the server stops cleanly.
. "$(dirname "$0")/../lib/test-lib.sh"

DB=$(new_db w)
demo_ledger "$DB"
"$RT" --db "$DB" step add --actor Belarus --date 2016-10 --kind statement \
    '<script>alert(1)</script> & "quoted"' >/dev/null
check_eq "a step with markup in its text is stored" 0 $?

serve_start "$DB"
PID=$SERVE_PID
check_eq "serve prints where it listens" yes "$(echo "$URL" | grep -q '^http://127.0.0.1:[0-9]*$' && echo yes)"

get() { curl -s -o "$TMP/body" -w '%{http_code}' "$@"; }
same_json() { python3 -c 'import json,sys; a=json.load(open(sys.argv[1])); b=json.load(open(sys.argv[2])); sys.exit(0 if a == b else 1)' "$1" "$2"; }

check_eq "GET /" 200 "$(get "$URL/")"
grep -q "US-Belarus Working Group" "$TMP/body"
check_eq "the start page lists the dialogue" 0 $?
check_eq "search API" 200 "$(get "$URL/api/v1/recommendations?q=death+penalty&sur=Belarus&facets=1")"
"$RT" --db "$DB" search 'death penalty' --sur Belarus --facets --json >"$TMP/cli.json"
check "the API answers with the same JSON as search --json" same_json "$TMP/body" "$TMP/cli.json"
check_eq "one recommendation" 200 "$(get "$URL/api/v1/recommendations/1")"
"$RT" --db "$DB" show 1 --json >"$TMP/cli.json"
check "the same JSON as show --json" same_json "$TMP/body" "$TMP/cli.json"
for path in dialogues dialogues/1 dialogues/1/timeline dialogues/1/reciprocity dialogues/1/steps \
    rounds/2 rounds/2/since "status?target=ask:2&as_of=2016-06-30" recommendations/1/status; do
    check_eq "GET /api/v1/$path" 200 "$(get "$URL/api/v1/$path")"
done
"$RT" --db "$DB" since 2 --json >"$TMP/cli.json"
get "$URL/api/v1/rounds/2/since" >/dev/null
check "since over HTTP is since --json" same_json "$TMP/body" "$TMP/cli.json"
"$RT" --db "$DB" timeline 1 --as-of 2015-12-31 --json >"$TMP/cli.json"
get "$URL/api/v1/dialogues/1/timeline?as_of=2015-12-31" >/dev/null
check "timeline as of a date over HTTP" same_json "$TMP/body" "$TMP/cli.json"

for page in search "search?q=tortured" recommendations/1 dialogues/1 dialogues/1/rounds/2; do
    check_eq "page /$page" 200 "$(get "$URL/$page")"
done
get "$URL/search?q=death+penalty&sur=Belarus" >/dev/null
grep -q 'rel="next"\|recommendation' "$TMP/body"
check_eq "the search page lists hits" 0 $?
get "$URL/search?q=torture&cycle=abc" >/dev/null
grep -q 'role="alert"' "$TMP/body" && grep -q "cycle" "$TMP/body"
check_eq "the search page says which argument is wrong, as the API does" 0 $?
get "$URL/dialogues/1" >/dev/null
grep -q "<script>alert" "$TMP/body"
check_eq "markup from data is inert on the dialogue page" 1 $?
grep -q "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quoted&quot;" "$TMP/body"
check_eq "and shown as text" 0 $?

check_eq "unknown endpoint" 404 "$(get "$URL/api/v1/nothing")"
grep -q '"error"' "$TMP/body" && grep -q '"code": "not_found"' "$TMP/body"
check_eq "errors are JSON with a code" 0 $?
check_eq "unknown page" 404 "$(get "$URL/nothing/here")"
check_eq "a path with .." 400 "$(get --path-as-is "$URL/api/v1/../../etc/passwd")"
check_eq "a huge limit" 400 "$(get "$URL/api/v1/recommendations?limit=99999999")"
grep -q '"field": "limit"' "$TMP/body"
check_eq "names the field" 0 $?
check_eq "a negative offset" 400 "$(get "$URL/api/v1/recommendations?offset=-5")"
check_eq "an unknown argument" 400 "$(get "$URL/api/v1/recommendations?colour=red")"
check_eq "unbalanced quotes are a query, not an error" 200 \
    "$(get "$URL/api/v1/recommendations?q=%22death+penalty")"
check_eq "an unknown state" 422 "$(get "$URL/api/v1/recommendations?sur=Atlantis")"
check_eq "a write to a read endpoint" 405 "$(get -X POST "$URL/api/v1/dialogues")"
head -c 10485760 /dev/zero >"$TMP/big"
check_eq "a 10 MB body" 413 "$(get -X POST -H 'Content-Type: application/json' --data-binary @"$TMP/big" "$URL/api/v1/steps")"
check_eq "a bad id" 404 "$(get "$URL/api/v1/rounds/abc")"
check_eq "a bad as-of date" 422 "$(get "$URL/api/v1/dialogues/1/timeline?as_of=2015-13-01")"

# docs/api.yaml and the server agree (every route served is documented and the other
# way round, every answer matches its schema): tests/web/api.test.mjs, run by
# `make check-web`, reads the file with a real OpenAPI tool instead of line patterns.

# Writes: JSON in, checked, 201 out; and the bad ones.
post() { curl -s -o "$TMP/body" -w '%{http_code}' -X POST -H 'Content-Type: application/json' --data-binary "$2" "$URL$1"; }
check_eq "POST a step" 201 "$(post /api/v1/steps '{"actor": "USA", "date": "2016-11", "kind": "visit", "text": "A delegation visits Minsk", "responds_to": ["step:3"], "welcomed_in": []}')"
sid=$(json .id <"$TMP/body")
"$RT" --db "$DB" timeline 1 --json | grep -q "A delegation visits Minsk"
check_eq "the step is on the timeline" 0 $?
check_eq "POST a round" 201 "$(post /api/v1/dialogues/1/rounds '{"date": "2017-03-01", "place": "Minsk"}')"
rid=$(json .id <"$TMP/body")
check_eq "the new round is named by its number in the dialogue" "1 3 1#3" \
    "$(json .dialogue <"$TMP/body") $(json .ordinal <"$TMP/body") $(json .ref <"$TMP/body")"
check_eq "POST an ask to round 3 of dialogue 1" 201 "$(post /api/v1/dialogues/1/rounds/3/asks '{"from": "USA", "to": "Belarus", "text": "Allow observers"}')"
check_eq "a round the dialogue does not have" 404 "$(post /api/v1/dialogues/1/rounds/9/asks '{"from": "USA", "to": "Belarus", "text": "x"}')"
check_eq "POST an ask" 201 "$(post "/api/v1/rounds/$rid/asks" '{"from": "USA", "to": "Belarus", "text": "Free the remaining prisoners", "recommendations": ["rec:14"]}')"
check_eq "POST an assessment" 201 "$(post /api/v1/assessments '{"target": "ask:2", "as_of": "2017-01-01", "status": "partially"}')"
check_eq "a body that is not JSON" 422 "$(post /api/v1/steps 'actor=USA')"
check_eq "a body of the wrong type" 415 "$(curl -s -o "$TMP/body" -w '%{http_code}' -X POST -H 'Content-Type: text/plain' --data 'x' "$URL/api/v1/steps")"
check_eq "an unknown field" 422 "$(post /api/v1/steps '{"actor": "USA", "date": "2016-11", "kind": "visit", "text": "x", "colour": "red"}')"
grep -q '"field": "colour"' "$TMP/body"
check_eq "names the unknown field" 0 $?
check_eq "a wrong type" 422 "$(post /api/v1/steps '{"actor": "USA", "date": "2016-11", "kind": "visit", "text": "x", "quantity": "six"}')"
grep -q '"field": "quantity"' "$TMP/body"
check_eq "names the field of the wrong type" 0 $?
check_eq "a missing field" 422 "$(post /api/v1/steps '{"actor": "USA", "date": "2016-11", "kind": "visit"}')"
grep -q '"field": "text"' "$TMP/body"
check_eq "names the missing field" 0 $?
before=$("$RT" --db "$DB" step list --json | python3 -c 'import json,sys;print(len(json.load(sys.stdin)))')
check_eq "a step answering a missing ask" 404 "$(post /api/v1/steps '{"actor": "USA", "date": "2016-11", "kind": "visit", "text": "y", "answers": ["ask:999"]}')"
after=$("$RT" --db "$DB" step list --json | python3 -c 'import json,sys;print(len(json.load(sys.stdin)))')
check_eq "and writes nothing" "$before" "$after"
check_eq "a bad date" 422 "$(post /api/v1/steps '{"actor": "USA", "date": "2016-13-01", "kind": "visit", "text": "y"}')"
check_eq "GET on a write endpoint" 405 "$(get "$URL/api/v1/steps")"

# Forms carry a token in a hidden field, derived from a cookie of the browser's own
# (rt_csrf; with accounts, from the session): curl keeps it in a jar.
get -c "$TMP/jar" "$URL/dialogues/1" >/dev/null
TOKEN=$(sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' "$TMP/body" | head -n 1)
check_eq "the forms carry a token of 64 hex digits" 64 "${#TOKEN}"

# Forms: saved and sent back to the page (303), or the page again with the input kept.
form() { curl -s -b "$TMP/jar" -o "$TMP/body" -D "$TMP/headers" -w '%{http_code}' --data "$2&csrf=$TOKEN" "$URL$1"; }
check_eq "a step through the form" 303 "$(form /dialogues/1/steps 'actor=Belarus&date=2016-12&kind=pardon&quantity=2&text=Two+activists+pardoned&responds_to=')"
grep -qi '^location: /dialogues/1' "$TMP/headers"
check_eq "goes back to the dialogue" 0 $?
get "$URL/dialogues/1" >/dev/null
grep -q "Two activists pardoned" "$TMP/body"
check_eq "and the step is on its timeline" 0 $?
check_eq "a form with a bad date" 422 "$(form /dialogues/1/steps 'actor=Belarus&date=2016-13-40&kind=pardon&text=Kept+%3Cb%3Etext%3C%2Fb%3E')"
grep -q 'value="2016-13-40"' "$TMP/body" && grep -q "Kept &lt;b&gt;text&lt;/b&gt;" "$TMP/body"
check_eq "keeps what the user typed, escaped" 0 $?
grep -q 'role="alert"' "$TMP/body"
check_eq "and says what is wrong" 0 $?
check_eq "an assessment through the form" 303 "$(form /recommendations/1/assessments 'as_of=2016-12-08&status=not-started&evidence=No+change')"
get "$URL/recommendations/1" >/dev/null
grep -q "No change" "$TMP/body"
check_eq "shows on the recommendation page" 0 $?
check_eq "an ask through the form" 303 "$(form /dialogues/1/rounds/2/asks 'from=USA&to=Belarus&text=Allow+independent+media')"
grep -qi '^location: /dialogues/1/rounds/2' "$TMP/headers"
check_eq "goes back to the round, by its number" 0 $?
check_eq "a round through the form" 303 "$(form /dialogues/1/rounds 'date=2017-06&place=Minsk')"
check_eq "a quantity that is not a number" 422 "$(form /dialogues/1/steps 'actor=Belarus&date=2016&kind=pardon&quantity=six&text=x')"

# Cross-site requests. A page of another site can make the browser post a form here;
# the browser says where it comes from (Sec-Fetch-Site, Origin), and only this
# server's pages know the token. Each refusal is a 403 that says why, and saves nothing.
steps() { "$RT" --db "$DB" step list --json | python3 -c 'import json,sys;print(len(json.load(sys.stdin)))'; }
STEP='actor=Belarus&date=2017&kind=pardon&text=Forged+step'
raw_form() { curl -s -o "$TMP/body" -w '%{http_code}' "$@"; }
before=$(steps)
check_eq "a form without the token" 403 "$(raw_form --data "$STEP" "$URL/dialogues/1/steps")"
grep -q "out of date" "$TMP/body" && grep -q "Reload the page" "$TMP/body"
check_eq "says the form is out of date and what to do" 0 $?
check_eq "a form with a wrong token" 403 "$(raw_form -b "$TMP/jar" --data "$STEP&csrf=0123" "$URL/dialogues/1/steps")"
check_eq "the right token from a browser without its cookie" 403 "$(raw_form --data "$STEP&csrf=$TOKEN" "$URL/dialogues/1/steps")"
check_eq "the right token with another browser's cookie" 403 "$(raw_form -b "rt_csrf=$(printf '%064d' 7)" --data "$STEP&csrf=$TOKEN" "$URL/dialogues/1/steps")"
check_eq "a form posted from another site" 403 "$(raw_form -H 'Origin: http://forms.example' -H 'Sec-Fetch-Site: cross-site' --data "$STEP&csrf=$TOKEN" "$URL/dialogues/1/steps")"
grep -q "sent from another site" "$TMP/body"
check_eq "says it came from another site" 0 $?
check_eq "a form from another port of this machine (same-site)" 403 "$(raw_form -H 'Origin: http://127.0.0.1:1' -H 'Sec-Fetch-Site: same-site' --data "$STEP&csrf=$TOKEN" "$URL/dialogues/1/steps")"
check_eq "a form from another site, Origin only (older browsers)" 403 "$(raw_form -H 'Origin: http://forms.example' --data "$STEP&csrf=$TOKEN" "$URL/dialogues/1/steps")"
check_eq "an Origin of null" 403 "$(raw_form -H 'Origin: null' --data "$STEP&csrf=$TOKEN" "$URL/dialogues/1/steps")"
check_eq "none of the refused forms saved a step" "$before" "$(steps)"
check_eq "a form from the server's own page" 303 "$(raw_form -b "$TMP/jar" -H "Origin: $URL" -H 'Sec-Fetch-Site: same-origin' --data "$STEP&csrf=$TOKEN" "$URL/dialogues/1/steps")"
check_eq "is saved" "$((before + 1))" "$(steps)"
# The JSON API takes writes from programs, which send no Origin (the POSTs above); a
# browser sends one, and from another site the write is refused.
before=$(steps)
check_eq "an API write from another site" 403 "$(curl -s -o "$TMP/body" -w '%{http_code}' -X POST -H 'Origin: http://forms.example' -H 'Sec-Fetch-Site: cross-site' -H 'Content-Type: application/json' --data '{"actor": "USA", "date": "2017", "kind": "visit", "text": "Forged"}' "$URL/api/v1/steps")"
check_eq "is a JSON error cross_site" cross_site "$(json .error.code <"$TMP/body")"
# What an HTML form of another site can send without the browser asking first is
# form-encoded or plain text, never application/json.
check_eq "a form-encoded API write" 415 "$(curl -s -o "$TMP/body" -w '%{http_code}' -X POST --data 'actor=USA&date=2017&kind=visit&text=Forged' "$URL/api/v1/steps")"
check_eq "no API write from another site saved a step" "$before" "$(steps)"
check_eq "reads from another site are answered" 200 "$(get -H 'Origin: http://forms.example' -H 'Sec-Fetch-Site: cross-site' "$URL/api/v1/dialogues")"

kill -TERM $PID
wait $PID
check_eq "SIGTERM stops the server cleanly" 0 $?
check_fails "a non-loopback host needs --unsafe-no-auth" 2 "$RT" --db "$DB" serve --host 0.0.0.0 --port 0
grep -q "unsafe-no-auth" "$TMP/err"
check_eq "and says why" 0 $?
done_testing
