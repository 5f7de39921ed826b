#!/bin/sh
# The web face when its PostgreSQL server stops and comes back (issue 16): serve runs
# on this script's own cluster, which is stopped (pg_ctl stop -m fast: its sessions are
# ended) between two of a series of web writes. While it is down, pages and the API
# answer 503 saying the database cannot be reached, and a write is refused whole;
# once it is back, every thread of the same serve reconnects by itself: the writes go
# through, the pages show them, and the database holds exactly the writes that were
# answered 201. (Stopped with -m immediate, this throwaway cluster, which runs without
# synchronous_commit, would lose the last writes it had answered.)
. "$(dirname "$0")/../lib/test-lib.sh"
. "$ROOT/tests/lib/pg.sh"

need_pg
PG="postgresql:///postgres?host=$PG_DIR"
demo_ledger "$PG"
check_eq "the demo ledger is in PostgreSQL" 3 \
    "$("$RT" --db "$PG" step list --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')"

serve_start "$PG" --threads 2
PID=$SERVE_PID
get() { curl -s -H 'Cache-Control: no-cache' -o "$TMP/body" -w '%{http_code}' "$URL$1"; }
post() {
    curl -s -o "$TMP/body" -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
        --data-binary "{\"actor\": \"Belarus\", \"date\": \"2017-0$1\", \"kind\": \"statement\", \"text\": \"web write $1\"}" \
        "$URL/api/v1/steps"
}
check_eq "a page" 200 "$(get /dialogues/1)"

: >"$TMP/answers"
for i in 1 2 3 4 5 6 7 8; do
    [ "$i" = 4 ] && $PG_CTL -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1
    [ "$i" = 7 ] && pg_restart
    echo "$i $(post "$i")" >>"$TMP/answers"
    [ "$i" = 5 ] && cp "$TMP/body" "$TMP/refused.json"
    if [ "$i" = 6 ]; then # still down: a page and the API
        check_eq "a page while the database is down" 503 "$(get /dialogues/1)"
        check "says the database cannot be reached" grep -q "The database cannot be reached" "$TMP/body"
        check_eq "the API while it is down" 503 "$(get /api/v1/dialogues/1)"
        check_eq "with the code unavailable" unavailable "$(json .error.code <"$TMP/body")"
    fi
done
check_eq "the writes: answered before, refused during, taken after" \
    "1 201 2 201 3 201 4 503 5 503 6 503 7 201 8 201" "$(tr '\n' ' ' <"$TMP/answers" | sed 's/ $//')"
check_eq "a refused write says why" unavailable "$(json .error.code <"$TMP/refused.json")"

n=0
for _ in 1 2 3 4 5 6; do
    [ "$(get /dialogues/1)" = 200 ] && n=$((n + 1))
done
check_eq "every thread answers again, without a restart of serve" 6 "$n"
check_eq "the page has the five steps written" 5 "$(grep -o 'web write [0-9]' "$TMP/body" | sort -u | wc -l)"
"$RT" --db "$PG" step list --json >"$TMP/steps.json"
check_eq "the database holds the writes answered 201, once each" "1 2 3 7 8" \
    "$(python3 -c 'import json,sys; print(*sorted(s["text"][-1] for s in json.load(open(sys.argv[1])) if s["text"].startswith("web write")))' "$TMP/steps.json")"
kill -TERM "$PID"
wait "$PID"
check_eq "serve stops cleanly" 0 $?
done_testing
