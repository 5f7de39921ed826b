#!/bin/sh
# export --json and its restore: the round trip is byte-identical, on the demo
# ledger and on the whole UPR import; a restore needs an empty database.
. "$(dirname "$0")/../lib/test-lib.sh"

# The demo ledger is made on SQLite on both passes (data/demo/us-belarus.sh records
# persons, which PostgreSQL does not hold yet); on PostgreSQL its export is restored
# into PostgreSQL and must come back out the same to the byte.
A="$TMP/a.db" B=$(new_db b)
"$RT" --db "$A" import "$ROOT/data/demo/recommendations.csv" >/dev/null
sh "$ROOT/data/demo/us-belarus.sh" "$RT" --db "$A" >/dev/null 2>&1
check_eq "the demo ledger loads" 0 $?
check "export" "$RT" --db "$A" export --json --out "$TMP/a.json"
check "restore into an empty database" "$RT" --db "$B" import "$TMP/a.json"
"$RT" --db "$B" export --json >"$TMP/b.json"
check "the round trip is byte-identical" cmp "$TMP/a.json" "$TMP/b.json"
n=$(json .tables.step <"$TMP/a.json" | python3 -c 'import json,sys;print(len(json.load(sys.stdin)))')
check_eq "steps are exported" yes "$([ "$n" -ge 3 ] && echo yes)"
check_eq "the restored ledger answers" "$("$RT" --db "$A" timeline 1 --json)" "$("$RT" --db "$B" timeline 1 --json)"
check_fails "a restore into a database with data is refused" 1 "$RT" --db "$B" import "$TMP/a.json"
check_eq "and says why, in the same words on either store" \
    "$(printf 'rightstrack: %s: an export is restored into an empty database; this one holds data\n%s' \
        "$TMP/a.json" "rightstrack: nothing was imported")" \
    "$(cat "$TMP/err")"
check_eq "and nothing is added" "$(cat "$TMP/b.json")" "$("$RT" --db "$B" export --json)"

printf '{"format": "rightstrack", "version": 1, "tables": {"step": [{"id": 1, "colour": "red"}]}}' >"$TMP/bad.json"
check_fails "an unknown column is refused" 1 "$RT" --db "$(new_db c1)" import "$TMP/bad.json"
grep -q "tables.step\[0\].*colour" "$TMP/err"
check_eq "naming the row and the column" 0 $?
printf '{"format": "rightstrack", "version": 1,\n "tables": {' >"$TMP/broken.json"
check_fails "broken JSON is refused" 1 "$RT" --db "$(new_db c2)" import "$TMP/broken.json"
grep -q "broken.json:2:" "$TMP/err"
check_eq "naming the line" 0 $?
printf '{"format": "other"}' >"$TMP/other.json"
check_fails "another format is refused" 1 "$RT" --db "$(new_db c3)" import "$TMP/other.json"
# A theme tag that refers to a theme the file does not hold (found by fuzz_import):
# the row is named, and nothing is imported.
python3 -c 'import json,sys
d=json.load(open(sys.argv[1]))
d["tables"]["recommendation_theme"].append({"rec_id": 1, "theme_id": 99999, "origin": "official", "confidence": 1.0})
json.dump(d, open(sys.argv[2], "w"))' "$TMP/a.json" "$TMP/dangling.json"
n=$(json .tables.recommendation_theme <"$TMP/a.json" | python3 -c 'import json,sys;print(len(json.load(sys.stdin)))')
D=$(new_db d)
check_fails "a reference to a row the file lacks is refused" 1 "$RT" --db "$D" import "$TMP/dangling.json"
check_eq "naming the file, the row and the column" 1 \
    "$(grep -c "dangling.json: field 'tables.recommendation_theme\[$n\]': column 'theme_id'" "$TMP/err")"
check_eq "and nothing is imported" 0 "$("$RT" --db "$D" stats --json | json .recommendations)"

need_data
U=$(new_db u) V=$(new_db v)
"$RT" --db "$U" import "$DATA/upr/upr_info_s01-s18.csv" "$DATA/uhri/uhri_thematic_recommendations.csv" >/dev/null
"$RT" --db "$U" export --out "$TMP/u.json"
check "the whole UPR import restores" "$RT" --db "$V" import "$TMP/u.json"
"$RT" --db "$V" export --out "$TMP/v.json"
check "and its round trip is byte-identical" cmp "$TMP/u.json" "$TMP/v.json"
check_eq "search works on the restored database" "$("$RT" --db "$U" search tortured --json | json .total)" \
    "$("$RT" --db "$V" search tortured --json | json .total)"
done_testing
