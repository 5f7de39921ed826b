#!/bin/sh
# The theme taxonomy (data/themes/): every UPR Info issue and every UHRI label in the
# data maps to an area, `themes areas` lists them, and `search --theme` finds records
# tagged in one vocabulary by a label of another or by an area.
. "$(dirname "$0")/../lib/test-lib.sh"
EMPTY=$(new_db empty)
RIGHTSTRACK_DB=$(new_db main)

TAX=$ROOT/data/themes

# The tables themselves: areas well formed, every mapped area defined and used.
check "areas.tsv and taxonomy.tsv agree" python3 - "$TAX" <<'EOF2'
import sys
d = sys.argv[1]
def rows(name, n):
    out = []
    for i, line in enumerate(open(f"{d}/{name}", encoding="utf-8"), 1):
        line = line.rstrip("\n")
        if not line or line.startswith("#"):
            continue
        f = line.split("\t")
        assert len(f) == n and all(f), f"{name}:{i}: want {n} fields: {line!r}"
        out.append(f)
    return out
areas = rows("areas.tsv", 3)
codes = [a[0] for a in areas]
assert len(codes) == len(set(codes)), "an area code is repeated"
assert all(a[2] in ("yes", "no") for a in areas), "OSCE must be yes or no"
osce = {a[0] for a in areas if a[2] == "yes"}
want = {"expression", "assembly", "association", "elections", "civil-society", "media",
        "rule-of-law", "political-prisoners"}
assert osce == want, f"OSCE areas: {sorted(osce)}"
pairs = rows("taxonomy.tsv", 3)
assert len(pairs) == len({tuple(p) for p in pairs}), "a line is repeated"
bad = [p for p in pairs if p[2] not in codes or p[0] not in ("upr-info", "uhri", "odihr")]
assert not bad, f"unknown area or vocabulary: {bad[:5]}"
unused = set(codes) - {p[2] for p in pairs}
assert not unused, f"areas no label maps to: {sorted(unused)}"
EOF2

check "init" "$RT" --db "$EMPTY" init
"$RT" --db "$EMPTY" themes areas --json >"$TMP/areas.json"
check_eq "themes areas lists every area of areas.tsv" \
    "$(grep -vc '^#' "$TAX/areas.tsv")" "$(python3 -c 'import json,sys; print(len(json.load(sys.stdin)))' <"$TMP/areas.json")"
check_eq "an OSCE area with its labels" "True [\"Freedom of the press\"] [\"Freedom of the media\", \"media\"]" \
    "$(python3 -c 'import json,sys
a = {x["code"]: x for x in json.load(open(sys.argv[1]))}["media"]
print(a["osce"], json.dumps(a["labels"]["upr-info"]), json.dumps(a["labels"]["osce"]))' "$TMP/areas.json")"
check "themes areas as text" "$RT" --db "$EMPTY" themes areas
check_fails "themes areas takes no argument" 2 "$RT" --db "$EMPTY" themes areas x
check_fails "an unknown theme is a usage error, as an unknown state is" 2 \
    "$RT" --db "$EMPTY" search --theme 'no such theme' --json
check_eq "that says no theme matches" 1 "$(grep -c "no theme matches 'no such theme'" "$TMP/err")"
check_eq "a word of an area's label finds it on an empty database" 0 \
    "$("$RT" --db "$EMPTY" search --theme death --json | json .total)"

need_data

# Every label in the data maps to at least one area.
check "every UPR Info issue and UHRI theme label maps to an area" python3 - "$TAX" "$DATA" <<'EOF2'
import csv, re, sys
d, data = sys.argv[1], sys.argv[2]
have = set()
for line in open(f"{d}/taxonomy.tsv", encoding="utf-8"):
    if line.strip() and not line.startswith("#"):
        voc, label, _ = line.rstrip("\n").split("\t")
        have.add((voc, label))
need = set()
with open(f"{data}/upr/upr_info_s01-s18.csv", encoding="utf-8", newline="") as f:
    for r in csv.DictReader(f):
        need.update(("upr-info", x.strip()) for x in r["issues"].split("|") if x.strip())
# The 54 issues as the README lists them, with their counts.
readme = open(f"{data}/upr/README.md", encoding="utf-8").read()
block = readme.split("### Issue label set", 1)[1].split("\n\n", 2)[1]
issues = re.findall(r"\s*([^;]+?) \d+(?:;|\.$)", " ".join(block.split()))
assert len(issues) == 54, f"read {len(issues)} issues from the README"
need.update(("upr-info", x) for x in issues)
with open(f"{data}/uhri/uhri_thematic_recommendations.csv", encoding="utf-8", newline="") as f:
    for r in csv.DictReader(f):
        need.update(("uhri", x.strip()) for x in r["themes"].split("|") if x.strip())
missing = sorted(need - have)
assert not missing, f"{len(missing)} labels without an area: {missing[:10]}"
print(len(need), "labels")
EOF2

# Both files in one run: PostgreSQL takes an import into an empty database only.
check "import UPR Info and the UHRI list" "$RT" import "$DATA/upr/upr_info_s01-s18.csv" \
    "$DATA/uhri/uhri_thematic_recommendations.csv"
total() { "$RT" search "$@" --json | json .total; }

k=$(total --theme death-penalty)
check_eq "the area death-penalty finds the UPR Info 'Death penalty' recommendations" \
    "$(total --theme 'Death penalty')" "$k"
check_eq "many of them" yes "$([ "$k" -gt 1000 ] && echo yes)"
check_eq "every hit is tagged 'Death penalty'" 0 "$("$RT" search --theme death-penalty --limit 50 --json |
    python3 -c 'import json,sys; print(sum("Death penalty" not in h["themes"] for h in json.load(sys.stdin)["hits"]))')"

# Slovenia's UHRI recommendations by area, counted from the file: the death penalty
# (no UHRI label of its own in this file) and the right to life.
python3 - "$TAX" "$DATA" >"$TMP/svn" <<'EOF2'
import csv, sys
d, data = sys.argv[1], sys.argv[2]
area = {}
for line in open(f"{d}/taxonomy.tsv", encoding="utf-8"):
    if line.strip() and not line.startswith("#"):
        voc, label, code = line.rstrip("\n").split("\t")
        if voc == "uhri":
            area.setdefault(label, set()).add(code)
for want in ("death-penalty", "right-to-life"):
    recs = set()
    with open(f"{data}/uhri/uhri_thematic_recommendations.csv", encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            if any(want in area.get(x.strip(), ()) for x in r["themes"].split("|")):
                recs.add((r["session"], " ".join(r["text"].split())))
    print(len(recs))
EOF2
check_eq "Slovenia: death-penalty finds the UHRI death-penalty labels (if any)" \
    "$(sed -n 1p "$TMP/svn")" "$(total --sur SVN --theme death-penalty)"
k=$(total --sur SVN --theme right-to-life)
check_eq "Slovenia: right-to-life finds the UHRI 'Right to life' recommendations" \
    "$(sed -n 2p "$TMP/svn")" "$k"
check_eq "some are there" yes "$([ "$k" -gt 0 ] && echo yes)"
check_eq "a UPR Info label finds them too (Extrajudicial executions -> right-to-life)" \
    "$k" "$(total --sur SVN --theme 'Extrajudicial executions')"
check_eq "and the UHRI label finds UPR Info records" yes \
    "$([ "$(total --theme 'Right to life')" -gt "$k" ] && echo yes)"
check_eq "an area by its label" "$(total --theme expression)" \
    "$(total --theme 'freedom of opinion and EXPRESSION')"
k=$(total --theme 'Freedom of opinion and expression & access to information')
check_eq "a UHRI expression label finds UPR Info press records" \
    yes "$([ "$k" -gt 1000 ] && [ "$k" = "$(total --theme expression)" ] && echo yes)"
check_eq "an OSCE area: assembly" yes "$([ "$(total --theme assembly)" -gt 100 ] && echo yes)"
check_eq "the exact label still works on its own vocabulary (Trafficking)" yes \
    "$([ "$(total --theme Trafficking)" -ge "$(total --theme Trafficking --sur BLR)" ] && echo yes)"
check_fails "an unknown theme says so" 2 "$RT" search --theme 'no such theme' --json
check_eq "no theme matches it" 1 "$(grep -c "no theme matches 'no such theme'" "$TMP/err")"
check_fails "a misspelt one" 2 "$RT" search --theme tortur
check_eq "lists the close ones" 1 "$(grep -c "no theme matches 'tortur'; close: 'Torture" "$TMP/err")"
# Any word of a label finds the theme: "death" is the area "Death penalty" and the
# labels of every vocabulary in it.
check_eq "a word of a label finds its theme" "$(total --theme 'Death penalty')" "$(total --theme death)"
check_eq "in any case" "$(total --theme death)" "$(total --theme DEATH)"
check_eq "and more than nothing" yes "$([ "$(total --theme death)" -gt 100 ] && echo yes)"

done_testing
