#!/bin/sh
# The mechanism filter (search --mechanism, ?mechanism= of the API and the search
# page): UPR and ODIHR recommendations in one database, each found alone, with text,
# facets and sorting, the same through the CLI, the API and the page.
. "$(dirname "$0")/../lib/test-lib.sh"

DB=$(new_db m)
"$RT" --db "$DB" import "$ROOT/data/demo/recommendations.csv" >/dev/null
check_eq "the UPR sample imports" 0 $?
cat >"$TMP/odihr.csv" <<'EOF2'
election,election_date,report_date,priority,recommendation
parliamentary elections,2016-09-11,2016-12-08,yes,Publish the results of each polling station.
parliamentary elections,2016-09-11,2016-12-08,no,Guarantee the right of observers to watch the count.
presidential election,2015-10-11,2016-01-28,no,Guarantee the right of observers to watch the count.
EOF2
"$RT" --db "$DB" import --state BLR "$TMP/odihr.csv" >/dev/null
check_eq "the ODIHR list imports" 0 $?

total() { "$RT" --db "$DB" search --json --limit 1 "$@" | json .total; }
all=$(total)
upr=$(sql "$DB" "SELECT count(*) FROM recommendation WHERE mechanism = 'upr'")
check_eq "--mechanism odihr: the three ODIHR recommendations" 3 "$(total --mechanism odihr)"
check_eq "--mechanism upr: the rest" "$((all - 3))" "$(total --mechanism upr)"
check_eq "--mechanism upr: as many as the table holds" "$upr" "$(total --mechanism upr)"
check_eq "--mechanism treaty-body: none yet" 0 "$(total --mechanism treaty-body)"
check_eq "with words: observers, ODIHR's only" 2 "$(total --mechanism odihr observers)"
check_eq "with words and a state" 2 "$(total --mechanism odihr --sur Belarus observers)"
check_eq "with words, UPR's only: none of these speak of polling stations" \
    "$(sql "$DB" "SELECT count(*) FROM recommendation WHERE mechanism = 'upr'
        AND text LIKE '%polling station%'")" "$(total --mechanism upr '"polling station"')"
"$RT" --db "$DB" search --json --facets --mechanism odihr >"$TMP/f.json"
check_eq "facets count only the mechanism's" 3 "$(json .facets.theme.Elections <"$TMP/f.json")"
check_eq "every hit is ODIHR's" "odihr odihr odihr" \
    "$(python3 -c 'import json,sys; print(" ".join(h["mechanism"] for h in json.load(sys.stdin)["hits"]))' <"$TMP/f.json")"
check_eq "the cycle facet has no entry for recommendations without a cycle" "{}" \
    "$(json .facets.cycle <"$TMP/f.json")"
"$RT" --db "$DB" search --facets --mechanism odihr observers >"$TMP/f.txt"
check_eq "a hit's line says where it was made, not 'cycle 0, session 0'" 2 \
    "$(grep -c '^\[[0-9]*\] Belarus, OSCE/ODIHR, pending$' "$TMP/f.txt")"
check_eq "the text's facets are headed as the page's, states by name" 1 \
    "$(grep -c '^State under review: Belarus (2)$' "$TMP/f.txt")"
check_eq "with no cycle 0" 0 "$(grep -c '^Cycle:.* 0 (' "$TMP/f.txt")"
check_eq "sorted by state, still ODIHR's" 3 "$(total --mechanism odihr --sort state)"
check_fails "an unknown mechanism: exit 2" 2 "$RT" --db "$DB" search --mechanism treaty
grep -q "no mechanism called 'treaty'" "$TMP/err"
check_eq "the message names the mechanisms" 0 $?
"$RT" --db "$DB" search --mechanism odihr --format csv >"$TMP/o.csv"
check_eq "the CSV download holds the ODIHR rows alone" 4 "$(wc -l <"$TMP/o.csv" | tr -d ' ')"

# The API and the search page: the same library call.
serve_start "$DB"
get() { curl -s -o "$TMP/body" -w '%{http_code}' "$@"; }
check_eq "GET /api/v1/recommendations?mechanism=odihr" 200 \
    "$(get "$URL/api/v1/recommendations?mechanism=odihr&limit=1")"
check_eq "the API gives the CLI's total" 3 "$(json .total <"$TMP/body")"
check_eq "an unknown mechanism: 422, as an unknown state" 422 "$(get "$URL/api/v1/recommendations?mechanism=nope")"
check_eq "the page with mechanism=odihr" 200 "$(get "$URL/search?mechanism=odihr")"
grep -q "3 recommendations" "$TMP/body"
check_eq "the page counts the ODIHR recommendations" 0 $?
grep -q '<option value="odihr" selected>OSCE/ODIHR</option>' "$TMP/body"
check_eq "the form keeps the choice" 0 $?
grep -q '<select id="mechanism" name="mechanism">' "$TMP/body"
check_eq "the form offers the mechanisms" 0 $?
check_eq "the page with mechanism=odihr and facets" 200 "$(get "$URL/search?mechanism=odihr&facets=1")"
check_eq "its rows say OSCE/ODIHR where a UPR row says the session" 3 \
    "$(grep -o '<td>OSCE/ODIHR</td>' "$TMP/body" | wc -l | tr -d ' ')"
check_eq "no row says cycle 0" 0 "$(grep -c 'cycle 0' "$TMP/body")"
check_eq "and no facet offers cycle=0" 0 "$(grep -c 'cycle=0' "$TMP/body")"
check_eq "the state's page" 200 "$(get "$URL/states/BLR")"
check_eq "charts the UPR's cycles only, not a 'cycle 0' of everything" 0 "$(grep -c 'cycle 0' "$TMP/body")"
check_eq "and counts the ODIHR recommendations as without a response yet" 1 \
    "$(grep -c '3 without a response yet' "$TMP/body")"
"$RT" --db "$DB" report country Belarus --format md >"$TMP/c.md"
check_eq "the country profile's table: ODIHR's as 'none (not UPR)'" "| none (not UPR) | 3 | 0 | 0 | 0 |" \
    "$(grep '^| none' "$TMP/c.md")"
check_eq "its sentence adds up to the total" 1 "$(grep -c ', 3 without a response\.$' "$TMP/c.md")"
"$RT" --db "$DB" report country Belarus --format html >"$TMP/c.html"
check_eq "its chart has no bar named (null)" 0 "$(grep -c '(null)' "$TMP/c.html")"
check_eq "but the cycles' bars" 1 "$(grep -c '>cycle 1<' "$TMP/c.html")"
check_eq "stats --sur: no 'cycle 0' either" "no cycle (not UPR)    3" \
    "$("$RT" --db "$DB" stats --sur Belarus | grep '^no cycle')"
"$RT" --db "$DB" stats --sur Belarus --json >"$TMP/s.json"
check_eq "stats --json: the ODIHR ones as no_cycle, by_cycle the UPR's cycles alone" "3 ['1', '2']" \
    "$(python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["no_cycle"], sorted(d["by_cycle"]))' <"$TMP/s.json")"
# The server counts a second search's facets another way (each row's entries): neither
# has a cycle 0.
for n in 1 2 3; do
    get "$URL/api/v1/recommendations?sur=BLR&facets=1&limit=1" >/dev/null
    check_eq "facets over HTTP, request $n: no cycle 0" "['1', '2']" \
        "$(python3 -c 'import json,sys; print(sorted(json.load(sys.stdin)["facets"]["cycle"]))' <"$TMP/body")"
done
kill -TERM "$SERVE_PID"
wait "$SERVE_PID" 2>/dev/null
done_testing
