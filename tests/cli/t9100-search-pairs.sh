#!/bin/sh
# Phrases of two words from the postings of their pair (search index facet 7, issue
# 21): an import keeps the pairs of tokens next to each other in 512 rows or more (or
# in 8 or more when their words are frequent), and a search for such a phrase gives
# what FTS5 gives when the pairs are not there: the same hits in the same order,
# totals and facets, with filters, pages after the first, the phrase beside a word,
# and a pair in few rows.
. "$(dirname "$0")/../lib/test-lib.sh"
pg_not_yet "the pair postings of SQLite's search index, checked against FTS5: PostgreSQL's text index keeps no pairs"
need_data

A="$DATA/upr/upr_info_s01-s18.csv"
ONE="$TMP/one.db" TWO="$TMP/two.db"
pairs() { sqlite3 "$1" "SELECT count(*) FROM search_index WHERE facet = 7"; }
rows_of() { sqlite3 "$1" "SELECT coalesce((SELECT num FROM search_index WHERE facet = 7 AND key = '$2'), 0)"; }

"$RT" --db "$ONE" import "$A" >/dev/null
check_eq "the import kept pairs" yes "$([ "$(pairs "$ONE")" -gt 100 ] && echo yes)"
check_eq "death penalty is one" yes "$([ "$(rows_of "$ONE" 'death penalti')" -ge 512 ] && echo yes)"
# A pair in fewer rows is kept when FTS5 would read many positions of its words for
# it ("perpetrators to": every "to"), in 8 rows or more.
check_eq "perpetrators to is one" yes \
    "$(r=$(rows_of "$ONE" 'perpetr to'); [ "$r" -ge 8 ] && [ "$r" -lt 512 ] && echo yes)"
check_eq "none in fewer than 8 rows" 0 \
    "$(sqlite3 "$ONE" "SELECT count(*) FROM search_index WHERE facet = 7 AND num < 8")"

# The same database without the pairs: the index is still the stored one (its stamp
# is kept), and FTS5 answers every phrase.
cp "$ONE" "$TWO"
sqlite3 "$TWO" "DELETE FROM search_index WHERE facet = 7"
check_eq "the copy has none" 0 "$(pairs "$TWO")"

ask() { db=$1; shift; "$RT" --db "$db" search "$@" --json; }
for q in '"death penalty"' '"human rights"' '"of the"' '"rights defenders"' \
    '"death penalty" torture' '"human rights" OR women' 'ill-treatment' '"complying with"' \
    '"perpetrators to"' '"relations and" torture'; do
    for opts in "--limit 20" "--facets --limit 5" "--sur France --limit 10" \
        "--response supported --offset 5 --limit 5" "--cycle 2 --facets"; do
        # shellcheck disable=SC2086
        a=$(ask "$ONE" "$q" $opts) b=$(ask "$TWO" "$q" $opts)
        check_eq "$q $opts: as FTS5 answers" "$b" "$a"
    done
done
check_eq "a phrase of a pair has hits" yes \
    "$([ "$(ask "$ONE" '"death penalty"' --limit 1 | json .total)" -ge 512 ] && echo yes)"
done_testing
