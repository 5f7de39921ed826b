#!/bin/sh
# The response cache and entity tags: a read is answered again from the cache while
# the database is unchanged, and afresh once anything writes to it, through the
# server or from another process; ETag / If-None-Match give 304.
. "$(dirname "$0")/../lib/test-lib.sh"

DB=$(new_db c)
demo_ledger "$DB"

# One worker thread, so that every request meets the same cache; then two.
for threads in 1 2; do
    serve_start "$DB" --threads $threads
    PID=$SERVE_PID
    t="($threads thread$([ $threads = 1 ] || echo s))"

    # get PATH [CURL ARGS]: status; body in $TMP/body, headers in $TMP/headers
    get() { p=$1; shift; : >"$TMP/body"; curl -s -o "$TMP/body" -D "$TMP/headers" -w '%{http_code}' "$@" "$URL$p"; }
    etag() { sed -n 's/^[Ee][Tt][Aa][Gg]: *\("[0-9a-f]*"\).*/\1/p' "$TMP/headers" | tr -d '\r'; }
    S=/api/v1/recommendations?q=death+penalty\&sur=Belarus

    check_eq "a search $t" 200 "$(get "$S")"
    cp "$TMP/body" "$TMP/first"
    E1=$(etag)
    check_eq "carries a quoted ETag of 32 hex digits $t" 34 "${#E1}"
    grep -qi '^cache-control: no-cache' "$TMP/headers"
    check_eq "and Cache-Control: no-cache, so browsers ask again $t" 0 $?
    check_eq "the same search again $t" 200 "$(get "$S")"
    check "gives the same bytes $t" cmp "$TMP/first" "$TMP/body"
    check_eq "and the same ETag $t" "$E1" "$(etag)"
    check_eq "a client that has them gets 304 $t" 304 "$(get "$S" -H "If-None-Match: $E1")"
    check_eq "and no body $t" 0 "$(wc -c <"$TMP/body")"
    check_eq "the 304 names the ETag $t" "$E1" "$(etag)"
    check_eq "a tag in a list of them $t" 304 "$(get "$S" -H "If-None-Match: \"00\", $E1")"
    check_eq "another tag gets the body $t" 200 "$(get "$S" -H 'If-None-Match: "0123"')"
    check "the whole body $t" cmp "$TMP/first" "$TMP/body"
    check_eq "Cache-Control: no-cache from the client $t" 200 "$(get "$S" -H 'Cache-Control: no-cache')"
    check "builds the same answer afresh $t" cmp "$TMP/first" "$TMP/body"
    check_eq "HEAD $t" 200 "$(get "$S" -I)"
    check_eq "has the same ETag $t" "$E1" "$(etag)"
    check_eq "arguments are part of the key $t" 200 "$(get "$S&limit=1")"
    check_eq "a different answer for other arguments $t" 1 \
        "$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["hits"]))' "$TMP/body")"
    check_eq "errors carry no ETag $t" "404 " "$(get /api/v1/rounds/999) $(etag)"

    # A write through the server: the timeline read before it is not given again.
    check_eq "the timeline $t" 200 "$(get /api/v1/dialogues/1/timeline)"
    T1=$(etag)
    cp "$TMP/body" "$TMP/timeline"
    check_eq "POST a step $t" 201 "$(curl -s -o /dev/null -w '%{http_code}' -X POST \
        -H 'Content-Type: application/json' \
        --data "{\"actor\": \"USA\", \"date\": \"2016-11\", \"kind\": \"visit\", \"text\": \"Cache check $threads via HTTP\"}" \
        "$URL/api/v1/steps")"
    check_eq "the timeline after the write $t" 200 "$(get /api/v1/dialogues/1/timeline -H "If-None-Match: $T1")"
    grep -q "Cache check $threads via HTTP" "$TMP/body"
    check_eq "shows the new step $t" 0 $?
    T2=$(etag)
    check_eq "under a new ETag $t" yes "$([ -n "$T2" ] && [ "$T1" != "$T2" ] && echo yes)"

    # A write by another process: the CLI adds a step to the same database. The page
    # has forms, whose token is the browser's own (a cookie): read it as a browser would.
    get /dialogues/1 -c "$TMP/jar" >/dev/null
    check_eq "a page with a form sets the browser's form cookie, and is not cached $t" "1 " \
        "$(grep -c '^Set-Cookie: rt_csrf=' "$TMP/headers") $(etag)"
    get /dialogues/1 -b "$TMP/jar" >/dev/null
    P1=$(etag)
    "$RT" --db "$DB" step add --actor Belarus --date 2016-12 --kind statement \
        "Cache check $threads from the CLI" >/dev/null
    check_eq "a step added from the command line $t" 0 $?
    seen=0
    for i in 1 2 3 4; do # every worker thread's cache must see it
        get /dialogues/1 -b "$TMP/jar" -H "If-None-Match: $P1" >/dev/null
        grep -q "Cache check $threads from the CLI" "$TMP/body" && seen=$((seen + 1))
    done
    check_eq "is on the dialogue page at once, every time $t" 4 "$seen"
    check_eq "under a new ETag $t" yes "$([ "$P1" != "$(etag)" ] && echo yes)"

    kill -TERM $PID
    wait $PID
    check_eq "the server stops cleanly $t" 0 $?
done
done_testing
