#!/bin/sh
# The readout parser on readouts written by us (tests/data/readouts-own: five to improve
# against, dev/, and five kept out of every change, held/ and held2/; see its README): every one
# parses, and on each set the scorer of ../shared/tools gives at least the figures asked
# of texts the parser has never seen (overall F1 0.82; topics, urged, welcomed and
# reaffirmations 0.60; participants 0.90; date 1.0). Then the constructions those texts
# brought in: a chain of asks, a dateline, and a long chain that must stay fast.
test_description='readout parser on our own readouts'
. "$(dirname "$0")/../lib/test-lib.sh"
pg_not_yet "uses no store"

OWN="$ROOT/tests/data/readouts-own"
SCORER="$ROOT/../shared/tools/readout_score.py"
[ -f "$SCORER" ] || SCORER=/work/shared/tools/readout_score.py

field() { sed -n "s/^$1 .*F1 \([0-9.]*\).*/\1/p" "$2"; }
atleast() { python3 -c "print('yes' if float('$1' or 0) >= $2 else 'no')"; }

for set in dev held held2; do
    mkdir -p "$TMP/$set"
    n=0
    for f in "$OWN/$set"/*.txt; do
        n=$((n + 1))
        "$RT" readout parse --json "$f" >"$TMP/$set/$(basename "$f" .txt).json" ||
            fail "$set: parse $(basename "$f")"
    done
    check_eq "$set: five readouts" 5 "$n"
    if [ ! -f "$SCORER" ] || ! command -v python3 >/dev/null; then
        if [ -n "${CI:-}" ]; then
            fail "$set: the scorer at $SCORER" "missing under CI"
        else
            say "# SKIP: no scorer at $SCORER; the scores of $set are not checked"
            n_skip=$((n_skip + 1))
        fi
        continue
    fi
    python3 "$SCORER" "$OWN/$set" "$TMP/$set" >"$TMP/$set.score"
    f1=$(sed -n 's/^overall F1 //p' "$TMP/$set.score")
    check_eq "$set: overall F1 $f1 is at least 0.82" yes "$(atleast "$f1" 0.82)"
    for fl in topics urged welcomed reaffirmations; do
        v=$(field "$fl" "$TMP/$set.score")
        check_eq "$set: $fl F1 $v is at least 0.60" yes "$(atleast "$v" 0.60)"
    done
    v=$(field participants "$TMP/$set.score")
    check_eq "$set: participants F1 $v is at least 0.90" yes "$(atleast "$v" 0.90)"
    v=$(field date "$TMP/$set.score")
    check_eq "$set: date F1 $v is 1.0" yes "$(atleast "$v" 1.0)"
done

# A chain of asks is one ask per verb; a dateline gives the place.
cat >"$TMP/c.txt" <<'TXT'
Canada-Laos Human Rights Dialogue
2023-04-18
written for the rightstrack tests

Ottawa, 19 April 2023

Canada urged Laos to free the bloggers, to allow visits to prisons, and to publish data on executions. It requested that Laos revise the decree on associations and that it put an end to arrests.
TXT
"$RT" readout parse --json "$TMP/c.txt" >"$TMP/c.json"
check_eq "a chain of five asks" 5 "$(python3 -c 'import json,sys; print(len(json.load(sys.stdin)["urged"]))' <"$TMP/c.json")"
check_eq "the third ask" "publish data on executions" "$(json .urged.2.what <"$TMP/c.json")"
check_eq "an ask after 'that Laos' starts at its verb" "revise the decree on associations" \
    "$(json .urged.3.what <"$TMP/c.json")"
check_eq "the dateline's place" Ottawa "$(json .place <"$TMP/c.json")"

# A delegation's leader is on the side whose delegation they led, named after them.
cat >"$TMP/d.txt" <<'TXT'
Canada-Laos Human Rights Dialogue
2023-04-18
written for the rightstrack tests

Canada and Laos held their dialogue in Vientiane. Director General Anne Tremblay led the Canadian delegation. Vice Minister Somsak Vongsa headed the Lao delegation.
TXT
"$RT" readout parse --json "$TMP/d.txt" >"$TMP/d.json"
check_eq "the leader of the Canadian delegation" "Anne Tremblay Canada" \
    "$(json .participants.0.name <"$TMP/d.json") $(json .participants.0.side <"$TMP/d.json")"
check_eq "the leader of the Lao delegation" "Somsak Vongsa Laos" \
    "$(json .participants.1.name <"$TMP/d.json") $(json .participants.1.side <"$TMP/d.json")"

# A 300 KB sentence of chained asks and one of names parse (each
# step is linear: these took minutes when it was not).
python3 -c '
import sys
h = "Big\n2020-01-01\nsrc\n\n"
sys.stdout.write(h + "Canada urged Laos to free A" + ", and to free B, to allow C and that it put an end to D" * 5000)
' >"$TMP/chain.txt"
check "a 300 KB chain of asks parses" "$RT" readout parse --json "$TMP/chain.txt"
python3 -c '
import sys
h = "Big\n2020-01-01\nsrc\n\n"
sys.stdout.write(h + "The two sides discussed " + "Tibet and Hong Kong, the death penalty and freedom of religion, " * 4500)
' >"$TMP/names.txt"
check "a 300 KB list of names parses" "$RT" readout parse --json "$TMP/names.txt"
done_testing
