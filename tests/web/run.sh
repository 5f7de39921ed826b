#!/bin/sh
# Runs the browser and API tests (tests/web/*.test.mjs, node --test) on one store.
# RT_TEST_STORE=sqlite (the default): each test file's server runs on SQLite files.
# RT_TEST_STORE=postgresql (issue 16): one throwaway cluster for the whole run, started
# here with tests/lib/pg.sh's pg_start and removed at the end, pass or fail; server.mjs
# makes each test file's databases in it (newDb) and saves its screenshots to
# build/web-screenshots-pg instead of build/web-screenshots.
# Arguments name test files to run instead of all (tests/web/pick.test.mjs).
# $RT is the rightstrack binary (build/debug/rightstrack). Prints node's TAP output,
# then one closing line "web tests: N passed, N failed (store: S)".
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 1
export RT="${RT:-build/debug/rightstrack}"
LOG=$(mktemp)
trap 'rm -rf "$LOG"' EXIT

export RT_TEST_STORE="${RT_TEST_STORE:-sqlite}"
case $RT_TEST_STORE in
sqlite)
    echo "== web tests on SQLite"
    ;;
postgresql)
    # pg.sh's pg_start without the rest of test-lib.sh, as tests/run.sh does.
    say() { printf '%s\n' "$*"; }
    TMP=$(mktemp -d)
    . "$ROOT/tests/lib/pg.sh"
    if ! pg_start; then
        echo "!! no PostgreSQL cluster for the web tests: $PG_WHY"
        echo
        echo "web tests: 0 passed, 1 failed (store: postgresql)"
        rm -rf "$LOG" "$TMP"
        exit 1
    fi
    trap 'pg_stop; rm -rf "$LOG" "$TMP"' EXIT
    # Stopped by a signal (^C, or its output closed), the run still ends through
    # exit, so the EXIT trap stops and removes the cluster.
    trap 'exit 1' HUP INT TERM PIPE
    export RT_TEST_PG_HOST="$PG_DIR" RT_TEST_PG_BIN="$PG_BIN"
    echo "== web tests on PostgreSQL: cluster at $PG_DIR ($("$PG_BIN/postgres" --version))"
    ;;
*)
    echo "RT_TEST_STORE is sqlite or postgresql, not '$RT_TEST_STORE'" >&2
    exit 2
    ;;
esac

s=$(date +%s)
{
    if [ $# -eq 0 ]; then set -- tests/web/; fi
    node --test --test-reporter=tap "$@"
    echo $? >"$LOG.rc"
} | tee "$LOG"
rc=$(cat "$LOG.rc" 2>/dev/null || echo 1)
rm -f "$LOG.rc"
# node's closing comments: "# pass N", "# fail N", "# cancelled N".
p=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$LOG" | tail -1)
f=$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$LOG" | tail -1)
c=$(sed -n 's/^# cancelled \([0-9]*\)$/\1/p' "$LOG" | tail -1)
f=$((${f:-0} + ${c:-0}))
if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; echo "!! node --test exited $rc"; fi
# The cluster's own log names every statement it refused: a test that passes may
# still have met one (a page that said less than it should, a retried write).
if [ "$RT_TEST_STORE" = postgresql ]; then
    n=$(grep -c ' ERROR: ' "$PG_DIR/server.log" 2>/dev/null)
    echo
    echo "the cluster's log holds ${n:-0} ERROR lines"
    grep -A1 ' ERROR: ' "$PG_DIR/server.log" 2>/dev/null | head -40
fi
echo
echo "web tests took $(($(date +%s) - s)) s"
echo "web tests: ${p:-0} passed, $f failed (store: $RT_TEST_STORE)"
[ "$rc" -eq 0 ] && [ "$f" -eq 0 ]
