#!/bin/sh
# Concurrent writers: 300 writes from three processes at once, none lost.
. "$(dirname "$0")/../lib/test-lib.sh"

t0=$(date +%s)
healthy() { # ok when the database, opened again (which rolls back what a kill left), passes restore's checks
    "$RT" --db "$1" stats >/dev/null 2>&1 &&
        "$RT" --db "$TMP/none.db" restore --check "$1" >/dev/null 2>&1 && echo ok || echo damaged
}
DB="$TMP/w.db"
"$RT" --db "$DB" init >/dev/null
# 300 writes from three processes at once.
writer() {
    for i in $(seq 1 100); do
        "$RT" --db "$DB" step add --actor Belarus --date 2016 --kind statement "p$1 $i" >/dev/null ||
            echo "p$1 $i" >>"$TMP/lost"
    done
}
: >"$TMP/lost"
writer 1 &
a=$!
writer 2 &
b=$!
writer 3 &
c=$!
wait $a $b $c
check_eq "300 writes from three processes: none failed" 0 "$(wc -l <"$TMP/lost")"
check_eq "and all 300 are there" 300 \
    "$("$RT" --db "$DB" step list --json | python3 -c 'import json,sys; print(sum(1 for s in json.load(sys.stdin) if s["text"].startswith("p")))')"

say "# took $(($(date +%s) - t0)) s"
done_testing
