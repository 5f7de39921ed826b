#!/bin/sh
# Killing the PostgreSQL server during an import (issue 16): the server is killed
# (pg_ctl stop -m immediate, as a crash) while `import` streams the UPR Info file into
# it with COPY. The import fails with exit 1 and a clear message, leaves no working
# copy behind, and when the server is back nothing of the import is there; the same
# import then goes through.
. "$(dirname "$0")/../lib/test-lib.sh"
. "$ROOT/tests/lib/pg.sh"

need_data
need_pg
# The import's working copies go under this script's own folder, so that the check
# that none is left finds this script's alone (t9030 and t9031 may run at once).
mkdir -p "$TMP/work"
export TMPDIR="$TMP/work"
CSV=$DATA/upr/upr_info_s01-s18.csv
PG="postgresql:///postgres?host=$PG_DIR"

"$RT" --db "$PG" import "$CSV" >"$TMP/import.out" 2>"$TMP/import.err" &
pid=$!
# Wait for the COPY (the last part of an import), then crash the server.
seen=
i=0
while [ "$i" -lt 1200 ] && kill -0 "$pid" 2>/dev/null; do
    if [ "$(pg_psql -c "SELECT count(*) FROM pg_stat_activity
                        WHERE query LIKE 'COPY %' AND pid <> pg_backend_pid()" 2>/dev/null)" \
        = 1 ]; then
        seen=1
        break
    fi
    sleep 0.05
    i=$((i + 1))
done
check_eq "the import reached its COPY" 1 "$seen"
$PG_CTL -D "$PG_DIR/data" -m immediate -w stop >/dev/null 2>&1
wait "$pid"
check_eq "the import fails with exit 1" 1 "$?"
say "# $(head -n 2 "$TMP/import.err" | tr '\n' ' ')"
check "saying that the connection was lost" grep -q "lost the connection to PostgreSQL\|cannot be reached" "$TMP/import.err"
check "and that nothing was imported" grep -q "nothing was imported" "$TMP/import.err"
check_eq "no working copy is left behind" "" \
    "$(ls -d "$TMP/work"/rightstrack-pg-load.* 2>/dev/null)"

check "the server starts again" pg_restart
check_eq "nothing of the import is there" "0 0 0" \
    "$(pg_psql -c 'SELECT count(*) FROM recommendation' -c 'SELECT count(*) FROM recommendation_by' \
        -c 'SELECT count(*) FROM audit_log' | tr '\n' ' ' | sed 's/ $//')"
check "the same import then goes through" "$RT" --db "$PG" import "$CSV"
check_eq "with every recommendation" 35368 "$(pg_psql -c 'SELECT count(*) FROM recommendation')"

# The server gone before the import: a clear error at once, exit 1.
pg_stop_keep() { $PG_CTL -D "$PG_DIR/data" -m immediate -w stop >/dev/null 2>&1; }
pg_stop_keep
check_fails "with the server down, import fails" 1 "$RT" --db "$PG" import "$CSV"
cp "$TMP/err" "$TMP/why"
check "saying it cannot connect" grep -q "PostgreSQL" "$TMP/why"
done_testing
