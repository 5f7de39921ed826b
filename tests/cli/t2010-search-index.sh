#!/bin/sh
# The search index on disk (schema 21): an import stores it (on PostgreSQL the first
# search does), every later process reads it, and an import by another process empties it, so that the next search
# counts the data as it is: the same answers as a database that imported both
# files before its first search.
. "$(dirname "$0")/../lib/test-lib.sh"
need_data

A="$DATA/upr/upr_info_s01-s18.csv"
B="$TMP/more.csv"
# A second file: 500 rows of the first whose texts say something more.
python3 - "$A" "$B" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8", newline="")))
head, body = rows[0], rows[1:501]
ti, ii = head.index("text"), head.index("id")
with open(sys.argv[2], "w", encoding="utf-8", newline="") as f:
    w = csv.writer(f)
    w.writerow(head)
    for r in body:
        r[ti] += " (women, again)"
        r[ii] = str(int(r[ii]) + 1000000) if r[ii].isdigit() else r[ii]
        w.writerow(r)
PY
ONE=$(new_db one) TWO=$(new_db two)
# The stored index's stamp: SQLite's row of facet -1 (a new random number at each
# build); PostgreSQL's facet index, its row 100 (src/store/pg/ops.h): the data version
# it was built at and the transaction that wrote it, so that a search that built it
# again would show.
stamp() {
    if [ "$RT_TEST_STORE" = sqlite ]; then
        sql "$1" "SELECT coalesce((SELECT CAST(num AS TEXT) FROM search_index WHERE facet = -1), 'none')"
    else
        sql "$1" "SELECT coalesce((SELECT num || ':' || xmin::text FROM search_index WHERE facet = 100), 'none')"
    fi
}
# Whether an import kept the index: on SQLite, its stamp. PostgreSQL's rows carry the
# data version, which every commit raises (an import's audit entry too): an import
# that adds nothing keeps the rows and stamps them with the version it raises them to,
# so there the index is kept when its rows' bytes are the same and of the data now.
kept() {
    if [ "$RT_TEST_STORE" = sqlite ]; then
        stamp "$1"
    else
        sql "$1" "SELECT coalesce((SELECT string_agg(md5(bitmap), ' ' ORDER BY facet)
            FROM search_index WHERE facet IN (100, 101)
            AND num = (SELECT value::bigint FROM meta WHERE key = 'data_version')), 'none')"
    fi
}
ask() { "$RT" --db "$1" search women --facets --limit 5 --json; }

"$RT" --db "$ONE" import "$A" >/dev/null
if on_sqlite "the import stores the index (on PostgreSQL the first search does: storing it at import cost the first import a tenth of a second, past twice SQLite's time)"; then
    s1=$(stamp "$ONE")
    check_eq "the import stored the index" yes "$([ "$s1" != none ] && echo yes)"
    before=$(ask "$ONE")
    check_eq "a search reads it, builds nothing" "$s1" "$(stamp "$ONE")"
else
    before=$(ask "$ONE")
    s1=$(stamp "$ONE")
    check_eq "the first search stored the index" yes "$([ "$s1" != none ] && echo yes)"
    check_eq "the next search reads it, builds nothing" "$s1" "$(ask "$ONE" >/dev/null; stamp "$ONE")"
fi
check_eq "the stored index counts as SQL does" \
    "$(sql "$ONE" "SELECT count(*) FROM recommendation r JOIN state s ON s.id = r.sur_id
       WHERE s.code = 'FRA' AND r.response = 'supported'")" \
    "$("$RT" --db "$ONE" search --sur France --facets --json | json .facets.response.supported)"

"$RT" --db "$ONE" import "$B" >/dev/null
after=$(ask "$ONE")
check_eq "another process's import made a new index" yes \
    "$(s2=$(stamp "$ONE"); [ "$s2" != none ] && [ "$s2" != "$s1" ] && echo yes)"
check_eq "the second file changed the answer" yes "$([ "$after" != "$before" ] && echo yes)"

s2=$(kept "$ONE")
"$RT" --db "$ONE" import "$B" >/dev/null
check_eq "an import that adds nothing keeps the stored index" "$s2" "$(kept "$ONE")"
check_eq "and its answer" "$after" "$(ask "$ONE")"

"$RT" --db "$TWO" import "$A" "$B" >/dev/null
check_eq "the answer is that of both files imported at once" "$(ask "$TWO")" "$after"

# A write that is not an import: the index is emptied and built again.
sql "$ONE" "UPDATE recommendation SET response = 'pledge' WHERE id = (SELECT min(id) FROM recommendation)"
check_eq "a write by any program empties it" none "$(stamp "$ONE")"
check_eq "the next search builds it again" yes \
    "$(ask "$ONE" >/dev/null; [ "$(stamp "$ONE")" != none ] && echo yes)"
done_testing
