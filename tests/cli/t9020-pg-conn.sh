#!/bin/sh
# The PostgreSQL back end's C modules (src/store/pg/, issue 16) on a throwaway cluster:
# the unit tests test_pg (connection, prepared statements, reconnection, retried
# transactions, COPY, lexemes, migrations, the recommendation loader) and test_pg_kill
# (the server killed in the middle of a COPY, then inside a transaction), the cluster
# started again after each; nothing of the killed COPY is there. make check runs the
# unit binaries alone too, where they skip: these are the runs that count.
. "$(dirname "$0")/../lib/test-lib.sh"
. "$ROOT/tests/lib/pg.sh"

UNIT=$(dirname "$RT")/tests/unit/store
need_pg

# Criterion's closing line: every test ran and passed.
criterion() {
    "$@" >"$TMP/crit" 2>&1
    rc=$?
    cat "$TMP/crit" >&2
    line=$(grep 'Synthesis:' "$TMP/crit" | tail -n 1)
    tested=$(echo "$line" | sed -n 's/.*Tested: \([0-9]*\).*/\1/p')
    passing=$(echo "$line" | sed -n 's/.*Passing: \([0-9]*\).*/\1/p')
    [ "$rc" = 0 ] && [ -n "$tested" ] && [ "$tested" -gt 0 ] && [ "$tested" = "$passing" ]
}
check "test_pg: every test passes on the cluster" criterion "$UNIT/test_pg" --jobs=2
say "# test_pg: $(grep 'Synthesis:' "$TMP/crit" | tail -n 1)"
check "test_pg_kill: killing the server mid-COPY is a clear error" \
    criterion "$UNIT/test_pg_kill" --filter='pg_kill/the_server_killed_mid_copy*'
check_eq "the server is down after the kill" down \
    "$(pg_psql -c 'SELECT 1' >/dev/null 2>&1 || echo down)"
check "the cluster starts again" pg_restart
check_eq "nothing of the killed COPY was stored" 0 \
    "$(pg_psql -d t_kill -c 'SELECT count(*) FROM recommendation')"
check_eq "what was committed before it is there" 1 \
    "$(pg_psql -d t_kill -c 'SELECT count(*) FROM state')"
check "test_pg_kill: a transaction that loses the server says so, and why" \
    criterion "$UNIT/test_pg_kill" --filter='pg_kill/a_transaction_that_loses*'
check "the cluster starts again after that" pg_restart
done_testing
