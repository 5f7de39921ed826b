#!/bin/sh
# import --private (issue 14): the file's source record is private, through the one
# library function the command line and the web import page (its check box, the
# API's ?private=true) call. The public and viewers are not told that a
# recommendation came from that file, in the API, an export or the history; the
# recommendations themselves stay public. An export is refused with --private.
. "$(dirname "$0")/../lib/test-lib.sh"
# On both stores: PostgreSQL's import writes the mark in its working copy (t9035
# compares the two stores).

DB=$(new_db i)
rt() { "$RT" --db "$DB" "$@"; }
code() { curl -s -o "$TMP/body" -w '%{http_code}' "$@"; }
rt import "$ROOT/data/demo/recommendations.csv" >/dev/null
# A partner's list: one recommendation the demo has (from another state), one new.
{
    head -1 "$ROOT/data/demo/recommendations.csv"
    sed -n 2p "$ROOT/data/demo/recommendations.csv" | sed 's/^1,/901,/; s/,demo$/,partner/'
    echo '902,8,1,2010,Belarus,EEG,,Norway,WEOG,,Noted,5,Death penalty,"Publish the list of every person held for their views.",partner'
} >"$TMP/partner-list.csv"
check "import --private" rt import --private "$TMP/partner-list.csv"
cp "$TMP/out" "$TMP/said"
check "says the source is private" grep -q "its source private" "$TMP/said"
check_eq "--json says so" "True" "$(rt import --private --json "$TMP/partner-list.csv" | json .files.0.private)"
SRC=$(rt export | python3 -c 'import json,sys; print([s["id"] for s in json.load(sys.stdin)["tables"]["source"] if "partner-list" in s["path"]][0])')
check_eq "the source record is marked" True "$(rt private --json "source:$SRC" | json .0.private)"
rt export >"$TMP/full.json"
check_fails "an export is refused with --private" 1 "$RT" --db "$(new_db other)" import --private "$TMP/full.json"
cp "$TMP/err" "$TMP/said"
check "saying why" grep -q "without --private" "$TMP/said"

rt --as public export >"$TMP/public.json"
check_eq "the public export has the demo's source only" 1 \
    "$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["tables"]["source"]))' "$TMP/public.json")"
check "and no trace of the file" sh -c "! grep -q partner-list '$TMP/public.json'"
check_eq "nor of which recommendations it gave" 0 \
    "$(python3 -c 'import json,sys; t=json.load(open(sys.argv[1]))["tables"]; print(sum(1 for r in t["recommendation_source"] if r["source_id"] == int(sys.argv[2])))' "$TMP/public.json" "$SRC")"
check_eq "the recommendations are all there" \
    "$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["tables"]["recommendation"]))' "$TMP/full.json")" \
    "$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["tables"]["recommendation"]))' "$TMP/public.json")"
check "a public export restores" "$RT" --db "$(new_db restored)" import "$TMP/public.json"

echo 'editor pass phrase' | rt user add ed --role editor >/dev/null
echo 'viewer pass phrase' | rt user add vic --role viewer >/dev/null
EDITOR=$(rt user token add ed --write 2>/dev/null)
VIEWER=$(rt user token add vic --read 2>/dev/null)
serve_start "$DB" --public
check_eq "the public's history of the source is empty" "[]" \
    "$(curl -s "$URL/api/v1/history?record=source:$SRC" | json .entries | tr -d ' \n')"
check "an editor's has the import" sh -c "curl -s -H 'Authorization: Bearer $EDITOR' '$URL/api/v1/history?record=source:$SRC' | grep -q partner-list"
NEWREC=$(sql "$DB" "SELECT id FROM recommendation WHERE text LIKE 'Publish the list of every person%'")
check_eq "the new recommendation is public" 200 "$(code "$URL/api/v1/recommendations/$NEWREC")"
check "without its private source" sh -c "! grep -q partner-list '$TMP/body'"
check_eq "an editor sees where it came from" 200 \
    "$(code -H "Authorization: Bearer $EDITOR" "$URL/api/v1/recommendations/$NEWREC")"
check "the file named" grep -q partner-list "$TMP/body"
check_eq "the import page has the check box" 200 "$(code -H "Authorization: Bearer $EDITOR" "$URL/imports")"
check "named private" grep -q 'type="checkbox" name="private"' "$TMP/body"
# The API's import with ?private=true: another partner file.
sed 's/partner/second/g; s/^902,/903,/; s/every person held for their views/each person held for a post online/' \
    "$TMP/partner-list.csv" >"$TMP/second-list.csv"
check_eq "POST /api/v1/imports?private=true" 200 \
    "$(code -H "Authorization: Bearer $EDITOR" -H 'Content-Type: text/csv' --data-binary @"$TMP/second-list.csv" \
        "$URL/api/v1/imports?name=second-list.csv&private=true")"
check_eq "marks its source" True "$(json .files.0.private <"$TMP/body")"
check_eq "a viewer is not told of it" 0 \
    "$(curl -s -H "Authorization: Bearer $VIEWER" "$URL/api/v1/history?record=source:$((SRC + 1))" | json .entries | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')"
kill "$SERVE_PID" 2>/dev/null
wait "$SERVE_PID" 2>/dev/null
check "audit verify holds" rt audit verify

done_testing
