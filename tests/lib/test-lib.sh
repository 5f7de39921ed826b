# Shell test library for tests/cli/tNNNN-*.sh (after git's t/test-lib.sh, much smaller).
# Source it after setting test_description. Provides:
#   RT          the rightstrack binary under test
#   DATA        ../shared/data (real data), see need_data
#   TMP         a scratch directory removed at exit
#   check NAME CMD...          passes when CMD exits 0
#   check_eq NAME EXPECTED ACTUAL
#   check_fails NAME CODE CMD...  passes when CMD exits with CODE
#   serve_start DB [ARGS...]  starts `serve --port 0` on DB; sets URL and SERVE_PID
#   need_data   skips the rest of the file when ../shared/data is missing (fails under CI)
#   upr_db DB   makes DB a copy of the whole UPR Info import (after need_data)
#   done_testing  prints the summary line and exits 0 or 1
# The store the script runs on (issue 16): RT_TEST_STORE is sqlite (the default) or
# postgresql (tests/run.sh starts one cluster for the whole run and exports
# RT_TEST_PG_HOST, its socket's directory, and RT_TEST_PG_BIN, its programs).
#   new_db NAME   prints a new, empty database's address: $TMP/NAME.db on SQLite, a
#                 new database's postgresql:// URL on PostgreSQL (dropped at exit)
#   demo_ledger DB  fills DB with the demo recommendations and data/demo/us-belarus.sh's
#                 ledger (its persons too), on either store
#   sql DB QUERY  runs one query on DB (sqlite3, or psql with the same output: rows
#                 one a line, columns joined by |)
#   pg_not_yet REASON  on PostgreSQL, ends the script here: it is SQLite-only for
#                 now, and the run's summary lists it with REASON. Nothing on SQLite
#   sqlite_only_below REASON  on PostgreSQL, ends the script here with done_testing,
#                 and the summary lists the rest of the script as SQLite-only
#   on_sqlite REASON   true on SQLite; on PostgreSQL false, and the summary lists the
#                 part it guards as SQLite-only (if on_sqlite "the ledger"; then ...)
set -u

: "${RT:?set RT to the rightstrack binary}"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DATA=${RIGHTSTRACK_SHARED_DATA:-$ROOT/../shared/data}
RT_TEST_STORE=${RT_TEST_STORE:-sqlite}
if [ "$RT_TEST_STORE" = postgresql ] && [ -z "${RT_TEST_PG_HOST:-}" ]; then
    echo "not ok - RT_TEST_STORE=postgresql needs tests/run.sh's cluster (make check-pg)"
    exit 1
fi
TMP=$(mktemp -d "${TMPDIR:-/tmp}/rt-test.XXXXXX")
trap 'pg_drop_mine; rm -rf "$TMP"' EXIT
export RIGHTSTRACK_DB="$TMP/default.db"
n_pass=0
n_fail=0
n_skip=0

say() { printf '%s\n' "$*"; }

pass() { n_pass=$((n_pass + 1)); say "ok - $1"; }
fail() { n_fail=$((n_fail + 1)); say "not ok - $1"; shift; for l in "$@"; do say "#   $l"; done; }

check() {
    name=$1; shift
    if "$@" >"$TMP/out" 2>"$TMP/err"; then pass "$name"
    else fail "$name" "command failed ($?): $*" "$(head -c 600 "$TMP/err")"; fi
}

check_eq() {
    if [ "$2" = "$3" ]; then pass "$1"
    else fail "$1" "expected: $2" "actual:   $3"; fi
}

check_fails() {
    name=$1; code=$2; shift 2
    "$@" >"$TMP/out" 2>"$TMP/err"
    got=$?
    if [ "$got" = "$code" ]; then pass "$name"
    else fail "$name" "expected exit $code, got $got: $*" "$(head -c 600 "$TMP/err")"; fi
}

# Prints the value at a jq-like dotted path of the JSON on stdin (python3 reads it).
json() {
    python3 -c 'import json,sys
v=json.load(sys.stdin)
for k in sys.argv[1].split(".")[1:]:
    v=v[int(k)] if isinstance(v,list) else v[k]
print(json.dumps(v) if isinstance(v,(dict,list)) else v)' "$1"
}

serve_start() {
    db=$1; shift
    # Emptied here, not by the background command's redirection, which may come after
    # the first read below: a second server of a test would be given the first's URL.
    : >"$TMP/serve.out"
    "$RT" --db "$db" serve --port 0 "$@" >"$TMP/serve.out" 2>"$TMP/serve.err" &
    SERVE_PID=$!
    URL=
    # Up to 60 s: under ASan on a loaded machine a server may take several seconds to
    # listen. A server that died stops the wait at once; either way the failure says
    # what the server printed.
    for _ in $(seq 1 300); do
        URL=$(sed -n 's/^listening on //p' "$TMP/serve.out")
        [ -n "$URL" ] && return 0
        kill -0 "$SERVE_PID" 2>/dev/null || break
        sleep 0.2
    done
    fail "serve listens" "$(tail -c 1500 "$TMP/serve.err")"
}

need_data() {
    if [ ! -d "$DATA" ]; then
        if [ -n "${CI:-}" ]; then
            fail "real data at $DATA" "missing under CI"
        else
            say "# SKIP: no real data at $DATA; the tests on it are skipped"
            n_skip=$((n_skip + 1))
        fi
        done_testing
    fi
}

# The UPR Info file imported once per binary, not once per script: the first script
# that asks imports it beside the binary (fixtures/upr-CKSUM.db, under flock, so that
# scripts running at the same time wait for it), and each gets a page-for-page copy
# (sqlite3's .backup). Scripts that test the import itself import the file themselves.
upr_db() {
    if [ "$RT_TEST_STORE" = postgresql ]; then pg_upr_db "$1"; return; fi
    fx_dir="$(dirname "$RT")/fixtures"
    mkdir -p "$fx_dir" || return 1
    fx="$fx_dir/upr-$(cksum <"$RT" | cut -d' ' -f1).db"
    flock "$fx.lock" sh -c '
        [ -f "$2" ] && exit 0
        rm -f "$2.tmp" "$2.tmp-wal" "$2.tmp-shm"
        "$1" --db "$2.tmp" import "$3" >/dev/null && mv "$2.tmp" "$2"' _ \
        "$RT" "$fx" "$DATA/upr/upr_info_s01-s18.csv" || return 1
    sqlite3 "$fx" ".backup '$1'"
}

new_db() {
    if [ "$RT_TEST_STORE" = sqlite ]; then echo "$TMP/$1.db"; return 0; fi
    # One cluster serves every script of the run: the name holds this script's
    # process id, so that scripts running at once never meet.
    d="rt_$(echo "$1" | tr -c 'a-zA-Z0-9\n' _ | tr 'A-Z' 'a-z')_$$"
    echo "$d" >>"$TMP/pg-dbs"
    pg_sql postgres "DROP DATABASE IF EXISTS $d" >/dev/null &&
        pg_sql postgres "CREATE DATABASE $d" >/dev/null || return 1
    echo "postgresql:///$d?host=$RT_TEST_PG_HOST"
}

# Makes database $2 (from new_db) a copy of database $1: SQLite's .backup, or on
# PostgreSQL a new database with $1 as its template.
copy_db() {
    if [ "$RT_TEST_STORE" = sqlite ]; then sqlite3 "$1" ".backup '$2'"; return; fi
    from=${1#postgresql:///}; from=${from%%\?*}
    to=${2#postgresql:///}; to=${to%%\?*}
    pg_sql postgres "DROP DATABASE IF EXISTS $to" >/dev/null &&
        pg_sql postgres "CREATE DATABASE $to TEMPLATE $from" >/dev/null
}

demo_ledger() {
    "$RT" --db "$1" import "$ROOT/data/demo/recommendations.csv" >/dev/null &&
        sh "$ROOT/data/demo/us-belarus.sh" "$RT" --db "$1" >/dev/null 2>&1
}

# demo_pair: the demo recommendations into the SQLite file $LITE and the PostgreSQL
# database $PG (checked), and two of Belarus's recommendations' ids from $LITE in
# $rec and $rec2: for the scripts that write the same ledger into both stores.
demo_pair() {
    "$RT" --db "$LITE" import "$ROOT/data/demo/recommendations.csv" >/dev/null
    check "the demo recommendations go into PostgreSQL" \
        "$RT" --db "$PG" import "$ROOT/data/demo/recommendations.csv"
    rec=$("$RT" --db "$LITE" search 'political prisoners' --sur Belarus --json | json .hits.0.id)
    rec2=$("$RT" --db "$LITE" search 'elections' --sur Belarus --json | json .hits.0.id)
}

# same_steps AUDIT EXPORT LIST: of the audit log's entries (audit log --json), how
# many insert a step and how many distinct steps those are, and whether the export
# (export --json) and the step list (step list --json) name exactly those steps
# ("same" or "differ"): nothing lost, nothing doubled, for the many-writers scripts.
same_steps() {
    python3 -c 'import json,sys
a, x, s = (json.load(open(f)) for f in sys.argv[1:4])
ins = sorted(int(e["record"].split(":")[1]) for e in a if e["table"] == "step" and e["op"] == "insert")
same = ins == sorted(r["id"] for r in x["tables"]["step"]) == sorted(r["id"] for r in s)
print(len(ins), len(set(ins)), "same" if same else "differ")' "$@"
}

# One command into the database $db, its output and exit code appended to the file
# $log: for the scripts that write the same ledger into two stores and compare logs.
w() {
    "$RT" --db "$db" "$@" >>"$log" 2>&1
    echo "exit $?" >>"$log"
}

# psql on one database of the run's cluster: a name or a URL new_db gave.
pg_sql() {
    PGOPTIONS="-c client_min_messages=warning" "$RT_TEST_PG_BIN/psql" -X -q -A -t -v ON_ERROR_STOP=1 -h "$RT_TEST_PG_HOST" -U rt \
        -d "$1" -c "$2"
}

# A query that fails prints a "not ok" line on standard error, which tests/run.sh
# counts: sql is mostly called inside $(...), whose empty output could otherwise
# equal another empty output (two fingerprints of nothing).
sql() {
    if [ "$RT_TEST_STORE" = sqlite ]; then sqlite3 "$1" "$2"; else pg_sql "$1" "$2"; fi ||
        { echo "not ok - sql on $RT_TEST_STORE failed: $(echo "$2" | head -c 200)" >&2; return 1; }
}

# At exit: on PostgreSQL, names the SQLite files the script made all the same (a path
# written by hand instead of new_db; tests/run.sh lists them), and drops its databases.
pg_drop_mine() {
    [ "$RT_TEST_STORE" = sqlite ] && return 0
    f=$(cd "$TMP" && find . -name '*.db' | sed 's|^\./||' | sort | paste -sd ' ' -)
    [ -n "$f" ] && say "# sqlite files: $f"
    [ -f "$TMP/pg-dbs" ] || return 0
    for d in $(sort -u "$TMP/pg-dbs"); do
        pg_sql postgres "DROP DATABASE IF EXISTS $d" >/dev/null 2>&1
    done
}

# The UPR Info import once per run on PostgreSQL too: a database the first script
# that asks imports it into (under flock), used as the template of each copy.
pg_upr_db() {
    d=${1#postgresql:///}; d=${d%%\?*}
    (
        flock 9
        have=$(pg_sql postgres "SELECT 1 FROM pg_database WHERE datname = 'rt_upr_fixture'")
        if [ -z "$have" ]; then
            pg_sql postgres "DROP DATABASE IF EXISTS rt_upr_fixture_tmp" >/dev/null &&
                pg_sql postgres "CREATE DATABASE rt_upr_fixture_tmp" >/dev/null &&
                "$RT" --db "postgresql:///rt_upr_fixture_tmp?host=$RT_TEST_PG_HOST" \
                    import "$DATA/upr/upr_info_s01-s18.csv" >/dev/null &&
                pg_sql postgres "ALTER DATABASE rt_upr_fixture_tmp RENAME TO rt_upr_fixture" \
                    >/dev/null || exit 1
        fi
        pg_sql postgres "DROP DATABASE IF EXISTS $d" >/dev/null &&
            pg_sql postgres "CREATE DATABASE $d TEMPLATE rt_upr_fixture" >/dev/null
    ) 9>"$RT_TEST_PG_LOCKS/upr.lock"
}

pg_not_yet() {
    [ "$RT_TEST_STORE" = sqlite ] && return 0
    say "# sqlite-only: $1"
    n_skip=$((n_skip + 1))
    say "# $(basename "$0"): $n_pass passed, $n_fail failed, $n_skip skipped"
    exit 0
}

sqlite_only_below() {
    [ "$RT_TEST_STORE" = sqlite ] && return 0
    say "# sqlite-only part: $1"
    done_testing
}

on_sqlite() {
    [ "$RT_TEST_STORE" = sqlite ] && return 0
    say "# sqlite-only part: $1"
    return 1
}

done_testing() {
    say "# store: $RT_TEST_STORE"
    say "# $(basename "$0"): $n_pass passed, $n_fail failed, $n_skip skipped"
    [ "$n_fail" = 0 ] && exit 0
    exit 1
}
