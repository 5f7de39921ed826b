#!/bin/sh
# Runs every test of one build: the Criterion unit tests, then the CLI scripts.
# ONLY=PATTERN runs just the CLI scripts whose name holds PATTERN (ONLY=t7000);
# JOBS=N runs N CLI scripts at a time (see below).
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
for t in $UNITS; do
    echo "== $t"
    if "$t" --jobs=2 >"$LOG" 2>&1; then rc=0; else rc=1; fi
    cat "$LOG"
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
trap 'rm -rf "$LOG" "$SAN" "$CLI"' EXIT
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
echo "tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
