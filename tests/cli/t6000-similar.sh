#!/bin/sh
# rightstrack similar: repeats (Jaccard of word 3-shingles) for one recommendation and
# for all, on a hand-made file with known pairs, then on the real data against a
# naive count in Python.
. "$(dirname "$0")/../lib/test-lib.sh"

H='id,session,cycle,review_year,state_under_review,sur_region,sur_orgs,recommending_state,rs_region,rs_orgs,response,action_category,issues,text,source_file'
M='Establish a moratorium on executions with a view to abolishing the death penalty'
DB=$(new_db s)
# 1-3: the same call in cycles 1, 2 and 3 (3 reworded: Jaccard 10/13 with 1 and 2);
# 4-5: share 7 of 13 shingles (0.5385); 6-7: two words each, the same; 8: as 1, to
# another state in cycle 1.
cat >"$TMP/rep.csv" <<CSV
$H
1,8,1,2010,Belarus,EEG,,Sweden,WEOG,,Noted,5,Death penalty,$M.,x
2,22,2,2015,Belarus,EEG,,Norway,WEOG,,Noted,5,Death penalty,"$M",x
3,35,3,2020,Belarus,EEG,,France,WEOG,,Noted,5,Death penalty,Consider establishing a moratorium on executions with a view to abolishing the death penalty,x
4,8,1,2010,Belarus,EEG,,Denmark,WEOG,,Supported,5,Torture,Ratify the Optional Protocol to the Convention against Torture,x
5,22,2,2015,Belarus,EEG,,Denmark,WEOG,,Supported,5,Torture,Ratify the Optional Protocol to the Convention against Torture and establish a national preventive mechanism,x
6,8,1,2010,Belarus,EEG,,Chile,GRULAC,,Supported,5,Torture,Abolish torture.,x
7,9,1,2010,Belarus,EEG,,Peru,GRULAC,,Supported,5,Torture,abolish TORTURE,x
8,2,1,2008,Japan,Asia,,Portugal,WEOG,,Noted,5,Death penalty,$M,x
CSV
check "import the hand-made file" "$RT" --db "$DB" import "$TMP/rep.csv"
check_eq "ids follow the file" "abolish TORTURE" "$("$RT" --db "$DB" show 7 --json | json .text)"

pairs() { # prints a,b,jaccard lines of a similar --all --json output on stdin
    python3 -c 'import json,sys
for p in json.load(sys.stdin):
    assert list(p) == ["a", "b", "jaccard"], p
    print("%d,%d,%s" % (p["a"], p["b"], p["jaccard"]))'
}
all() { "$RT" --db "$DB" similar --all --json "$@" | pairs | tr '\n' ' '; }

check_eq "all pairs at 0.7" "1,2,1.0 1,3,0.7692 1,8,1.0 2,3,0.7692 2,8,1.0 3,8,0.7692 6,7,1.0 " "$(all)"
check_eq "the same when read back from the store" "$(all)" "$(all --threshold 0.7)"
check_eq "--min-cycle-gap 1: only pairs from different cycles" \
    "1,2,1.0 1,3,0.7692 2,3,0.7692 2,8,1.0 3,8,0.7692 " "$(all --min-cycle-gap 1)"
check_eq "--min-cycle-gap 2" "1,3,0.7692 3,8,0.7692 " "$(all --min-cycle-gap 2)"
check_eq "--threshold 0.5 adds the 7-of-13 pair" \
    "1,2,1.0 1,3,0.7692 1,8,1.0 2,3,0.7692 2,8,1.0 3,8,0.7692 4,5,0.5385 6,7,1.0 " \
    "$(all --threshold 0.5)"
check_eq "--threshold 0.9" "1,2,1.0 1,8,1.0 2,8,1.0 6,7,1.0 " "$(all --threshold 0.9)"
check_eq "--threshold 1" "1,2,1.0 1,8,1.0 2,8,1.0 6,7,1.0 " "$(all --threshold 1)"
check_eq "an empty result is []" "[]" "$("$RT" --db "$DB" similar --all --json --min-cycle-gap 3)"
check "--recompute" "$RT" --db "$DB" similar --all --recompute
check_eq "--all in text: a count, then one pair a line" "7 pairs of repeats at threshold 0.7" \
    "$(head -1 "$TMP/out")"
check_eq "--all in text: the pair" "6	7	1.0000	cycles 1, 1" "$(tail -1 "$TMP/out")"

"$RT" --db "$DB" similar 1 --json >"$TMP/one.json"
check_eq "similar ID: its repeats by cycle" "[8, 2, 3]" \
    "$(python3 -c 'import json,sys; print([r["id"] for r in json.load(sys.stdin)["repeats"]])' <"$TMP/one.json")"
check_eq "similar ID: jaccard to 4 decimals" "0.7692" "$(json .repeats.2.jaccard <"$TMP/one.json")"
check_eq "similar ID: the cluster" '{"id": 1, "size": 4}' "$(json .cluster <"$TMP/one.json")"
check_eq "similar ID: the other's states" '["France"]' \
    "$(json .repeats.2.recommending_states <"$TMP/one.json")"
check_eq "similar ID --min-cycle-gap 2" "3" \
    "$("$RT" --db "$DB" similar 1 --min-cycle-gap 2 --json | json .repeats.0.id)"
check_eq "a recommendation without repeats" '[] {"id": 4, "size": 1}' \
    "$("$RT" --db "$DB" similar 4 --json | json .repeats) $("$RT" --db "$DB" similar 4 --json | json .cluster)"
check_eq "similar ID --threshold 0.5" "5" \
    "$("$RT" --db "$DB" similar 4 --threshold 0.5 --json | json .repeats.0.id)"
check "similar ID in text" "$RT" --db "$DB" similar 1
grep -q "made again in cycle 2, session 22, to Belarus by Norway" "$TMP/out"
check_eq "the text says when it was made again, and by whom" 0 $?
grep -q "also made in cycle 1, session 2, to Japan by Portugal" "$TMP/out"
check_eq "the text says when it was also made" 0 $?
"$RT" --db "$DB" similar 3 >"$TMP/out3"
grep -q "made before in cycle 1" "$TMP/out3"
check_eq "the text says when it was made before" 0 $?

# New recommendations make the stored pairs stale: they are computed again.
printf '%s\n9,41,4,2023,Belarus,EEG,,Chile,GRULAC,,Supported,5,Torture,Abolish torture!,x\n' "$H" >"$TMP/more.csv"
check "import one more" "$RT" --db "$DB" import "$TMP/more.csv"
check_eq "a new repeat is found without --recompute" "6,7,1.0 6,9,1.0 7,9,1.0 " \
    "$(all --threshold 0.9 | tr ' ' '\n' | grep -E '^(6|7),' | tr '\n' ' ')"

check "--help" "$RT" similar --help
check_fails "no id is a usage error" 2 "$RT" --db "$DB" similar
check_fails "an id with --all is a usage error" 2 "$RT" --db "$DB" similar 1 --all
check_fails "a bad id is a usage error" 2 "$RT" --db "$DB" similar abc
check_fails "threshold 0 is a usage error" 2 "$RT" --db "$DB" similar --all --threshold 0
check_fails "threshold 1.5 is a usage error" 2 "$RT" --db "$DB" similar --all --threshold 1.5
check_fails "a bad cycle gap is a usage error" 2 "$RT" --db "$DB" similar --all --min-cycle-gap x
check_fails "an unknown option is a usage error" 2 "$RT" --db "$DB" similar --bogus
check_fails "an unknown id fails" 1 "$RT" --db "$DB" similar 999
check_fails "a missing database fails" 1 "$RT" --db "$TMP/none.db" similar --all

need_data
REAL=$(new_db real)
check "the real data, imported" upr_db "$REAL"
# The naive count reads the texts from a SQLite file: on PostgreSQL, a copy of it.
LITE=$REAL
if [ "$RT_TEST_STORE" = postgresql ]; then
    LITE="$TMP/real-copy.db"
    check "the real data copied into SQLite" "$RT" copy --from "$REAL" --to "$LITE"
fi
"$RT" --db "$REAL" similar --all --json >"$TMP/all.json"
check_eq "similar --all --json exits 0" 0 $?
"$RT" --db "$REAL" similar --all --json --min-cycle-gap 1 >"$TMP/gap.json"
# The naive way: NFKC and case folding, words of letters (with marks) and digits,
# shingles as strings, an inverted index counting every overlap.
python3 - "$LITE" "$TMP/all.json" "$TMP/gap.json" >"$TMP/naive" <<'EOF'
import json, sqlite3, sys, unicodedata
from collections import Counter, defaultdict
from itertools import chain
db = sqlite3.connect(sys.argv[1])
rows = db.execute("SELECT id, coalesce(cycle, 0), text FROM recommendation ORDER BY id").fetchall()
def words(s):
    s = unicodedata.normalize("NFKC", unicodedata.normalize("NFKD", s).casefold())
    out, cur = [], []
    for ch in s:
        if unicodedata.category(ch)[0] in "LMN":
            cur.append(ch)
        elif cur:
            out.append("".join(cur)); cur = []
    if cur:
        out.append("".join(cur))
    return out
def shingles(s):
    w = words(s)
    if len(w) < 3:
        return frozenset([" ".join(w)]) if w else frozenset()
    return frozenset(" ".join(w[i:i + 3]) for i in range(len(w) - 2))
sets = [shingles(t) for _, _, t in rows]
post = defaultdict(list)
pairs = set()
for i, s in enumerate(sets):
    for j, o in Counter(chain.from_iterable([post[x] for x in s])).items():
        if o / (len(s) + len(sets[j]) - o) >= 0.7:
            pairs.add((rows[j][0], rows[i][0]))
    for x in s:
        post[x].append(i)
cycle = {r[0]: r[1] for r in rows}
gap = {p for p in pairs if cycle[p[0]] and cycle[p[1]] and cycle[p[0]] != cycle[p[1]]}
got = {(p["a"], p["b"]) for p in json.load(open(sys.argv[2]))}
got_gap = {(p["a"], p["b"]) for p in json.load(open(sys.argv[3]))}
print(len(pairs), len(got), len(gap), len(got_gap), got == pairs, got_gap == gap)
EOF
read -r n_naive n_rt n_gap n_rt_gap same same_gap <"$TMP/naive"
check_eq "real data: as many pairs as the naive count ($n_naive)" "$n_naive" "$n_rt"
check_eq "real data: the very same pairs" True "$same"
check_eq "real data, --min-cycle-gap 1: as many as the naive count ($n_gap)" "$n_gap" "$n_rt_gap"
check_eq "real data, --min-cycle-gap 1: the very same pairs" True "$same_gap"
if [ "$RT_TEST_STORE" = postgresql ]; then
    check_eq "real data: the same pairs, byte for byte, as SQLite's" "" \
        "$("$RT" --db "$LITE" similar --all --json | cmp - "$TMP/all.json" 2>&1)"
    id=$(python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["a"])' <"$TMP/all.json")
    check_eq "real data: similar $id the same as SQLite's" \
        "$("$RT" --db "$LITE" similar "$id" --json)" "$("$RT" --db "$REAL" similar "$id" --json)"
    check_eq "real data: at 0.5 the same as SQLite's" \
        "$("$RT" --db "$LITE" similar "$id" --threshold 0.5)" \
        "$("$RT" --db "$REAL" similar "$id" --threshold 0.5)"
fi

done_testing
