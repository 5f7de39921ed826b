#!/bin/sh
# The DIHR's cycle-1 workbook upr1.xlsx: its report symbols give the UPR session only
# through data/upr/hrc_sessions.tsv (HRC session 8 adopted UPR sessions 1 and 2 both;
# then N - 7). Checked against what python's zipfile and xml.etree read from the same
# file, with the session UPR Info's export gives each state (tests/lib/xlsx_tool.py).
. "$(dirname "$0")/../lib/test-lib.sh"

TOOL="$ROOT/tests/lib/xlsx_tool.py"
need_data
X="$DATA/upr/dihr/upr1.xlsx"
X2="$DATA/upr/dihr/upr2.xlsx"
UPR="$DATA/upr/upr_info_s01-s18.csv"

python3 "$TOOL" cycle1 "$X" "$UPR" >"$TMP/fig.json"
check_eq "python reads the workbook" 0 $?
fig() { json "$1" <"$TMP/fig.json"; }
check_eq "python: 20,678 rows (the README's figure)" 20678 "$(fig .rows)"
check_eq "python: every recommendation placed in a session UPR Info knows" 0 "$(fig .unplaced)"

D=$(new_db d)
"$RT" --db "$D" import --json "$X" >"$TMP/d.json"
check_eq "upr1.xlsx imports" 0 $?
check_eq "format dihr" dihr "$(json .files.0.format <"$TMP/d.json")"
check_eq "rows as python counts them" "$(fig .rows)" "$(json .rows <"$TMP/d.json")"
check_eq "recommendations as python counts them" "$(fig .recommendations)" \
    "$(json .recommendations_added <"$TMP/d.json")"

# Session by session, the counts python finds through UPR Info's sessions.
for s in 1 2 3 4 5 6 7 8 9 10 11 12; do
    check_eq "session $s: as many recommendations as python places there" "$(fig ".sessions.$s")" \
        "$("$RT" --db "$D" search --session "$s" --limit 1 --json | json .total)"
done
check_eq "all of them in cycle 1" "$(fig .recommendations)" \
    "$("$RT" --db "$D" search --cycle 1 --limit 1 --json | json .total)"

# Every (session, text) python finds is in the database.
if [ "$RT_TEST_STORE" = sqlite ]; then
    sqlite3 -json "$D" "SELECT session, text FROM recommendation" >"$TMP/ours.json"
else
    sql "$D" "SELECT json_agg(r) FROM (SELECT session, text FROM recommendation) r" >"$TMP/ours.json"
fi
python3 - "$TMP/fig.json" "$TMP/ours.json" >"$TMP/cmp" 2>&1 <<'EOF'
import json, sys
fig = json.load(open(sys.argv[1]))["pairs"]
ours = {(r["session"], r["text"]) for r in json.load(open(sys.argv[2]))}
missing = [p for p in fig if tuple(p) not in ours]
assert not missing, missing[:3]
print(len(fig))
EOF
check_eq "every recommendation in the session and with the text python finds" \
    "$(fig .recommendations)" "$(cat "$TMP/cmp")"

# Belarus, reviewed in May 2010 (session 8, A/HRC/15/16).
"$RT" --db "$D" search --sur Belarus --limit 1 --facets --json >"$TMP/blr.json"
check_eq "Belarus: all in session 8, as UPR Info says" \
    "$(($(fig .belarus.Supported) + $(fig .belarus.Noted))) 8" \
    "$("$RT" --db "$D" search --sur Belarus --session "$(fig .belarus.session)" --limit 1 --json |
        json .total) $(fig .belarus.session)"
check_eq "Belarus: supported as python counts them" "$(fig .belarus.Supported)" \
    "$(json .facets.response.supported <"$TMP/blr.json")"
check_eq "Belarus: noted as python counts them" "$(fig .belarus.Noted)" \
    "$(json .facets.response.noted <"$TMP/blr.json")"
check_eq "the report symbol kept as Belarus's paragraphs" "A/HRC/15/16" \
    "$(sql "$D" "SELECT DISTINCT substr(paragraph, 1, 11) FROM recommendation r
        JOIN state s ON s.id = r.sur_id WHERE s.code = 'BLR'")"

# A report of an HRC session that adopted no UPR session, and a state not among those
# of HRC session 8: refused, with the line and column named.
python3 "$TOOL" make "$TMP/good.xlsx" good
sed_xlsx() { # OUT FROM TO: good.xlsx with one string replaced in its shared strings
    python3 - "$TMP/good.xlsx" "$1" "$2" "$3" <<'EOF'
import sys, zipfile
src, out, a, b = sys.argv[1:]
with zipfile.ZipFile(src) as zi, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zo:
    for info in zi.infolist():
        data = zi.read(info.filename)
        if info.filename == "xl/sharedStrings.xml":
            assert a.encode() in data
            data = data.replace(a.encode(), b.encode())
        zo.writestr(info, data)
EOF
}
sed_xlsx "$TMP/hrc20.xlsx" "A/HRC/30/3" "A/HRC/20/3"
BAD_DB=$(new_db bad)
"$RT" --db "$BAD_DB" import "$TMP/hrc20.xlsx" >/dev/null 2>"$TMP/err"
check_eq "HRC session 20 (no UPR session): exit 1" 1 $?
grep -qF "is not the symbol of a UPR report of cycles 1 or 2" "$TMP/err"
check_eq "HRC session 20: the message says why" 0 $?
sed_xlsx "$TMP/hrc8.xlsx" "A/HRC/30/3" "A/HRC/8/3"
"$RT" --db "$BAD_DB" import "$TMP/hrc8.xlsx" >/dev/null 2>"$TMP/err"
check_eq "HRC session 8 for a state it did not review: exit 1" 1 $?
grep -qF "is of UPR session 1 or 2, and the state under review is not among" "$TMP/err"
check_eq "HRC session 8: the message names both sessions" 0 $?
check_eq "nothing imported" 0 "$("$RT" --db "$BAD_DB" stats --json | json .recommendations)"

# With UPR Info: the overlap merges, and every state sits in one session per cycle,
# the one UPR Info gives it (the table of HRC sessions checked against UPR Info, for
# cycle 1 here and for sessions 13-18 with upr2.xlsx).
B=$(new_db both)
upr_db "$B"
n_upr=$("$RT" --db "$B" stats --json | json .recommendations)
"$RT" --db "$B" import "$X" >/dev/null
check_eq "UPR Info then upr1.xlsx: the overlap merged" \
    $((n_upr + $(fig .recommendations) - $(fig .matched))) \
    "$("$RT" --db "$B" stats --json | json .recommendations)"
check_eq "the paragraphs upr1.xlsx gave recommendations indexed before are searchable" \
    "$(sql "$B" "SELECT count(*) FROM recommendation WHERE paragraph LIKE 'A/HRC/15/16%'")" \
    "$("$RT" --db "$B" search --limit 1 --json '"A/HRC/15/16"' | json .total)"
check_eq "and their texts still are, once each" \
    "$(sql "$B" "SELECT count(*) FROM recommendation WHERE paragraph LIKE 'A/HRC/15/16%'
        AND text LIKE '%death penalty%'")" \
    "$("$RT" --db "$B" search --limit 1 --json '"A/HRC/15/16" "death penalty"' | json .total)"
if [ "$RT_TEST_STORE" = postgresql ]; then # (SQLite's shell lacks our FTS5 tokenizer)
    check_eq "every recommendation, old and new, has its lexemes once" \
        "$(sql "$B" "SELECT count(*) FROM recommendation")" \
        "$(sql "$B" "SELECT count(*) FROM recommendation_fts")"
fi
"$RT" --db "$B" import "$X2" >/dev/null
check_eq "and upr2.xlsx: each state reviewed in one session per cycle, as UPR Info has it" "" \
    "$(sql "$B" "SELECT s.name FROM recommendation r JOIN state s ON s.id = r.sur_id
        GROUP BY r.sur_id, s.name, r.cycle HAVING count(DISTINCT r.session) > 1")"
done_testing
