#!/bin/sh
# The database URL chooses the store's back end: a path or sqlite:PATH is SQLite and
# both name the same file; a PostgreSQL URL or libpq connection string names PostgreSQL,
# which every command opens (t9030 and the PostgreSQL pass of the suite run them on a
# real server); no message repeats a password.
. "$(dirname "$0")/../lib/test-lib.sh"
pg_not_yet "it tests the addresses of SQLite files"

DB="$TMP/a.db"
check "init through sqlite:PATH" "$RT" --db "sqlite:$DB" init
check_eq "it made the file PATH" yes "$([ -f "$DB" ] && echo yes)"
check_eq "and no file named after the URL" "" "$(ls "$TMP" | grep sqlite)"
check "import through sqlite:PATH" "$RT" --db "sqlite:$DB" import "$ROOT/data/demo/recommendations.csv"
"$RT" --db "$DB" stats --json >"$TMP/by-path"
"$RT" --db "sqlite:$DB" stats --json >"$TMP/by-url"
check_eq "stats read through the path and the URL are the same" "$(cat "$TMP/by-path")" "$(cat "$TMP/by-url")"
check_eq "and hold the import" 21 "$(json .recommendations <"$TMP/by-url")"
RIGHTSTRACK_DB="sqlite:$DB" "$RT" search torture --json >"$TMP/env"
"$RT" --db "$DB" search torture --json >"$TMP/plain"
check_eq "RIGHTSTRACK_DB takes the URL too" "$(cat "$TMP/plain")" "$(cat "$TMP/env")"

# Every command opens a PostgreSQL store; one that is not there fails at once (port
# 1 on loopback, and a socket directory that does not exist, so that a server that
# happens to run on this machine is never reached).
msg="rightstrack: cannot connect to PostgreSQL"
for url in "postgresql://rt:s3cret@127.0.0.1:1/rt" "postgres://127.0.0.1:1/rt" \
    "dbname=rt password=s3cret host=$TMP/nowhere" "host=$TMP/nowhere port=5432"; do
    check_fails "a PostgreSQL URL fails with exit 1 ($url)" 1 "$RT" --db "$url" audit verify
    cp "$TMP/err" "$TMP/why"
    check "with the message" grep -q "^$msg" "$TMP/why"
    check_eq "never the password" "" "$(grep s3cret "$TMP/why")"
done
check_fails "stats on a PostgreSQL server that is not there" 1 "$RT" --db \
    "host=$TMP/nowhere dbname=rt password=s3cret connect_timeout=2" stats
cp "$TMP/err" "$TMP/why"
check "says it cannot reach it" grep -q "PostgreSQL\|connection" "$TMP/why"
check_eq "never with the password" "" "$(grep s3cret "$TMP/why")"
check_fails "init on a PostgreSQL server that is not there" 1 "$RT" --db \
    "host=$TMP/nowhere dbname=rt password=s3cret connect_timeout=2" init
cp "$TMP/err" "$TMP/why"
check "says it cannot reach it" grep -q "cannot connect to PostgreSQL" "$TMP/why"
check_eq "never with the password" "" "$(grep s3cret "$TMP/why")"
check_fails "restore into a PostgreSQL URL" 1 "$RT" --db "postgresql://localhost/rt" restore "$DB"
cp "$TMP/err" "$TMP/why"
check "says it copies SQLite files" grep -q "restore copies SQLite files" "$TMP/why"
check "and names PostgreSQL's own tools" grep -q "pg_dump and pg_restore" "$TMP/why"
check_fails "serve on a PostgreSQL URL" 1 "$RT" --db "postgresql://127.0.0.1:1/rt" serve --port 0
cp "$TMP/err" "$TMP/why"
check "says it cannot connect" grep -q "^$msg" "$TMP/why"
check_fails "the web server program too, with exit 1" 1 "$(dirname "$RT")/rightstrack-serve" \
    --db "postgresql://rt:s3cret@127.0.0.1:1/rt" --port 0
cp "$TMP/err" "$TMP/why"
check "and the same words" grep -q "^$msg" "$TMP/why"
check_eq "never the password" "" "$(grep s3cret "$TMP/why")"
RIGHTSTRACK_DB="postgresql://127.0.0.1:1/rt" "$RT" audit verify >/dev/null 2>"$TMP/why"
check "from RIGHTSTRACK_DB too" grep -q "^$msg" "$TMP/why"
check_eq "a file named like a keyword string is still a file" 0 \
    "$(cd "$TMP" && "$RT" --db "a=b.db" init >/dev/null && [ -f "$TMP/a=b.db" ]; echo $?)"

done_testing
