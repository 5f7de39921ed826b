#!/bin/sh
# The readout parser's own cases (tests/golden/readout/NAME.txt, short readouts written
# for these tests, each showing a construction: a list of freedoms, a passive concern, a
# speaker carried to the next sentence, a modal ask, a conditional offer, a text cut
# mid-word) against what it must print (NAME.json). A change of behaviour shows as a
# diff here; UPDATE_GOLDEN=1 rewrites the expected files, to be read before committing.
test_description='readout parser golden cases'
. "$(dirname "$0")/../lib/test-lib.sh"
pg_not_yet "uses no store"

GOLD="$ROOT/tests/golden/readout"
n=0
for t in "$GOLD"/*.txt; do
    name=$(basename "$t" .txt)
    n=$((n + 1))
    (cd "$GOLD" && "$RT" readout parse --json "$name.txt") >"$TMP/$name.json" 2>"$TMP/err" ||
        { fail "parse $name" "$(cat "$TMP/err")"; continue; }
    if [ "${UPDATE_GOLDEN:-}" = 1 ]; then
        cp "$TMP/$name.json" "$GOLD/$name.json"
    fi
    if cmp -s "$TMP/$name.json" "$GOLD/$name.json"; then
        pass "golden $name"
    else
        fail "golden $name" "differs from tests/golden/readout/$name.json (UPDATE_GOLDEN=1 to accept):" \
            "$(diff -u "$GOLD/$name.json" "$TMP/$name.json" | head -40)"
    fi
done
check_eq "four or more cases" yes "$([ $n -ge 4 ] && echo yes)"
done_testing
