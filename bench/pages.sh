#!/bin/sh
# Page latency: the web pages a desk officer opens most, on the full UPR import with the
# demo ledger, each built afresh for every request (Cache-Control: no-cache), against
# nginx serving the same page's bytes as a file, in one run. Prints each page's p99 and
# requests per second beside nginx's, and last how many pages meet the target.
# Target (issue 13): every page under 50 ms at the 99th percentile.
#   sh bench/pages.sh [BIN] [SECONDS]      (needs: scripts/bootstrap bench)
set -eu
BIN=${1:-build/release/rightstrack}
SECS=${2:-10}
CONNS=${CONNS:-2} # one a server thread: a page's own time, not its wait behind others
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DATA=${RIGHTSTRACK_SHARED_DATA:-$ROOT/../shared/data}/upr/upr_info_s01-s18.csv
. "$ROOT/bench/lib.sh"
[ -f "$DATA" ] || { echo "pages.sh: no data at $DATA" >&2; exit 1; }
bench_init pages.sh
NPORT=${NGINX_PORT:-18090} # nginx's port: another one when that is taken
if [ -n "${DB:-}" ]; then # a database made before (the import and the demo), copied
    cp "$DB" "$T/p.db"
else
    "$BIN" --db "$T/p.db" import "$DATA" >/dev/null
    sh "$ROOT/data/demo/us-belarus.sh" "$BIN" --db "$T/p.db" >/dev/null
fi
"$BIN" --db "$T/p.db" serve --port 0 --threads 2 >"$T/serve.out" 2>&1 &
SPID=$!
for _ in $(seq 1 50); do grep -q listening "$T/serve.out" && break; sleep 0.1; done
URL=$(sed -n 's/^listening on //p' "$T/serve.out")

. "$ROOT/bench/pages.list" # PAGES: NAME=PATH, one a line

mkdir -p "$T/www"
echo "$PAGES" | while IFS='=' read -r name path; do
    curl -s -o "$T/www/$name.html" "$URL$path"
done
chmod 644 "$T/www"/*.html
nginx_start $NPORT "$T/www"

run() { # URL [wrk args] -> "rps p99 errors"
    wrk_run "$CONNS" "$@"
}
p50() { # wrk's median of the last run, in ms
    ms "$(sed -n 's/^ *50% *\([0-9.]*[a-z]*\).*/\1/p' "$T/wrk.out")"
}
echo "Pages built afresh (Cache-Control: no-cache), ${SECS}s each, $CONNS connections"
echo "on 2 server threads; nginx serves each page's bytes as a file. p50 and p99 in ms."
printf '%-16s %10s %8s %8s %6s %10s %9s %8s\n' page "rt req/s" "rt p50" "rt p99" errors \
    "nginx/s" "nginx p99" ratio
met=0 all=0
for line in $PAGES; do
    name=${line%%=*} path=${line#*=}
    set -- $(run "$URL$path" -H 'Cache-Control: no-cache')
    rr=$1 rp=$(ms "$2") re=$3 rm=$(p50)
    set -- $(run "http://127.0.0.1:$NPORT/$name.html")
    nr=$1 np=$(ms "$2")
    printf '%-16s %10s %8s %8s %6s %10s %9s %8s\n' "$name" "$rr" "$rm" "$rp" "$re" "$nr" "$np" \
        "$(awk -v a="$rr" -v b="$nr" 'BEGIN { printf "%.3f", a / b }')"
    all=$((all + 1))
    if awk -v p="$rp" 'BEGIN { exit !(p + 0 < 50) }'; then met=$((met + 1)); fi
done
echo "pages under 50 ms at p99: $met of $all"
