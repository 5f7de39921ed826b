#!/bin/sh
# Import of Excel workbooks (XLSX): small ones made here, good and bad, and the real
# DIHR export upr2.xlsx, checked against figures python's zipfile and xml.etree
# compute from the same file (tests/lib/xlsx_tool.py).
. "$(dirname "$0")/../lib/test-lib.sh"

TOOL="$ROOT/tests/lib/xlsx_tool.py"
make_xlsx() { python3 "$TOOL" make "$TMP/$1.xlsx" "$1"; }

# --- A small good workbook: shared and inline strings, a rich-text run, numbers,
# cells and a row left out. ---
make_xlsx good
DB=$(new_db g)
"$RT" --db "$DB" import --json "$TMP/good.xlsx" >"$TMP/g.json"
check_eq "good workbook imports" 0 $?
check_eq "format dihr" dihr "$(json .files.0.format <"$TMP/g.json")"
check_eq "three rows" 3 "$(json .rows <"$TMP/g.json")"
check_eq "two recommendations" 2 "$(json .recommendations_added <"$TMP/g.json")"
"$RT" --db "$DB" search --json >"$TMP/gs.json"
check_eq "shared strings: the text" "Strengthen human rights education in schools" \
    "$(json .hits.0.text <"$TMP/gs.json")"
check_eq "session 22 from A/HRC/30/3" 22 "$(json .hits.0.session <"$TMP/gs.json")"
check_eq "cycle 2 from the session" 2 "$(json .hits.0.cycle <"$TMP/gs.json")"
check_eq "report and paragraph kept" "A/HRC/30/3, 127.40" "$(json .hits.0.paragraph <"$TMP/gs.json")"
check_eq "goal and target as sdg themes" '["4. Quality education", "4.7"]' \
    "$(json .hits.0.themes <"$TMP/gs.json")"
# A reader sees a goal or target as the SDG's, not as a bare number; filters keep the label.
"$RT" --db "$DB" search --facets >"$TMP/gf.txt"
check_eq "the text's theme facet: SDG goals and targets so named" 1 \
    "$(grep -c '^Theme: SDG 4. Quality education (2), .* SDG 16.3 (1), SDG 4.7 (1)' "$TMP/gf.txt")"
check_eq "and filtered on by their labels" 1 "$("$RT" --db "$DB" search --theme 4.7 --json | json .total)"
check_eq "rich-text runs joined, phonetic run left out, text rule applied" \
    "Abolish the death penalty" "$(json .hits.1.text <"$TMP/gs.json")"
check_eq "the symbol alone: no paragraph" "A/HRC/30/3" "$(json .hits.1.paragraph <"$TMP/gs.json")"
check_eq "the same text twice is one recommendation of two states" '["Estonia", "Sweden"]' \
    "$(json .hits.1.recommending_states <"$TMP/gs.json")"
check_eq "a goal with a comma in its name; numbers 16.3 and 1.63E1 as 16.3" \
    '["16. Peace, justice and strong institutions", "16.3", "4. Quality education", "5. Gender equality"]' \
    "$(json .hits.1.themes <"$TMP/gs.json")"

# --- Bad workbooks: a clear error, exit 1, nothing imported. ---
# On SQLite into the database of the good workbook, which must keep its two rows; on
# PostgreSQL, which imports into an empty database only for now, into a new one.
n_db=0
refused() {
    name=$1 file=$2 where=$3
    into=$DB want=2
    if [ "$RT_TEST_STORE" != sqlite ]; then n_db=$((n_db + 1)) into=$(new_db "x$n_db") want=0; fi
    "$RT" --db "$into" import "$TMP/$file.xlsx" >"$TMP/out" 2>"$TMP/err"
    check_eq "$name: exit 1" 1 $?
    grep -qF -- "$where" "$TMP/err"
    check_eq "$name: the message says '$where'" 0 $?
    check_eq "$name: database unchanged" "$want" "$("$RT" --db "$into" stats --json | json .recommendations)"
}
for k in truncated zip-bomb zip-bomb-liar external-entity billion-laughs missing-strings no-strings-part \
    other-columns empty-sheet bad-response bad-index beyond-header; do
    make_xlsx $k
done
refused "truncated zip" truncated "truncated.xlsx: not a readable Excel workbook"
refused "zip bomb" zip-bomb "part xl/worksheets/sheet1.xml inflates to"
refused "zip bomb whose headers lie" zip-bomb-liar \
    "part xl/worksheets/sheet1.xml inflates past 268435456 bytes"
refused "external entity" external-entity "a document type declaration (DTD) is not allowed"
refused "billion laughs" billion-laughs "a document type declaration (DTD) is not allowed"
refused "missing shared-strings part" missing-strings "the part xl/sharedStrings.xml is missing"
refused "no shared strings at all" no-strings-part \
    "sheet 'Explorer', row 1, column A: the cell refers to shared strings, but the workbook has none"
refused "a sheet with other columns" other-columns "other-columns.xlsx:1: unknown format"
grep -qF "(sheet 'Explorer', row 1)" "$TMP/err"
check_eq "other columns: the sheet and row named" 0 $?
refused "an empty sheet" empty-sheet "sheet 'Explorer' is empty"
refused "a bad value" bad-response \
    "bad-response.xlsx:3: field 'Response': unknown response 'Perhaps'"
grep -qF "(sheet 'Explorer', row 3, column F)" "$TMP/err"
check_eq "bad value: sheet, row and column named" 0 $?
refused "a shared string that does not exist" bad-index \
    "sheet 'Explorer', row 3, column C: shared string 999 does not exist"
refused "a value beyond the header" beyond-header \
    "sheet 'Explorer', row 3, column Q: a value beyond the header's last column"
# With a good file before it, a bad one takes it down too (one transaction).
TWO_DB=$(new_db two)
"$RT" --db "$TWO_DB" import "$TMP/good.xlsx" "$TMP/bad-response.xlsx" >/dev/null 2>&1
check_eq "good + bad: exit 1" 1 $?
check_eq "good + bad: nothing imported" 0 "$("$RT" --db "$TWO_DB" stats --json | json .recommendations)"

# --- The real DIHR export, cycle 2. ---
need_data
X="$DATA/upr/dihr/upr2.xlsx"
UPR="$DATA/upr/upr_info_s01-s18.csv"
python3 "$TOOL" figures "$X" "$UPR" >"$TMP/fig.json"
check_eq "python reads the workbook" 0 $?
fig() { json "$1" <"$TMP/fig.json"; }
check_eq "python: 35,996 rows (the README's figure)" 35996 "$(fig .rows)"
check_eq "python: 34,686 recommendations (the README's figure)" 34686 "$(fig .recommendations)"
check_eq "python: Belarus session 22, 270 rows and 259 paragraphs (the README's figures)" \
    "270 259" "$(fig .session22.Belarus.rows) $(fig .session22.Belarus.paragraphs)"
check_eq "python: the United States session 22, 387 rows and 343 paragraphs (the README's)" \
    "387 343" "$(fig '.session22.United States of America.rows') $(fig '.session22.United States of America.paragraphs')"
check_eq "python: 1,966 rows without a plain paragraph (the README's figure): 1,959 with the symbol alone, 7 odd ('A/HRC/25/3OLD', '42.')" \
    "1966 1959" "$(fig .rows_without_plain_paragraph) $(fig .bare_symbol_rows)"
check_eq "python: 13,697 recommendations of sessions 13-18 (the README's figure)" 13697 \
    "$(fig .sessions_13_18)"

D=$(new_db d)
start=$(date +%s.%N)
"$RT" --db "$D" import --json "$X" >"$TMP/d.json"
check_eq "upr2.xlsx imports" 0 $?
end=$(date +%s.%N)
say "# upr2.xlsx imported in $(python3 -c "print(round($end - $start, 2))") s ($(basename "$(dirname "$RT")") build)"
check_eq "rows as python counts them" "$(fig .rows)" "$(json .rows <"$TMP/d.json")"
check_eq "recommendations as python counts them" "$(fig .recommendations)" \
    "$(json .recommendations_added <"$TMP/d.json")"
check_eq "34,686 recommendations as we import them (the issue's figure)" 34686 \
    "$("$RT" --db "$D" stats --json | json .recommendations)"
check_eq "the rest merged" $(($(fig .rows) - $(fig .recommendations))) \
    "$(json .recommendations_existing <"$TMP/d.json")"
check_eq "sessions 13-18: as many recommendations as python counts" "$(fig .sessions_13_18)" \
    "$(sql "$D" "SELECT count(*) FROM recommendation WHERE session BETWEEN 13 AND 18")"

# Belarus and the United States, session 22, against python's figures and texts.
session22() { # STATE NAME-IN-WORKBOOK
    "$RT" --db "$D" search --sur "$1" --session 22 --limit 1000 --facets --json >"$TMP/s22.json"
    check_eq "$1 session 22: recommendations" "$(fig ".session22.$2.total")" \
        "$(json .total <"$TMP/s22.json")"
    check_eq "$1 session 22: supported" "$(fig ".session22.$2.Supported")" \
        "$(json .facets.response.supported <"$TMP/s22.json")"
    check_eq "$1 session 22: noted" "$(fig ".session22.$2.Noted")" \
        "$(json .facets.response.noted <"$TMP/s22.json")"
    python3 - "$TMP/fig.json" "$2" "$TMP/s22.json" >"$TMP/cmp" 2>&1 <<'EOF'
import json, sys
fig = json.load(open(sys.argv[1]))["session22"][sys.argv[2]]["sdg"]
facet = json.load(open(sys.argv[3]))["facets"]["theme"]
top = sorted(fig.items(), key=lambda kv: -kv[1])[:5]
for label, n in top:
    assert facet.get(label) == n, (label, n, facet.get(label))
print(len(top))
EOF
    check_eq "$1 session 22: the five commonest SDG themes, as facets, as python counts them" 5 \
        "$(cat "$TMP/cmp")"
    python3 - "$TMP/fig.json" "$2" "$TMP/s22.json" >"$TMP/cmp" 2>&1 <<'EOF'
import json, sys
fig = json.load(open(sys.argv[1]))["session22"][sys.argv[2]]["texts"]
hits = json.load(open(sys.argv[3]))["hits"]
ours = {h["text"]: h for h in hits}
assert set(ours) == set(fig), sorted(set(ours) ^ set(fig))[:3]
for text, states in fig.items():
    h = ours[text]
    assert len(h["recommending_states"]) == len(states), (text, states, h["recommending_states"])
    assert h["paragraph"].startswith("A/HRC/30/"), h["paragraph"]
print(len(fig))
EOF
    check_eq "$1 session 22: the same texts, each with as many recommending states" \
        "$(fig ".session22.$2.total")" "$(cat "$TMP/cmp")"
}
session22 Belarus Belarus
check_eq "Belarus session 22 as we import it: 261 recommendations, 156 supported, 105 noted (the issue's figures)" \
    "261 156 105" \
    "$(json .total <"$TMP/s22.json") $(json .facets.response.supported <"$TMP/s22.json") $(json .facets.response.noted <"$TMP/s22.json")"
check_eq "Belarus: 261, 156 supported (the issue's figures)" "261 156" \
    "$(fig .session22.Belarus.total) $(fig .session22.Belarus.Supported)"
session22 USA "United States of America"
check_eq "the United States session 22 as we import it: 361 recommendations, 159 supported, 202 noted (the issue's figures)" \
    "361 159 202" \
    "$(json .total <"$TMP/s22.json") $(json .facets.response.supported <"$TMP/s22.json") $(json .facets.response.noted <"$TMP/s22.json")"
check_eq "United States: 361, 202 noted (the issue's figures)" "361 202" \
    "$(fig '.session22.United States of America.total') $(fig '.session22.United States of America.Noted')"

# One recommendation field by field.
"$RT" --db "$D" search --sur Belarus --session 22 --json \
    '"public campaigns explaining the arguments for the abolition of the death penalty"' >"$TMP/one.json"
check_eq "one recommendation: found once" 1 "$(json .total <"$TMP/one.json")"
check_eq "its paragraph" "A/HRC/30/3, 127.1" "$(json .hits.0.paragraph <"$TMP/one.json")"
check_eq "its response" supported "$(json .hits.0.response <"$TMP/one.json")"
check_eq "its recommending state" '["Estonia"]' "$(json .hits.0.recommending_states <"$TMP/one.json")"

# The report and paragraph are searchable: the symbol finds its report's
# recommendations, the paragraph number its own; a bare number looks in the text only.
check_eq "search for A/HRC/30/3: Belarus's recommendations of session 22" \
    "$(fig .session22.Belarus.total)" \
    "$("$RT" --db "$D" search --limit 1 --json 'A/HRC/30/3' | json .total)"
check_eq "search for A/HRC/30/3 127.1: those of that paragraph" \
    "$(sql "$D" "SELECT count(*) FROM recommendation WHERE paragraph = 'A/HRC/30/3, 127.1'")" \
    "$("$RT" --db "$D" search --limit 1 --json 'A/HRC/30/3 127.1' | json .total)"
has30="' ' || r.text || ' ' GLOB '*[^0-9]30[^0-9]*'" # the number 30 in the text
[ "$RT_TEST_STORE" = postgresql ] && has30="' ' || r.text || ' ' ~ '[^0-9]30[^0-9]'"
check_eq "a bare number, 30, only in texts: Belarus's session 22 has none with it" \
    "$(sql "$D" "SELECT count(*) FROM recommendation r JOIN state s ON s.id = r.sur_id
        WHERE s.code = 'BLR' AND r.session = 22 AND $has30")" \
    "$("$RT" --db "$D" search --sur Belarus --session 22 --limit 1 --json 30 | json .total)"

# Importing the same file again changes nothing.
"$RT" --db "$D" import --json "$X" >"$TMP/again.json"
check_eq "again: nothing added" 0 "$(json .recommendations_added <"$TMP/again.json")"
check_eq "again: no states" 0 "$(json .recommending_states_added <"$TMP/again.json")"
check_eq "again: no themes" 0 "$(json .themes_added <"$TMP/again.json")"

# --- UPR Info, then the DIHR: the overlap of sessions 13-18 merges. ---
check_eq "python: 13,668 of sessions 13-18 match UPR Info (the README's figure)" 13668 \
    "$(fig .matched)"
check_eq "python: 29 do not" 29 "$(fig .unmatched)"
B=$(new_db both)
upr_db "$B"
n_upr=$("$RT" --db "$B" stats --json | json .recommendations)
"$RT" --db "$B" import --json "$X" >"$TMP/b.json"
check_eq "UPR Info then DIHR: exit 0" 0 $?
check_eq "UPR Info then DIHR: the overlap merged" \
    $((n_upr + $(fig .recommendations) - $(fig .matched))) \
    "$("$RT" --db "$B" stats --json | json .recommendations)"
check_eq "56,386 recommendations (the issue's figure)" 56386 \
    "$("$RT" --db "$B" stats --json | json .recommendations)"
s1318() { sql "$1" "SELECT count(*) FROM recommendation WHERE session BETWEEN 13 AND 18"; }
UPR_DB=$(new_db upr)
upr_db "$UPR_DB"
check_eq "sessions 13-18 gain only the unmatched" $(($(s1318 "$UPR_DB") + $(fig .unmatched))) \
    "$(s1318 "$B")"
check_eq "every merged recommendation has both sources" "$(fig .matched)" \
    "$(sql "$B" "SELECT count(*) FROM (SELECT rec_id FROM recommendation_source
        GROUP BY rec_id HAVING count(*) = 2) x")"

# Every merged recommendation keeps every UPR Info issue and every SDG goal and target:
# as many links of each vocabulary as each file gives alone.
links() { sql "$1" "SELECT count(*) FROM recommendation_theme x JOIN theme t ON t.id = x.theme_id
    WHERE t.vocabulary = '$2'"; }
check_eq "merged: UPR Info's issues all kept" "$(links "$UPR_DB" upr-info)" "$(links "$B" upr-info)"
check_eq "merged: the DIHR's SDG goals and targets all kept" "$(links "$D" sdg)" "$(links "$B" sdg)"
check_eq "merged: the 29 unmatched have one source each, the DIHR" 29 \
    "$(sql "$B" "SELECT count(*) FROM recommendation r WHERE r.session BETWEEN 13 AND 18
        AND NOT EXISTS (SELECT 1 FROM recommendation_source rs JOIN source so
            ON so.id = rs.source_id WHERE rs.rec_id = r.id AND so.kind = 'upr-info')")"

# A merged recommendation through show: both sources, UPR Info's issues and the SDG
# goals and targets, the paragraph the DIHR gives.
id=$(sql "$B" "SELECT rs.rec_id FROM recommendation_source rs
    JOIN recommendation_theme x ON x.rec_id = rs.rec_id JOIN theme t ON t.id = x.theme_id
    GROUP BY rs.rec_id HAVING count(DISTINCT rs.source_id) = 2
    AND count(DISTINCT t.vocabulary) = 2 ORDER BY rs.rec_id LIMIT 1")
"$RT" --db "$B" show --json "$id" >"$TMP/show.json"
check_eq "show --json: two sources" '["upr-info", "dihr"]' \
    "$(python3 -c 'import json,sys; print(json.dumps([s["kind"] for s in json.load(sys.stdin)["sources"]]))' <"$TMP/show.json")"
check_eq "show --json: the sources agree" False "$(json .sources_disagree <"$TMP/show.json")"
check_eq "show --json: UPR Info's issues and the DIHR's SDG themes" '["sdg", "upr-info"]' \
    "$(python3 -c 'import json,sys; print(json.dumps(sorted({t["vocabulary"] for t in json.load(sys.stdin)["theme_tags"]})))' <"$TMP/show.json")"
para=$(json .paragraph <"$TMP/show.json")
check_eq "show --json: the paragraph the DIHR gives" A/HRC/ "$(printf %s "$para" | cut -c1-6)"
"$RT" --db "$B" show "$id" >"$TMP/show.txt"
check_eq "show lists both sources" 2 "$(grep -cE 'upr_info_s01-s18.csv \(upr-info, |upr2.xlsx \(dihr, ' "$TMP/show.txt")"

# The same database in either order, and importing both again changes nothing.
# The values of one column, joined in order: group_concat on SQLite, string_agg on
# PostgreSQL.
joined() {
    if [ "$RT_TEST_STORE" = postgresql ]; then echo "string_agg($1, ',' ORDER BY $1)"
    else echo "group_concat($1, ',')"; fi
}
fingerprint() {
    sql "$1" "SELECT s.code, r.session, r.cycle, r.response, r.action_category, r.paragraph,
        r.text,
        (SELECT $(joined c) FROM (SELECT st.code c FROM recommendation_by b
            JOIN state st ON st.id = b.state_id WHERE b.rec_id = r.id ORDER BY 1) o),
        (SELECT $(joined l) FROM (SELECT t.vocabulary || ':' || t.label l
            FROM recommendation_theme x JOIN theme t ON t.id = x.theme_id
            WHERE x.rec_id = r.id ORDER BY 1) o),
        (SELECT $(joined k) FROM (SELECT so.kind || ':' || rs.response k
            FROM recommendation_source rs JOIN source so ON so.id = rs.source_id
            WHERE rs.rec_id = r.id ORDER BY 1) o)
        FROM recommendation r JOIN state s ON s.id = r.sur_id ORDER BY 1, 2, 7, 3, 4, 5, 6, 8, 9, 10" |
        md5sum
}
R2=$(new_db rev)
copy_db "$D" "$R2" # upr2.xlsx alone, imported above
"$RT" --db "$R2" import "$UPR" >/dev/null
check_eq "DIHR then UPR Info: 56,386 too" 56386 "$("$RT" --db "$R2" stats --json | json .recommendations)"
check_eq "the same recommendations, states, themes and sources in either order" \
    "$(fingerprint "$B")" "$(fingerprint "$R2")"
"$RT" --db "$B" export --json | python3 "$ROOT/tests/lib/export_content.py" >"$TMP/c1"
"$RT" --db "$R2" export --json | python3 "$ROOT/tests/lib/export_content.py" >"$TMP/c2"
check_eq "export --json: the same content in either order (ids and times aside)" \
    "56386 $(md5sum <"$TMP/c1")" "$(wc -l <"$TMP/c2" | tr -d ' ') $(md5sum <"$TMP/c2")"
before=$(fingerprint "$B")
"$RT" --db "$B" import --json "$UPR" "$X" >"$TMP/again2.json"
check_eq "both again: nothing added" 0 "$(json .recommendations_added <"$TMP/again2.json")"
check_eq "both again: the data unchanged" "$before" "$(fingerprint "$B")"

# Export and restore carry the sources.
"$RT" --db "$B" export --json >"$TMP/e1.json"
RESTORED_DB=$(new_db restored)
"$RT" --db "$RESTORED_DB" import "$TMP/e1.json" >/dev/null
check_eq "restored: the same data, sources included" "$before" "$(fingerprint "$RESTORED_DB")"
"$RT" --db "$RESTORED_DB" export --json >"$TMP/e2.json"
check "export, restore, export: the same bytes" cmp "$TMP/e1.json" "$TMP/e2.json"
done_testing
