#!/bin/sh
# A restore (import of an export file) checks every value and every reference as the
# command line would: tampered files built from a real export are each refused, with
# the file, the row and the field named, and nothing is written.
. "$(dirname "$0")/../lib/test-lib.sh"

# The export is made on SQLite (the ledger's writes are SQLite's for now); the
# restores go to the store under test.
A="$TMP/a.db"
"$RT" --db "$A" import "$ROOT/data/demo/recommendations.csv" >/dev/null
sh "$ROOT/data/demo/us-belarus.sh" "$RT" --db "$A" >/dev/null 2>&1
check "export" "$RT" --db "$A" export --json --out "$TMP/a.json"

# tamper NAME FIELD PYTHON: writes $TMP/NAME.json from the export, changed by PYTHON
# (on d, the tables), then expects its restore to fail naming FIELD.
tamper() {
    t_name=$1 t_field=$2 t_code=$3
    python3 -c 'import json,sys
t=json.load(open(sys.argv[1]))
d=t["tables"]
exec(sys.argv[3])
json.dump(t, open(sys.argv[2], "w"))' "$TMP/a.json" "$TMP/$t_name.json" "$t_code" || {
        fail "$t_name: the tampered file is made"
        return
    }
    rm -f "$TMP/t.db"
    T=$(new_db t)
    check_fails "$t_name is refused" 1 "$RT" --db "$T" import "$TMP/$t_name.json"
    grep -qF "$t_name.json: field '$t_field'" "$TMP/err" ||
        fail "$t_name: the file, row and field are named ($t_field)" "$(cat "$TMP/err")"
    check_eq "$t_name: nothing is written" "0 0" \
        "$("$RT" --db "$T" stats --json | json .recommendations) $(sql "$T" "SELECT count(*) FROM dialogue")"
}

tamper step-date 'tables.step[0].date' 'd["step"][0]["date"] = "not a date"'
tamper step-kind 'tables.step[1].kind' 'd["step"][1]["kind"] = "bogus"'
tamper step-actor 'tables.step[0].actor' 'd["step"][0]["actor"] = "XXX"'
tamper step-text-empty 'tables.step[0].text' 'd["step"][0]["text"] = ""'
tamper step-text-escape 'tables.step[0].text' 'd["step"][0]["text"] = "a\u001b[2Jb"'
tamper round-date 'tables.round[1].date' 'd["round"][1]["date"] = "2015-13-45"'
tamper ask-party 'tables.ask[0].to_party' 'd["ask"][0]["to_party"] = "Nowhere"'
tamper dialogue-party 'tables.dialogue_party[0].party' 'd["dialogue_party"][0]["party"] = "ZZZ"'
tamper dialogue-name 'tables.dialogue[0].name' 'd["dialogue"][0]["name"] = "12"'
tamper commitment-date 'tables.commitment_status[0].as_of' 'd["commitment_status"][0]["as_of"] = "soon"'
tamper participant-party 'tables.participant[0].party' 'd["participant"][0]["party"] = "Mars"'
tamper link-to-nothing 'tables.link[0].to_id' 'd["link"][0]["to_id"] = 999999'
tamper link-from-nothing 'tables.link[0].from_id' 'd["link"][0]["from_id"] = 999999'
tamper link-relation 'tables.link[0].relation' 'd["link"][0]["relation"] = "welcomed-in"'
tamper assessment-to-nothing 'tables.assessment[0].target_id' 'd["assessment"][0]["target_id"] = 999999'
tamper assessment-status 'tables.assessment[0].status' 'd["assessment"][0]["status"] = "met" if d["assessment"][0]["target_kind"] != "benchmark" else "fully"'
tamper assessment-date 'tables.assessment[0].as_of' 'd["assessment"][0]["as_of"] = "2016-02-30"'
tamper theme-item-nothing 'tables.ledger_theme[0].item_id' 'd["ledger_theme"] = [{"item_kind": "topic", "item_id": 999999, "area": "expression", "origin": "person", "created_at": "2016-01-01T00:00:00Z"}]'
tamper theme-area 'tables.ledger_theme[0].area' 'd["ledger_theme"] = [{"item_kind": "topic", "item_id": 1, "area": "no-such-area", "origin": "person", "created_at": "2016-01-01T00:00:00Z"}]'
tamper key-hash 'tables.recommendation[0].key_hash' 'd["recommendation"][0]["key_hash"] = d["recommendation"][1]["key_hash"]'
tamper rec-text-byte 'tables.recommendation[2].text' 'd["recommendation"][2]["text"] = "x\u0007"'
tamper rec-session 'tables.recommendation[0].session' 'd["recommendation"][0]["session"] = "eight"'

# The export itself still restores, and a CSV import of the same data afterwards
# finds every recommendation there already (key_hash holds).
B=$(new_db b)
check "the untouched export restores" "$RT" --db "$B" import "$TMP/a.json"
"$RT" --db "$B" export --json --out "$TMP/b.json"
check "and exports the same bytes, the ledger's tables too" cmp "$TMP/a.json" "$TMP/b.json"
"$RT" --db "$B" import --json "$ROOT/data/demo/recommendations.csv" >"$TMP/again.json" 2>/dev/null ||
    "$RT" --db "$B" import "$ROOT/data/demo/recommendations.csv" >"$TMP/again.txt"
check_eq "a CSV import after the restore adds no twin" \
    "$("$RT" --db "$A" stats --json | json .recommendations)" \
    "$("$RT" --db "$B" stats --json | json .recommendations)"
done_testing
