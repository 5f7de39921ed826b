#!/bin/sh
# Private records: a step, a participant and assessments marked private are seen by
# an editor and by the command line, and by nobody else: not the public (serve
# --public) nor a viewer, on any page, API route, report (Markdown, HTML, JSON, PDF),
# export, search count or history, and no count they see moves when one is added.
# (CSV downloads and search facets were added to the routes compared for issue 14.)
. "$(dirname "$0")/../lib/test-lib.sh"
DB=$(new_db p)
demo_ledger "$DB"
rt() { "$RT" --db "$DB" "$@"; }
echo 'editor pass phrase' | rt user add ed --role editor >/dev/null
echo 'viewer pass phrase' | rt user add vic --role viewer >/dev/null
VIEWER=$(rt user token add vic --read 2>/dev/null)
EDITOR=$(rt user token add ed --write 2>/dev/null)
code() { curl -s -o "$TMP/body" -D "$TMP/headers" -w '%{http_code}' "$@"; }
# get WHO PATH: the body of a GET as WHO (public, viewer or editor) into $TMP/body.
get() {
    case $1 in
    public) code "$URL$2" ;;
    viewer) code -H "Authorization: Bearer $VIEWER" "$URL$2" ;;
    editor) code -H "Authorization: Bearer $EDITOR" "$URL$2" ;;
    esac
}
# The secrets: the words of the private records, which nothing else holds.
SECRETS='Kappa|Zeta|Omega'
secret_count() { grep -Eo "$SECRETS" "$@" | wc -l | tr -d ' '; }

ASK1=$(rt status ask:1 --json | json .status)
REC14=$(rt status rec:14 --json | json .status)
serve_start "$DB" --public
PID=$SERVE_PID

# Everything the public and a viewer read that a private record could change.
ROUTES="/api/v1/dialogues /api/v1/dialogues/1 /api/v1/dialogues/1/timeline
/api/v1/dialogues/1/reciprocity /api/v1/dialogues/1/steps /api/v1/dialogues/1/rounds/2
/api/v1/rounds/2 /api/v1/rounds/1/since /api/v1/dialogues/1/rounds/1/since
/api/v1/status?target=ask:1 /api/v1/status?target=rec:14 /api/v1/recommendations/14/status
/api/v1/recommendations/14 /api/v1/dialogues/1/brief /api/v1/states/BLR/profile
/api/v1/recommendations?sur=BLR /api/v1/recommendations?q=prisoners
/api/v1/history?record=step:1 /api/v1/history?record=round:2 /api/v1/history?record=ask:1
/api/v1/history?record=rec:14 /api/v1/dialogues/1/steps?format=csv
/api/v1/recommendations?q=prisoners&facets=1 /api/v1/recommendations?sur=BLR&facets=1"
mkdir "$TMP/before"
i=0
for r in $ROUTES; do
    i=$((i + 1))
    get public "$r" >"$TMP/before/$i.code"
    cp "$TMP/body" "$TMP/before/$i"
done
public_before=$(rt --as public export | python3 -c 'import json,sys; t=json.load(sys.stdin)["tables"]; print(len(t["step"]), len(t["participant"]), len(t["assessment"]))')

# --- The private records: by the API, on the command line, and marked afterwards.
check_eq "an editor adds a private step through the API" 201 \
    "$(code -H "Authorization: Bearer $EDITOR" -H 'Content-Type: application/json' \
        -d '{"actor": "Belarus", "date": "2016-10", "kind": "prisoner-release", "quantity": 3, "text": "Kappa: three released, told in confidence", "answers": ["ask:1", "rec:14"], "welcomed_in": ["1#2"], "responds_to": ["step:2"], "private": true}' \
        "$URL/api/v1/steps")"
STEP=$(json .id <"$TMP/body")
check_eq "'private' must be true or false" 422 \
    "$(code -H "Authorization: Bearer $EDITOR" -H 'Content-Type: application/json' \
        -d '{"actor": "Belarus", "date": "2016-10", "kind": "visit", "text": "x", "private": "yes"}' \
        "$URL/api/v1/steps")"
check "a private participant on the command line" \
    rt participant add 1#2 --name "Zeta Secretname" --organisation "Ministry of Zeta" --private
PART=$(rt round show 1#2 --json | python3 -c 'import json,sys; print(max(p["id"] for p in json.load(sys.stdin)["participants"]))')
check "a private assessment of ask 1" \
    rt assess ask:1 fully --date 2017-01 --evidence "Omega: all of it, off the record" --private
A2=$(rt assess rec:14 fully --date 2017-01 --evidence "Omega two, said in private" --json | json .id)
check "an assessment marked private after it was made" rt private "assessment:$A2"
check_eq "private --json" '[{"record": "participant:'"$PART"'", "private": true}]' \
    "$(rt private "participant:$PART" --json | python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin)))')"
check_fails "private of a record that does not exist" 1 rt private step:999
check_fails "private of a kind that cannot be" 1 rt private round:2
check_fails "private needs a record" 2 rt private

# --- The command line sees everything; --as public and --as viewer do not.
check_eq "the command line sees the private step" 1 \
    "$(rt step list --json | python3 -c 'import json,sys; print(sum(1 for s in json.load(sys.stdin) if s["text"].startswith("Kappa")))')"
check_eq "--as public does not" 0 \
    "$(rt --as public step list --json | python3 -c 'import json,sys; print(sum(1 for s in json.load(sys.stdin) if s["text"].startswith("Kappa")))')"
check_eq "status of ask 1 for the command line" fully "$(rt status ask:1 --json | json .status)"
check_eq "and as the public sees it, unchanged" "$ASK1" "$(rt --as public status ask:1 --json | json .status)"
check_eq "rec 14 as a viewer sees it, unchanged" "$REC14" "$(rt --as viewer status rec:14 --json | json .status)"
rt export >"$TMP/full.json"
rt --as public export >"$TMP/public.json"
rt export --as viewer >"$TMP/viewer.json"
check_eq "the full export holds the private records" 4 "$(secret_count "$TMP/full.json" | awk '{print ($1 >= 4) ? 4 : $1}')"
# (and the demo's six persons, private since schema 16)
check_eq "and which are private" "4 6" \
    "$(json .tables.private_record <"$TMP/full.json" | python3 -c 'import json,sys; t=json.load(sys.stdin); p=sum(1 for r in t if r["kind"] == "person"); print(len(t) - p, p)')"
check_eq "export --as public holds none" 0 "$(secret_count "$TMP/public.json")"
check_eq "export --as viewer holds none" 0 "$(secret_count "$TMP/viewer.json")"
check_eq "nor says which are private" "[]" "$(json .tables.private_record <"$TMP/public.json")"
check_eq "its counts are those before" "$public_before" \
    "$(python3 -c 'import json,sys; t=json.load(open(sys.argv[1]))["tables"]; print(len(t["step"]), len(t["participant"]), len(t["assessment"]))' "$TMP/public.json")"
RESTORED=$(new_db restored)
"$RT" --db "$RESTORED" import "$TMP/full.json" >/dev/null 2>&1
check_eq "a restore keeps the marks" 0 \
    "$("$RT" --db "$RESTORED" --as public export | secret_count)"
for f in md html; do
    rt report brief --dialogue 1 --format $f >"$TMP/brief.$f"
    check_eq "report brief --format $f shows the private records" 1 \
        "$([ "$(secret_count "$TMP/brief.$f")" -gt 0 ] && echo 1 || echo 0)"
    rt report brief --dialogue 1 --format $f --as public >"$TMP/brief.$f"
    check_eq "report brief --format $f --as public does not" 0 "$(secret_count "$TMP/brief.$f")"
    rt report country BLR --format $f --as viewer >"$TMP/country.$f"
    check_eq "report country --format $f --as viewer does not" 0 "$(secret_count "$TMP/country.$f")"
done
rt report brief --dialogue 1 --json --as public >"$TMP/brief.json"
check_eq "nor its JSON" 0 "$(secret_count "$TMP/brief.json")"
if command -v pdftotext >/dev/null 2>&1 &&
    rt report brief --dialogue 1 --format pdf --as public --out "$TMP/brief.pdf" 2>/dev/null; then
    pdftotext "$TMP/brief.pdf" "$TMP/brief.txt"
    check_eq "nor its PDF" 0 "$(secret_count "$TMP/brief.txt")"
    grep -q "Statkevich" "$TMP/brief.txt"
    check_eq "which holds the public steps" 0 $?
else
    say "# SKIP: no Chromium or pdftotext: the PDF's text is not checked"
    n_skip=$((n_skip + 1))
fi
check "audit log --as public" rt --as public audit log
cp "$TMP/out" "$TMP/log.public"
rt audit log >"$TMP/log.all"
check_eq "the audit log as the public reads it has none" 0 "$(secret_count "$TMP/log.public")"
check_eq "as the command line reads it, all" 1 "$([ "$(secret_count "$TMP/log.all")" -ge 4 ] && echo 1)"
check "history --as public" rt --as public history step:1
check_eq "history of the private step --as public" 0 \
    "$(rt --as public history "step:$STEP" 2>&1 | secret_count)"
check_fails "--as with another word" 1 rt --as boss step list
check_fails "a write through --as public fails" 1 rt --as public private "step:$STEP"

# --- The web: the public and a viewer get what they got before, byte for byte.
i=0
for r in $ROUTES; do
    i=$((i + 1))
    for who in public viewer; do
        c=$(get $who "$r")
        if [ "$c" = "$(cat "$TMP/before/$i.code")" ] && cmp -s "$TMP/body" "$TMP/before/$i"; then
            pass "$who: $r unchanged"
        else
            fail "$who: $r unchanged" "status $c, was $(cat "$TMP/before/$i.code")" \
                "$(diff "$TMP/before/$i" "$TMP/body" | head -c 400)"
        fi
    done
done
for r in /api/v1/dialogues/1/timeline /api/v1/rounds/2 /api/v1/status?target=ask:1 \
    /api/v1/recommendations/14/status /api/v1/dialogues/1/brief "/api/v1/history?record=step:$STEP" \
    "/api/v1/dialogues/1/steps?format=csv"; do
    get editor "$r" >/dev/null
    check_eq "editor: $r shows the private records" 1 \
        "$([ "$(secret_count "$TMP/body")" -gt 0 ] && echo 1 || echo 0)"
done
for who in public viewer; do
    check_eq "$who: the private step has no history" "200 []" \
        "$(get $who "/api/v1/history?record=step:$STEP") $(json .entries <"$TMP/body")"
    check_eq "$who: nor anything of it" 0 "$(secret_count "$TMP/body")"
done

PAGES="/ /dialogues /dialogues/1 /dialogues/1/rounds/2 /dialogues/1/rounds/1
/recommendations/14 /states/BLR /search?q=prisoners /reports/brief/1 /reports/brief/1?format=md
/reports/country/BLR /reports/country/BLR?format=md"
for p in $PAGES; do
    for who in public viewer; do
        c=$(get $who "$p")
        check_eq "$who: $p shows no private record" "200 0" "$c $(secret_count "$TMP/body")"
    done
done
for p in /dialogues/1 /dialogues/1/rounds/2 /recommendations/14 /reports/brief/1; do
    get editor "$p" >/dev/null
    check_eq "editor: $p shows them" 1 "$([ "$(secret_count "$TMP/body")" -gt 0 ] && echo 1 || echo 0)"
done
get editor "/dialogues/1" >/dev/null
grep -q 'name="private"' "$TMP/body"
check_eq "the step form has a Private box" 0 $?

# The response cache: an editor's answer is never served to the public after them.
check_eq "an editor logs in" 201 \
    "$(code -c "$TMP/ed" -H 'Content-Type: application/json' -d '{"user":"ed","password":"editor pass phrase"}' "$URL/api/v1/session")"
code -b "$TMP/ed" "$URL/api/v1/dialogues/1/reciprocity" >/dev/null
check_eq "and reads the private step" 1 "$([ "$(secret_count "$TMP/body")" -gt 0 ] && echo 1 || echo 0)"
# The step form's Private box, ticked.
code -b "$TMP/ed" -c "$TMP/ed" "$URL/dialogues/1" >/dev/null
t=$(sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' "$TMP/body" | head -n 1)
check_eq "the editor saves a private step from the form" 303 \
    "$(code -b "$TMP/ed" --data "csrf=$t&actor=Belarus&date=2016-11&kind=pardon&text=Kappa+two%2C+from+the+form&private=on" "$URL/dialogues/1/steps")"
check_eq "it is saved, private" "1 0" \
    "$(rt step list --json | python3 -c 'import json,sys; print(sum(1 for s in json.load(sys.stdin) if s["text"].startswith("Kappa two")))') $(rt --as public step list --json | grep -c 'Kappa two')"
get public /api/v1/dialogues/1/steps >/dev/null
cmp -s "$TMP/body" "$TMP/before/5"
check_eq "the public's list of steps is still as before" 0 $?
code -b "$TMP/ed" -X DELETE "$URL/api/v1/session" >/dev/null
check_eq "after the logout: the same route" 200 "$(code -b "$TMP/ed" "$URL/api/v1/dialogues/1/reciprocity")"
check_eq "holds none" 0 "$(secret_count "$TMP/body")"

# Marking: editors only; a record made public again is seen again.
mark() { code -H "Authorization: Bearer $1" -H 'Content-Type: application/json' -d "$2" "$URL/api/v1/private"; }
check_eq "a viewer cannot mark a record" 403 "$(mark "$VIEWER" '{"record": "step:1", "private": true}')"
check_eq "nor the public" 401 "$(code -H 'Content-Type: application/json' -d '{"record": "step:1", "private": true}' "$URL/api/v1/private")"
check_eq "a bad mark" 422 "$(mark "$EDITOR" '{"record": "step:1"}')"
check_eq "a mark of no record" 404 "$(mark "$EDITOR" '{"record": "step:999", "private": true}')"
check_eq "an editor makes the participant public" 200 \
    "$(mark "$EDITOR" '{"record": "participant:'"$PART"'", "private": false}')"
get public /api/v1/rounds/2 >/dev/null
check_eq "the public sees it now" 1 "$(grep -c 'Zeta Secretname' "$TMP/body")"
kill -TERM $PID
wait $PID

done_testing
