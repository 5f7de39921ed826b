#!/bin/sh
# Scores the readout parser: runs `rightstrack readout parse --json` over every
# readout in the data folder into a temporary folder, then prints the scorer's
# per-field precision, recall and F1 and "overall F1 X"; then times the parse of a
# 5 MB text of each shape of bench/readout_big.py (the readouts one after another,
# one sentence of asks, a list, no full stop, names, short lines): CPU seconds
# (user + system) and wall seconds, printed, not checked. BIG=0 skips the timings.
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
[ "${BIG:-1}" = 0 ] && exit 0
echo "5 MB texts (bench/readout_big.py), parse --json to /dev/null: CPU s, wall s"
for shape in readouts sentence list nostop names lines; do
    python3 "$(dirname "$0")/readout_big.py" "$shape" 5000000 "$READOUTS" >"$OUT/big.txt"
    python3 - "$BIN" "$OUT/big.txt" "$shape" <<'PY'
import os, resource, subprocess, sys, time
t = time.monotonic()
r = subprocess.run([sys.argv[1], "readout", "parse", "--json", sys.argv[2]],
                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
wall = time.monotonic() - t
u = resource.getrusage(resource.RUSAGE_CHILDREN)
print("%-9s %8d bytes  cpu %.2f s  wall %.2f s%s" % (sys.argv[3], os.path.getsize(sys.argv[2]),
      u.ru_utime + u.ru_stime, wall, "" if r.returncode == 0 else "  FAILED (exit %d)" % r.returncode))
PY
done
