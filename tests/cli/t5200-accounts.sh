#!/bin/sh
# Accounts and roles on the web face: logins (form and API), sessions, API tokens,
# what each role may do, form tokens per session, the login rate limit, and what the
# database keeps (argon2id strings and hashes, never a password or token in clear).
. "$(dirname "$0")/../lib/test-lib.sh"

DB=$(new_db a)
demo_ledger "$DB"

code() { curl -s -o "$TMP/body" -D "$TMP/headers" -w '%{http_code}' "$@"; }
steps() { "$RT" --db "$DB" step list --json | python3 -c 'import json,sys;print(len(json.load(sys.stdin)))'; }
rounds() { "$RT" --db "$DB" dialogue show 1 --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["rounds"]))'; }
csrf_of() { sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' "$TMP/body" | head -n 1; }
cookie_of() { sed -n "s/^[Ss]et-[Cc]ookie: $1=\([0-9a-f]*\).*/\1/p" "$TMP/headers" | tr -d '\r' | head -n 1; }
STEP='{"actor": "Belarus", "date": "2017-02", "kind": "pardon", "text": "Pardoned through the API"}'
api_post() { jar=$1; shift; code -b "$jar" -H 'Content-Type: application/json' --data "$STEP" "$@" "$URL/api/v1/steps"; }
# login_form JAR USER PASSWORD: the login page, then its form, as a browser does.
login_form() {
    rm -f "$1"
    code -c "$1" "$URL/login" >/dev/null
    t=$(csrf_of)
    code -b "$1" -c "$1" --data "csrf=$t&user=$2" --data-urlencode "password=$3" "$URL/login"
}

# --- Without accounts: as before, on loopback only, but every form needs its token.
serve_start "$DB"
PID=$SERVE_PID
check_eq "without TLS, serve starts without a warning" "" "$(cat "$TMP/serve.err")"
before=$(rounds)
check_eq "saving a readout without a form token" 403 \
    "$(code -d 'action=save&dialogue=1&date=2017-03-01&round=7' "$URL/readouts/new")"
check_eq "writes no round" "$before" "$(rounds)"
check_eq "no accounts: anyone on this machine reads" 200 "$(code "$URL/dialogues/1")"
check_eq "and the API writes" 201 "$(api_post /dev/null)"
grep -q 'Log in\|class="account"' "$TMP/body"
check_eq "no account menu without accounts" 1 $?
check_eq "the login page says there are no accounts" 200 "$(code "$URL/login")"
grep -q "rightstrack user add NAME --role admin" "$TMP/body"
check_eq "and how to make the first" 0 $?
kill -TERM $PID; wait $PID
check_fails "no accounts: another address than loopback is refused" 2 \
    "$RT" --db "$DB" serve --host 0.0.0.0 --port 0
grep -q "no accounts" "$TMP/err"
check_eq "saying why" 0 $?

# --- The accounts, on the command line.
check_fails "a password as an argument is refused" 2 \
    "$RT" --db "$DB" user add alice --role admin 'correct horse battery'
grep -q "never an argument" "$TMP/err"
check_eq "saying why" 0 $?
check_fails "nor as an option" 2 "$RT" --db "$DB" user add alice --role admin --password=x
echo short >"$TMP/pw"
check_fails "a short password is refused" 1 "$RT" --db "$DB" user add alice --role admin <"$TMP/pw"
grep -q "at least 10 characters" "$TMP/err"
check_eq "saying the rule" 0 $?
check_fails "an unknown role" 2 "$RT" --db "$DB" user add alice --role boss <"$TMP/pw"
echo 'correct horse battery' >"$TMP/pw"
check "an admin" "$RT" --db "$DB" user add alice --role admin <"$TMP/pw"
echo 'editor pass phrase' | "$RT" --db "$DB" user add ed --role editor >/dev/null
echo 'viewer pass phrase' | "$RT" --db "$DB" user add vic --role viewer >/dev/null
echo 'limited pass phrase' | "$RT" --db "$DB" user add rl --role viewer >/dev/null
echo 'limited pass phrase' | "$RT" --db "$DB" user add lim --role viewer >/dev/null
check_fails "the same name twice" 1 "$RT" --db "$DB" user add vic --role viewer <"$TMP/pw"
check_eq "user list --json" "alice ed lim rl vic" \
    "$("$RT" --db "$DB" user list --json | python3 -c 'import json,sys; print(" ".join(u["name"] for u in json.load(sys.stdin)))')"
check_eq "the passwords are argon2id strings" 5 \
    "$(sql "$DB" "SELECT count(*) FROM account WHERE password LIKE '\$argon2id\$v=19\$%'")"
READ=$("$RT" --db "$DB" user token add vic --read 2>/dev/null)
EDREAD=$("$RT" --db "$DB" user token add ed --read 2>/dev/null)
EDWRITE=$("$RT" --db "$DB" user token add ed --write 2>/dev/null)
check_eq "a token is 64 hex digits" 64 "$(printf %s "$EDWRITE" | tr -cd 0-9a-f | wc -c)"
if [ "$RT_TEST_STORE" = sqlite ]; then
    sqlite3 "$DB" .dump >"$TMP/dump.sql"
else
    "$RT_TEST_PG_BIN/pg_dump" -h "$RT_TEST_PG_HOST" -U rt -d "$DB" >"$TMP/dump.sql"
fi
check "the dump holds the accounts" grep -q 'argon2id' "$TMP/dump.sql"
grep -q -e "$READ" -e "$EDWRITE" -e 'correct horse' -e 'pass phrase' "$TMP/dump.sql"
check_eq "no token and no password in the database in clear" 1 $?
check_fails "a token needs --read or --write" 2 "$RT" --db "$DB" user token add ed

# --- With accounts.
serve_start "$DB"
PID=$SERVE_PID
check_eq "anonymous: a page redirects to the login" 303 "$(code "$URL/dialogues/1")"
grep -qi '^location: /login?next=%2Fdialogues%2F1' "$TMP/headers"
check_eq "which returns to the page" 0 $?
check_eq "anonymous: the API says 401" 401 "$(code "$URL/api/v1/recommendations?q=torture")"
check_eq "anonymous: an API write, 401" 401 "$(api_post /dev/null)"
check_eq "anonymous: a form post goes to the login" 303 \
    "$(code --data 'actor=Belarus&date=2017&kind=pardon&text=x' "$URL/dialogues/1/steps")"
check_eq "a made-up bearer token" 401 \
    "$(code -H "Authorization: Bearer $(printf '%064d' 1)" "$URL/api/v1/dialogues")"

# Login through the form; the cookie's attributes.
check_eq "the login form" 303 "$(login_form "$TMP/vic" vic 'viewer pass phrase')"
grep -i '^set-cookie: rt_session=' "$TMP/headers" | grep -q 'HttpOnly; SameSite=Strict; Path=/'
check_eq "sets rt_session HttpOnly, SameSite=Strict, Path=/" 0 $?
grep -i '^set-cookie: rt_session=' "$TMP/headers" | grep -q Secure
check_eq "not Secure over plain http" 1 $?
code -c "$TMP/nocsrf" "$URL/login" >/dev/null
check_eq "a login without the form token" 403 \
    "$(code -b "$TMP/nocsrf" --data 'user=vic&password=viewer+pass+phrase' "$URL/login")"
check_eq "a wrong password through the form" 401 "$(login_form "$TMP/x" vic 'not the password')"
grep -q 'role="alert"' "$TMP/body"
check_eq "says so on the page" 0 $?

# A viewer reads but writes nothing: web form, API with its cookie, API with a read token.
check_eq "the viewer reads a page" 200 "$(code -b "$TMP/vic" "$URL/dialogues/1")"
grep -q 'vic (viewer)' "$TMP/body" && grep -q 'action="/logout"' "$TMP/body"
check_eq "the menu shows who is logged in, and a logout button" 0 $?
VT=$(csrf_of)
before=$(steps)
check_eq "viewer: a web form" 403 \
    "$(code -b "$TMP/vic" --data "csrf=$VT&actor=Belarus&date=2017&kind=pardon&text=x" "$URL/dialogues/1/steps")"
check_eq "viewer: the API with the cookie" 403 "$(api_post "$TMP/vic")"
check_eq "viewer: a read token" 403 "$(api_post /dev/null -H "Authorization: Bearer $READ")"
check_eq "an editor's read token cannot write either" 403 \
    "$(api_post /dev/null -H "Authorization: Bearer $EDREAD")"
check_eq "a read token reads" 200 \
    "$(code -H "Authorization: Bearer $READ" "$URL/api/v1/recommendations?q=torture")"
check_eq "viewer: the users page" 403 "$(code -b "$TMP/vic" "$URL/users")"
check_eq "nothing was written" "$before" "$(steps)"

# An editor writes.
check_eq "the editor logs in through the API" 201 \
    "$(code -c "$TMP/ed" -H 'Content-Type: application/json' -d '{"user":"ed","password":"editor pass phrase"}' "$URL/api/v1/session")"
check_eq "the API with the editor's cookie" 201 "$(api_post "$TMP/ed")"
check_eq "a write token" 201 "$(api_post /dev/null -H "Authorization: Bearer $EDWRITE")"
code -b "$TMP/ed" "$URL/dialogues/1" >/dev/null
ET=$(csrf_of)
check_eq "the editor: a web form" 303 \
    "$(code -b "$TMP/ed" --data "csrf=$ET&actor=Belarus&date=2017&kind=pardon&text=Through+the+form" "$URL/dialogues/1/steps")"
check_eq "three steps written" "$((before + 3))" "$(steps)"
check_eq "the editor's form with the viewer's token" 403 \
    "$(code -b "$TMP/ed" --data "csrf=$VT&actor=Belarus&date=2017&kind=pardon&text=x" "$URL/dialogues/1/steps")"
check_eq "the editor: the readout page without a token" 403 \
    "$(code -b "$TMP/ed" -d 'action=save&dialogue=1&date=2017-03-01&round=7' "$URL/readouts/new")"
check_eq "the editor: the users page" 403 "$(code -b "$TMP/ed" "$URL/users")"

# The response cache keeps each user's pages apart.
for jar in vic ed vic ed; do code -b "$TMP/$jar" "$URL/dialogues/1" >/dev/null; cp "$TMP/body" "$TMP/page-$jar"; done
check_eq "each user sees their own name, from the cache too" "1 0 1 0" \
    "$(grep -c 'vic (viewer)' "$TMP/page-vic") $(grep -c 'ed (editor)' "$TMP/page-vic") $(grep -c 'ed (editor)' "$TMP/page-ed") $(grep -c 'vic (viewer)' "$TMP/page-ed")"

# An admin manages the users on the web.
check_eq "the admin logs in" 303 "$(login_form "$TMP/alice" alice 'correct horse battery')"
check_eq "the users page" 200 "$(code -b "$TMP/alice" "$URL/users")"
AT=$(csrf_of)
check_eq "adds a user" 200 \
    "$(code -b "$TMP/alice" --data "csrf=$AT&user=newbie&role=viewer&password=a+fine+passphrase" "$URL/users/add")"
check_eq "makes the viewer an editor" 200 "$(code -b "$TMP/alice" --data "csrf=$AT&user=vic&role=editor" "$URL/users/role")"
check_eq "which shows in vic's live session" 201 "$(api_post "$TMP/vic")"
check_eq "and back" 200 "$(code -b "$TMP/alice" --data "csrf=$AT&user=vic&role=viewer" "$URL/users/role")"
check_eq "a weak password is refused on the page" 422 \
    "$(code -b "$TMP/alice" --data "csrf=$AT&user=weak&role=viewer&password=short" "$URL/users/add")"
check_eq "user list knows the new user" "newbie viewer" \
    "$("$RT" --db "$DB" user list --json | python3 -c 'import json,sys; print(*[u["name"] + " " + u["role"] for u in json.load(sys.stdin) if u["name"] == "newbie"])')"

# Session fixation: a token planted before the login is never taken over.
PLANTED=$(printf '%064d' 42)
printf '127.0.0.1\tFALSE\t/\tFALSE\t0\trt_session\t%s\n' "$PLANTED" >"$TMP/fix"
code -b "$TMP/fix" -c "$TMP/fix" "$URL/login" >/dev/null
t=$(csrf_of)
check_eq "login with a planted session cookie" 303 \
    "$(code -b "$TMP/fix" -c "$TMP/fix" --data "csrf=$t&user=vic&password=viewer+pass+phrase" "$URL/login")"
NEW=$(cookie_of rt_session)
check_eq "gets a new session token" yes "$([ ${#NEW} = 64 ] && [ "$NEW" != "$PLANTED" ] && echo yes)"
check_eq "the planted token is no session" 401 "$(code -b "rt_session=$PLANTED" "$URL/api/v1/session")"
check_eq "the new one is" 200 "$(code -b "rt_session=$NEW" "$URL/api/v1/session")"

# Logout ends the session on the server: the old cookie no longer works.
OLD=$(sed -n 's/.*rt_session\t//p' "$TMP/vic")
code -b "$TMP/vic" "$URL/dialogues/1" >/dev/null
check_eq "logout" 303 "$(code -b "$TMP/vic" --data "csrf=$(csrf_of)" "$URL/logout")"
grep -i '^set-cookie: rt_session=;' "$TMP/headers" | grep -q 'Max-Age=0'
check_eq "clears the cookie" 0 $?
check_eq "the old cookie, kept, no longer works" 303 "$(code -b "rt_session=$OLD" "$URL/dialogues/1")"
check_eq "nor for the API" 401 "$(code -b "rt_session=$OLD" "$URL/api/v1/dialogues")"
check_eq "DELETE /api/v1/session" 200 "$(code -b "$TMP/ed" -X DELETE "$URL/api/v1/session")"
check_eq "ends the editor's session" 401 "$(api_post "$TMP/ed")"
check_eq "a logout without the form token" 403 "$(code -b "$TMP/alice" --data "csrf=0" "$URL/logout")"

# Disabling an account ends its sessions and tokens.
login_form "$TMP/rl" rl 'limited pass phrase' >/dev/null
"$RT" --db "$DB" user disable rl >/dev/null
check_eq "a disabled account's session ends" 401 "$(code -b "$TMP/rl" "$URL/api/v1/dialogues")"
check_eq "and it cannot log in" 401 "$(login_form "$TMP/rl" rl 'limited pass phrase')"
"$RT" --db "$DB" user enable rl >/dev/null

# The login rate limit: from the sixth try in a row, wait (even with the right password).
for i in 1 2 3 4 5; do
    c=$(code -H 'Content-Type: application/json' -d '{"user":"lim","password":"wrong guess here"}' "$URL/api/v1/session")
    [ "$c" = 401 ] || fail "wrong try $i gets 401, not $c"
done
check_eq "the sixth try, with the right password" 429 \
    "$(code -H 'Content-Type: application/json' -d '{"user":"lim","password":"limited pass phrase"}' "$URL/api/v1/session")"
grep -q "wait [0-9]* seconds" "$TMP/body"
check_eq "says how long to wait" 0 $?
check_eq "another account may still log in" 201 \
    "$(code -H 'Content-Type: application/json' -d '{"user":"ed","password":"editor pass phrase"}' "$URL/api/v1/session")"
check_eq "a revoked token" 0 "$("$RT" --db "$DB" user token revoke 3 >/dev/null; echo $?)"
check_eq "no longer works" 401 "$(api_post /dev/null -H "Authorization: Bearer $EDWRITE")"

# A session cookie from another run does not work: a restart, another database.
kill -TERM $PID; wait $PID
serve_start "$DB"
PID=$SERVE_PID
check_eq "after a restart, a session of the last run" 401 "$(code -b "rt_session=$NEW" "$URL/api/v1/session")"
check_eq "a token still works after a restart" 200 \
    "$(code -H "Authorization: Bearer $READ" "$URL/api/v1/dialogues")"
login_form "$TMP/vic2" vic 'viewer pass phrase' >/dev/null
S1=$(cookie_of rt_session)
DB2=$(new_db b)
"$RT" --db "$DB2" init >/dev/null
echo 'viewer pass phrase' | "$RT" --db "$DB2" user add vic --role viewer >/dev/null
URL1=$URL
serve_start "$DB2"
PID2=$SERVE_PID
check_eq "a session of another server, same user and password" 401 \
    "$(code -b "rt_session=$S1" "$URL/api/v1/session")"
check_eq "works where it was made" 200 "$(code -b "rt_session=$S1" "$URL1/api/v1/session")"
kill -TERM $PID2; wait $PID2
kill -TERM $PID; wait $PID

# --public: anyone reads, nobody writes without a login.
serve_start "$DB" --public
PID=$SERVE_PID
check_eq "public: anonymous reads a page" 200 "$(code "$URL/dialogues/1")"
grep -q 'href="/login"' "$TMP/body"
check_eq "with a link to log in" 0 $?
check_eq "public: anonymous reads the API" 200 "$(code "$URL/api/v1/recommendations?q=torture")"
check_eq "public: anonymous cannot write" 401 "$(api_post /dev/null)"
check_eq "public: nor post a form" 303 \
    "$(code --data 'actor=Belarus&date=2017&kind=pardon&text=x' "$URL/dialogues/1/steps")"
check_eq "public: X-Forwarded-Proto from an untrusted address" 303 \
    "$(login_form "$TMP/p" vic 'viewer pass phrase' -H 'X-Forwarded-Proto: https')"
grep -i '^set-cookie: rt_session=' "$TMP/headers" | grep -q Secure
check_eq "is not believed" 1 $?
kill -TERM $PID; wait $PID

# Behind a trusted proxy, and over TLS, the cookies are Secure.
serve_start "$DB" --trusted-proxy 127.0.0.1
PID=$SERVE_PID
code -c "$TMP/tp" "$URL/login" >/dev/null
t=$(csrf_of)
check_eq "through the trusted proxy" 303 \
    "$(code -b "$TMP/tp" -H 'X-Forwarded-Proto: https' -H 'X-Forwarded-For: 203.0.113.9' --data "csrf=$t&user=vic&password=viewer+pass+phrase" "$URL/login")"
grep -i '^set-cookie: rt_session=' "$TMP/headers" | grep -q '; Secure'
check_eq "X-Forwarded-Proto: https makes the cookie Secure" 0 $?
kill -TERM $PID; wait $PID
if command -v openssl >/dev/null 2>&1 &&
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 \
        -subj /CN=127.0.0.1 -keyout "$TMP/key.pem" -out "$TMP/cert.pem" >/dev/null 2>&1; then
    serve_start "$DB" --tls-cert "$TMP/cert.pem" --tls-key "$TMP/key.pem"
    PID=$SERVE_PID
    check_eq "TLS: no warning either" "" "$(cat "$TMP/serve.err")"
    check_eq "TLS: serve says https" yes "$(echo "$URL" | grep -q '^https://127.0.0.1:' && echo yes)"
    check_eq "TLS: the session API" 201 \
        "$(code -k -H 'Content-Type: application/json' -d '{"user":"vic","password":"viewer pass phrase"}' "$URL/api/v1/session")"
    grep -i '^set-cookie: rt_session=' "$TMP/headers" | grep -q '; Secure'
    check_eq "TLS: the cookie is Secure" 0 $?
    kill -TERM $PID; wait $PID
else
    say "# skipped the TLS checks: no openssl to make a certificate"
fi
check_fails "--tls-cert without --tls-key" 2 "$RT" --db "$DB" serve --tls-cert "$TMP/cert.pem"

# With accounts, serve may listen on any address.
serve_start "$DB" --host 0.0.0.0
PID=$SERVE_PID
check_eq "with accounts, another address than loopback" yes \
    "$(echo "$URL" | grep -q '^http://0.0.0.0:[0-9]*$' && echo yes)"
kill -TERM $PID; wait $PID

done_testing
