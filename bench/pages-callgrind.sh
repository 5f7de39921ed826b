#!/bin/sh
# Page cost in instructions: the pages of bench/pages.sh, each asked REQS times of
# rightstrack-serve running under `valgrind --tool=callgrind`, counting only what
# rt_http_route does (building the page; not the network, not the server's cache),
# with Cache-Control: no-cache. Prints each page's instructions per request, in
# millions. Unlike wall-clock time this does not move with the machine's load, so it
# is the figure to compare before and after a change.
#   sh bench/pages-callgrind.sh [BIN] [REQS]      (needs valgrind)
# DB=FILE uses that database (the full UPR import and the demo ledger) as it is.
set -eu
BIN=${1:-build/release/rightstrack}
REQS=${2:-3}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DATA=${RIGHTSTRACK_SHARED_DATA:-$ROOT/../shared/data}/upr/upr_info_s01-s18.csv
command -v valgrind >/dev/null || { echo "pages-callgrind.sh: needs valgrind" >&2; exit 1; }
T=$(mktemp -d)
SPID=
trap '[ -n "$SPID" ] && kill "$SPID" 2>/dev/null; rm -rf "$T"' EXIT
if [ -z "${DB:-}" ]; then
    [ -f "$DATA" ] || { echo "pages-callgrind.sh: no data at $DATA" >&2; exit 1; }
    DB=$T/p.db
    "$BIN" --db "$DB" import "$DATA" >/dev/null
    sh "$ROOT/data/demo/us-belarus.sh" "$BIN" --db "$DB" >/dev/null
fi
. "$ROOT/bench/pages.list"
valgrind --tool=callgrind --toggle-collect=rt_http_route --callgrind-out-file="$T/cg.out" \
    "$(dirname "$BIN")/rightstrack-serve" --db "$DB" --port 0 --threads 1 \
    >"$T/serve.out" 2>"$T/valgrind.err" &
SPID=$!
for _ in $(seq 1 600); do grep -q listening "$T/serve.out" && break; sleep 0.1; done
URL=$(sed -n 's/^listening on //p' "$T/serve.out")
[ -n "$URL" ] || { echo "pages-callgrind.sh: the server did not start" >&2; exit 1; }
# Every page once first: what is read into memory on the first request only is not
# a page's cost.
echo "$PAGES" | while IFS='=' read -r name path; do
    curl -s -o /dev/null -H 'Cache-Control: no-cache' "$URL$path"
done
callgrind_control -z "$SPID" >/dev/null 2>&1
printf '%-16s %14s\n' page "Minstr/request"
n=0
for line in $PAGES; do
    name=${line%%=*} path=${line#*=}
    i=0
    while [ $i -lt "$REQS" ]; do
        curl -s -o /dev/null -H 'Cache-Control: no-cache' "$URL$path"
        i=$((i + 1))
    done
    n=$((n + 1))
    callgrind_control -d "$name" "$SPID" >/dev/null 2>&1
    f=$(ls -t "$T"/cg.out.* | head -n 1)
    ir=$(sed -n 's/^summary: *\([0-9]*\).*/\1/p' "$f")
    printf '%-16s %14s\n' "$name" "$(awk -v i="${ir:-0}" -v r="$REQS" \
        'BEGIN { printf "%.1f", i / r / 1e6 }')"
done
