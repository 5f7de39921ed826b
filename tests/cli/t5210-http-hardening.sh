#!/bin/sh
# Requests an attacker would send (issue 14): a Host of another site (DNS
# rebinding), arguments that are not UTF-8, too many arguments, long paths and %00,
# odd methods, a media type that only starts like JSON, a readout form field that
# is not text; each gets a clear refusal at once. And SIGTERM answers every request
# in flight before the server exits.
. "$(dirname "$0")/../lib/test-lib.sh"
DB=$(new_db w)
demo_ledger "$DB"
serve_start "$DB" --allow-host rights.example.org
PORT=${URL##*:}
get() { curl -s -m 10 -o "$TMP/body" -D "$TMP/head" -w '%{http_code}' "$@"; }
# Forms carry the browser's form token (rt_csrf cookie + csrf field), as a browser's do.
get -c "$TMP/jar" "$URL/readouts/new" >/dev/null
TOKEN=$(sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' "$TMP/body" | head -n 1)
has_json_error() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if d["error"]["message"] else 1)' "$TMP/body"; }

# Host.
STEP='{"actor":"Belarus","date":"2016","kind":"visit","text":"x"}'
check_eq "a write with the Host of another site" 421 \
    "$(get -H "Host: evil.example:$PORT" -H "Origin: http://evil.example:$PORT" -H 'Sec-Fetch-Site: same-origin' -H 'Content-Type: application/json' -d "$STEP" "$URL/api/v1/steps")"
check "its answer says why, in JSON" has_json_error
check_eq "and nothing was written" 0 "$("$RT" --db "$DB" step list --json | grep -c '"text": "x"')"
check_eq "a read with the Host of another site" 421 "$(get -H "Host: evil.example:$PORT" "$URL/api/v1/dialogues")"
check_eq "a page with the Host of another site" 421 "$(get -H "Host: evil.example:$PORT" "$URL/dialogues/1")"
grep -q "allow-host" "$TMP/body" || fail "the refusal names --allow-host" "$(cat "$TMP/body")"
check_eq "the right name on another port" 421 "$(get -H "Host: 127.0.0.1:1" "$URL/")"
check_eq "localhost" 200 "$(get -H "Host: localhost:$PORT" "$URL/")"
check_eq "LOCALHOST" 200 "$(get -H "Host: LOCALHOST:$PORT" "$URL/")"
check_eq "[::1]" 200 "$(get -H "Host: [::1]:$PORT" "$URL/")"
check_eq "a name given with --allow-host" 200 "$(get -H "Host: rights.example.org:$PORT" "$URL/api/v1/dialogues")"
check_eq "a name that only ends like it" 421 "$(get -H "Host: evil-rights.example.org:$PORT" "$URL/")"

# Arguments that are not UTF-8: 422 with a JSON body naming the argument.
check_eq "?sur=%FF" 422 "$(get "$URL/api/v1/recommendations?sur=%FF")"
grep -q '"field": "sur"' "$TMP/body" || fail "the body names the argument" "$(cat "$TMP/body")"
check_eq "?q=%1B on the search page" 422 "$(get "$URL/search?q=%1B%5B2J")"

# Too many arguments: 431 at once, not a 30 s wait.
for n in 300 480 2000; do
    q=$(python3 -c "import sys; print('&'.join('a%d=1' % i for i in range(int(sys.argv[1]))))" $n)
    start=$(date +%s)
    check_eq "$n query arguments" 431 "$(get "$URL/api/v1/recommendations?$q")"
    check_eq "answered within 2 s" yes "$([ $(($(date +%s) - start)) -le 2 ] && echo yes)"
done
check_eq "the server still answers" 200 "$(get "$URL/api/v1/dialogues")"

# Paths.
long=$(python3 -c "print('a' * 600)")
check_eq "a path over 511 bytes" 414 "$(get "$URL/recommendations/$long")"
check_eq "a path with %00" 400 "$(get "$URL/recommendations/1%00")"
check_eq "an API path with %00" 400 "$(get "$URL/api/v1/recommendations/1%00xyz")"
check_eq "an argument with %00" 400 "$(get "$URL/api/v1/recommendations?q=a%00b")"

# Methods: 405 with Allow.
for m in PUT DELETE TRACE PATCH; do
    check_eq "$m /states/BLR" 405 "$(get -X $m "$URL/states/BLR")"
    grep -qi '^Allow: ' "$TMP/head" || fail "$m: the 405 carries Allow"
done
check_eq "POST to a page that is only read" 405 "$(get -b "$TMP/jar" -d "x=1&csrf=$TOKEN" "$URL/dialogues/1")"
check_eq "it says GET, HEAD" 1 "$(grep -ci '^Allow: GET, HEAD' "$TMP/head")"
check_eq "DELETE on an API read" 405 "$(get -X DELETE "$URL/api/v1/dialogues/1")"
check_eq "it says GET, HEAD" 1 "$(grep -ci '^Allow: GET, HEAD' "$TMP/head")"
check_eq "GET on an API write" 405 "$(get "$URL/api/v1/steps")"
check_eq "it says POST" 1 "$(grep -ci '^Allow: POST' "$TMP/head")"
check_eq "PUT on a report" 405 "$(get -X PUT "$URL/reports/brief/1")"
grep -qi '^Allow: ' "$TMP/head" || fail "the report's 405 carries Allow"

# Media types.
check_eq "application/jsonpwned is not JSON" 415 \
    "$(get -H 'Content-Type: application/jsonpwned' -d "$STEP" "$URL/api/v1/steps")"
check_eq "application/json; charset=utf-8 is" 201 \
    "$(get -H 'Content-Type: application/json; charset=utf-8' -d "$STEP" "$URL/api/v1/steps")"
check_eq "text/plainx is not text for the readout parser" 415 \
    "$(get -H 'Content-Type: text/plainx' -d 'x' "$URL/api/v1/readouts/parse")"

# The readout form: a field that is not UTF-8 is refused in the error box, naming it.
check_eq "the readout form with a place that is not UTF-8" 422 \
    "$(get -b "$TMP/jar" --data "action=save&dialogue=1&date=2017-03-01&round=7&place=Minsk%FF&csrf=$TOKEN" "$URL/readouts/new")"
grep -q 'role="alert"' "$TMP/body" && grep -q 'place' "$TMP/body" ||
    fail "the error box names the field" "$(grep -i -A3 'alert' "$TMP/body" | head -5)"
get "$URL/api/v1/dialogues/1" >/dev/null
check_eq "and no round 7 was written" 0 "$(grep -c '"ordinal": 7' "$TMP/body")"
kill -TERM "$SERVE_PID"
wait "$SERVE_PID" 2>/dev/null

# Graceful shutdown: slow requests in flight when SIGTERM comes all get answers.
serve_start "$DB"
python3 -c "print('The second round of the working group took place in Washington on 16 December 2015. ' * 40)" >"$TMP/readout.txt"
for i in 1 2 3 4 5 6; do
    curl -s -m 20 -o "$TMP/r$i.body" -w '%{http_code}' --limit-rate 1500 -H 'Content-Type: text/plain' \
        --data-binary "@$TMP/readout.txt" "$URL/api/v1/readouts/parse" >"$TMP/r$i.code" &
done
python3 -c "import json; print(json.dumps({'actor': 'Belarus', 'date': '2016', 'kind': 'visit', 'text': 'slow ' * 600}))" >"$TMP/slow.json"
curl -s -m 20 -o "$TMP/w.body" -w '%{http_code}' --limit-rate 1500 -H 'Content-Type: application/json' \
    --data-binary "@$TMP/slow.json" "$URL/api/v1/steps" >"$TMP/w.code" &
sleep 1
kill -TERM "$SERVE_PID"
wait "$SERVE_PID"
check_eq "the server exits 0 after SIGTERM" 0 $?
wait
check_eq "six reads in flight were answered" "200 200 200 200 200 200" \
    "$(cat "$TMP"/r[1-6].code | sed 's/\(...\)/\1 /g' | sed 's/ $//')"
check_eq "the write in flight was answered" 201 "$(cat "$TMP/w.code")"
check_eq "and saved once" 1 "$("$RT" --db "$DB" step list --json | grep -c '"text": "slow slow')"
done_testing
