#!/bin/sh
# Imports on the web: the real UPR Info export uploaded through the page (multipart,
# the form's token, progress at /imports/N, then the summary) and through the API
# (the file as the body, and as a multipart part) gives the same counts as
# `import --json` on a fresh database; a file with a broken line is refused naming
# the line and field, and imports nothing; a viewer may not import; no upload is
# left behind in the temporary folder; the file is recorded by its name (its source
# and audit entry), not by the upload's temporary one.
. "$(dirname "$0")/../lib/test-lib.sh"
need_data

RAW="$DATA/upr/raw/v2-upr-info"
FILE="$RAW/18.csv"
FILE2="$RAW/1-5.csv"
code() { curl -s -o "$TMP/body" -D "$TMP/headers" -w '%{http_code}' "$@"; }
page() { code -b "$TMP/pjar" -c "$TMP/pjar" "$@"; } # a browser: its cookie goes with its token
csrf_of() { sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' "$TMP/body" | head -n 1; }
count() { sql "$1" "SELECT count(*) FROM recommendation"; }
# summary FILE.json: the counts of an import's summary, one line.
summary() {
    python3 -c 'import json,sys
d=json.load(open(sys.argv[1]))
print(" ".join(str(d[k]) for k in ("rows","recommendations_added","recommendations_existing","recommending_states_added","themes_added","unknown_recommending_state")))' "$1"
}
# the numbers of the page's summary table, in the same order
page_counts() {
    python3 -c 'import re,sys
t=open(sys.argv[1]).read()
rows=dict(re.findall(r"<tr><th scope=\"row\">([^<]*)</th><td>([^<]*)</td></tr>", t))
print(" ".join(rows[k] for k in ("Rows read","Recommendations added","Rows merged into recommendations already there","Recommending states added to recommendations","Theme tags added","Rows whose recommending state is unknown")))' "$1"
}
# wait_import N: reads /imports/N until it is no longer running (202); its status.
wait_import() {
    for _ in $(seq 1 100); do
        st=$(page "$URL/imports/$1")
        [ "$st" != 202 ] && break
        sleep 0.2
    done
    echo "$st"
}

# What the command line says of the same files, each on a fresh database.
CLIDB=$(new_db cli)
"$RT" --db "$CLIDB" import --json "$FILE" >"$TMP/cli.json"
check_eq "import --json of the UPR Info file" 0 $?
"$RT" --db "$(new_db cli2)" import --json "$FILE2" >"$TMP/cli2.json"
CLI=$(summary "$TMP/cli.json")
CLI2=$(summary "$TMP/cli2.json")

# --- The page, on a database that does not exist yet (on PostgreSQL, an empty one).
mkdir "$TMP/up"
DB=$(new_db web)
TMPDIR="$TMP/up" serve_start "$DB"
PID=$SERVE_PID
check_eq "the import page" 200 "$(page "$URL/imports")"
grep -q 'href="/imports">Import</a>' "$TMP/body"
check_eq "is in the site's menu" 0 $?
grep -q 'enctype="multipart/form-data"' "$TMP/body"
check_eq "and uploads as multipart/form-data" 0 $?
grep -q 'name="state"' "$TMP/body"
check_eq "with a field for an ODIHR list's state" 0 $?
T=$(csrf_of)
check_eq "without the form's token the upload is refused" 403 \
    "$(page -F "file=@$FILE" "$URL/imports")"
check_eq "and nothing is imported" 0 "$(count "$DB")"
check_eq "the upload with the token is taken: 303" 303 \
    "$(page -F "csrf=$T" -F "file=@$FILE;filename=18.csv" "$URL/imports")"
LOC=$(sed -n 's/^Location: //p' "$TMP/headers" | tr -d '\r')
check_eq "to the import's page" /imports/1 "$LOC"
check_eq "which shows the outcome when done" 200 "$(wait_import 1)"
cp "$TMP/body" "$TMP/page1.html"
grep -q '<h1>Imported: 18.csv</h1>' "$TMP/page1.html"
check_eq "naming the file" 0 $?
check_eq "the page's counts are import --json's" "$CLI" "$(page_counts "$TMP/page1.html")"
check_eq "and so is the database" "$(count "$CLIDB")" "$(count "$DB")"
check_eq "the import page lists it" 200 "$(page "$URL/imports")"
grep -q 'href="/imports/1">1</a>' "$TMP/body"
check_eq "with a link" 0 $?
check_eq "no upload is left in the temporary folder" "" "$(ls "$TMP/up")"
check_eq "its source is the file's name, not the upload's temporary one" 18.csv \
    "$(sql "$DB" "SELECT path FROM source ORDER BY id")"
check_eq "and so is its import's audit entry" 1 \
    "$(sql "$DB" "SELECT count(*) FROM audit_log WHERE op = 'import' AND after LIKE '%\"file\":\"18.csv\"%'")"
check_eq "no entry names the upload's temporary file" 0 \
    "$(sql "$DB" "SELECT count(*) FROM audit_log WHERE after LIKE '%rightstrack-upload%'")"
check_eq "an unknown import is 404" 404 "$(page "$URL/imports/99")"
check_eq "the form without a file" 422 \
    "$(page --data "csrf=$T" "$URL/imports")"
grep -q 'choose a file' "$TMP/body"
check_eq "asks for one" 0 $?

# --- A dialogue made on the web (/dialogues/new), with the form's token only.
check_eq "the new-dialogue page" 200 "$(page "$URL/dialogues/new")"
grep -q '<datalist id="parties">.*<option value="Belarus">BLR</option>' "$TMP/body"
check_eq "completes the parties from the known states" 0 $?
check_eq "without the token: refused" 403 \
    "$(page --data "name=US-Belarus&party1=United+States&party2=Belarus" "$URL/dialogues/new")"
check_eq "an unknown party: the form again" 422 \
    "$(page --data "csrf=$T&name=US-Belarus&party1=Narnia&party2=Belarus" "$URL/dialogues/new")"
grep -q "Narnia" "$TMP/body"
check_eq "saying which" 0 $?
check_eq "saved: to the dialogue's page" 303 \
    "$(page --data "csrf=$T&name=US-Belarus&party1=United+States&party2=Belarus" "$URL/dialogues/new")"
check_eq "at /dialogues/1" /dialogues/1 "$(sed -n 's/^Location: //p' "$TMP/headers" | tr -d '\r')"
check_eq "dialogue list has it" "US-Belarus USA,BLR" \
    "$("$RT" --db "$DB" dialogue list --json | python3 -c 'import json,sys; d=json.load(sys.stdin)[0]; print(d["name"], ",".join(d["parties"]))')"

# --- A file with a broken line (row 5: a session that is no number) is refused, whole.
{
    tr '\r' '\n' <"$FILE2" | head -n 4
    echo 'Afghanistan,Asia,OIC,A broken line,Ethiopia,Africa,AU,Accepted,4,General,notasession'
    tr '\r' '\n' <"$FILE2" | sed -n '5,20p'
} >"$TMP/bad.csv"
check_fails "the command line refuses it" 1 "$RT" --db "$(new_db clibad)" import "$TMP/bad.csv"
grep -q 'bad.csv:5: field .Session.' "$TMP/err"
check_eq "at line 5, field Session" 0 $?
before=$(count "$DB")
check_eq "the page takes the upload" 303 \
    "$(page -F "csrf=$T" -F "file=@$TMP/bad.csv;filename=bad.csv" "$URL/imports")"
check_eq "and shows the refusal" 200 "$(wait_import 2)"
grep -q 'Nothing was imported' "$TMP/body"
check_eq "nothing imported, it says" 0 $?
grep -q 'refused at line 5, field <code>Session</code>' "$TMP/body"
check_eq "naming the line and the field" 0 $?
grep -q 'bad.csv:5: field' "$TMP/body"
check_eq "and the file by its own name" 0 $?
check_eq "the database is as before" "$before" "$(count "$DB")"
check_eq "a browser's upload to the API without the form token: 403" 403 \
    "$(page --data-binary "@$TMP/bad.csv" -H 'Content-Type: text/csv' "$URL/api/v1/imports?name=bad.csv")"
check_eq "the API refuses it: 422" 422 \
    "$(page --data-binary "@$TMP/bad.csv" -H 'Content-Type: text/csv' "$URL/api/v1/imports?name=bad.csv&csrf=$T")"
check_eq "and so it does for a program (no cookie)" 422 \
    "$(code --data-binary "@$TMP/bad.csv" -H 'Content-Type: text/csv' "$URL/api/v1/imports?name=bad.csv")"
check_eq "naming the line" 5 "$(json .error.line <"$TMP/body")"
check_eq "and the field" Session "$(json .error.field <"$TMP/body")"
check_eq "and the file" bad.csv "$(json .error.file <"$TMP/body")"
check_eq "nothing imported" "$before" "$(count "$DB")"

# --- The API: the file as the body, then as a multipart part.
check_eq "POST /api/v1/imports, the file as the body" 200 \
    "$(code --data-binary "@$FILE2" -H 'Content-Type: text/csv' "$URL/api/v1/imports?name=1-5.csv")"
cp "$TMP/body" "$TMP/api.json"
check_eq "answers import --json's summary" "$CLI2" "$(summary "$TMP/api.json")"
check_eq "naming the file" 1-5.csv "$(json .files.0.file <"$TMP/api.json")"
check_eq "with its format" upr-info-raw "$(json .files.0.format <"$TMP/api.json")"
check_eq "recorded by that name" "18.csv 1-5.csv" \
    "$(sql "$DB" "SELECT path FROM source ORDER BY id" | tr '\n' ' ' | sed 's/ $//')"
check_eq "the same file again as multipart" 200 \
    "$(code -F "file=@$FILE2" "$URL/api/v1/imports")"
check_eq "adds nothing" 0 "$(json .recommendations_added <"$TMP/body")"
check_eq "it was all there" "$(json .rows <"$TMP/api.json")" "$(json .recommendations_existing <"$TMP/body")"
check_eq "an empty body is refused" 422 \
    "$(code -X POST -H 'Content-Type: text/csv' "$URL/api/v1/imports")"
check_eq "GET is not allowed" 405 "$(code "$URL/api/v1/imports")"
# An ODIHR list without a state column: refused without one, imported with one.
printf 'election,election_date,priority,recommendation\nparliamentary,2016-09-11,yes,Publish the count at each polling station.\n' \
    >"$TMP/odihr.csv"
before=$(count "$DB")
check_eq "an ODIHR list naming no state, given none: 422" 422 \
    "$(code --data-binary "@$TMP/odihr.csv" -H 'Content-Type: text/csv' "$URL/api/v1/imports?name=odihr.csv")"
check_eq "the field named is the state" state "$(json .error.field <"$TMP/body")"
check_eq "nothing imported" "$before" "$(count "$DB")"
check_eq "given the state, as import --state" 200 \
    "$(code --data-binary "@$TMP/odihr.csv" -H 'Content-Type: text/csv' "$URL/api/v1/imports?name=odihr.csv&state=BLR")"
check_eq "its format" odihr "$(json .files.0.format <"$TMP/body")"
check_eq "one added" 1 "$(json .recommendations_added <"$TMP/body")"
check_eq "to Belarus" BLR "$(sql "$DB" "SELECT s.code FROM recommendation r JOIN state s ON s.id = r.sur_id WHERE r.mechanism = 'odihr'")"
check_eq "the uploads are gone" "" "$(ls "$TMP/up")"
kill -TERM $PID
wait $PID

# --- With accounts: a viewer may read the page but not import.
echo 'viewer pass phrase' | "$RT" --db "$DB" user add vic --role viewer >/dev/null
echo 'editor pass phrase' | "$RT" --db "$DB" user add ed --role editor >/dev/null
VIEW=$("$RT" --db "$DB" user token add vic --read 2>/dev/null)
EDIT=$("$RT" --db "$DB" user token add ed --write 2>/dev/null)
TMPDIR="$TMP/up" serve_start "$DB"
PID=$SERVE_PID
before=$(count "$DB")
rm -f "$TMP/jar"
code -c "$TMP/jar" "$URL/login" >/dev/null
T=$(csrf_of)
code -b "$TMP/jar" -c "$TMP/jar" --data "csrf=$T&user=vic" --data-urlencode "password=viewer pass phrase" "$URL/login" >/dev/null
check_eq "the viewer sees the import page" 200 "$(code -b "$TMP/jar" "$URL/imports")"
grep -q 'may read but not import' "$TMP/body"
check_eq "which says the account may not import" 0 $?
grep -q 'type="file"' "$TMP/body"
check_eq "and shows no upload form" 1 $?
T=$(csrf_of)
check_eq "a viewer's upload is refused" 403 \
    "$(code -b "$TMP/jar" -F "csrf=$T" -F "file=@$RAW/6-9.csv" "$URL/imports")"
check_eq "a viewer's token may not import through the API" 403 \
    "$(code -H "Authorization: Bearer $VIEW" --data-binary "@$RAW/6-9.csv" "$URL/api/v1/imports")"
check_eq "nobody may" 401 "$(code --data-binary "@$RAW/6-9.csv" "$URL/api/v1/imports")"
check_eq "nothing imported" "$before" "$(count "$DB")"
check_eq "an editor's token may" 200 \
    "$(code -H "Authorization: Bearer $EDIT" -H 'Content-Type: text/csv' --data-binary "@$RAW/18.csv" "$URL/api/v1/imports")"
# The server deletes an upload when its request ends, which may come just after the
# client has the answer (under ASan on a loaded machine, noticeably after): wait for it.
for _ in $(seq 1 50); do [ -z "$(ls "$TMP/up")" ] && break; sleep 0.2; done
check_eq "no upload left behind" "" "$(ls "$TMP/up")"
kill -TERM $PID
wait $PID
done_testing
