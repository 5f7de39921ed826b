#!/bin/sh
# The reports name a recommendation as its UPR record does (session, cycle, response),
# never by the row id a person cannot look up: "Assessed" and "Made again" lists of the
# briefing and the country profile, in Markdown and HTML. In this database another
# state's recommendations come first, so the row ids are not small numbers that could
# pass for anything else. The round page names parties the same way: participants, asks,
# commitments, steps since and the recommendations on the same themes.
. "$(dirname "$0")/../lib/test-lib.sh"

DB=$(new_db r)
WG="US-Belarus Working Group for Democracy and Human Rights"
r() { "$RT" --db "$DB" "$@"; }
r import "$ROOT/data/demo/recommendations.csv" >/dev/null
sh "$ROOT/data/demo/us-belarus.sh" "$RT" --db "$DB" >/dev/null 2>&1
check_eq "the demo ledger is recorded" 0 $?
r report brief --dialogue "$WG" --as-of 2016-12-31 >"$TMP/brief.md"
r report brief --dialogue "$WG" --as-of 2016-12-31 --format html >"$TMP/brief.html"
r report country BLR --as-of 2016-12-31 >"$TMP/country.md"
r report country BLR --as-of 2016-12-31 --format html >"$TMP/country.html"
check_eq "the briefing's assessed recommendations by session, cycle and response" 2 \
    "$(grep -c '^- UPR session [0-9]*, cycle [12], noted: ' "$TMP/brief.md")"
check_eq "the country profile's, and the one made again" 3 \
    "$(grep -c '^- UPR session [0-9]*, cycle [12], noted: ' "$TMP/country.md")"
check_eq "a repeat names the later one the same way" 1 \
    "$(grep -c ' — made again: UPR session 22, cycle 2, noted, by ' "$TMP/country.md")"
for f in brief.md brief.html country.md country.html; do
    check_eq "$f shows no recommendation row id" 0 "$(grep -c '#[0-9][0-9]* (cycle\|(\\\\\?#[0-9]' "$TMP/$f")"
done

# The round page names each participant's party as a person reads it, not by its code.
serve_start "$DB"
get() { curl -s -o "$TMP/body" -w '%{http_code}' "$URL$1"; }
check_eq "round 2's page" 200 "$(get /dialogues/1/rounds/2)"
sed -n '/id="participants"/,/id="topics"/p' "$TMP/body" >"$TMP/participants"
check_eq "its participants' parties by name" 0 \
    "$(grep -c '<span class="muted">([A-Z][A-Z][A-Z])</span>' "$TMP/participants")"
check_eq "the United States and Belarus among them" "1 1" \
    "$(grep -c '(United States)' "$TMP/participants") $(grep -c '(Belarus)' "$TMP/participants")"
check_eq "its asks name both parties" 0 \
    "$(sed -n '/id="asks"/,/id="welcomed"/p' "$TMP/body" | grep -c 'USA asks\|asks BLR')"
sed -n '/id="asks"/,/id="welcomed"/p' "$TMP/body" | grep -q 'United States asks Belarus'
check_eq "and the United States asks Belarus" 0 $?
check_eq "steps since by party name" "0 1" \
    "$(grep -c 'Steps by [A-Z][A-Z][A-Z]<' "$TMP/body") $(grep -c 'Steps by Belarus<' "$TMP/body")"
check_eq "the recommendations on the same themes are to Belarus, not BLR" "1 0" \
    "$(grep -c 'recommendations to Belarus on the themes' "$TMP/body") $(grep -c '>BLR</a>' "$TMP/body")"
check_eq "the dialogue's page" 200 "$(get /dialogues/1)"
check_eq "names its parties, not their codes" "1 0" \
    "$(grep -c 'Between United States and Belarus\.' "$TMP/body") $(grep -c 'Between USA' "$TMP/body")"

# The search page's facets: headings a person reads, states by name; a recommendation's
# action category says what it asks for.
check_eq "a search with facets" 200 "$(get '/search?q=law')"
check_eq "its facet headings are words, not the store's keys" "1 0" \
    "$(grep -c '<strong>State under review:</strong>' "$TMP/body") $(grep -c 'state_under_review:' "$TMP/body")"
check_eq "its states by name" "0 1" \
    "$(sed -n '/class="facets"/,/<\/div>/p' "$TMP/body" | grep -c '>[A-Z][A-Z][A-Z]</a>') $(grep -c '">Belarus</a> (' "$TMP/body")"
check_eq "a recommendation's page" 200 "$(get /recommendations/1)"
check_eq "its action category in words" 1 \
    "$(grep -c '<th>Action category</th><td>[1-5] (\(other states or assistance\|continue\|consider\|general action\|specific action\))' "$TMP/body")"
done_testing
