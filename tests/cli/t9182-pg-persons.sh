#!/bin/sh
# The register of persons on PostgreSQL (issue 16), written once for both stores
# (src/store/person.c over src/store/sql.h). The demo ledger and more persons (names
# whose order differs between byte order, SQLite's NOCASE and a locale's collation:
# capitals, accents, Cyrillic; a merge, a refused close name, case events with the
# checks that refuse them) are written through the command line into SQLite and into
# PostgreSQL: every write prints the same, and both give the same `export --json` of
# the persons' tables (but for the times the rows were written). Then the SQLite
# database is copied into PostgreSQL (rightstrack copy), and every read of persons
# gives the same bytes on the three: with --json, without it, with --as-of, and the
# same error and exit code for what is not there.
. "$(dirname "$0")/../lib/test-lib.sh"
. "$ROOT/tests/lib/pg.sh"

need_pg
pg_psql -c 'CREATE DATABASE native' >/dev/null
NAT="postgresql:///native?host=$PG_DIR"
PG="postgresql:///postgres?host=$PG_DIR"
LITE=$TMP/lite.db

# The demo ledger and more persons into db; the writes' log in log.
build() {
    db=$1
    log=$2
    : >"$log"
    w import "$ROOT/data/demo/recommendations.csv"
    sh "$ROOT/data/demo/us-belarus.sh" "$RT" --db "$db" >>"$log" 2>&1
    echo "demo exit $?" >>"$log"
    w dialogue add 'Person talks' --party USA --party Belarus
    w round add 'Person talks' --date 2016-01 --ordinal 1
    w ask add 'Person talks#1' --from USA --to Belarus 'Free them all'
    w person add 'adam Smith' --state Belarus --sex male --born 1970
    w person add 'Émile Zola' --source 'a "quoted" source' --groups 'writer, journalist'
    w person add 'Zoe Bright' --public
    w person add 'zoe Bright' --if-close new
    w person add 'Zoe bright' --if-close new
    w person add 'Ülle Tamm' --sex female --note 'naïve — «note»'
    w person add 'Алесь Бяляцкі' --state BLR
    w person add 'Ales Bialiatski'
    w person add 'Adam Smyth' --if-close new
    w person add 'Adam Smithson'
    w person add 'Adam Smithson' --if-close new
    w person add 'Bob Marsh' --sex other
    w person add ''
    w person add 'Carl Born' --born 1700
    w person name 'adam Smith' 'Adam Smith' --source 'second source'
    w person name 'Adam Smith' 'ADAM SMITH'
    w person name 99 'Nobody'
    w person merge 'adam Smith' 'Adam Smithson'
    w person merge 'adam Smith' 'Adam Smithson'
    w person merge 1 1
    w case add 'Émile Zola' --event detained --date 2016
    w case add 'Émile Zola' --event released --date 2016-05 --how amnesty --source 'press'
    w case add 'Ülle Tamm' --event detained --date 2016-02-03 \
        --detail 'with «quotes», a \ backslash and a "quote"'
    w case add 'Ülle Tamm' --event sentenced --date 2016-03
    w case add 'Ülle Tamm' --event released --date 2017 --how pardon
    w case add 'Ülle Tamm' --event vanished --date 2016
    w case add 'Ülle Tamm' --event detained --date 2016 --how pardon
    w case add 'Ülle Tamm' --event released --date 2016-13
    w case add 'Ülle Tamm' --event released --date 2017-02 --step 1
    w case add 'Adam Smithson' --event detained --date 2015-06
    w case add 'Zoe Bright' --event released --date 2015-11-30
    w case add Nobody --event detained --date 2016
    w person ask 3 'Émile Zola' 'Ülle Tamm' 'adam Smith' 'Zoe Bright'
    w person ask 3 'Émile Zola'
    w person ask 99 'Émile Zola'
    w person ask 3 'Zoe bright'
}

build "$LITE" "$TMP/log.lite"
build "$NAT" "$TMP/log.nat"
# A person's names are read in the order they were added (created_at, to the second),
# then by name: the two builds' clocks differ, so give their names one time.
sqlite3 "$LITE" "UPDATE person_name SET created_at = '2016-01-01T00:00:00Z'"
pg_psql -d native -c "UPDATE person_name SET created_at = '2016-01-01T00:00:00Z'" >/dev/null
check "the writes ran" grep -q '^demo exit 0$' "$TMP/log.lite"
check "and some were refused" grep -q '^exit 1$' "$TMP/log.lite"
check_eq "every write prints the same on both stores, refusals too" "" \
    "$(diff "$TMP/log.lite" "$TMP/log.nat" | head -n 20)"

# The persons' tables in export --json, but for the times the rows were written.
tables() {
    "$RT" --db "$1" export --json | python3 -c 'import json,sys
t=json.load(sys.stdin)["tables"]
for name in ("person", "person_name", "case_event", "ask_person", "private_record"):
    for row in t.get(name, []):
        row.pop("created_at", None)
        print(name, json.dumps(row, ensure_ascii=False, sort_keys=True))'
}
tables "$LITE" >"$TMP/tables.lite"
tables "$NAT" >"$TMP/tables.nat"
check_eq "the export holds the persons, the merged one too" 12 "$(grep -c '^person ' "$TMP/tables.lite")"
check_eq "both stores hold the same persons, names, events, asks and privacy" "" \
    "$(diff "$TMP/tables.lite" "$TMP/tables.nat" | head -n 20)"

check "copy SQLite into PostgreSQL" "$RT" copy --from "$LITE" --to "$PG"

N=$(sqlite3 "$LITE" 'SELECT max(id) FROM person')
S=$(sqlite3 "$LITE" "SELECT id FROM step WHERE kind = 'prisoner-release' LIMIT 1")
cat >"$TMP/reads" <<EOF2
person list --json
person list
person list adam --json
person list zoe
person list 'Бяляцкі' --json
person list --as-of 2016-03 --json
person list --as-of 2015-08-21
person match 'Adam Smith' --json
person match Zola
person match 'Statkevic' --json
person step $S --json
person step $S
person count --json
person count --as-of 2016-03 --json
person count --as-of 2015-08-21
person ask 3 --json
person ask 3 --as-of 2016-02
status ask:3 --json
status ask:3 --as-of 2016-04
status ask:3
person show Statkevich --json
person show 'Мікалай Статкевіч'
person show Smithson --json
person show zola --as-of 2016-04 --json
EOF2
i=1
while [ "$i" -le "$N" ]; do
    echo "person show $i --json" >>"$TMP/reads"
    echo "person show $i --as-of 2016-02 --json" >>"$TMP/reads"
    echo "person show $i" >>"$TMP/reads"
    i=$((i + 1))
done
cat >"$TMP/misses" <<EOF2
person show 999 --json
person show 'Nobody Atall'
person show Mikalai
person show Smith --as-of 2016-13-01
person list --as-of yesterday
person step 999 --json
person ask 99 --json
person count --as-of 2016-02-30
status ask:99 --json
EOF2
# same FILE WANT: each read of FILE on the three stores; the outputs and exit codes must
# be the same bytes, and the exit code WANT (0) or not 0 (!0).
n=0
same() {
    want=$2
    while IFS= read -r line; do
        n=$((n + 1))
        eval "set -- $line"
        for s in lite pg nat; do
            case $s in lite) db=$LITE ;; pg) db=$PG ;; nat) db=$NAT ;; esac
            "$RT" --db "$db" "$@" >"$TMP/$s.$n" 2>&1
            echo "exit $?" >>"$TMP/$s.$n"
        done
        last=$(tail -n 1 "$TMP/pg.$n")
        if ! cmp -s "$TMP/lite.$n" "$TMP/pg.$n"; then
            fail "the same bytes after copy: $line" "$(diff "$TMP/lite.$n" "$TMP/pg.$n" | head -n 20)"
        elif ! cmp -s "$TMP/lite.$n" "$TMP/nat.$n"; then
            fail "the same bytes written on each: $line" \
                "$(diff "$TMP/lite.$n" "$TMP/nat.$n" | head -n 20)"
        elif [ "$want" = 0 ] && [ "$last" != "exit 0" ]; then
            fail "the same bytes on both stores: $line" "failed: $(head -n 3 "$TMP/pg.$n")"
        elif [ "$want" != 0 ] && [ "$last" = "exit 0" ]; then
            fail "the same failure on both stores: $line" "it did not fail"
        else
            pass "the same bytes on both stores: $line"
        fi
    done <"$1"
}
same "$TMP/reads" 0
same "$TMP/misses" !0

# The comparisons compare something: the order of names that collations disagree on
# (bytes put capitals first, a locale puts É beside E), statuses, a name of one
# person refused again in another case, and a refusal that names both persons.
check_eq "names in SQLite's NOCASE order on PostgreSQL" \
    "adam Smith|Artsiom Prakapenka|Ihar Alinevich|Mikalai Dziadok|Mikalai Statkevich|Yauhen Vaskovich|Yury Rubtsou|Zoe Bright|Émile Zola|Ülle Tamm|Алесь Бяляцкі" \
    "$("$RT" --db "$NAT" person list --json | python3 -c 'import json,sys; print("|".join(p["name"] for p in json.load(sys.stdin)))')"
check_eq "a status as of a date, on PostgreSQL" "detained 2016-02-03 released 2017 pardon" \
    "$("$RT" --db "$NAT" person show 'Ülle Tamm' --as-of 2016-02-10 --json | python3 -c 'import json,sys; s=json.load(sys.stdin)["status"]; print(s["status"], s["since"], end=" ")'
    "$RT" --db "$NAT" person show 'Ülle Tamm' --json | python3 -c 'import json,sys; s=json.load(sys.stdin)["status"]; print(s["status"], s["since"], s["how"])')"
check_eq "the same name in other capitals, spellings and scripts is refused" 4 \
    "$(grep -c "is the name of person [0-9]* '[^']*' (1.00) already" "$TMP/log.nat")"
check_fails "a word of two persons' names is refused on PostgreSQL" 1 "$RT" --db "$NAT" person show Mikalai
cp "$TMP/err" "$TMP/why"
check "naming both" grep -q "'Mikalai' names persons [0-9]* and [0-9]*: give the id" "$TMP/why"
check_eq "the ask names four persons, three held as of 2016-04" "4 3" \
    "$("$RT" --db "$NAT" status ask:3 --as-of 2016-04 --json | python3 -c 'import json,sys; d=json.load(sys.stdin); print(len(d["persons"]), d["persons_held"])')"

done_testing
