#!/bin/sh
# Robustness of an import, bounded in time: kill -9 at several moments of an import
# leaves no damaged and no partial database; reads during an import see no error.
# With accounts and the audit log on (issue 14): each database killed in its import
# has an account, and restore --check verifies its audit chain.
. "$(dirname "$0")/../lib/test-lib.sh"
pg_not_yet "SQLite's crash and locking behaviour (kill -9 of a writer, the file's lock and journal); PostgreSQL's counterparts are t9031 (the server killed during an import), t9032 (stopped under web writes) and t9034 (many writers at once)"

# A CSV big enough that its import takes a while: the demo's format, made-up rows.
python3 - "$TMP/big.csv" <<'PY'
import sys
words = "ensure guarantee protect strengthen adopt ratify investigate release abolish review".split()
things = "freedom expression assembly association media prisoners elections courts torture penalty".split()
with open(sys.argv[1], "w") as f:
    f.write("id,session,cycle,review_year,state_under_review,sur_region,sur_orgs,recommending_state,rs_region,rs_orgs,response,action_category,issues,text,source_file\n")
    for i in range(1, 8001):
        text = "%s the %s of %s, number %d, %s" % (words[i % 10], things[i % 7], things[(i // 7) % 10], i, words[(i // 70) % 10])
        f.write('%d,%d,1,2010,Belarus,EEG,,Sweden,WEOG,EU,Noted,5,Death penalty,"%s",big\n' % (i, 1 + i % 20, text))
PY
# The number of recommendations (the open rolls back what a kill left).
recs() { "$RT" --db "$1" stats --json | sed -n 's/^ *"recommendations": \([0-9]*\).*/\1/p'; }

# kill -9 during an import: all of it or none of it.
t0=$(date +%s)
"$RT" --db "$TMP/full.db" import "$TMP/big.csv" >/dev/null
full=$(recs "$TMP/full.db")
check_eq "the whole file imports" 8000 "$full"
bad=0 partial=0
for delay in 0.05 0.2 0.4 0.7 1.0; do
    rm -f "$TMP/k.db" "$TMP/k.db-wal" "$TMP/k.db-shm"
    "$RT" --db "$TMP/k.db" init >/dev/null
    echo 'editor pass phrase' | "$RT" --db "$TMP/k.db" user add ed --role editor >/dev/null
    "$RT" --db "$TMP/k.db" import "$TMP/big.csv" >/dev/null 2>&1 &
    pid=$!
    sleep $delay
    kill -9 $pid 2>/dev/null
    wait $pid 2>/dev/null
    [ -e "$TMP/k.db" ] || continue # killed before it made the file: nothing to damage
    n=$(recs "$TMP/k.db")
    "$RT" --db "$TMP/none.db" restore --check "$TMP/k.db" >/dev/null 2>&1 || bad=$((bad + 1))
    [ "$n" = 0 ] || [ "$n" = "$full" ] || partial=$((partial + 1))
done
check_eq "kill -9 at five moments of an import: no database damaged" 0 $bad
check_eq "and none holds part of the file" 0 $partial
check "the last one's audit log holds" "$RT" --db "$TMP/k.db" audit verify

# Reads during an import.
R="$TMP/read.db"
"$RT" --db "$R" import "$ROOT/data/demo/recommendations.csv" >/dev/null
"$RT" --db "$R" import "$TMP/big.csv" >/dev/null 2>&1 &
imp=$!
reads=0 errors=0
while kill -0 $imp 2>/dev/null; do
    "$RT" --db "$R" search penalty --json >/dev/null 2>"$TMP/rerr" || errors=$((errors + 1))
    reads=$((reads + 1))
done
wait $imp
check_eq "reads during an import ($reads): no error" 0 $errors
check_eq "there were reads during it" yes "$([ $reads -ge 2 ] && echo yes)"

say "# took $(($(date +%s) - t0)) s"
done_testing
