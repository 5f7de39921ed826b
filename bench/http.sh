#!/bin/sh
# HTTP load: wrk against the search API of `rightstrack serve` (the full UPR import
# loaded) and against nginx serving a static JSON file of the same size, in one run.
# Prints requests per second, p99 latency and errors for both, the server's RSS, and
# the ratio last. Target: the search API at no less than 0.3x nginx's throughput,
# no errors over the run at 64 connections, RSS under 64 MB.
# The server keeps its answers while the database is unchanged, so the same request
# again is answered from its cache; a third run sends Cache-Control: no-cache, which
# makes it search and build every answer afresh, and its ratio is printed too. A
# fourth run, after an account is made, sends a logged-in session's cookie while a
# second server without accounts takes the same load at the same time: the ratio of
# the two (target at least 0.9) is the cost of accounts.
# Then the distinct-query load: DISTINCT (default 2000) different searches made from
# the data's words (a third with a state under review, a fifth with facets), each
# answer also written to a file that nginx serves; wrk asks for them in turn
# (bench/turns.lua: each path once a pass, the two wrk threads taking every other).
# First the cold pass alone: against a server started afresh, each path asked once
# and no more (COLD_SECS is only wrk's -d), so that its p99 is that of answers built
# while 64 connections wait; nginx makes the same pass over the files. Then, against
# a server started afresh again, SECONDS as they come (each answer built the first
# time, then cached) and SECONDS with Cache-Control: no-cache (every answer built
# afresh). Target: at least 0.3x nginx, no errors, p99 under 20 ms, both over the
# timed run and over the cold pass.
#   sh bench/http.sh [BIN] [SECONDS]      (needs: scripts/bootstrap bench)
set -eu
BIN=${1:-build/release/rightstrack}
SECS=${2:-60}
DISTINCT=${DISTINCT:-2000}
COLD_SECS=${COLD_SECS:-10} # wrk's -d for a cold pass, which stops when done
DATA=${RIGHTSTRACK_SHARED_DATA:-../shared/data}/upr/upr_info_s01-s18.csv
. "$(dirname "$0")/lib.sh"
[ -f "$DATA" ] || { echo "http.sh: no data at $DATA" >&2; exit 1; }
bench_init http.sh
NPORT=${NGINX_PORT:-18089} # nginx's port: another one when that is taken
"$BIN" --db "$T/b.db" import "$DATA" >/dev/null
cp "$T/b.db" "$T/d.db" # for the distinct load, without accounts
"$BIN" --db "$T/b.db" serve --port 0 --threads 2 >"$T/serve.out" 2>&1 &
SPID=$!
for _ in $(seq 1 50); do grep -q listening "$T/serve.out" && break; sleep 0.1; done
URL=$(sed -n 's/^listening on //p' "$T/serve.out")
Q="/api/v1/recommendations?q=torture&sur=Belarus&limit=20"
curl -s "$URL$Q" >"$T/static.json"

mkdir -p "$T/www"
cp "$T/static.json" "$T/www/search.json"
chmod 644 "$T/www/search.json"
nginx_start $NPORT "$T/www"

run() { # URL [wrk args] -> "rps p99_ms errors"
    wrk_run 64 "$@"
}
echo "HTTP load, ${SECS}s each, 64 connections, 2 wrk threads"
echo "  rightstrack  GET $Q (full UPR import, $(wc -c <"$T/static.json") bytes)"
echo "  nginx        the same bytes as a static file"
r=$(run "$URL$Q")
f=$(run "$URL$Q" -H 'Cache-Control: no-cache')
rss=$(ps -o rss= -p "$SPID" | tr -d ' ')
n=$(run "http://127.0.0.1:$NPORT/search.json")
# The same with accounts and a logged-in session: each request's cookie is checked
# against the database, and the answer is still taken from the cache. It runs at the
# same time as a second server on a copy without accounts, 32 connections each, so
# that whatever else the machine is doing weighs on both alike; their ratio is the
# cost of accounts.
echo 'bench pass phrase' | "$BIN" --db "$T/b.db" user add bench --role viewer >/dev/null
SESSION=$(curl -s -D - -o /dev/null -H 'Content-Type: application/json' \
    -d '{"user": "bench", "password": "bench pass phrase"}' "$URL/api/v1/session" |
    sed -n 's/^[Ss]et-[Cc]ookie: \(rt_session=[0-9a-f]*\).*/\1/p')
"$BIN" --db "$T/d.db" serve --port 0 --threads 2 >"$T/serve2.out" 2>&1 &
S2PID=$!
for _ in $(seq 1 50); do grep -q listening "$T/serve2.out" && break; sleep 0.1; done
URL2=$(sed -n 's/^listening on //p' "$T/serve2.out")
curl -s "$URL2$Q" >/dev/null
WRK_OUT="$T/wrk2.out" wrk_run 32 "$URL2$Q" >"$T/s0" &
W2=$!
s=$(WRK_OUT="$T/wrk1.out" wrk_run 32 "$URL$Q" -H "Cookie: $SESSION")
wait "$W2"
s0=$(cat "$T/s0")
kill "$S2PID" && wait "$S2PID" 2>/dev/null || true
# The distinct-query load.
sqlite3 -separator '	' "$T/d.db" "SELECT text FROM recommendation ORDER BY id" >"$T/texts"
sqlite3 "$T/d.db" "SELECT DISTINCT s.code FROM state s JOIN recommendation r ON r.sur_id = s.id
                   ORDER BY 1" >"$T/surs"
python3 - "$T" "$DISTINCT" <<'PY'
import random, re, sys, urllib.parse
d, n = sys.argv[1], int(sys.argv[2])
rnd = random.Random(2000)
texts = [l for l in open(d + "/texts", encoding="utf-8") if l.strip()]
surs = [l.strip() for l in open(d + "/surs") if l.strip()]
seen, out = set(), []
while len(out) < n:
    ws = [w for w in re.findall(r"[a-z]{4,}", rnd.choice(texts).lower())]
    if not ws:
        continue
    args = [("q", rnd.choice(ws) if rnd.random() < 0.6 else " ".join(rnd.sample(ws, min(2, len(ws)))))]
    if rnd.random() < 1 / 3:
        args.append(("sur", rnd.choice(surs)))
    if rnd.random() < 0.2:
        args.append(("facets", "1"))
    path = "/api/v1/recommendations?" + urllib.parse.urlencode(args)
    if path not in seen:
        seen.add(path)
        out.append(path)
open(d + "/paths", "w").write("\n".join(out) + "\n")
open(d + "/files", "w").write("".join("/d/%d.json\n" % i for i in range(len(out))))
PY
start() { # DB: a server on DB in place of the running one; sets SPID and URL
    kill "$SPID" 2>/dev/null && wait "$SPID" 2>/dev/null || true
    "$BIN" --db "$1" serve --port 0 --threads 2 >"$T/serve.out" 2>&1 &
    SPID=$!
    for _ in $(seq 1 50); do grep -q listening "$T/serve.out" && break; sleep 0.1; done
    URL=$(sed -n 's/^listening on //p' "$T/serve.out")
}
start "$T/d.db"
mkdir -p "$T/www/d"
chmod 755 "$T/www/d"
i=0
while read -r p; do
    curl -sf "$URL$p" -o "$T/www/d/$i.json" || { echo "http.sh: $p failed" >&2; exit 1; }
    i=$((i + 1))
done <"$T/paths"
chmod 644 "$T"/www/d/*.json
TURNS=$(dirname "$0")/turns.lua
pass() { # what the last wrk run's cold pass printed: "responses seconds"
    sed -n 's/^pass: \([0-9]*\) responses in \([0-9.]*\) s$/\1 \2/p' "$T/wrk.out"
}
pass_line() { # RESPONSES SECONDS: "N in S s, R req/s"
    awk -v n="${1:-0}" -v s="${2:-0}" 'BEGIN {
        printf "%d answers in %.3f s, %.0f req/s", n, s, (s > 0 ? n / s : 0) }'
}
# The cold pass: a server started afresh, each of the paths asked once, so every
# answer is built while 64 connections wait; its p99 is over those requests alone
# (in a timed run they are a few per cent of the requests, or less, and the cache's
# answers set the p99). nginx makes the same pass over the files.
start "$T/d.db"
dc=$(ONCE=1 SECS=$COLD_SECS PATHS="$T/paths" run "$URL" -s "$TURNS")
dcp=$(pass)
dnc=$(ONCE=1 SECS=$COLD_SECS PATHS="$T/files" run "http://127.0.0.1:$NPORT" -s "$TURNS")
dncp=$(pass)
# A server started afresh again, so that no answer is cached yet: the timed runs.
start "$T/d.db"
dd=$(PATHS="$T/paths" run "$URL" -s "$TURNS")
da=$(PATHS="$T/paths" run "$URL" -s "$TURNS" -H 'Cache-Control: no-cache')
dn=$(PATHS="$T/files" run "http://127.0.0.1:$NPORT" -s "$TURNS")

set -- $r
echo "rightstrack         $1 req/s  p99 $2  errors $3 ${4:-}"
R=$1
set -- $f
echo "rightstrack afresh  $1 req/s  p99 $2  errors $3 ${4:-}  (Cache-Control: no-cache)"
F=$1
set -- $s
echo "rightstrack session $1 req/s  p99 $2  errors $3 ${4:-}  (accounts, logged in; 32 connections)"
S=$1
set -- $s0
echo "  the same time     $1 req/s  p99 $2  errors $3 ${4:-}  (a second server without accounts)"
S0=$1
set -- $n
echo "nginx               $1 req/s  p99 $2  errors $3 ${4:-}"
N=$1
set -- $dc
echo "distinct cold pass  p99 $2  errors $3 ${4:-}  ($(pass_line $dcp); every answer built)"
DC=$2
set -- $dnc
echo "nginx cold pass     p99 $2  errors $3 ${4:-}  ($(pass_line $dncp))"
DNC=$2
set -- $dd
echo "distinct            $1 req/s  p99 $2  errors $3 ${4:-}  ($DISTINCT searches in turn)"
D=$1
DP=$2
set -- $da
echo "distinct afresh     $1 req/s  p99 $2  errors $3 ${4:-}  (Cache-Control: no-cache)"
DA=$1
set -- $dn
echo "nginx distinct      $1 req/s  p99 $2  errors $3 ${4:-}  (the $DISTINCT answers as files)"
DN=$1
set -- $N
echo "rightstrack RSS with the full UPR import: $((rss / 1024)) MB (target under 64)"
python3 -c "
import sys
r, f, s, s0, n = (float(x) for x in sys.argv[1:6])
print('ratio afresh (every answer searched and built): %.2f' % (f / n))
print('target: at least 0.3 (%s)' % ('met' if r / n >= 0.3 else 'MISSED'))
print('ratio with a session / without accounts: %.2f (target at least 0.9: %s)'
      % (s / s0, 'met' if s / s0 >= 0.9 else 'MISSED'))
d, da, dn = (float(x) for x in sys.argv[6:9])
dp, dc = (float(x) for x in sys.argv[9:11])
print('ratio distinct afresh (every answer built): %.3f' % (da / dn))
print('ratio distinct: %.3f (target at least 0.3: %s)' % (d / dn, 'met' if d / dn >= 0.3 else 'MISSED'))
print('p99 distinct %.1f ms, cold pass %.1f ms (target under 20 ms for both: %s)'
      % (dp, dc, 'met' if dp < 20 and dc < 20 else 'MISSED'))
print('ratio http rightstrack/nginx: %.2f' % (r / n))" "$R" "$F" "$S" "$S0" "$1" "$D" "$DA" "$DN" \
    "$(ms "$DP")" "$(ms "$DC")"
