#!/bin/sh
# The database URL chooses the store's back end: a path or sqlite:PATH is SQLite and
# both name the same file; a PostgreSQL URL or libpq connection string names PostgreSQL,
# which commands other than import, search, show, stats and export refuse with a clear
# message (t9030 runs those on a real server); no message repeats a password.
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

msg="rightstrack: this command is not yet supported on PostgreSQL (import, search, show, stats, export --json and the ledger's reads and additions are)"
for url in "postgresql://rt:s3cret@localhost/rt" "postgres://localhost/rt" \
    "dbname=rt password=s3cret" "host=/tmp port=5432"; do
    check_fails "a PostgreSQL URL fails with exit 1 ($url)" 1 "$RT" --db "$url" audit verify
    check_eq "with the message, never the password" "$msg" "$(cat "$TMP/err")"
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
check "says it is not supported" grep -q "not yet supported on PostgreSQL" "$TMP/why"
check_fails "serve on a PostgreSQL URL" 1 "$RT" --db "postgresql://localhost/rt" serve --port 0
check_eq "says so" "$msg" "$(cat "$TMP/err")"
check_fails "the web server program too, with exit 1" 1 "$(dirname "$RT")/rightstrack-serve" \
    --db "postgresql://rt:s3cret@localhost/rt" --port 0
check_eq "and the same words" "$msg" "$(cat "$TMP/err")"
RIGHTSTRACK_DB="postgresql://localhost/rt" "$RT" audit verify >/dev/null 2>"$TMP/err"
check_eq "from RIGHTSTRACK_DB too" "$msg" "$(cat "$TMP/err")"
check_eq "a file named like a keyword string is still a file" 0 \
    "$(cd "$TMP" && "$RT" --db "a=b.db" init >/dev/null && [ -f "$TMP/a=b.db" ]; echo $?)"

done_testing
