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
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DATA=${RIGHTSTRACK_SHARED_DATA:-$ROOT/../shared/data}/upr/upr_info_s01-s18.csv
for tool in wrk nginx; do
    command -v "$tool" >/dev/null 2>&1 || { echo "pages.sh: needs $tool: run scripts/bootstrap bench" >&2; exit 1; }
done
[ -f "$DATA" ] || { echo "pages.sh: no data at $DATA" >&2; exit 1; }
T=$(mktemp -d)
SPID=
cleanup() {
    [ -n "$SPID" ] && kill "$SPID" 2>/dev/null
    [ -f "$T/nginx.pid" ] && kill "$(cat "$T/nginx.pid")" 2>/dev/null
    rm -rf "$T"
}
trap cleanup EXIT
"$BIN" --db "$T/p.db" import "$DATA" >/dev/null
sh "$ROOT/data/demo/us-belarus.sh" "$BIN" --db "$T/p.db" >/dev/null
"$BIN" --db "$T/p.db" serve --port 0 --threads 2 >"$T/serve.out" 2>&1 &
SPID=$!
for _ in $(seq 1 50); do grep -q listening "$T/serve.out" && break; sleep 0.1; done
URL=$(sed -n 's/^listening on //p' "$T/serve.out")

# The pages, by a name for the file nginx serves.
PAGES="home=/
search=/search?q=torture&sur=Belarus
search-facets=/search?q=women
recommendation=/recommendations/6159
state=/states/BLR
dialogue=/dialogues/1
round=/dialogues/1/rounds/2
briefing=/reports/brief/1?as_of=2016-12-31
country=/reports/country/BLR?as_of=2016-12-31"

mkdir -p "$T/www"
chmod 755 "$T" "$T/www"
echo "$PAGES" | while IFS='=' read -r name path; do
    curl -s -o "$T/www/$name.html" "$URL$path"
done
chmod 644 "$T/www"/*.html
cat >"$T/nginx.conf" <<CONF
worker_processes 2;
pid $T/nginx.pid;
error_log $T/nginx.err;
events { worker_connections 1024; }
http {
    access_log off;
    server { listen 127.0.0.1:18090; root $T/www; }
}
CONF
nginx -c "$T/nginx.conf" -p "$T"
sleep 0.3

run() { # URL [wrk args] -> "rps p99"
    u=$1; shift
    wrk -t2 -c8 -d"${SECS}s" --latency "$@" "$u" >"$T/wrk.out" 2>&1
    rps=$(sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' "$T/wrk.out")
    p99=$(sed -n 's/^ *99% *\([0-9.]*[a-z]*\).*/\1/p' "$T/wrk.out")
    errs=$(sed -n 's/.*Non-2xx or 3xx responses: *\([0-9]*\).*/\1/p' "$T/wrk.out")
    echo "$rps ${p99:-?} ${errs:-0}"
}
ms() { # wrk's "812.00us", "12.3ms", "1.2s" -> milliseconds
    echo "$1" | awk '/us$/ { sub(/us$/, ""); print $0 / 1000; next }
                     /ms$/ { sub(/ms$/, ""); print $0 + 0; next }
                     /s$/  { sub(/s$/, "");  print $0 * 1000; next } { print "?" }'
}
echo "Pages built afresh (Cache-Control: no-cache), ${SECS}s each, 8 connections;"
echo "nginx serves each page's bytes as a file. p99 in ms."
printf '%-16s %10s %9s %6s %10s %9s %8s\n' page "rt req/s" "rt p99" errors "nginx/s" "nginx p99" ratio
met=0 all=0
for line in $PAGES; do
    name=${line%%=*} path=${line#*=}
    set -- $(run "$URL$path" -H 'Cache-Control: no-cache')
    rr=$1 rp=$(ms "$2") re=$3
    set -- $(run "http://127.0.0.1:18090/$name.html")
    nr=$1 np=$(ms "$2")
    printf '%-16s %10s %9s %6s %10s %9s %8s\n' "$name" "$rr" "$rp" "$re" "$nr" "$np" \
        "$(awk -v a="$rr" -v b="$nr" 'BEGIN { printf "%.3f", a / b }')"
    all=$((all + 1))
    if awk -v p="$rp" 'BEGIN { exit !(p + 0 < 50) }'; then met=$((met + 1)); fi
done
echo "pages under 50 ms at p99: $met of $all"
