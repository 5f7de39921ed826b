#!/bin/sh
# Scores the readout parser: runs `rightstrack readout parse --json` over every
# readout in the data folder into a temporary folder, then prints the scorer's
# per-field precision, recall and F1; the last line is "overall F1 X".
#   sh bench/readout.sh [BIN]     BIN defaults to build/release/rightstrack, else build/debug
# READOUTS (default /work/shared/data/readouts) and SCORER
# (default /work/shared/tools/readout_score.py) override the inputs.
set -eu
BIN=${1:-build/release/rightstrack}
[ -x "$BIN" ] || BIN=build/debug/rightstrack
READOUTS=${READOUTS:-/work/shared/data/readouts}
SCORER=${SCORER:-/work/shared/tools/readout_score.py}
[ -x "$BIN" ] || { echo "readout.sh: no binary at $BIN (run make)" >&2; exit 1; }
[ -d "$READOUTS" ] || { echo "readout.sh: no readouts at $READOUTS" >&2; exit 1; }
[ -f "$SCORER" ] || { echo "readout.sh: no scorer at $SCORER" >&2; exit 1; }
command -v python3 >/dev/null || { echo "readout.sh: python3 is needed" >&2; exit 1; }
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
n=0
for f in "$READOUTS"/*.txt; do
    b=$(basename "$f" .txt)
    if ! "$BIN" readout parse --json "$f" >"$OUT/$b.json"; then
        echo "readout.sh: $b failed to parse" >&2
        rm -f "$OUT/$b.json"
    fi
    n=$((n + 1))
done
echo "readout parser ($BIN) on $n readouts in $READOUTS"
python3 "$SCORER" "$READOUTS" "$OUT"
