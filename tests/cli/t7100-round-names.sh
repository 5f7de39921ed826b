#!/bin/sh
# Rounds are named by their number in their dialogue everywhere a person reads them:
# pages, the command line, the briefing and the API. In this database the record ids
# of rounds differ from their numbers (another dialogue's three rounds come first, so
# the demo's round 1 is record 4 and its round 2 record 5), and nothing may show them.
. "$(dirname "$0")/../lib/test-lib.sh"

DB=$(new_db r)
WG="US-Belarus Working Group for Democracy and Human Rights"
r() { "$RT" --db "$DB" "$@"; }
r import "$ROOT/data/demo/recommendations.csv" >/dev/null
r dialogue add "EU-Belarus human rights dialogue" --party "European Union" --party Belarus >/dev/null
check_eq "round add prints the round as DIALOGUE#NUMBER" "added round 1#1 added round 1#2 added round 1#3" \
    "$(for d in 2014-01 2014-06 2015-02; do r round add 1 --date $d; done | tr '\n' ' ' | sed 's/ $//')"
sh "$ROOT/data/demo/us-belarus.sh" "$RT" --db "$DB" >/dev/null 2>&1
check_eq "the demo ledger is recorded" 0 $?
r round show "$WG#2" --json >"$TMP/round.json"
check_eq "the demo's round 2 is record 5, not 2" "5 2 2#2" \
    "$(json .id <"$TMP/round.json") $(json .ordinal <"$TMP/round.json") $(json .ref <"$TMP/round.json")"

# The command line.
check_eq "round list" "2015 round 1 [2#1] 2015-12-16 round 2, Washington, DC [2#2]" \
    "$(r round list "$WG" | grep -v '^ ' | tr -s ' \n' '  ' | sed 's/ $//')"
check_eq "round show" "Round 2 of $WG [2#2]" "$(r round show 2#2 | head -n 1)"
check_eq "dialogue show" "[2#1] [2#2]" "$(r dialogue show 2 | grep -o '\[[0-9]*#[0-9]*\]' | tr '\n' ' ' | sed 's/ $//')"
check_eq "timeline" "2" "$(r timeline 2 | grep -c 'ROUND [12]  *\[2#[12]\]$\|ROUND [12], .*\[2#[12]\]$')"
for cmd in "round list 2" "round show 2#2" "dialogue show 2" "timeline 2" "since 2#2"; do
    # shellcheck disable=SC2086
    check_eq "$cmd shows no round record id" 0 "$(r $cmd | grep -ci 'round [45]\b\|\[round')"
done

# The briefing: asks by their place in their round, rounds by their number.
r report brief --dialogue "$WG" --as-of 2016-12-31 >"$TMP/brief.md"
r report brief --dialogue "$WG" --as-of 2016-12-31 --format html >"$TMP/brief.html"
check_eq "the briefing names the asks in round 2" "2" \
    "$(grep -c '^- Ask [12] of round 2, United States to Belarus' "$TMP/brief.md")"
check_eq "and the commitment's round" 1 "$(grep -c '^- United States, round 2: ' "$TMP/brief.md")"
for f in brief.md brief.html; do
    check_eq "$f names no round 4 or 5" 0 "$(grep -ci 'round [45]\b\|R[45]<' "$TMP/$f")"
done
r report brief --dialogue 2 --as-of 2016-12-31 --json >"$TMP/brief.json"
check_eq "the briefing's asks carry their number and round" "1 2 2#2" \
    "$(json .asks_open.0.number <"$TMP/brief.json") $(json .asks_open.0.round_ordinal <"$TMP/brief.json") $(json .asks_open.0.round_ref <"$TMP/brief.json")"

# The web face: pages by /dialogues/D/rounds/N, the old address moved, the API's refs.
serve_start "$DB"
get() { curl -s -o "$TMP/body" -D "$TMP/headers" -w '%{http_code}' "$URL$1"; }
check_eq "the dialogue page" 200 "$(get /dialogues/2)"
check_eq "links its rounds by their numbers" \
    'href="/dialogues/2/rounds/1" href="/dialogues/2/rounds/2"' \
    "$(grep -o 'href="/dialogues/2/rounds/[0-9]*"' "$TMP/body" | sort -u | tr '\n' ' ' | sed 's/ $//')"
check_eq "and never by record id" 0 "$(grep -c 'href="/rounds/' "$TMP/body")"
check_eq "round 2's page" 200 "$(get /dialogues/2/rounds/2)"
check_eq "is titled by its number" 1 "$(grep -c '<h1>Round 2 of <a href="/dialogues/2">' "$TMP/body")"
check_eq "its ask form posts to it" 1 "$(grep -c 'action="/dialogues/2/rounds/2/asks"' "$TMP/body")"
check_eq "a round the dialogue lacks" 404 "$(get /dialogues/2/rounds/3)"
check_eq "a round number that is not one" 404 "$(get /dialogues/2/rounds/x)"
check_eq "the old address by record id moves" 301 "$(get /rounds/5)"
check_eq "to the round's own" "/dialogues/2/rounds/2" \
    "$(sed -n 's/^[Ll]ocation: *\([^[:space:]]*\).*/\1/p' "$TMP/headers")"
check_eq "the API's round" 200 "$(get /api/v1/dialogues/2/rounds/2)"
check_eq "carries dialogue, ordinal and ref" "2 2 2#2" \
    "$(json .dialogue.id <"$TMP/body") $(json .ordinal <"$TMP/body") $(json .ref <"$TMP/body")"
get /api/v1/dialogues/2 >/dev/null
check_eq "the dialogue's rounds carry theirs" "2#1 2#2" \
    "$(json .rounds.0.ref <"$TMP/body") $(json .rounds.1.ref <"$TMP/body")"
get /api/v1/dialogues/2/timeline >/dev/null
check_eq "so do the timeline's" "2#1" "$(json .events.0.ref <"$TMP/body")"
check_eq "since round N" 200 "$(get /api/v1/dialogues/2/rounds/2/since)"
check_eq "is since the round" "2#2" "$(json .round.ref <"$TMP/body")"
check_eq "the web briefing" 200 "$(get '/reports/brief/2?as_of=2016-12-31')"
# (but for the site's menu, which the web adds as one line at the top)
grep -v '^<header class="site">' "$TMP/body" >"$TMP/web-report.html"
check "is the command's" cmp "$TMP/brief.html" "$TMP/web-report.html"
kill "$SERVE_PID" 2>/dev/null
wait "$SERVE_PID" 2>/dev/null
done_testing
