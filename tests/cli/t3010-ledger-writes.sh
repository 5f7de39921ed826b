#!/bin/sh
# What every add of the ledger shares (src/cli/ledger.c: cli_entity_add, over the
# library's rt_ledger_write): a record and its links are written together or not at all, the
# output is "added KIND ID" or {"id": ID}, and a failure says what was wrong, exits 1
# and leaves the ledger as it was. Also the --as-of date of the reads, which the
# library checks.
. "$(dirname "$0")/../lib/test-lib.sh"

DB=$(new_db l)
"$RT" --db "$DB" init >/dev/null
"$RT" --db "$DB" import "$ROOT/data/demo/recommendations.csv" >/dev/null
r() { "$RT" --db "$DB" "$@"; }
len() { python3 -c 'import json,sys; print(len(json.load(sys.stdin)))'; }
D="Test dialogue"
R="$D#1"
rec=$(r search 'political prisoners' --sur Belarus --json | json .hits.0.id)
check_eq "the demo data has a recommendation to link to" yes "$([ -n "$rec" ] && echo yes)"

# The output of an add, as text and as JSON.
check_eq "text output of an add" "added dialogue 1" \
    "$(r dialogue add "$D" --party USA --party Belarus)"
check_eq "JSON output of a round's add names it in its dialogue" \
    '{"id": 1, "dialogue": 1, "ordinal": 1, "ref": "1#1"}' \
    "$(r round add "$D" --date 2016 --json | python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin)))')"
check_eq "an add with links prints the new id" "added topic 1" "$(r topic add "$R" "A topic" --rec "$rec")"
check_eq "an ask with links prints the new id" "added ask 1" \
    "$(r ask add "$R" --from USA --to BLR "An ask" --rec "$rec")"
check_eq "a benchmark with links prints the new id" "added benchmark 1" \
    "$(r benchmark add "$D" "A benchmark" --tracks "$rec" --tracks ask:1)"
check_eq "assess prints the new id" "added assessment 1" "$(r assess ask:1 partially --date 2016)"
check_eq "benchmark assess prints the new id" "added assessment 2" \
    "$(r benchmark assess 1 met --date 2016)"
c=$(r commitment add "$R" --party USA --then "A promise" --json | json .id)
check_eq "commitment resolve --json" '{"id": 1, "status": "lapsed", "as_of": "2016-06"}' \
    "$(r commitment resolve "$c" lapsed --date 2016-06 --json | python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin)))')"

# A bad link after a good record: exit 1, the error names the field, nothing written.
ntopics() { r round show "$R" --json | json .topics | len; }
nasks() { r round show "$R" --json | json .asks | len; }
nbench() { r dialogue show "$D" --json | json .benchmarks | len; }
before="$(ntopics) $(nasks) $(nbench)"
check_eq "one topic, one ask and one benchmark so far" "1 1 1" "$before"
check_fails "a topic about an unknown recommendation" 1 r topic add "$R" "Another" --rec "$rec" --rec 999999
grep -q "field 'rec': no recommendation with id 999999" "$TMP/err" || fail "the message names the option" "$(cat "$TMP/err")"
check_eq "a failed add prints nothing on standard output" "" "$(cat "$TMP/out")"
check_fails "an ask about an unknown recommendation" 1 \
    r ask add "$R" --from USA --to BLR "Another" --rec 999999 --json
check_eq "a failed add with --json prints nothing on standard output" "" "$(cat "$TMP/out")"
check_fails "a benchmark tracking an unknown step" 1 r benchmark add "$D" "Another" --tracks step:99
grep -q "step" "$TMP/err" || fail "the message names the step" "$(cat "$TMP/err")"
check_fails "a topic of an unknown round" 1 r topic add "$D#9" "Another" --rec "$rec"
grep -q "field 'round'" "$TMP/err" || fail "the message names the round" "$(cat "$TMP/err")"
check_eq "the failed adds wrote no topic, ask or benchmark" "$before" "$(ntopics) $(nasks) $(nbench)"
check_eq "the next add takes the next id" "added topic 2" "$(r topic add "$R" "Another")"
check_eq "each error is printed once" 1 \
    "$(r topic add "$R" x --rec 999999 2>&1 | grep -c 'no recommendation')"

# Usage errors of the repeatable link options: exit 2 before the database is opened.
check_fails "--rec that is not a reference" 2 r topic add "$R" x --rec abc
grep -q -- "--rec needs a recommendation id, not 'abc'" "$TMP/err" || fail "--rec message" "$(cat "$TMP/err")"
check_fails "--tracks that is not a reference" 2 r benchmark add "$D" x --tracks abc
grep -q -- "--tracks needs ask:ID, rec:ID or step:ID, not 'abc'" "$TMP/err" || fail "--tracks message" "$(cat "$TMP/err")"
set --
i=0
while [ $i -lt 65 ]; do set -- "$@" --rec "$rec"; i=$((i + 1)); done
check_fails "65 --rec are too many" 2 r ask add "$R" --from USA --to BLR x "$@"
grep -q -- "too many --rec" "$TMP/err" || fail "too-many message" "$(cat "$TMP/err")"
check_eq "nothing written by the usage errors" "2 1 1" "$(ntopics) $(nasks) $(nbench)"
check_fails "an unknown option of assess" 2 r assess ask:1 fully --date 2016 --frob
grep -q "unknown option '--frob'" "$TMP/err" || fail "unknown option is named"
check_fails "benchmark assess has no --assessor" 2 r benchmark assess 1 met --date 2016 --assessor X

# --as-of: a date the library checks, naming the field.
for c in "status ask:1" "since 1" "timeline 1" "reciprocity 1"; do
    # shellcheck disable=SC2086
    check_fails "$c with a bad --as-of" 1 r $c --as-of 2016-02-30
    grep -q "field 'as-of': '2016-02-30' is not a date" "$TMP/err" || fail "$c: the message names as-of" "$(cat "$TMP/err")"
done
check_eq "status --as-of a good date" "partially" "$(r status ask:1 --as-of 2016-12 --json | json .status)"
done_testing
