#!/bin/sh
# The count of persons held over time in a state's profile (issue 18), from the
# register, beside the counts others published: the points equal a count made here in
# Python from the same events; the chart is SVG that parses, with a mark for every
# point, labelled by names (Belarus), not codes; the section is private (only with
# --persons, and on the web only for those who may see persons); and the PDF briefing
# and profile carry the private sections as the HTML does.
. "$(dirname "$0")/../lib/test-lib.sh"
need_data

REL="$DATA/belarus/political_prisoner_releases.csv"
COUNTS="$DATA/belarus/political_prisoners_counts.csv"
DB=$(new_db c)
r() { "$RT" --db "$DB" "$@"; }
code() { curl -s -o "$TMP/body" -w '%{http_code}' "$@"; }
r init >/dev/null
r dialogue add WG --party USA --party Belarus >/dev/null
r round add WG --date 2015-06 --ordinal 1 >/dev/null
r step add --actor Belarus --date 2015-08-22 --kind prisoner-release --quantity 6 \
    "Six political prisoners pardoned." >/dev/null
ask=$(r ask add 'WG#1' --from USA --to Belarus "Release Statkevich and Dziadok." --json | json .id)
check "the releases file imports, its persons of Belarus" r person import "$REL" --state Belarus
r person ask "$ask" Statkevich Dziadok >/dev/null
r case add Statkevich --event detained --date 2020-05-31 >/dev/null
r case add Statkevich --event released --date 2021-01 --how other >/dev/null
# A person of another state and one of none, linked to nothing: not Belarus's.
r person add "Nguyen Van Dai" --state Vietnam >/dev/null
r case add "Nguyen Van Dai" --event detained --date 2015-12-16 >/dev/null
r person add "Somebody Unlinked" >/dev/null
r case add "Somebody Unlinked" --event detained --date 2016-03 >/dev/null
check_eq "the register holds them" "Nguyen Van Dai: Vietnam, detained since 2015-12-16" \
    "$(r person show "Nguyen Van Dai" --json | python3 -c 'import json,sys; d=json.load(sys.stdin); print("%s: %s, %s since %s" % (d["name"], "Vietnam" if d["state"] == "VNM" else d["state"], d["status"]["status"], d["status"]["since"]))')"

check_fails "--counts without --persons" 2 r report country Belarus --counts "$COUNTS"
check_fails "--counts on a briefing" 2 r report brief --dialogue WG --persons --counts "$COUNTS"
check_eq "without --persons the profile has no such section" 0 \
    "$(r report country Belarus | grep -c 'Persons held over time')"
check_eq "nor its JSON" absent \
    "$(r report country Belarus --json | python3 -c 'import json,sys; print("persons" in json.load(sys.stdin) and "present" or "absent")')"

r report country Belarus --persons --json >"$TMP/p.json"
check_eq "the persons of Belarus: the file's, not the others" \
    "$(python3 -c 'import csv,sys
n=set()
for row in csv.DictReader(open(sys.argv[1])):
    n.update(x.strip() for x in row["named_persons"].split("|") if x.strip())
print(len(n))' "$REL")" "$(json .persons.persons <"$TMP/p.json")"

# The same count made here, from the file and the events added above.
python3 - "$REL" "$TMP/p.json" >"$TMP/cmp" <<'EOF'
import csv, json, sys
def day(d): return d + ("-01-01" if len(d) == 4 else "-01" if len(d) == 7 else "")
events = {}
for row in csv.DictReader(open(sys.argv[1])):
    for n in row["named_persons"].split("|"):
        if n.strip():
            events.setdefault(n.strip(), []).append((day(row["date"]), "released"))
events["Mikalai Statkevich"] += [("2020-05-31", "detained"), ("2021-01-01", "released")]
def status(evs, at):
    evs = sorted(evs)
    last = [e for d, e in evs if d <= at]
    if last:
        return "held" if last[-1] == "detained" else "free"
    return "inferred" if evs[0][1] == "released" else "unknown"
days = sorted({d for evs in events.values() for d, _ in evs})
mine = [[p["date"], p["detained"], p["inferred"]] for p in json.load(open(sys.argv[2]))["persons"]["points"]]
theirs = [[d, sum(status(e, d) == "held" for e in events.values()),
           sum(status(e, d) == "inferred" for e in events.values())] for d in days]
print(len(mine), len(theirs), "same" if mine == theirs else "differ: %s / %s" % (mine, theirs))
EOF
n=$(cut -d' ' -f1 "$TMP/cmp")
check_eq "the register's count on every day equals the one made here" "$n $n same" "$(cat "$TMP/cmp")"
check "there are points" test "$n" -gt 5

check_eq "as of a date: only the points up to it" \
    "$(python3 -c 'import json,sys; print(sum(p["date"] <= "2015-08-22" for p in json.load(open(sys.argv[1]))["persons"]["points"]))' "$TMP/p.json")" \
    "$(r report country Belarus --persons --as-of 2015-08-22 --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["persons"]["points"]))')"

# The chart: SVG that parses, a mark per point with its figures, names not codes.
r report country Belarus --persons --format html >"$TMP/p.html"
python3 - "$TMP/p.html" "$TMP/p.json" >"$TMP/svg" <<'EOF'
import json, re, sys
import xml.etree.ElementTree as ET
html = open(sys.argv[1]).read()
m = re.search(r'<svg class="held".*?</svg>', html, re.S)
if not m:
    print("no chart"); sys.exit()
svg = ET.fromstring(m.group(0).replace('<svg ', '<svg xmlns="http://www.w3.org/2000/svg" ', 1))
ns = "{http://www.w3.org/2000/svg}"
points = json.load(open(sys.argv[2]))["persons"]["points"]
circles = svg.findall(ns + "circle")
titles = [c.find(ns + "title").text for c in circles]
want = ["%s: %d held" % (p["date"], p["detained"]) for p in points]
paths = svg.findall(ns + "path")
ys = [float(c.get("cy")) for c in circles]
top = max(points, key=lambda p: p["detained"])
title = svg.find(ns + "title").text
print(len(circles) == len(points), all(t.startswith(w) for t, w in zip(titles, want)),
      len(paths), "Belarus" in title and "BLR" not in title,
      ys[points.index(top)] == min(ys))
EOF
check_eq "the chart parses: a dot per point with its figures, two lines, named, the highest highest" \
    "True True 2 True True" "$(cat "$TMP/svg")"
check_eq "the table beside it in Markdown" "$n" \
    "$(r report country Belarus --persons | sed -n '/Persons held over time/,/^## Dialogues/p' | grep -c '^| [0-9]')"
check_eq "no person's name in the section" 0 \
    "$(sed -n '/Persons held over time/,/Dialogues/p' "$TMP/p.html" | grep -c 'Statkevich\|Dziadok')"

# Beside the counts others published, each with what it counted.
r report country Belarus --persons --counts "$COUNTS" --json >"$TMP/c.json"
check_eq "every published count" 17 \
    "$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["persons"]["published"]))' "$TMP/c.json")"
check_eq "each with its register count on that day" "same" "$(python3 - "$TMP/c.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))["persons"]
def day(x): return x + ("-01-01" if len(x) == 4 else "-01" if len(x) == 7 else "")
bad = []
for c in d["published"]:
    before = [p for p in d["points"] if p["date"] <= day(c["date"])]
    want = (before[-1]["detained"], before[-1]["inferred"]) if before else (0, 0)
    if (c["register"], c["inferred"]) != want:
        bad.append(c["date"])
print("same" if not bad else bad)
EOF
)"
check_eq "and what each counted" 1 \
    "$(r report country Belarus --persons --counts "$COUNTS" | grep -c '| current political prisoners |' | awk '{print ($1 > 0)}')"

# The web face: on this machine (no accounts) the profile has the chart; a public
# server's has not.
serve_start "$DB"
check_eq "the web profile" 200 "$(code "$URL/reports/country/BLR")"
check "has the chart" grep -q '<svg class="held"' "$TMP/body"
if command -v pdftotext >/dev/null 2>&1; then
    # The web's Download PDF button, for someone who may see persons (no accounts yet).
    curl -s -c "$TMP/jar" -o "$TMP/page" "$URL/reports/brief/1?as_of=2015-08-21"
    TOKEN=$(sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' "$TMP/page" | head -n 1)
    check_eq "the web's PDF" 200 "$(curl -s -b "$TMP/jar" -o "$TMP/w.pdf" -w '%{http_code}' \
        --data-urlencode "csrf=$TOKEN" --data-urlencode "format=pdf" \
        --data-urlencode "as_of=2015-08-21" "$URL/reports/brief/1")"
    pdftotext "$TMP/w.pdf" "$TMP/w.txt"
    check "has the individual cases too" grep -q 'Individual cases' "$TMP/w.txt"
fi
kill "$SERVE_PID" 2>/dev/null
wait "$SERVE_PID" 2>/dev/null
echo 'viewer pass phrase' | r user add vic --role viewer >/dev/null
serve_start "$DB" --public
check_eq "a public server's profile" 200 "$(code "$URL/reports/country/BLR")"
check_eq "has no such section" 0 "$(grep -c 'Persons held over time' "$TMP/body")"
kill "$SERVE_PID" 2>/dev/null
wait "$SERVE_PID" 2>/dev/null

# The PDFs carry the private sections as the HTML does.
if command -v pdftotext >/dev/null 2>&1 &&
    r report brief --dialogue WG --persons --as-of 2015-08-21 --format pdf --out "$TMP/b.pdf" 2>/dev/null; then
    pdftotext "$TMP/b.pdf" "$TMP/b.txt"
    check_eq "the PDF briefing has the individual cases" "1 1" \
        "$(grep -c 'Individual cases' "$TMP/b.txt") $(grep -c '2 of the 2 persons' "$TMP/b.txt")"
    check "and names them" grep -q 'Mikalai Statkevich' "$TMP/b.txt"
    r report brief --dialogue WG --as-of 2015-08-21 --format pdf --out "$TMP/n.pdf"
    pdftotext "$TMP/n.pdf" "$TMP/n.txt"
    check_eq "without --persons it has not" 0 "$(grep -c 'Individual cases' "$TMP/n.txt")"
    r report country Belarus --persons --format pdf --out "$TMP/c.pdf"
    pdftotext "$TMP/c.pdf" "$TMP/c.txt"
    check "the PDF profile has the persons held over time" grep -q 'Persons held over time' "$TMP/c.txt"
else
    say "# SKIP: no Chromium or pdftotext: the PDFs are not checked"
    n_skip=$((n_skip + 1))
fi

done_testing
