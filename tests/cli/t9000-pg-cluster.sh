#!/bin/sh
# The throwaway PostgreSQL cluster of tests/lib/pg.sh (issue 16): it starts without a
# system service, listens on its own Unix socket only, and is gone after the test.
. "$(dirname "$0")/../lib/test-lib.sh"
. "$ROOT/tests/lib/pg.sh"

need_pg
check_eq "the server answers on its socket" 1 "$(pg_psql -c 'SELECT 1')"
check_eq "no TCP address is listened on" "" "$(pg_psql -c 'SHOW listen_addresses')"
check_eq "the socket is in the test's own directory" "$PG_DIR" \
    "$(pg_psql -c 'SHOW unix_socket_directories')"
check_eq "the data directory is the test's own" "$PG_DIR/data" \
    "$(pg_psql -c 'SHOW data_directory')"
check_eq "the database speaks UTF-8" UTF8 "$(pg_psql -c 'SHOW server_encoding')"
dir=$PG_DIR
pg_stop
check_eq "stopping removes the cluster" gone "$([ -e "$dir" ] || echo gone)"
check_fails "nothing answers after" 2 "$PG_BIN/psql" -X -h "$dir" -c 'SELECT 1'

# Without the server's programs: a test skips, except under CI, where it fails.
cat >"$TMP/needs-pg.sh" <<EOF
. "$ROOT/tests/lib/test-lib.sh"
. "$ROOT/tests/lib/pg.sh"
need_pg
pass "ran on a cluster"
done_testing
EOF
(unset CI; PG_BINDIR=/nonexistent sh "$TMP/needs-pg.sh" >"$TMP/skip.out" 2>&1)
check_eq "elsewhere it skips, with exit 0" 0 "$?"
check "and says why" grep -q '^# SKIP: no PostgreSQL cluster: no PostgreSQL server programs' "$TMP/skip.out"
check_eq "and runs nothing after" "" "$(grep '^ok - ' "$TMP/skip.out")"
CI=true PG_BINDIR=/nonexistent sh "$TMP/needs-pg.sh" >"$TMP/ci.out" 2>&1
check_eq "under CI it fails" 1 "$?"
check "naming the cluster that did not start" grep -q '^not ok - a throwaway PostgreSQL cluster starts' "$TMP/ci.out"
done_testing
