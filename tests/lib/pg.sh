# A throwaway PostgreSQL cluster for one test (issue 16). Source it after test-lib.sh.
#   need_pg     starts a cluster or ends the file: under CI a cluster that cannot be
#               started is a failure; elsewhere the test says so and skips
#   pg_start    starts one; returns 1 with the reason in PG_WHY when it cannot
#   pg_stop     stops it and removes it (also done at exit)
#   pg_psql     psql on the cluster, quiet, stopping at the first error
# After pg_start: PGHOST (the socket's directory), PGPORT, PGUSER, PGDATABASE, and
# RT_TEST_PG (a libpq connection string), RT_TEST_PG_DATA (the data directory) and
# RT_TEST_PG_CTL (pg_ctl, as the cluster's owner) for the unit tests.
#
# The cluster lives in a new directory under TMPDIR (/tmp as root), listens only on a Unix socket
# there (no TCP port, so tests running at once never meet), trusts local users, and
# runs without fsync. No system service is used or needed. initdb and postgres refuse
# to run as root: as root (CI runs so) the cluster runs as the postgres user that
# Debian's postgresql-common makes, and its directory is handed to that user.

PG_DIR=
PG_WHY=

# The server's programs: $PG_BINDIR when set (t9000 points it nowhere to test the
# skip), else where pg_config says, else Debian's newest /usr/lib/postgresql/N/bin.
pg_bindir() {
    if [ -n "${PG_BINDIR:-}" ]; then
        [ -x "$PG_BINDIR/initdb" ] && { echo "$PG_BINDIR"; return 0; }
        return 1
    fi
    d=$(pg_config --bindir 2>/dev/null)
    if [ -n "$d" ] && [ -x "$d/initdb" ]; then echo "$d"; return 0; fi
    for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k4 -n -r); do
        if [ -x "$d/initdb" ]; then echo "$d"; return 0; fi
    done
    d=$(command -v initdb 2>/dev/null) && { dirname "$d"; return 0; }
    return 1
}

pg_start() {
    if ! bin=$(pg_bindir); then
        PG_WHY="no PostgreSQL server programs (initdb): scripts/bootstrap installs Debian's postgresql"
        return 1
    fi
    as=""
    if [ "$(id -u)" = 0 ]; then
        if ! id postgres >/dev/null 2>&1; then
            PG_WHY="running as root and there is no postgres user to run the server as"
            return 1
        fi
        as="runuser -u postgres --"
    fi
    # As root, under /tmp whatever TMPDIR says: the postgres user must reach it.
    base=${TMPDIR:-/tmp}
    [ -n "$as" ] && base=/tmp
    PG_DIR=$(mktemp -d "$base/rt-pg.XXXXXX") || { PG_WHY="mktemp failed"; return 1; }
    # The directory must be reachable by the server's user; the socket goes in it.
    chmod 755 "$PG_DIR"
    [ -n "$as" ] && chown postgres "$PG_DIR"
    if ! $as "$bin/initdb" -D "$PG_DIR/data" -U rt --auth=trust -E UTF8 --no-locale \
        --no-sync >"$PG_DIR/initdb.log" 2>&1; then
        PG_WHY="initdb failed: $(tail -n 3 "$PG_DIR/initdb.log" | tr '\n' ' ')"
        rm -rf "$PG_DIR"; PG_DIR=
        return 1
    fi
    $as sh -c "cat >>'$PG_DIR/data/postgresql.conf'" <<EOF
listen_addresses = ''
unix_socket_directories = '$PG_DIR'
port = 5432
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 40
shared_buffers = 32MB
EOF
    if ! $as "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 start \
        >"$PG_DIR/pg_ctl.log" 2>&1; then
        PG_WHY="the server did not start: $(tail -n 3 "$PG_DIR/server.log" 2>/dev/null | tr '\n' ' ')"
        rm -rf "$PG_DIR"; PG_DIR=
        return 1
    fi
    export PGHOST="$PG_DIR" PGPORT=5432 PGUSER=rt PGDATABASE=postgres
    export RT_TEST_PG="host=$PG_DIR port=5432 user=rt dbname=postgres"
    export RT_TEST_PG_DATA="$PG_DIR/data"
    export RT_TEST_PG_CTL="$as $bin/pg_ctl"
    PG_CTL="$as $bin/pg_ctl"
    PG_BIN=$bin
    # Stopped and removed at exit, with test-lib.sh's scratch directory.
    trap 'pg_stop; rm -rf "$TMP"' EXIT
    return 0
}

pg_stop() {
    [ -n "$PG_DIR" ] || return 0
    if [ -f "$PG_DIR/data/postmaster.pid" ]; then
        $PG_CTL -D "$PG_DIR/data" -m immediate -w stop >/dev/null 2>&1
    fi
    rm -rf "$PG_DIR"
    PG_DIR=
}

# Starts the stopped (or killed) cluster again, on the same directory.
pg_restart() {
    $PG_CTL -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 start >/dev/null 2>&1
}

pg_psql() {
    "$PG_BIN/psql" -X -q -A -t -v ON_ERROR_STOP=1 "$@"
}

need_pg() {
    # The PostgreSQL pass of tests/run.sh runs the scripts of the SQLite pass on its
    # own cluster; these start theirs and compare both stores, so the SQLite pass has
    # run them already.
    if [ "${RT_TEST_STORE:-sqlite}" = postgresql ]; then
        say "# own-cluster: starts its own cluster; run in the SQLite pass"
        n_skip=$((n_skip + 1))
        say "# $(basename "$0"): $n_pass passed, $n_fail failed, $n_skip skipped"
        exit 0
    fi
    if ! pg_start; then
        if [ -n "${CI:-}" ]; then
            fail "a throwaway PostgreSQL cluster starts" "$PG_WHY"
        else
            say "# SKIP: no PostgreSQL cluster: $PG_WHY"
            n_skip=$((n_skip + 1))
        fi
        done_testing
    fi
}
