#!/bin/sh
# Persons are private records (issue 14): private unless marked public, whether added
# on the command line, through the API or by an import; the public and viewers meet
# only the persons marked public, in pages, the API, exports and the history, and
# none of the names, case events or asks of the others. Editors see every private
# record with a "private" mark (pages and the API's documents); nobody else ever
# sees the mark. A database from before schema 16 has its persons made private.
. "$(dirname "$0")/../lib/test-lib.sh"
DB=$(new_db p)
demo_ledger "$DB"
rt() { "$RT" --db "$DB" "$@"; }
code() { curl -s -o "$TMP/body" -w '%{http_code}' "$@"; }
count() { python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$TMP/body"; }
echo 'editor pass phrase' | rt user add ed --role editor >/dev/null
echo 'viewer pass phrase' | rt user add vic --role viewer >/dev/null
VIEWER=$(rt user token add vic --read 2>/dev/null)
EDITOR=$(rt user token add ed --write 2>/dev/null)
# mark REF: the "private" of a person as the command line shows it (none when absent).
mark() { rt person show "$1" --json | python3 -c 'import json,sys; print(json.load(sys.stdin).get("private", "none"))'; }
get() {
    case $1 in
    public) code "$URL$2" ;;
    viewer) code -H "Authorization: Bearer $VIEWER" "$URL$2" ;;
    editor) code -H "Authorization: Bearer $EDITOR" "$URL$2" ;;
    esac
}

# --- Private unless marked public, however a person comes in.
check_eq "the demo's six persons are all private" 6 \
    "$(rt person list --json | python3 -c 'import json,sys; print(sum(1 for p in json.load(sys.stdin) if p.get("private")))')"
BIA=$(rt person add "Ales Bialiatski" --json | json .id)
check_eq "person add makes a private person" True "$(mark "$BIA")"
PUB=$(rt person add "Maria Kalesnikava" --public --json | json .id)
check_eq "person add --public a public one" none "$(mark "$PUB")"
cat >"$TMP/register.csv" <<'EOF'
person,date,event,how,detail,source
Ihar Losik,2020-06-25,detained,,,
Ihar Losik,2025-06-21,released,pardon,,
EOF
rt person import "$TMP/register.csv" >/dev/null
LOSIK=$(rt person list Losik --json | json .0.id)
check_eq "an imported person is private" True "$(mark "$LOSIK")"
check_eq "private accepts person:ID" True "$(rt private --json "person:$LOSIK" | json .0.private)"
check_fails "private refuses a person that is not there" 1 "$RT" --db "$DB" private person:999

serve_start "$DB" --public
check_eq "the public reads the list" 200 "$(get public /api/v1/persons)"
check_eq "with the one public person" 1 "$(count)"
check "and no mark" sh -c "! grep -q private '$TMP/body'"
check_eq "a viewer reads the same" 1 "$(get viewer /api/v1/persons >/dev/null; count)"
check_eq "an editor reads all nine" 9 "$(get editor /api/v1/persons >/dev/null; count)"
check_eq "eight of them marked private" 8 \
    "$(python3 -c 'import json,sys; print(sum(1 for p in json.load(open(sys.argv[1])) if p.get("private") is True))' "$TMP/body")"
check_eq "a private person's page is not there for the public" 404 "$(get public "/persons/$LOSIK")"
check_eq "nor for a viewer" 404 "$(get viewer "/api/v1/persons/$LOSIK")"
check_eq "the public person's page answers" 200 "$(get public "/persons/$PUB")"
check "without a mark" sh -c "! grep -q 'tag private' '$TMP/body'"
check_eq "an editor's page of a private person" 200 "$(get editor "/persons/$LOSIK")"
check "says it is private" grep -q 'id="private"' "$TMP/body"
check "and has its events" grep -q "pardon" "$TMP/body"
check_eq "the editor's list page" 200 "$(get editor /persons)"
check_eq "marks the eight" 8 "$(grep -o 'class="tag private"' "$TMP/body" | wc -l | tr -d ' ')"
check_eq "the public's list page" 200 "$(get public /persons)"
check "has no mark" sh -c "! grep -q 'tag private' '$TMP/body'"
check "and no private name" sh -c "! grep -qE 'Losik|Bialiatski|Dziadok' '$TMP/body'"
check_eq "the history of a private person is empty for the public" "[]" \
    "$(get public "/api/v1/history?record=person:$LOSIK" >/dev/null; json .entries <"$TMP/body" | tr -d ' \n')"
check "an editor's has its case" sh -c "curl -s -H 'Authorization: Bearer $EDITOR' '$URL/api/v1/history?record=person:$LOSIK' | grep -q released"
check_eq "an API add is private" 201 "$(code -H "Authorization: Bearer $EDITOR" -H 'Content-Type: application/json' \
    -d '{"name": "Pavel Sevyarynets"}' "$URL/api/v1/persons")"
SEV=$(json .id <"$TMP/body")
check_eq "so the public does not find them" 404 "$(get public "/api/v1/persons/$SEV")"
check_eq "an API add with public: true" 201 "$(code -H "Authorization: Bearer $EDITOR" -H 'Content-Type: application/json' \
    -d '{"name": "Viktar Babaryka", "public": true}' "$URL/api/v1/persons")"
check_eq "is public" 200 "$(get public "/api/v1/persons/$(json .id <"$TMP/body")")"
check_eq "marked public by the API" 200 "$(code -H "Authorization: Bearer $EDITOR" -H 'Content-Type: application/json' \
    -d "{\"record\": \"person:$LOSIK\", \"private\": false}" "$URL/api/v1/private")"
check_eq "the person is the public's" 200 "$(get public "/api/v1/persons/$LOSIK")"
check_eq "with the case" "released pardon" \
    "$(python3 -c 'import json,sys; s=json.load(open(sys.argv[1]))["status"]; print(s["status"], s["how"])' "$TMP/body")"

# --- The "private" mark on the other kinds, for editors only.
check_eq "an editor adds a private step" 201 \
    "$(code -H "Authorization: Bearer $EDITOR" -H 'Content-Type: application/json' \
        -d '{"actor": "Belarus", "date": "2016-10", "kind": "visit", "text": "Sigma: a visit told in confidence", "welcomed_in": ["1#2"], "private": true}' \
        "$URL/api/v1/steps")"
STEP=$(json .id <"$TMP/body")
check_eq "the step's API document of an editor marks it" True \
    "$(get editor "/api/v1/dialogues/1/steps" >/dev/null; python3 -c 'import json,sys
d=json.load(open(sys.argv[1]))
print([s.get("private") for s in d if s["id"] == int(sys.argv[2])][0])' "$TMP/body" "$STEP")"
check_eq "and no other step" 1 "$(grep -o '"private": *true' "$TMP/body" | wc -l | tr -d ' ')"
check_eq "the round page of an editor" 200 "$(get editor /dialogues/1/rounds/2)"
check "marks the private step" grep -q 'Sigma' "$TMP/body"
check "by the step's text" grep -q 'private</span> Sigma' "$TMP/body"
check_eq "and no other" "$(grep -o 'private</span> Sigma' "$TMP/body" | wc -l)" \
    "$(grep -o 'class="tag private"' "$TMP/body" | wc -l)"
check_eq "the step's record page" 200 "$(get editor "/records/step:$STEP")"
check "says it is private" grep -q 'id="private"' "$TMP/body"
check_eq "a public step's record page" 200 "$(get editor /records/step:1)"
check "says nothing of it" sh -c "! grep -q 'id=\"private\"' '$TMP/body'"
check_eq "the viewer's round page" 200 "$(get viewer /dialogues/1/rounds/2)"
check "has neither the step nor a mark" sh -c "! grep -qE 'Sigma|tag private' '$TMP/body'"
check "an editor's participant marked private" rt participant add 1#2 --name "Tau Confidential" --private
check_eq "the round's API document marks it" "True" \
    "$(get editor /api/v1/rounds/2 >/dev/null; python3 -c 'import json,sys; print([p.get("private") for p in json.load(open(sys.argv[1]))["participants"] if p["name"] == "Tau Confidential"][0])' "$TMP/body")"
check_eq "and the step it welcomed, nothing else" 2 "$(grep -o '"private": *true' "$TMP/body" | wc -l | tr -d ' ')"
check_eq "the public's does not have it" 200 "$(get public /api/v1/rounds/2)"
check "nor any mark" sh -c "! grep -qE 'Tau Confidential|\"private\"' '$TMP/body'"
kill "$SERVE_PID" 2>/dev/null
wait "$SERVE_PID" 2>/dev/null

# --- The public's export has the public persons, not the private ones.
rt --as public export >"$TMP/public.json"
check_eq "the public export has the three public persons" 3 \
    "$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["tables"]["person"]))' "$TMP/public.json")"
check "and no name of a private one" sh -c "! grep -qE 'Bialiatski|Dziadok|Sevyarynets' '$TMP/public.json'"
check "the whole export has them" sh -c "rt() { \"$RT\" --db \"$DB\" \"\$@\"; }; rt export | grep -q Sevyarynets"
check "audit verify holds" rt audit verify

# --- A database from before schema 16: its persons become private. SQLite's alone:
# PostgreSQL's schema was made after persons became private records.
sqlite_only_below "the migration of a SQLite file from before schema 16 (PostgreSQL's schema began after it)"
OLD="$TMP/old.db"
"$RT" --db "$OLD" init >/dev/null
"$RT" --db "$OLD" person add "Old Register" --public >/dev/null
sqlite3 "$OLD" "PRAGMA legacy_alter_table = ON; DELETE FROM private_record; CREATE TABLE pr15 (kind TEXT NOT NULL CHECK (kind IN ('step', 'participant', 'assessment', 'source')), id INTEGER NOT NULL, created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')), PRIMARY KEY (kind, id)) WITHOUT ROWID; DROP TABLE private_record; ALTER TABLE pr15 RENAME TO private_record; PRAGMA user_version = 15;"
check_eq "the migration makes the old persons private" True \
    "$("$RT" --db "$OLD" person show 1 --json | json .private)"
check_eq "at the newest schema" "$(ls "$ROOT/src/store/sqlite/schema" | tail -n 1 | cut -c1-4 | sed "s/^0*//")" "$(sqlite3 "$OLD" 'PRAGMA user_version')"
check_eq "which knows persons" 1 "$(sqlite3 "$OLD" "SELECT count(*) FROM private_record WHERE kind = 'person'")"

done_testing
