#!/bin/sh
# The web server keeps every recommendation's recommending states and themes in memory
# (rt_store_keep_search, issue 21): its search answers hold the same states and
# themes, in the same order, as the command line's search, which reads them with
# SQL; and after another process changes them, or adds recommendations, every thread
# answers with the new ones.
. "$(dirname "$0")/../lib/test-lib.sh"

DB=$(new_db h)
"$RT" --db "$DB" import "$ROOT/data/demo/recommendations.csv" >/dev/null
rt() { "$RT" --db "$DB" "$@"; }
serve_start "$DB" --threads 2
PID=$SERVE_PID

# same QUERY: the API's hits (built afresh, on a new connection each time, so that
# both threads answer) against the command line's, for the query text QUERY; prints
# how many of 6 answers agree.
same() {
    rt search "$1" --json --limit 50 >"$TMP/cli.json" || return
    n=0
    for _ in 1 2 3 4 5 6; do
        curl -s -H 'Cache-Control: no-cache' \
            "$URL/api/v1/recommendations?limit=50&q=$(printf %s "$1" | sed 's/ /+/g')" \
            >"$TMP/api.json"
        python3 - "$TMP/cli.json" "$TMP/api.json" <<'PY' && n=$((n + 1))
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
sys.exit(0 if a["hits"] and a["hits"] == b["hits"] else 1)
PY
    done
    echo "$n"
}
# lists QUERY: the recommending state codes and themes of the API's first hit.
lists() {
    curl -s -H 'Cache-Control: no-cache' "$URL/api/v1/recommendations?q=$1" |
        python3 -c 'import json, sys
h = json.load(sys.stdin)["hits"][0]
print(",".join(h["recommending_state_codes"]) + " " + ",".join(h["themes"]))'
}

check_eq "two states, in the order of their names" 6 "$(same executions)"
check_eq "two themes" 6 "$(same 'capital punishment')"
check_eq "a page of several" 6 "$(same law)"
check_eq "the first hit's lists" "ITA,SWE Death penalty" "$(lists executions)"

# Another process adds a recommending state and a theme tag to recommendation 1.
sql "$DB" "INSERT INTO recommendation_by (rec_id, state_id)
                   SELECT 1, id FROM state WHERE code = 'FRA';
               INSERT INTO recommendation_theme (rec_id, theme_id, origin)
                   SELECT 1, id, 'official' FROM theme WHERE label = 'Detention'"
check_eq "a state and a theme added by another process" 6 "$(same executions)"
n=0
for _ in 1 2 3 4 5 6; do
    [ "$(lists executions)" = "FRA,ITA,SWE Death penalty,Detention" ] && n=$((n + 1))
done
check_eq "every thread gives them at once" 6 "$n"
sql "$DB" "DELETE FROM recommendation_by WHERE rec_id = 1 AND state_id IN
                   (SELECT id FROM state WHERE code IN ('FRA', 'ITA'))"
check_eq "and without the states taken away" "SWE Death penalty,Detention" "$(lists executions)"

# New recommendations, with ids beyond those kept.
cat >"$TMP/more.csv" <<'CSV'
id,session,cycle,review_year,state_under_review,sur_region,sur_orgs,recommending_state,rs_region,rs_orgs,response,action_category,issues,text,source_file
1,30,3,2018,Belarus,EEG,,Norway,WEOG,,Supported,4,Torture and other CID treatment|Detention,"Quintessential oversight of every zyxt place of confinement.",more
2,30,3,2018,Belarus,EEG,,Chile,GRULAC,,Supported,4,Torture and other CID treatment|Detention,"Quintessential oversight of every zyxt place of confinement.",more
CSV
rt import "$TMP/more.csv" >/dev/null
check_eq "recommendations imported by another process" 6 "$(same zyxt)"
check_eq "with their states and themes" "CHL,NOR Detention,Torture and other CID treatment" \
    "$(lists zyxt)"

kill -TERM $PID
wait $PID
check_eq "the server stops cleanly" 0 $?
done_testing
