#!/bin/sh
# The words of a paragraph that a twin fills in later in the same first import reach
# PostgreSQL's table word as they reach SQLite's (issue 16): a first import's words are
# made from the working copy's rows after the load (src/store/pg/import.c, the
# lexemes), and a faster way of making them while the load writes the rows (tried in
# the fifth round, bench/README.md) would have to add those words itself. The demo and
# a file with one twin of its first recommendation (the paragraph "qzxwvings 7.1",
# whose first word is not its own stem and so is noted in word) go in as one import
# into SQLite and into PostgreSQL; both tables word are the same and hold that word,
# every recommendation has its lexemes, and export --json is the same.
. "$(dirname "$0")/../lib/test-lib.sh"
. "$ROOT/tests/lib/pg.sh"

need_pg
DEMO=$ROOT/data/demo/recommendations.csv
printf '%s\n' 'country,cycle,session,paragraph_id,text,recommending_states,position,themes' \
    'Belarus,1,8,qzxwvings 7.1,"Halt executions now and work toward removing capital punishment from the law.",Sweden,Noted,Death penalty' \
    >"$TMP/twin.csv"
PG="postgresql:///postgres?host=$PG_DIR"

"$RT" --db "$TMP/one.db" init >/dev/null 2>&1
check "import into SQLite" "$RT" --db "$TMP/one.db" import "$DEMO" "$TMP/twin.csv"
check "import into PostgreSQL" "$RT" --db "$PG" import "$DEMO" "$TMP/twin.csv"
check_eq "the twin filled the first recommendation's paragraph in" "qzxwvings 7.1" \
    "$(pg_psql -c 'SELECT paragraph FROM recommendation WHERE id = 1')"
check_eq "whose word is in the table word" "qzxwvings qzxwving" \
    "$(pg_psql -c "SELECT word || ' ' || stem FROM word WHERE word = 'qzxwvings'")"
sqlite3 "$TMP/one.db" "SELECT word || ' ' || stem FROM word ORDER BY word" >"$TMP/word.lite"
pg_psql -c 'SELECT word || '"' '"' || stem FROM word ORDER BY word COLLATE "C"' >"$TMP/word.pg"
check "the table word is SQLite's" cmp "$TMP/word.lite" "$TMP/word.pg"
check_eq "every recommendation has its lexemes" \
    "$(pg_psql -c 'SELECT count(*) FROM recommendation')" \
    "$(pg_psql -c 'SELECT count(*) FROM recommendation_fts')"
stamp='s/"created_at": "[^"]*"/"created_at": T/'
"$RT" --db "$TMP/one.db" export --json | sed "$stamp" >"$TMP/export.lite"
"$RT" --db "$PG" export --json | sed "$stamp" >"$TMP/export.pg"
check "export --json is the same, created_at aside" cmp "$TMP/export.lite" "$TMP/export.pg"
done_testing
