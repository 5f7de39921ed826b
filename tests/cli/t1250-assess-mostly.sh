#!/bin/sh
# ODIHR's follow-up scale (fully, mostly, partially, not implemented) has a status for
# each step: "mostly" (schema 23), for any recommendation or ask, kept, ordered between
# partially and fully, exported and restored.
. "$(dirname "$0")/../lib/test-lib.sh"

cat >"$TMP/odihr.csv" <<'EOF2'
election,election_date,report_date,priority,recommendation
parliamentary elections,2016-09-11,2016-12-08,yes,Publish results by polling station.
parliamentary elections,2016-09-11,2016-12-08,no,Guarantee the right of observers to watch the count.
parliamentary elections,2016-09-11,2016-12-08,no,Review the composition of election commissions.
EOF2
DB=$(new_db m)
"$RT" --db "$DB" import --state BLR "$TMP/odihr.csv" >/dev/null
check_eq "the ODIHR file imports" 0 $?
ids=$("$RT" --db "$DB" search --json --limit 10 | python3 -c '
import json, sys
print(" ".join(str(h["id"]) for h in sorted(json.load(sys.stdin)["hits"], key=lambda h: h["id"])))')
set -- $ids
check_eq "three ODIHR recommendations" 3 $#
"$RT" --db "$DB" assess "rec:$1" mostly --date 2019-10 --source "ODIHR final report, 2020" >/dev/null
check_eq "assess … mostly: exit 0" 0 $?
"$RT" --db "$DB" assess "rec:$2" partially --date 2019-10 >/dev/null
"$RT" --db "$DB" assess "rec:$3" fully --date 2019-10 >/dev/null
check_eq "status: mostly" mostly "$("$RT" --db "$DB" status "rec:$1" --json | json .status)"
check_eq "status as of a date before it: unassessed" unassessed \
    "$("$RT" --db "$DB" status "rec:$1" --as-of 2019-01 --json | json .status)"
check_fails "a benchmark is not 'mostly'" 2 "$RT" --db "$DB" benchmark assess 1 mostly --date 2019-10
check_fails "an unknown status is refused" 1 "$RT" --db "$DB" assess "rec:$1" largely --date 2019-10
grep -q "mostly" "$TMP/err"
check_eq "the refusal lists mostly among the statuses" 0 $?
"$RT" --db "$DB" assess --help >"$TMP/help"
grep -q "mostly" "$TMP/help"
check_eq "assess --help names mostly" 0 $?

# The country profile orders the statuses fully, mostly, partially.
"$RT" --db "$DB" report country Belarus --json >"$TMP/c.json"
check_eq "report country: fully, mostly, partially, in that order" "fully:1 mostly:1 partially:1" \
    "$(python3 -c '
import json, sys
def find(o):
    if isinstance(o, dict):
        if isinstance(o.get("status"), list) and o["status"] and "count" in o["status"][0]:
            return o["status"]
        for v in o.values():
            r = find(v)
            if r: return r
    if isinstance(o, list):
        for v in o:
            r = find(v)
            if r: return r
print(" ".join("%s:%d" % (s["status"], s["count"]) for s in find(json.load(sys.stdin))
               if s["status"] != "unassessed"))' <"$TMP/c.json")"

# Export and restore carry it; the restore checks it as a status of a recommendation.
"$RT" --db "$DB" export --json >"$TMP/e.json"
R_DB=$(new_db r)
"$RT" --db "$R_DB" import "$TMP/e.json" >/dev/null
check_eq "restored: still mostly" mostly "$("$RT" --db "$R_DB" status "rec:$1" --json | json .status)"

sqlite_only_below "SQLite's schema 23: its triggers, sqlite_master and search_index"

# Schema 23 rebuilt the table: still append-only, with its indexes.
check_fails "assessments stay append-only" 19 sqlite3 "$DB" "UPDATE assessment SET status = 'fully'"
check_eq "the table keeps its indexes" "assessment_replaces assessment_target" \
    "$(sql "$DB" "SELECT group_concat(name, ' ') FROM (SELECT name FROM sqlite_master
        WHERE type = 'index' AND tbl_name = 'assessment' AND sql IS NOT NULL ORDER BY name)")"
check_fails "SQLite refuses a status that is none" 19 sqlite3 "$DB" \
    "INSERT INTO assessment(target_kind, target_id, as_of, status) VALUES ('ask', 1, '2019', 'largely')"

# The search index's triggers (schema 23) empty it only when it holds something, and
# still do: a search stores it, a new recommendation empties it.
"$RT" --db "$DB" search --facets --json >/dev/null
check_eq "a search stores the index" yes \
    "$([ "$(sql "$DB" 'SELECT count(*) FROM search_index')" -gt 0 ] && echo yes)"
sql "$DB" "UPDATE recommendation SET cycle = 3 WHERE id = $1"
check_eq "a changed recommendation empties it" 0 "$(sql "$DB" 'SELECT count(*) FROM search_index')"
sql "$DB" "UPDATE recommendation SET cycle = NULL WHERE id = $1"
check_eq "a change to an empty index leaves it empty" 0 \
    "$(sql "$DB" 'SELECT count(*) FROM search_index')"
done_testing
