#!/bin/sh
# Runs every test of one build: the Criterion unit tests, then the CLI scripts.
# ONLY=PATTERN runs just the CLI scripts whose name holds PATTERN (ONLY=t7000);
# JOBS=N runs N CLI scripts at a time (see below).
# RT_TEST_STORE=postgresql runs the CLI scripts on PostgreSQL instead of SQLite (issue
# 16): one throwaway cluster for the whole run, started here and removed at the end;
# each script makes its databases in it (new_db in tests/lib/test-lib.sh). Of the unit
# tests, those that write to a store run again (tests/lib/test_store.h). The summary
# lists which scripts ran on which store, and the SQLite-only scripts and unit tests
# with their reasons.
# Prints each suite's output and one closing line "tests: N passed, N failed".
# Under ASan/UBSan (build/asan) any sanitizer report fails the run, even one that
# Criterion would let pass (a LeakSanitizer report inside a test does not fail it).
set -u
O=${1:-build/debug}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 1
export RT="$ROOT/$O/rightstrack"
LOG=$(mktemp)
SAN=$(mktemp -d)
trap 'rm -rf "$LOG" "$SAN"' EXIT
# Reports go to files too, so that one from a command whose stderr a test
# swallowed is still seen.
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1:log_path=$SAN/asan
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:log_path=$SAN/ubsan
passed=0
failed=0

ONLY=${ONLY:-}
UNITS=$(find "$O/tests/unit" -type f -perm -u+x 2>/dev/null | sort)
[ -n "$ONLY" ] && UNITS=

export RT_TEST_STORE=${RT_TEST_STORE:-sqlite}
case $RT_TEST_STORE in
sqlite) ;;
postgresql)
    # The unit tests that write to a store (their source includes tests/lib/test_store.h)
    # run again, each test on new databases of the cluster; the others are not run again.
    UNITS=$(for t in $UNITS; do
        grep -q 'lib/test_store.h' "${t#"$O/"}.c" 2>/dev/null && echo "$t"
    done)
    # pg.sh's pg_start, without the rest of test-lib.sh: the cluster goes in a new
    # directory (under /tmp as root, where the postgres user can reach it).
    say() { printf '%s\n' "$*"; }
    TMP=$(mktemp -d "$ROOT/$O/pg-run.XXXXXX")
    . "$ROOT/tests/lib/pg.sh"
    if ! pg_start; then
        echo "!! no PostgreSQL cluster for the PostgreSQL pass: $PG_WHY"
        echo
        echo "tests: 0 passed, 1 failed (store: postgresql)"
        exit 1
    fi
    trap 'pg_stop; rm -rf "$LOG" "$SAN" "$TMP"' EXIT
    # A run stopped by a signal (^C, or its output closed: make check-pg | head) ends
    # through exit, so that the EXIT trap stops and removes the cluster all the same.
    trap 'exit 1' HUP INT TERM PIPE
    export RT_TEST_PG_HOST="$PG_DIR" RT_TEST_PG_BIN="$PG_BIN" RT_TEST_PG_LOCKS="$TMP"
    # SQLite's group_concat for the scripts' queries (sql in test-lib.sh), in template1
    # so that every database made in the run has it; not part of the store's schema.
    if ! pg_psql -d template1 >/dev/null <<'EOF'; then
CREATE FUNCTION rt_test_gc(s text, v anyelement, sep text) RETURNS text
    LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN v IS NULL THEN s WHEN s IS NULL THEN v::text ELSE s || sep || v::text END $$;
CREATE FUNCTION rt_test_gc(s text, v anyelement) RETURNS text
    LANGUAGE sql IMMUTABLE AS $$ SELECT rt_test_gc(s, v, ',') $$;
CREATE AGGREGATE group_concat(anyelement) (SFUNC = rt_test_gc, STYPE = text);
CREATE AGGREGATE group_concat(anyelement, text) (SFUNC = rt_test_gc, STYPE = text);
EOF
        echo "!! group_concat could not be added to the cluster's template1"
        echo
        echo "tests: 0 passed, 1 failed (store: postgresql)"
        exit 1
    fi
    echo "== PostgreSQL pass: cluster at $PG_DIR ($("$PG_BIN/postgres" --version))"
    ;;
*)
    echo "RT_TEST_STORE is sqlite or postgresql, not '$RT_TEST_STORE'" >&2
    exit 2
    ;;
esac
# In the PostgreSQL pass the unit tests run verbose, for the reasons of the tests they
# skip (test_on_sqlite); their RUN and PASS lines are left out of the output.
SKIPS=
for t in $UNITS; do
    echo "== $t"
    if [ "$RT_TEST_STORE" = postgresql ]; then
        if "$t" --jobs=2 --verbose >"$LOG" 2>&1; then rc=0; else rc=1; fi
        grep -v '^\[\(RUN \|PASS\)\]' "$LOG"
        w=$(sed -n 's/^\[SKIP\] /  /p' "$LOG")
        [ -n "$w" ] && SKIPS="$SKIPS
$w"
    else
        if "$t" --jobs=2 >"$LOG" 2>&1; then rc=0; else rc=1; fi
        cat "$LOG"
    fi
    if grep -qE 'ERROR: (LeakSanitizer|AddressSanitizer)|runtime error:' "$LOG"; then
        echo "!! sanitizer report in $t"
        rc=1
    fi
    n=$(sed -n 's/.*Tested: \([0-9]*\).*Passing: \([0-9]*\).*/\2/p' "$LOG" | tail -1)
    f=$(sed -n 's/.*Failing: \([0-9]*\).*Crashing: \([0-9]*\).*/\1 \2/p' "$LOG" | tail -1)
    passed=$((passed + ${n:-0}))
    if [ -n "$f" ]; then failed=$((failed + ${f% *} + ${f#* })); fi
    if [ $rc -ne 0 ] && [ -z "$f" -o "$f" = "0 0" ]; then failed=$((failed + 1)); fi
done

# The CLI scripts run JOBS at a time (default 2: this is a two-core machine; JOBS=1
# runs them one by one). Each writes its own log; a line says when each one ends, and
# the logs are printed whole, in name order, once all have run. Every script makes its
# own temporary folder, database and ephemeral port, so they do not meet.
JOBS=${JOBS:-2}
CLI=$(mktemp -d)
if [ "$RT_TEST_STORE" = postgresql ]; then
    trap 'pg_stop; rm -rf "$LOG" "$SAN" "$TMP" "$CLI"' EXIT
else
    trap 'rm -rf "$LOG" "$SAN" "$CLI"' EXIT
fi
for t in tests/cli/t[0-9]*.sh; do
    case $t in *"$ONLY"*) echo "$t" ;; esac
done | xargs -P "$JOBS" -I{} sh -c '
    b=$(basename "$1" .sh); s=$(date +%s)
    if sh "$1" >"$2/$b.log" 2>&1; then rc=0; else rc=$?; fi
    echo "$rc $(($(date +%s) - s))" >"$2/$b.rc"
    echo "-- $1 ended ($(($(date +%s) - s)) s, exit $rc)"' _ {} "$CLI"

for t in tests/cli/t[0-9]*.sh; do
    case $t in *"$ONLY"*) ;; *) continue ;; esac
    b=$(basename "$t" .sh)
    echo "== $t"
    cat "$CLI/$b.log" 2>/dev/null
    set -- $(cat "$CLI/$b.rc" 2>/dev/null || echo "1 0")
    rc=$1
    if grep -qE 'ERROR: (LeakSanitizer|AddressSanitizer)|runtime error:' "$CLI/$b.log" 2>/dev/null; then
        echo "!! sanitizer report in $t"
        failed=$((failed + 1))
    fi
    p=$(grep -c '^ok - ' "$CLI/$b.log" 2>/dev/null)
    f=$(grep -c '^not ok - ' "$CLI/$b.log" 2>/dev/null)
    passed=$((passed + ${p:-0}))
    failed=$((failed + ${f:-0}))
    if [ "$rc" -ne 0 ] && [ "${f:-0}" -eq 0 ]; then failed=$((failed + 1)); echo "!! $t exited $rc"; fi
done
# Which store each script ran on, from the lines test-lib.sh prints: "# store: S"
# (done_testing), "# sqlite-only: WHY" (pg_not_yet), "# sqlite-only part: WHY"
# (on_sqlite), "# own-cluster: ..." (need_pg in the PostgreSQL pass).
echo
on=; lite=; part=; own=; none=; files=
for t in tests/cli/t[0-9]*.sh; do
    case $t in *"$ONLY"*) ;; *) continue ;; esac
    b=$(basename "$t" .sh); l=$CLI/$b.log
    n=${b%%-*}
    if grep -q '^# own-cluster:' "$l" 2>/dev/null; then own="$own $n"
    elif w=$(sed -n 's/^# sqlite-only: //p' "$l" 2>/dev/null | head -1) && [ -n "$w" ]; then
        lite="$lite
  $b: $w"
    elif grep -q "^# store: $RT_TEST_STORE" "$l" 2>/dev/null; then
        on="$on $n"
        w=$(sed -n 's/^# sqlite-only part: //p' "$l" | sort -u | paste -sd ';' - | sed 's/;/; /g')
        [ -n "$w" ] && part="$part
  $b: $w"
        w=$(sed -n 's/^# sqlite files: //p' "$l")
        [ -n "$w" ] && files="$files
  $b: $w"
    else none="$none $n"
    fi
done
echo "CLI scripts run on $RT_TEST_STORE:${on:- none}"
if [ "$RT_TEST_STORE" = postgresql ]; then
    echo "with parts run on SQLite only:${part:- none}"
    echo "SQLite-only for now (pg_not_yet):${lite:- none}"
    [ -n "$UNITS" ] && echo "unit tests skipped on PostgreSQL (test_on_sqlite):${SKIPS:- none}"
    [ -n "$files" ] && echo "SQLite files made in the PostgreSQL pass (paths instead of new_db?):$files"
    [ -n "$own" ] && echo "starting their own cluster (run in the SQLite pass):$own"
fi
[ -n "$none" ] && echo "ended before saying their store:$none"

echo
echo "slowest CLI scripts (seconds):"
for r in "$CLI"/*.rc; do [ -f "$r" ] && echo "$(cut -d' ' -f2 "$r") $(basename "$r" .rc)"; done | sort -rn | head -8

if [ -n "$(ls "$SAN")" ]; then
    echo "!! sanitizer reports:"
    for f in "$SAN"/*; do
        # The file's name holds the process id; an empty one is a process that died
        # while it began its report.
        echo "-- $(basename "$f") ($(wc -c <"$f") bytes)"
        cat "$f"
    done
    failed=$((failed + $(ls "$SAN" | wc -l)))
fi

echo
echo "tests: $passed passed, $failed failed (store: $RT_TEST_STORE)"
[ "$failed" -eq 0 ]
