#!/bin/sh
# Big readouts (issue 17): a 5 MB text parses, whatever its shape, and gives what a
# small one would; a text over the limit (RT_READOUT_MAX, 16 MiB) fails with exit 1
# and a message that names the file and the limit. The times are not asserted here
# (the debug and ASan builds are slow); bench/readout.sh prints them for the release
# build.
test_description='readout parser on 5 MB texts and over the limit'
. "$(dirname "$0")/../lib/test-lib.sh"
pg_not_yet "the readout parser; its one readout import refuses the file before it opens a store"

BIG="$ROOT/bench/readout_big.py"
count() { python3 -c 'import json,sys; print(len(json.load(sys.stdin)[sys.argv[1]]))' "$1"; }

# Our own readouts, one after another up to 5 MB: every kind of sentence, many times.
python3 "$BIG" readouts 5000000 "$ROOT/tests/data/readouts-own/dev" >"$TMP/own.txt"
check_eq "the text of readouts is about 5 MB" yes \
    "$([ "$(wc -c <"$TMP/own.txt")" -ge 4990000 ] && echo yes)"
check "5 MB of readouts parses" "$RT" readout parse --json "$TMP/own.txt"
cp "$TMP/out" "$TMP/own.json"
check_eq "its date is the header's" 2020-01-01 "$(json .date <"$TMP/own.json")"
check_eq "its text is complete" True "$(json .text_complete <"$TMP/own.json")"
check_eq "the asks of every copy are there" yes \
    "$([ "$(count urged <"$TMP/own.json")" -ge 10000 ] && echo yes)"
check_eq "a participant of the last texts is found" yes \
    "$(grep -q '"name": "Le Thi Tuyet Mai"' "$TMP/own.json" && echo yes)"

# One sentence of 5 MB with no full stop before its end: a chain of asks.
python3 "$BIG" sentence 5000000 >"$TMP/sentence.txt"
check "a 5 MB sentence of asks parses" "$RT" readout parse --json "$TMP/sentence.txt"
cp "$TMP/out" "$TMP/sentence.json"
check_eq "the last ask, its speaker and target" "put an end to D|Canada|Laos" \
    "$(python3 -c 'import json,sys; u=json.load(sys.stdin)["urged"][-1]
print(u["what"], u["by"], u["target"], sep="|")' <"$TMP/sentence.json")"

# One sentence of 5 MB naming people, each one different: each is a participant.
python3 "$BIG" names 5000000 >"$TMP/names.txt"
check "a 5 MB sentence of names parses" "$RT" readout parse --json "$TMP/names.txt"
cp "$TMP/out" "$TMP/names.json"
check_eq "every name is a participant" "$(grep -o 'M[rs] [A-Z]' "$TMP/names.txt" | wc -l)" \
    "$(count participants <"$TMP/names.json")"
check_eq "the last one's title" "Senior Adviser, Office of the Ombudsman" \
    "$(json .participants.-1.title <"$TMP/names.json")"

# A list, words with no full stop, short lines: they parse.
for shape in list nostop lines; do
    python3 "$BIG" $shape 5000000 >"$TMP/$shape.txt"
    check "5 MB of $shape parses" "$RT" readout parse --json "$TMP/$shape.txt"
    cp "$TMP/out" "$TMP/$shape.json"
done
check_eq "the list's subjects, each once" 5 "$(count topics <"$TMP/list.json")"
check_eq "the first of them" "freedom of expression" "$(json .topics.0 <"$TMP/list.json")"

# Over the limit: exit 1, the file and the limit named, nothing on stdout.
python3 -c 'import sys; sys.stdout.write("Canada urged Laos to act. " * 645276 + "x" * 41)' \
    >"$TMP/huge.txt"
check_eq "the huge file is one byte over 16 MiB" 16777217 "$(wc -c <"$TMP/huge.txt" | tr -d ' ')"
check_fails "a file over 16 MiB fails with exit 1" 1 "$RT" readout parse "$TMP/huge.txt"
check_eq "the message names the file" yes "$(grep -q 'huge.txt' "$TMP/err" && echo yes)"
check_eq "the message gives the limit" yes \
    "$(grep -q 'at most 16777216 bytes (16 MiB); this file has 16777217' "$TMP/err" && echo yes)"
check_eq "nothing on stdout" 0 "$(wc -c <"$TMP/out" | tr -d ' ')"
check_fails "readout import refuses it too" 1 "$RT" --db "$TMP/db" readout import "$TMP/huge.txt" \
    --dialogue 1 --dry-run
check_eq "with the same message" yes "$(grep -q 'at most 16777216 bytes' "$TMP/err" && echo yes)"
done_testing
