#!/bin/sh
# ODIHR's election-observation recommendations (format odihr): small files made here,
# then ODIHR's recommendations to Belarus (../shared/data/belarus), which name no
# state: the import is given it (--state).
. "$(dirname "$0")/../lib/test-lib.sh"

# --- A file with a state column and a priority column. ---
cat >"$TMP/two.csv" <<'EOF'
election,election_date,report_date,state,priority,recommendation
presidential election,2020-08-09,2020-10-01,Belarus,yes,Publish results by polling station.
presidential election,2020-08-09,2020-10-01,Belarus,no,Guarantee the right of observers to watch the count.
parliamentary elections,2019-11-17,,Belarus,no,Publish results by polling station.
presidential election,2020-08-09,,Belarus,,Publish results  by polling station.
EOF
DB=$(new_db s)
"$RT" --db "$DB" import --json "$TMP/two.csv" >"$TMP/s.json"
check_eq "an ODIHR file with a state column imports" 0 $?
check_eq "format odihr" odihr "$(json .files.0.format <"$TMP/s.json")"
check_eq "the same text after two elections is two recommendations; twice after one, one" 3 \
    "$(json .recommendations_added <"$TMP/s.json")"
"$RT" --db "$DB" search --json --facets "polling station" >"$TMP/h.json"
check_eq "searchable" 2 "$(json .total <"$TMP/h.json")"
check_eq "mechanism odihr" odihr "$(json .hits.0.mechanism <"$TMP/h.json")"
check_eq "no UPR session" None "$(json .hits.0.session <"$TMP/h.json")"
check_eq "the theme Elections, a facet like the others" 2 "$(json .facets.theme.Elections <"$TMP/h.json")"
id=$("$RT" --db "$DB" search --json '"observers"' | json .hits.0.id)
"$RT" --db "$DB" show --json "$id" >"$TMP/show.json"
check_eq "show --json: the election" "presidential election 2020-08-09 2020-10-01 False" \
    "$(json .election.election <"$TMP/show.json") $(json .election.date <"$TMP/show.json") $(json .election.report_date <"$TMP/show.json") $(json .election.priority <"$TMP/show.json")"
id=$("$RT" --db "$DB" search --json --sur BLR '"polling station"' | python3 -c '
import json, sys
for h in json.load(sys.stdin)["hits"]:
    if "2020" in h["paragraph"]: print(h["id"])')
"$RT" --db "$DB" show "$id" >"$TMP/show.txt"
grep -q "Final report        2020-10-01; a priority recommendation" "$TMP/show.txt"
check_eq "show: the report's date and its priority" 0 $?
grep -q "Recommended by      OSCE/ODIHR" "$TMP/show.txt"
check_eq "show: recommended by ODIHR" 0 $?
grep -q "Election            presidential election of 2020-08-09" "$TMP/show.txt"
check_eq "show: the election" 0 $?

# --- Bad input: refused with the line and field named, nothing imported. ---
printf 'election,election_date,recommendation\nparliamentary elections,2016-09-11,Reform the law.\n' \
    >"$TMP/nostate.csv"
BAD_DB=$(new_db bad)
"$RT" --db "$BAD_DB" import "$TMP/nostate.csv" >/dev/null 2>"$TMP/err"
check_eq "no state column and no --state: exit 1" 1 $?
grep -qF "nostate.csv:1: field 'state': an ODIHR file without a 'state' column needs the state" \
    "$TMP/err"
check_eq "no state: the message says what to give" 0 $?
"$RT" --db "$BAD_DB" import --state Atlantis "$TMP/nostate.csv" >/dev/null 2>"$TMP/err"
check_eq "--state of no state: exit 1" 1 $?
grep -qF "no state called 'Atlantis'" "$TMP/err"
check_eq "--state of no state: named" 0 $?
printf 'election,election_date,recommendation\nparliamentary elections,2016-13-11,Reform the law.\n' \
    >"$TMP/baddate.csv"
"$RT" --db "$BAD_DB" import --state BLR "$TMP/baddate.csv" >/dev/null 2>"$TMP/err"
check_eq "a bad date: exit 1" 1 $?
grep -qF "baddate.csv:2: field 'election_date': '2016-13-11' is not a date" "$TMP/err"
check_eq "a bad date: line and field named" 0 $?
printf 'election,election_date,state,priority,recommendation\nx,2016,BLR,maybe,Reform.\n' \
    >"$TMP/badprio.csv"
"$RT" --db "$BAD_DB" import "$TMP/badprio.csv" >/dev/null 2>"$TMP/err"
check_eq "a bad priority: exit 1" 1 $?
grep -qF "badprio.csv:2: field 'priority': 'maybe' is not yes or no" "$TMP/err"
check_eq "a bad priority: line and field named" 0 $?
check_eq "nothing imported" 0 "$("$RT" --db "$BAD_DB" stats --json | json .recommendations)"

# --- ODIHR's recommendations to Belarus, 2010-2019. ---
need_data
O="$DATA/belarus/odihr_recommendations.csv"
want=$(python3 - "$O" <<'EOF'
import csv, sys, unicodedata
recs = set()
key = 0
for r in csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")):
    text = " ".join(unicodedata.normalize("NFC", r["recommendation"]).split())
    recs.add((r["election"], r["election_date"], text))
    key += "key" in r["statement_type"]
print(len(recs), key)
EOF
)
B=$(new_db blr)
"$RT" --db "$B" import --state BLR --json "$O" >"$TMP/b.json"
check_eq "Belarus: imports with --state BLR" 0 $?
check_eq "Belarus: 34 rows" 34 "$(json .rows <"$TMP/b.json")"
check_eq "Belarus: one recommendation per election and text, as python counts them" \
    "$(echo "$want" | cut -d' ' -f1)" "$(json .recommendations_added <"$TMP/b.json")"
check_eq "Belarus: the key recommendations of 2019 are its priorities" \
    "$(echo "$want" | cut -d' ' -f2)" \
    "$(sql "$B" "SELECT count(*) FROM recommendation_election WHERE priority = 1")"
check_eq "Belarus: four elections" 4 \
    "$(sql "$B" "SELECT count(DISTINCT election_date) FROM recommendation_election")"
check_eq "Belarus: all of them Belarus's" 34 \
    "$("$RT" --db "$B" search --sur Belarus --limit 1 --json | json .total)"
check_eq "Belarus: judicial appeal, asked in 2012 and again in 2016: two records" 2 \
    "$("$RT" --db "$B" search --json '"subject to judicial appeal"' | json .total)"
# Export and restore of ODIHR's alone (on PostgreSQL too: a restore there once handed
# the PostgreSQL store to SQLite's code, and crashed).
"$RT" --db "$B" export --json >"$TMP/o1.json"
O_DB=$(new_db o)
check "ODIHR's alone: restored" "$RT" --db "$O_DB" import "$TMP/o1.json"
check_eq "ODIHR's alone, restored: the elections" 34 \
    "$(sql "$O_DB" "SELECT count(*) FROM recommendation_election")"
"$RT" --db "$O_DB" export --json >"$TMP/o2.json"
check "ODIHR's alone: export, restore, export: the same bytes" cmp "$TMP/o1.json" "$TMP/o2.json"

"$RT" --db "$B" import --state BLR --json "$O" >"$TMP/again.json"
check_eq "again: nothing added" 0 "$(json .recommendations_added <"$TMP/again.json")"

# With the UPR: its recommendations stay apart from ODIHR's.
"$RT" --db "$B" import "$DATA/belarus/upr_cycle1_2010_uprinfo.csv" >/dev/null
check_eq "with Belarus's first UPR: 34 + 169 rows' recommendations" \
    $((34 + $(sql "$B" "SELECT count(*) FROM recommendation WHERE mechanism = 'upr'"))) \
    "$("$RT" --db "$B" stats --json | json .recommendations)"

# Export and restore carry the elections.
"$RT" --db "$B" export --json >"$TMP/e1.json"
R_DB=$(new_db r)
"$RT" --db "$R_DB" import "$TMP/e1.json" >/dev/null
check_eq "restored: the elections" 34 \
    "$(sql "$R_DB" "SELECT count(*) FROM recommendation_election")"
"$RT" --db "$R_DB" export --json >"$TMP/e2.json"
check "export, restore, export: the same bytes" cmp "$TMP/e1.json" "$TMP/e2.json"
done_testing
