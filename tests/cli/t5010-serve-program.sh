#!/bin/sh
# `rightstrack serve` runs the program rightstrack-serve, found next to rightstrack
# or in ../libexec/rightstrack/ as make install lays it out; no other command loads
# libmicrohttpd.
. "$(dirname "$0")/../lib/test-lib.sh"

SERVE="$(dirname "$RT")/rightstrack-serve"
DB=$(new_db s)
"$RT" --db "$DB" import "$ROOT/data/demo/recommendations.csv" >/dev/null

check_eq "rightstrack-serve is built beside rightstrack" yes "$([ -x "$SERVE" ] && echo yes)"
check_eq "rightstrack does not load libmicrohttpd" 0 "$(ldd "$RT" | grep -c microhttpd)"
check_eq "rightstrack-serve does" 1 "$(ldd "$SERVE" | grep -c microhttpd)"

# The installed layout: bin/rightstrack and libexec/rightstrack/rightstrack-serve.
mkdir -p "$TMP/p/bin" "$TMP/p/libexec/rightstrack"
cp "$RT" "$TMP/p/bin/rightstrack"
cp "$SERVE" "$TMP/p/libexec/rightstrack/rightstrack-serve"
RT_SAVED=$RT
RT="$TMP/p/bin/rightstrack"
serve_start "$DB"
check_eq "serve finds it in ../libexec/rightstrack" 200 \
    "$(curl -s -o /dev/null -w '%{http_code}' "$URL/api/v1/dialogues")"
kill -TERM "$SERVE_PID"
wait "$SERVE_PID"
check_eq "and SIGTERM reaches the server (the same process)" 0 $?

rm "$TMP/p/libexec/rightstrack/rightstrack-serve"
check_fails "without it, serve fails" 1 "$RT" --db "$DB" serve --port 0
grep -q "cannot find the web server program rightstrack-serve" "$TMP/err"
check_eq "and says what is missing and where it belongs" 0 $?
RT=$RT_SAVED

# A database that does not exist yet is created, as import creates one.
serve_start "$TMP/new.db"
check_eq "serve on a new database answers" 200 \
    "$(curl -s -o "$TMP/body" -w '%{http_code}' "$URL/api/v1/dialogues")"
check_eq "with nothing in it" "[]" "$(tr -d ' \n' <"$TMP/body")"
check_eq "and says it made it" 1 "$(grep -c "created the database $TMP/new.db" "$TMP/serve.err")"
kill "$SERVE_PID"
wait "$SERVE_PID" 2>/dev/null
check_eq "the database is there for the next command" 0 \
    "$("$RT" --db "$TMP/new.db" search --json | json .total)"
check_fails "a database where none can be made" 1 "$RT" --db "$TMP/no/such/dir/x.db" serve --port 0

check_fails "serve's options are checked before the server starts" 2 \
    "$RT" --db "$DB" serve --port 70000
grep -q -- "--port needs a number from 0 to 65535, not '70000'" "$TMP/err"
check_eq "with the usual message" 0 $?
check_fails "rightstrack-serve run by hand without --db" 2 "$SERVE"
grep -q "started by 'rightstrack serve'" "$TMP/err"
check_eq "says who starts it" 0 $?
done_testing
