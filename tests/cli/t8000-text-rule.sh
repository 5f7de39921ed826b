#!/bin/sh
# One text rule for every way in (rt_text_check, src/text/check.c): valid UTF-8 and
# no control characters but tab and line breaks. Each write command refuses a bad
# byte and an escape sequence with exit 1, naming the field; the API refuses them with
# 422; a CSV import and a restore refuse them naming the file, line or row and the
# field; the database stays readable; text that an older database holds is printed
# without its control bytes.
. "$(dirname "$0")/../lib/test-lib.sh"

DB=$(new_db t)
demo_ledger "$DB"
check_eq "the demo ledger is made (on PostgreSQL, restored from SQLite)" 0 $?
r() { "$RT" --db "$DB" "$@"; }
D="US-Belarus Working Group for Democracy and Human Rights"
R="$D#2"
BAD=$(printf 'x\377')
ESC=$(printf 'x\033[31m')
BEL=$(printf 'x\007')

# Each write command, with $1 (the bad text) in one of its text fields; and the
# field the message must name.
try() {
    bad=$1 what=$2 field=$3; shift 3
    check_fails "$what refuses $(printf '%s' "$bad" | od -An -c | tr -s ' ' | head -c 20)" 1 "$@"
    grep -q "field '$field'" "$TMP/err" || fail "$what: the message names '$field'" "$(cat "$TMP/err")"
    check_eq "$what: nothing printed" "" "$(cat "$TMP/out")"
}
for b in "$BAD" "$ESC" "$BEL"; do
    try "$b" "dialogue add" name r dialogue add "D$b" --party USA --party Belarus
    try "$b" "round add" place r round add "$D" --date 2017 --place "$b"
    try "$b" "participant add" title r participant add "$R" --name N --title "$b"
    try "$b" "topic add" text r topic add "$R" "$b"
    try "$b" "ask add" text r ask add "$R" --from USA --to BLR "$b"
    try "$b" "step add" text r step add --actor Belarus --date 2016 --kind statement "$b"
    try "$b" "step add --source" source r step add --actor Belarus --date 2016 --kind statement ok --source "$b"
    try "$b" "commitment add" then r commitment add "$R" --party USA --then "$b"
    try "$b" "benchmark add" text r benchmark add "$D" "$b"
    try "$b" "assess" evidence r assess ask:1 partially --date 2016 --evidence "$b"
done
check_eq "a tab and a line break are text" "added step 4" \
    "$(r step add --actor Belarus --date 2016 --kind statement "$(printf 'a\tb\nc')")"
check "export --json still works" r export --json --out "$TMP/e.json"
check "step list still works" r step list
check "timeline still works" r timeline 1

# The API, through the same library writes.
serve_start "$DB"
post() { curl -s -o "$TMP/body" -w '%{http_code}' -H 'Content-Type: application/json' --data-binary "@$1" "$URL$2"; }
printf '{"actor":"Belarus","date":"2016","kind":"statement","text":"x\\u001b[31m"}' >"$TMP/esc.json"
check_eq "the API refuses an escape in a step's text" 422 "$(post "$TMP/esc.json" /api/v1/steps)"
grep -q '"field": "text"' "$TMP/body" || fail "the API names the field" "$(cat "$TMP/body")"
printf '{"actor":"Belarus","date":"2016","kind":"statement","text":"x\377"}' >"$TMP/ff.json"
check_eq "the API refuses a byte that is not UTF-8" 422 "$(post "$TMP/ff.json" /api/v1/steps)"
check_eq "the dialogue page still answers" 200 "$(curl -s -o /dev/null -w '%{http_code}' "$URL/dialogues/1")"
kill "$SERVE_PID"
wait "$SERVE_PID" 2>/dev/null

# CSV import: the file and line, and the column.
printf 'id,session,cycle,review_year,state_under_review,sur_region,sur_orgs,recommending_state,rs_region,rs_orgs,response,action_category,issues,text,source_file\n1,8,1,2010,Belarus,EEG,,Sweden,WEOG,EU,Noted,5,Death penalty,"Halt\033[2J executions",demo\n' >"$TMP/esc.csv"
head -c 0 /dev/null
check_fails "a CSV import refuses an escape in a field" 1 "$RT" --db "$(new_db c)" import "$TMP/esc.csv"
grep -q "esc.csv:2: field" "$TMP/err" || fail "naming the file, line and field" "$(cat "$TMP/err")"

# Restore: a text with an escape in a row.
python3 -c 'import json,sys
d=json.load(open(sys.argv[1]))
d["tables"]["step"][0]["text"] = "x\u001b]0;pwned\u0007"
json.dump(d, open(sys.argv[2], "w"))' "$TMP/e.json" "$TMP/esc-restore.json"
check_fails "a restore refuses an escape in a row" 1 "$RT" --db "$(new_db r)" import "$TMP/esc-restore.json"
grep -q "esc-restore.json: field 'tables.step\[0\].text'" "$TMP/err" || fail "naming the row and field" "$(cat "$TMP/err")"

# A database written before the rule: step list prints no control byte.
if [ "$RT_TEST_STORE" = sqlite ]; then
    sqlite3 "$DB" "UPDATE step SET text = 'old' || char(27) || '[31m red' || char(7) WHERE id = 1" 2>/dev/null ||
        python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute("UPDATE step SET text = ? WHERE id = 1", ("old\x1b[31m red\x07",)); c.commit()' "$DB"
else
    sql "$DB" "UPDATE step SET text = 'old' || chr(27) || '[31m red' || chr(7) WHERE id = 1"
fi
check_eq "the old data holds an ESC and a BEL (13 characters)" 13 \
    "$(sql "$DB" "SELECT length(text) FROM step WHERE id = 1")"
r step list >"$TMP/list"
check_eq "step list prints no ESC or BEL from old data" 0 "$(tr -dc '\033\007' <"$TMP/list" | wc -c)"
r timeline 1 >"$TMP/list"
check_eq "timeline prints no ESC or BEL from old data" 0 "$(tr -dc '\033\007' <"$TMP/list" | wc -c)"
done_testing
