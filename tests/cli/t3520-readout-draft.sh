#!/bin/sh
# readout import of a JSON draft (what readout parse --json wrote, corrected by
# hand) and --source, what the round cites; the API's ?source= the same.
. "$(dirname "$0")/../lib/test-lib.sh"
need_data

R="$DATA/readouts/us-belarus-wg-2015-12-16.txt"
DB=$(new_db d)
SRC="https://example.org/belarus-working-group-2015"
"$RT" --db "$DB" import "$ROOT/data/demo/recommendations.csv" >/dev/null
"$RT" --db "$DB" dialogue add "US-Belarus working group" --party USA --party BLR >/dev/null
round_of() { # round_of ORDINAL KEY: a field of a round of dialogue 1
    "$RT" --db "$DB" dialogue show 1 --json | python3 -c 'import json,sys
d=json.load(sys.stdin)
r=[r for r in d["rounds"] if r["ordinal"]==int(sys.argv[1])]
print(r[0][sys.argv[2]] if r else "none")' "$1" "$2"
}

check "readout import --help names --source" sh -c "\"$RT\" readout import --help | grep -q -- '--source TEXT'"
"$RT" readout parse --json "$R" >"$TMP/draft.json"
check_eq "parse --json writes the draft" 0 $?
# The desk officer's corrections: another place, and round 2 stays.
python3 - "$TMP/draft.json" "$TMP/fixed.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["place"] = "Minsk"
json.dump(d, open(sys.argv[2], "w"), indent=1)
PY
check "the corrected draft imports (dry run)" "$RT" --db "$DB" readout import "$TMP/fixed.json" --dialogue 1 --dry-run --json
check_eq "it plans round 2" 2 "$(json .written.round.ordinal <"$TMP/out")"
check "the corrected draft imports" "$RT" --db "$DB" readout import "$TMP/fixed.json" --dialogue 1 --source "$SRC" --json
check_eq "as round 2" 2 "$(round_of 2 ordinal)"
check_eq "with the corrected place" Minsk "$(round_of 2 place)"
check_eq "citing --source, not a file name" "$SRC" "$(round_of 2 source)"
# json prints a list as JSON; count it with json.load, and compare with what the draft has.
count_list() { python3 -c 'import json,sys; print(len(json.load(sys.stdin)))'; }
n_draft=$(json .participants <"$TMP/fixed.json" | count_list)
check_eq "the draft names five participants" 5 "$n_draft"
check_eq "with the draft's participants" "$n_draft" "$(json .written.participants <"$TMP/out" | count_list)"

# Without --source the file's name is cited, as before; the text form still works.
sed 's/"round": 2/"round": 3/' "$TMP/fixed.json" >"$TMP/r3.json"
check "a draft without --source" "$RT" --db "$DB" readout import "$TMP/r3.json" --dialogue 1
check_eq "cites the file" "$TMP/r3.json" "$(round_of 3 source)"
check "the readout's text imports as before" "$RT" --db "$DB" readout import "$R" --dialogue 1 --dry-run

# Bad drafts: named, nothing written.
printf '{"date": "2015-12-16",\n "round": 5,\n oops}\n' >"$TMP/broken.json"
check_fails "a draft that is not JSON" 1 "$RT" --db "$DB" readout import "$TMP/broken.json" --dialogue 1
grep -q 'broken.json:3: the draft is not JSON' "$TMP/err"
check_eq "names its line" 0 $?
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d["date"]=None; d["round"]=6; json.dump(d,open(sys.argv[2],"w"))' "$TMP/fixed.json" "$TMP/nodate.json"
check_fails "a draft without a date" 1 "$RT" --db "$DB" readout import "$TMP/nodate.json" --dialogue 1
grep -q "field 'date'" "$TMP/err"
check_eq "names the field" 0 $?
check_eq "and writes no round" none "$(round_of 6 ordinal)"
check_fails "an empty --source" 2 "$RT" --db "$DB" readout import "$TMP/fixed.json" --dialogue 1 --source ''

# The API: ?source= is what the round cites.
serve_start "$DB"
sed 's/"round": 2/"round": 7/' "$TMP/fixed.json" >"$TMP/r7.json"
check_eq "POST /api/v1/dialogues/1/readouts?source=" 201 \
    "$(curl -s -o "$TMP/body" -w '%{http_code}' -H 'Content-Type: application/json' --data-binary "@$TMP/r7.json" "$URL/api/v1/dialogues/1/readouts?source=$SRC")"
check_eq "cites it" "$SRC" "$(round_of 7 source)"
kill -TERM $SERVE_PID
wait $SERVE_PID
done_testing
