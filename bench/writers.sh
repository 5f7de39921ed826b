#!/bin/sh
# bench/writers.sh [BIN]: many command-line writers of the ledger at once, on one
# PostgreSQL database (a throwaway cluster, tests/lib/pg.sh) and on one SQLite file.
#
# WRITERS processes (default 8) each run STEPS `step add` (default 500), all at once,
# first against PostgreSQL, then against SQLite. For each store it checks that exactly
# WRITERS x STEPS steps were written, each once (their texts are distinct), that no
# command failed, that export --json holds them all, that the audit log holds one
# step insertion for each and `audit verify` passes (the chain unbroken), and that the
# export, the step table and the log name the same steps; then prints the wall time
# and the ratio postgresql/sqlite. Every `step add` is a process of its own (connect,
# check the schema, one transaction), as a script that records steps would run it.
set -eu

BIN=${1:-build/release/rightstrack}
WRITERS=${WRITERS:-8}
STEPS=${STEPS:-500}
ROOT=$(cd "$(dirname "$0")/.." && pwd)

[ -x "$BIN" ] || { echo "writers.sh: $BIN is missing (make BUILD=release)" >&2; exit 1; }
command -v jq >/dev/null || { echo "writers.sh: jq is not installed" >&2; exit 1; }
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
tmp=$(mktemp -d "${TMPDIR:-/tmp}/rt-bench-writers.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
. "$ROOT/tests/lib/pg.sh"
pg_start || { echo "writers.sh: no PostgreSQL cluster: $PG_WHY" >&2; exit 1; }
trap 'pg_stop; rm -rf "$tmp"' EXIT

now() { date +%s.%N; }

# run DB LABEL: the writers against DB; prints the time and checks the steps.
run() {
    db=$1
    "$BIN" --db "$db" import "$ROOT/data/demo/recommendations.csv" >/dev/null
    : >"$tmp/err"
    t0=$(now)
    k=1
    while [ "$k" -le "$WRITERS" ]; do
        (
            i=0
            while [ "$i" -lt "$STEPS" ]; do
                "$BIN" --db "$db" step add --actor USA --date 2016 --kind other \
                    "writer $k step $i" >/dev/null 2>>"$tmp/err" ||
                    echo "writer $k step $i failed" >>"$tmp/err"
                i=$((i + 1))
            done
        ) &
        k=$((k + 1))
    done
    wait
    t1=$(now)
    "$BIN" --db "$db" export --json >"$tmp/export.json"
    n=$(jq '[.tables.step[].text] | length, (unique | length)' "$tmp/export.json" | tr '\n' ' ')
    errors=$(wc -l <"$tmp/err")
    awk -v a="$t0" -v b="$t1" -v l="$2" -v n="$n" -v e="$errors" -v w="$WRITERS" -v s="$STEPS" \
        'BEGIN { printf "%-11s %7.2f s  %d writers x %d steps: steps, distinct: %s; failed commands: %d\n",
                 l, b - a, w, s, n, e }'
    [ "$n" = "$((WRITERS * STEPS)) $((WRITERS * STEPS)) " ] && [ "$errors" = 0 ] ||
        { head -n 5 "$tmp/err" >&2; echo "writers.sh: $2: steps lost, doubled or refused" >&2; exit 1; }
    audit "$db" "$2"
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", b - a }' >"$tmp/$2.time"
}

# audit DB LABEL: the audit log holds one insertion of a step for each step, the
# chain is unbroken, and the step ids of the export, of the table and of the log are
# the same WRITERS x STEPS ids, each once.
audit() {
    total=$((WRITERS * STEPS))
    "$BIN" --db "$1" audit verify >"$tmp/verify" 2>&1 ||
        { head -n 5 "$tmp/verify" >&2; echo "writers.sh: $2: audit verify fails" >&2; exit 1; }
    "$BIN" --db "$1" audit log --json |
        jq -r '.[] | select(.table == "step" and .op == "insert") | .record | sub("^step:"; "")' |
        sort -n >"$tmp/ids.audit"
    jq -r '.tables.step[].id' "$tmp/export.json" | sort -n >"$tmp/ids.export"
    "$BIN" --db "$1" step list --json | jq -r '.[].id' | sort -n >"$tmp/ids.table"
    a=$(wc -l <"$tmp/ids.audit") u=$(sort -u "$tmp/ids.audit" | wc -l)
    echo "$2: audit log: $a step insertions ($u distinct steps), chain verified;" \
        "export, table and log name the same steps: $(cmp -s "$tmp/ids.audit" "$tmp/ids.export" &&
            cmp -s "$tmp/ids.audit" "$tmp/ids.table" && echo yes || echo NO)"
    [ "$a" = "$total" ] && [ "$u" = "$total" ] ||
        { echo "writers.sh: $2: $a audit entries for $total steps" >&2; exit 1; }
    cmp -s "$tmp/ids.audit" "$tmp/ids.export" && cmp -s "$tmp/ids.audit" "$tmp/ids.table" ||
        { echo "writers.sh: $2: the export, the table and the audit log name different steps" >&2; exit 1; }
}

echo "writers: $WRITERS processes x $STEPS 'step add' each, all at once; load: $(uptime | sed 's/.*load average: //')"
run "postgresql:///postgres?host=$PG_DIR" postgresql
run "$tmp/w.db" sqlite
awk -v a="$(cat "$tmp/postgresql.time")" -v b="$(cat "$tmp/sqlite.time")" \
    'BEGIN { printf "ratio postgresql/sqlite: %.2f\n", a / b }'
echo "load after: $(uptime | sed 's/.*load average: //')"
