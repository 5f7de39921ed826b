#!/bin/sh
# The server listens with one socket per worker thread on one port (SO_REUSEPORT,
# issue 21): a port another server holds is still refused, whether that server is
# this one or a plain socket, and a server answers on every connection.
. "$(dirname "$0")/../lib/test-lib.sh"

DB="$TMP/l.db"
"$RT" --db "$DB" import "$ROOT/data/demo/recommendations.csv" >/dev/null
serve_start "$DB" --threads 4
PID=$SERVE_PID
PORT=${URL##*:}
check "the server listens" test -n "$PORT"

n=0
for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16; do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$URL/api/v1/recommendations?q=torture")" = 200 ] &&
        n=$((n + 1))
done
check_eq "every connection is answered, whichever socket takes it" 16 "$n"

"$RT" --db "$DB" serve --port "$PORT" >"$TMP/second.out" 2>"$TMP/second.err" &
SECOND=$!
sleep 1
if kill -0 "$SECOND" 2>/dev/null; then
    kill "$SECOND"
    wait "$SECOND"
    fail "a second server on the same port is refused" "it started: $(cat "$TMP/second.out")"
else
    wait "$SECOND"
    check_eq "a second server on the same port is refused" 1 \
        "$(grep -c 'cannot listen on 127.0.0.1:'"$PORT" "$TMP/second.err")"
fi
check_eq "and the first still answers" 200 \
    "$(curl -s -o /dev/null -w '%{http_code}' "$URL/api/v1/recommendations?q=torture")"

python3 -c 'import socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(1)
print(s.getsockname()[1], flush=True)
time.sleep(5)' >"$TMP/plain.port" &
PLAIN=$!
sleep 0.5
"$RT" --db "$DB" serve --port "$(cat "$TMP/plain.port")" >"$TMP/third.out" 2>"$TMP/third.err" &
THIRD=$!
sleep 1
if kill -0 "$THIRD" 2>/dev/null; then
    kill "$THIRD"
    wait "$THIRD"
    fail "a port another program listens on is refused" "it started: $(cat "$TMP/third.out")"
else
    wait "$THIRD"
    check_eq "a port another program listens on is refused" 1 \
        "$(grep -c 'cannot listen' "$TMP/third.err")"
fi
kill "$PLAIN" 2>/dev/null
wait "$PLAIN" 2>/dev/null

kill -TERM $PID
wait $PID
check_eq "the server stops cleanly" 0 $?
done_testing
