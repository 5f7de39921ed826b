#!/bin/sh
# Reports: the briefing and the country profile on the demo data. Golden files of the
# Markdown and HTML (tests/golden/report/; UPDATE_GOLDEN=1 rewrites them), as-of
# really meaning as of, byte-identical runs, the same bytes over the web, the PDF's
# text, and rendered pages that are not blank (their pictures are kept for review in
# build/report-shots/).
. "$(dirname "$0")/../lib/test-lib.sh"

GOLD="$ROOT/tests/golden/report"
SHOTS="$ROOT/build/report-shots"
DB=$(new_db r)
WG="US-Belarus Working Group for Democracy and Human Rights"
demo_ledger "$DB"
check_eq "the demo ledger is recorded" 0 $?

# golden NAME FILE: FILE is what tests/golden/report/NAME holds.
golden() {
    if [ -n "${UPDATE_GOLDEN:-}" ]; then
        mkdir -p "$GOLD" && cp "$2" "$GOLD/$1"
    fi
    if cmp -s "$GOLD/$1" "$2"; then
        pass "golden $1"
    else
        fail "golden $1" "differs from tests/golden/report/$1 (UPDATE_GOLDEN=1 to accept):" \
            "$(diff "$GOLD/$1" "$2" | head -20)"
    fi
}

"$RT" --db "$DB" report country Belarus --as-of 2016-12-31 >"$TMP/country.md"
golden country-BLR-2016-12-31.md "$TMP/country.md"
"$RT" --db "$DB" report country BLR --as-of 2016-12-31 --format html >"$TMP/country.html"
golden country-BLR-2016-12-31.html "$TMP/country.html"
# Every chart parses as SVG, with numbers where numbers go, and draws marks: the
# picture tests below cannot tell an empty chart on an inked page.
svg_ok() {
    if python3 "$ROOT/tests/lib/svg_check.py" "$2" "$3" >"$TMP/svg.out" 2>&1; then
        pass "$1"
    else
        fail "$1" "$(cat "$TMP/svg.out")"
    fi
}
"$RT" --db "$DB" report country BLR --as-of 2016-12-31 --format html >"$TMP/country.html"
svg_ok "the charts of the country profile parse and draw" "$TMP/country.html" 3
check_fails "the country profile of an unknown state" 1 "$RT" --db "$DB" report country Atlantis
check_eq "names it" "rightstrack: field 'state': no state is called 'Atlantis'" "$(cat "$TMP/err")"
check_fails "as of a date that is none" 1 "$RT" --db "$DB" report country BLR --as-of 2016-13-01
check_eq "the message names the field" yes "$(grep -q "as-of" "$TMP/err" && echo yes)"

for d in 2016-01-31 2016-12-31; do
    "$RT" --db "$DB" report brief --dialogue "$WG" --as-of $d >"$TMP/brief-$d.md"
    check_eq "report brief --as-of $d" 0 $?
    "$RT" --db "$DB" report brief --dialogue 1 --as-of $d --format html --out "$TMP/brief-$d.html"
    check_eq "report brief --as-of $d --format html --out" 0 $?
    golden "brief-$d.md" "$TMP/brief-$d.md"
    golden "brief-$d.html" "$TMP/brief-$d.html"
done

for d in 2016-01-31 2016-12-31; do
    svg_ok "the charts of the briefing as of $d parse and draw" "$TMP/brief-$d.html" 3
done
check_eq "the briefing's timeline draws a dot per step" yes \
    "$(grep -q '^svg [0-9]*: [1-9][0-9]* marks, Rounds and steps by date' "$TMP/svg.out" && echo yes)"

# What the briefing says, read from its JSON.
"$RT" --db "$DB" report brief --dialogue 1 --as-of 2016-12-31 --json >"$TMP/b.json"
check_eq "the last round as of 2016-12-31" 2 "$(json .last_round.ordinal <"$TMP/b.json")"
check_eq "Belarus is the counterpart" '["BLR"]' "$(json .counterparts <"$TMP/b.json")"
check_eq "the election step moved after round 2" 2016-09-11 \
    "$(json .moved.1.steps.0.date <"$TMP/b.json")"
check_eq "the benchmark is partly met" partly-met "$(json .benchmarks.0.status <"$TMP/b.json")"
check_eq "the elections topic counts the demo's recommendations on elections" \
    "$("$RT" --db "$DB" search --sur Belarus --theme Elections --json | json .total)" \
    "$(json .topics.0.states.0.total <"$TMP/b.json")"
check_eq "six prisoners released, in the figures" 6 "$(json .figures.0.total <"$TMP/b.json")"
# Reciprocity whatever the dates: the release and the easing of sanctions in answer both
# came before round 2, the last round, and still show.
check_eq "the sanctions eased in answer to the release" "sanctions-eased prisoner-release" \
    "$(json .reciprocity.0.step.kind <"$TMP/b.json") $(json .reciprocity.0.responds_to.kind <"$TMP/b.json")"
for d in 2016-01-31 2016-12-31; do
    check_eq "the briefing as of $d says so, though both came before the round" 1 \
        "$(grep -c '^- 2015-08-22, Belarus, prisoner release (6): .* → in answer: 2015-10, United States, sanctions eased: ' "$TMP/brief-$d.md")"
done
"$RT" --db "$DB" report brief --dialogue 1 --as-of 2015-09-30 >"$TMP/early.md"
check_eq "before the answer there is none" 1 \
    "$(grep -c 'No step is recorded as the answer to another' "$TMP/early.md")"
check_eq "themes by their labels, not codes" "0 1" \
    "$(grep -c 'theme: expression\|theme expression\|theme: rule-of-law' "$TMP/brief-2016-12-31.md") $(grep -c '(theme: Freedom of opinion and expression)' "$TMP/brief-2016-12-31.md")"
python3 -c 'import json,sys
d=json.load(open(sys.argv[1]))
n=[s["n"] for s in d["sources"]]
assert n == list(range(1, len(n)+1)) and len(n) >= 4, n
texts=[s["text"] for s in d["sources"]]
assert len(set(texts)) == len(texts)
def cites(v):
    if isinstance(v, dict):
        if "source" in v and v["source"]:
            assert texts[v["cite"]-1] == v["source"], v
        for x in v.values(): cites(x)
    elif isinstance(v, list):
        for x in v: cites(x)
cites(d)' "$TMP/b.json"
check_eq "sources are numbered once each, and every cite points at its source" 0 $?

# As of a date means as of it.
check_eq "as of 2016-01-31 the September 2016 election is absent" 0 \
    "$(grep -c '2016-09-11' "$TMP/brief-2016-01-31.md")"
check_eq "as of 2016-01-31 ODIHR's December verdict is absent" 0 \
    "$(grep -c 'ODIHR calls for' "$TMP/brief-2016-01-31.md")"
check_eq "as of 2016-12-31 the election is there" yes \
    "$(grep -q '2016-09-11, Belarus, election held' "$TMP/brief-2016-12-31.md" && echo yes)"
"$RT" --db "$DB" step add --actor Belarus --date 2017-02 --kind arrest --negative \
    "Later arrests, recorded after the briefing date." >/dev/null
"$RT" --db "$DB" assess ask:1 regressed --date 2017-03-01 --evidence "A later judgement." >/dev/null
"$RT" --db "$DB" round add "$WG" --date 2017-05-01 --place Minsk >/dev/null
"$RT" --db "$DB" report brief --dialogue 1 --as-of 2016-12-31 >"$TMP/again.md"
check "records dated after the as-of date change nothing in the briefing" \
    cmp "$TMP/brief-2016-12-31.md" "$TMP/again.md"
"$RT" --db "$DB" report country Belarus --as-of 2016-12-31 >"$TMP/again.md"
check "nor in the country profile" cmp "$TMP/country.md" "$TMP/again.md"
"$RT" --db "$DB" report brief --dialogue 1 --as-of 2017-06 >"$TMP/later.md"
check_eq "a later date sees them" yes \
    "$(grep -q 'Later arrests' "$TMP/later.md" && grep -q 'round 3, 2017-05-01' "$TMP/later.md" &&
        echo yes)"
"$RT" --db "$DB" report brief --dialogue 1 --as-of 2016-12-31 --format html >"$TMP/again.html"
check "two runs give the same bytes" cmp "$TMP/brief-2016-12-31.html" "$TMP/again.html"

# Bad input: clear messages and the right exit codes.
check_fails "report alone is a usage error" 2 "$RT" --db "$DB" report
check_fails "an unknown report" 2 "$RT" --db "$DB" report weekly
check_fails "brief without --dialogue" 2 "$RT" --db "$DB" report brief
check_fails "an unknown format" 2 "$RT" --db "$DB" report brief --dialogue 1 --format docx
check_fails "pdf needs --out" 2 "$RT" --db "$DB" report brief --dialogue 1 --format pdf
check_fails "a bad date" 1 "$RT" --db "$DB" report brief --dialogue 1 --as-of 2016-02-30
check_eq "the message names the field" yes "$(grep -q "as-of" "$TMP/err" && echo yes)"
check_fails "an unknown dialogue" 1 "$RT" --db "$DB" report brief --dialogue 99
check_fails "an unknown state" 1 "$RT" --db "$DB" report country Atlantis
check_eq "the message names it" yes "$(grep -q "Atlantis" "$TMP/err" && echo yes)"
check "--help" "$RT" report --help
check_eq "--help shows both reports" yes "$(grep -q 'report country' "$TMP/out" && echo yes)"


# The web face serves the same bytes and the same data.
serve_start "$DB"
check_eq "serve starts" yes "$([ -n "$URL" ] && echo yes)"
curl -s -o "$TMP/web.html" "$URL/reports/brief/1?as_of=2016-12-31"
grep -v '^<header class="site">' "$TMP/web.html" >"$TMP/web-report.html"
check "the web briefing is the command's HTML" cmp "$TMP/brief-2016-12-31.html" "$TMP/web-report.html"
check_eq "with the site's menu on top" 1 \
    "$(grep '^<header class="site">' "$TMP/web.html" | grep -c 'href="/dialogues">Dialogues</a>')"
check_eq "hidden in print" 1 "$(grep -c '@media print{header.site{display:none}}' "$TMP/web.html")"
check_eq "and a PDF button that keeps the date" 1 \
    "$(grep '^<header class="site">' "$TMP/web.html" | grep -c 'method="post" action="/reports/brief/1">.*name="format" value="pdf">.*name="as_of" value="2016-12-31">')"
curl -s -o "$TMP/web.md" "$URL/reports/country/BLR?as_of=2016-12-31&format=md"
# On loopback with no accounts the reader sees private records, so the page carries the
# private persons section, as the command does with --persons.
"$RT" --db "$DB" report country Belarus --as-of 2016-12-31 --persons >"$TMP/country-persons.md"
check "the web country profile is the command's Markdown with --persons" cmp "$TMP/country-persons.md" "$TMP/web.md"
check_eq "which has the persons section" 1 "$(grep -c '^## Persons held over time' "$TMP/web.md")"
curl -s -o "$TMP/api.json" "$URL/api/v1/dialogues/1/brief?as_of=2016-12-31"
python3 -c 'import json,sys; sys.exit(0 if json.load(open(sys.argv[1])) == json.load(open(sys.argv[2])) else 1)' \
    "$TMP/api.json" "$TMP/b.json"
check_eq "the API's briefing is report brief --json" 0 $?
check_eq "a bad date on the web is 400" 400 \
    "$(curl -s -o /dev/null -w '%{http_code}' "$URL/reports/brief/1?as_of=2016-13-01")"
check_eq "an unknown dialogue is 404" 404 \
    "$(curl -s -o /dev/null -w '%{http_code}' "$URL/reports/brief/99")"
check_eq "the dialogue page offers the briefing" yes \
    "$(curl -s "$URL/dialogues/1" | grep -q 'action="/reports/brief/1"' && echo yes)"

# The PDF (headless Chromium, as scripts/bootstrap installs it) and pictures.
if command -v "${RIGHTSTRACK_CHROMIUM:-chromium}" >/dev/null 2>&1 && command -v pdftotext >/dev/null; then
    mkdir -p "$SHOTS"
    "$RT" --db "$DB" report brief --dialogue 1 --as-of 2016-12-31 --format pdf --out "$SHOTS/brief.pdf"
    check_eq "report brief --format pdf" 0 $?
    check_eq "it is a PDF" %PDF "$(head -c 4 "$SHOTS/brief.pdf")"
    pdftotext -layout "$SHOTS/brief.pdf" "$TMP/pdf.txt"
    for fact in "Briefing: US-Belarus Working Group" "2015-12-16" "Washington, DC" \
        "Bridget Brink" "partly met" "6 in all" "2016-09-11"; do
        check_eq "the PDF says: $fact" yes "$(tr -s ' \n' '  ' <"$TMP/pdf.txt" | grep -qF "$fact" && echo yes)"
    done
    check_eq "the PDF holds no later record" 0 "$(grep -c 'Later arrests' "$TMP/pdf.txt")"
    # On the web a PDF is made for the page's own form only (a POST with its token), one
    # at a time, and comes as a download named for what it holds.
    # (the token belongs to this browser: its rt_csrf cookie, kept in a jar)
    TOKEN=$(curl -s -c "$TMP/jar" "$URL/dialogues/1" | sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' | head -n 1)
    pdf_post() {
        curl -s -b "$TMP/jar" -o "$1" -D "$1.h" -w '%{http_code}' --data "format=pdf&as_of=2016-12-31&csrf=$TOKEN" "$URL$2"
    }
    check_eq "the web's PDF" 200 "$(pdf_post "$SHOTS/web-brief.pdf" /reports/brief/1)"
    check_eq "is a PDF" %PDF "$(head -c 4 "$SHOTS/web-brief.pdf")"
    check_eq "as a download named for the dialogue, the report and the date" \
        'attachment; filename="us-belarus-working-group-for-democracy-and-human-rights-briefing-2016-12-31.pdf"' \
        "$(sed -n 's/^[Cc]ontent-[Dd]isposition: *\(.*\)\r$/\1/p' "$SHOTS/web-brief.pdf.h")"
    pdftotext "$SHOTS/web-brief.pdf" - | grep -q '2016-09-11' && ! pdftotext "$SHOTS/web-brief.pdf" - | grep -q 'Later arrests'
    check_eq "of the date asked for" 0 $?
    check_eq "the country profile's PDF" 200 "$(pdf_post "$SHOTS/country.pdf" /reports/country/BLR)"
    check_eq "is named for the state" 'attachment; filename="belarus-country-profile-2016-12-31.pdf"' \
        "$(sed -n 's/^[Cc]ontent-[Dd]isposition: *\(.*\)\r$/\1/p' "$SHOTS/country.pdf.h")"
    start=$(date +%s)
    check_eq "a GET of a PDF starts nothing" 405 \
        "$(curl -s -o "$TMP/body" -w '%{http_code}' "$URL/reports/country/BLR?format=pdf")"
    check_eq "and says where the button is" 1 "$(grep -c 'Download PDF' "$TMP/body")"
    check_eq "a POST without the page's token" 403 \
        "$(curl -s -o /dev/null -w '%{http_code}' --data "format=pdf" "$URL/reports/brief/1")"
    check_eq "from another site" 403 \
        "$(curl -s -b "$TMP/jar" -o /dev/null -w '%{http_code}' -H 'Sec-Fetch-Site: cross-site' --data "format=pdf&csrf=$TOKEN" "$URL/reports/brief/1")"
    check_eq "refusals are quick" yes "$([ $(($(date +%s) - start)) -le 2 ] && echo yes)"
    # Two at once: one is made, the other told to come back. A second server whose
    # Chromium waits at a gate holds the first PDF in the making for as long as the
    # checks need, whatever the machine's speed.
    cat >"$TMP/gated-chromium" <<EOS
#!/bin/sh
: >"$TMP/gate.entered"
for _ in \$(seq 200); do [ -e "$TMP/gate.open" ] && break; sleep 0.1; done
exec "$(command -v "${RIGHTSTRACK_CHROMIUM:-chromium}")" "\$@"
EOS
    chmod +x "$TMP/gated-chromium"
    main_pid=$SERVE_PID main_url=$URL
    RIGHTSTRACK_CHROMIUM="$TMP/gated-chromium" serve_start "$DB"
    gated_url=$URL
    URL=$main_url
    TOKEN=$(curl -s -c "$TMP/jar" "$gated_url/dialogues/1" | sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' | head -n 1)
    URL=$gated_url pdf_post "$TMP/a.pdf" /reports/brief/1 >"$TMP/a.code" &
    a=$!
    for _ in $(seq 100); do [ -e "$TMP/gate.entered" ] && break; sleep 0.1; done
    check_eq "the first PDF is in the making" yes "$([ -e "$TMP/gate.entered" ] && echo yes)"
    check_eq "a second one meanwhile is refused" 503 "$(URL=$gated_url pdf_post "$TMP/b.pdf" /reports/brief/1)"
    check_eq "the refusal says when to retry" 1 "$(grep -c '^[Rr]etry-[Aa]fter: 10' "$TMP/b.pdf.h")"
    check_eq "while a PDF is made, pages still answer" 200 \
        "$(curl -s -o /dev/null -m 2 -w '%{http_code}' "$gated_url/dialogues/1")"
    : >"$TMP/gate.open"
    wait $a
    check_eq "the first is made" 200 "$(cat "$TMP/a.code")"
    check_eq "and is a PDF" %PDF "$(head -c 4 "$TMP/a.pdf")"
    check_eq "once it is made, the next is made too" 200 "$(URL=$gated_url pdf_post "$TMP/c.pdf" /reports/brief/1)"
    kill "$SERVE_PID" 2>/dev/null
    wait "$SERVE_PID" 2>/dev/null
    SERVE_PID=$main_pid
    rm -f "$SHOTS"/brief-page-*.png
    pdftoppm -r 40 -png "$SHOTS/brief.pdf" "$SHOTS/brief-page"
    last=$(ls "$SHOTS"/brief-page-*.png | sort -V | tail -n 1)
    for png in "$SHOTS"/brief-page-*.png; do
        ink=$(python3 "$ROOT/tests/lib/png_ink.py" "$png")
        # The last page may hold only the tail of the sources: a few lines, not blank.
        min=0.01
        [ "$png" = "$last" ] && min=0.002
        check_eq "PDF page $(basename "$png") is not blank ($ink)" yes \
            "$(awk -v i="$ink" -v m="$min" 'BEGIN { print (i > m) ? "yes" : "no" }')"
    done
    "${RIGHTSTRACK_CHROMIUM:-chromium}" --headless --no-sandbox --disable-gpu \
        --user-data-dir="$TMP/profile" --window-size=800,1000 \
        --screenshot="$SHOTS/brief-html.png" "file://$TMP/brief-2016-12-31.html" >/dev/null 2>&1
    ink=$(python3 "$ROOT/tests/lib/png_ink.py" "$SHOTS/brief-html.png")
    check_eq "the HTML briefing renders, not blank ($ink)" yes \
        "$(awk -v i="$ink" 'BEGIN { print (i > 0.01) ? "yes" : "no" }')"
else
    fail "chromium and pdftotext" "missing: run scripts/bootstrap"
fi
kill "$SERVE_PID" 2>/dev/null
wait "$SERVE_PID" 2>/dev/null

# A round recorded from a readout: its topics carry taxonomy areas, not one theme,
# and the briefing reads the counterpart's record on each area.
cat >"$TMP/readout.txt" <<'TEXT'
Norway and Belarus meet on human rights
2016-05-10
A note written for this test

Minsk - On May 10, Norway and Belarus held the first round of their human rights consultations.
The two sides discussed the death penalty and freedom of association.
Norway urged Belarus to declare a moratorium on executions.
TEXT
"$RT" --db "$DB" dialogue add "Norway-Belarus consultations" --party Norway --party Belarus >/dev/null
"$RT" --db "$DB" readout import "$TMP/readout.txt" --dialogue "Norway-Belarus consultations" >/dev/null
check_eq "a readout becomes a round" 0 $?
"$RT" --db "$DB" report brief --dialogue "Norway-Belarus consultations" --as-of 2016-06 --json \
    >"$TMP/n.json"
python3 -c 'import json,sys
d=json.load(open(sys.argv[1]))
for t in d["topics"]:
    for r in t["states"]:
        print(r["theme"], r["state"], r["total"])' "$TMP/n.json" >"$TMP/areas"
check_eq "the readout's topics are read by their areas" yes \
    "$(grep -q '^death-penalty BLR ' "$TMP/areas" && echo yes)"
check_eq "each area counts what search --theme finds" \
    "$("$RT" --db "$DB" search --sur Belarus --theme death-penalty --json | json .total)" \
    "$(sed -n 's/^death-penalty BLR //p' "$TMP/areas" | head -n 1)"

# On the full UPR import the counts agree with search.
need_data
"$RT" --db "$DB" import "$DATA/upr/upr_info_s01-s18.csv" >/dev/null 2>&1
"$RT" --db "$DB" report country Belarus --json >"$TMP/c.json"
check_eq "the profile counts what search finds" \
    "$("$RT" --db "$DB" search --sur Belarus --json | json .total)" \
    "$(json .recommendations.total <"$TMP/c.json")"
"$RT" --db "$DB" report brief --dialogue 1 --as-of 2016-12-31 --json >"$TMP/b.json"
check_eq "each topic counts what search --theme finds" \
    "$("$RT" --db "$DB" search --sur Belarus --theme Elections --json | json .total)" \
    "$(json .topics.0.states.0.total <"$TMP/b.json")"
# The state page counts a theme as the profile does (every vocabulary's labels of a
# taxonomy area), by its label, and its link finds as many.
expr=$(python3 -c 'import json,sys
print([a["total"] for a in json.load(open(sys.argv[1]))["recommendations"]["areas"] if a["area"] == "expression"][0])' "$TMP/c.json")
check_eq "the profile's count of expression is what search --theme finds" \
    "$("$RT" --db "$DB" search --sur Belarus --theme expression --json | json .total)" "$expr"
serve_start "$DB"
check_eq "the state page says the same" 1 \
    "$(curl -s "$URL/states/BLR" | grep -c "href=\"/search?sur=BLR&amp;theme=expression\">Freedom of opinion and expression ($expr)</a>")"
# Counts of thousands are written as people read them: 35,368, not 35368.
total=$("$RT" --db "$DB" search --json --limit 1 | json .total)
commas=$(python3 -c 'import sys; print(f"{int(sys.argv[1]):,}")' "$total")
check_eq "the start page counts the recommendations with commas" 1 \
    "$(curl -s "$URL/" | grep -c ">$commas recommendations to ")"
check_eq "and so does a search's count" 1 \
    "$(curl -s "$URL/search" | grep -c "<strong>$commas recommendations</strong>")"
kill "$SERVE_PID" 2>/dev/null
wait "$SERVE_PID" 2>/dev/null
# Germany's second review (session 16, April 2013) made some first-cycle
# recommendations again; before it, there was no second cycle to repeat them in.
"$RT" --db "$DB" report country Germany --as-of 2013-12-31 --json >"$TMP/g.json"
check_eq "Germany's recommendations made again in cycle 2 are found" yes \
    "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))["recommendations"]
r=d["repeated"]; print("yes" if r and all(x["cycle"] == 1 and a["cycle"] == 2 for x in r for a in x["again"]) else "no")' "$TMP/g.json")"
"$RT" --db "$DB" report country Germany --as-of 2012-12-31 --json >"$TMP/g.json"
check_eq "as of 2012 there is neither a second cycle nor a repeat" "[1] 0" \
    "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))["recommendations"]
print([c["cycle"] for c in d["by_cycle"]], len(d["repeated"]))' "$TMP/g.json")"
done_testing
