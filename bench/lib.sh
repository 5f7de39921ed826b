# Shared by the HTTP benchmarks (http.sh, pages.sh): sourced, not run.
#   bench_init NAME          checks wrk and nginx are there, makes $T (removed on exit,
#                            with the server $SPID and nginx stopped)
#   nginx_start PORT ROOT    nginx serving the files under ROOT on 127.0.0.1:PORT
#   wrk_run CONNS URL [ARGS] wrk for $SECS seconds: prints "rps p99 errors [socket-errors]"
#                            (WRK_OUT=FILE: wrk's output there, for two at once)
#   ms TIME                  wrk's "812.00us", "12.3ms", "1.2s" in milliseconds

bench_init() {
    for tool in wrk nginx; do
        command -v "$tool" >/dev/null 2>&1 ||
            { echo "$1: needs $tool: run scripts/bootstrap bench" >&2; exit 1; }
    done
    T=$(mktemp -d)
    SPID=
    trap bench_cleanup EXIT
}

bench_cleanup() {
    [ -n "$SPID" ] && kill "$SPID" 2>/dev/null
    [ -f "$T/nginx.pid" ] && kill "$(cat "$T/nginx.pid")" 2>/dev/null
    rm -rf "$T"
}

nginx_start() {
    chmod 755 "$T" "$2"
    cat >"$T/nginx.conf" <<CONF
worker_processes 2;
pid $T/nginx.pid;
error_log $T/nginx.err;
events { worker_connections 1024; }
http {
    access_log off;
    server { listen 127.0.0.1:$1; root $2; }
}
CONF
    nginx -c "$T/nginx.conf" -p "$T"
    sleep 0.3
}

wrk_run() {
    c=$1 u=$2; shift 2
    o=${WRK_OUT:-$T/wrk.out} # another file for a second wrk at the same time
    wrk -t2 -c"$c" -d"${SECS}s" --latency "$@" "$u" >"$o" 2>&1
    rps=$(sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' "$o")
    p99=$(sed -n 's/^ *99% *\([0-9.]*[a-z]*\).*/\1/p' "$o")
    errs=$(sed -n 's/.*Non-2xx or 3xx responses: *\([0-9]*\).*/\1/p' "$o")
    sock=$(sed -n 's/.*Socket errors:.*/&/p' "$o")
    echo "$rps ${p99:-?} ${errs:-0} ${sock:+socket-errors}"
}

ms() {
    echo "$1" | awk '/us$/ { sub(/us$/, ""); print $0 / 1000; next }
                     /ms$/ { sub(/ms$/, ""); print $0 + 0; next }
                     /s$/  { sub(/s$/, "");  print $0 * 1000; next } { print "?" }'
}
