#!/bin/sh
# backup during mixed load (issue 14, How we will know): for LOAD_SECS seconds (60 by
# default) a server with accounts answers reads of pages and the API, an editor's
# script writes steps through the API, and the command line writes steps too; halfway
# through, `backup` copies the database. The copy passes restore's checks (integrity,
# schema, audit chain, every value and reference) and holds every write committed
# before the backup began; the reads got no error and the writes went on meanwhile.
. "$(dirname "$0")/../lib/test-lib.sh"
pg_not_yet "backup copies SQLite files: on PostgreSQL it refuses (t8200), and a copy under load is pg_dump's snapshot"

SECS=${LOAD_SECS:-60}
DB="$TMP/l.db"
rt() { "$RT" --db "$DB" "$@"; }
rt import "$ROOT/data/demo/recommendations.csv" >/dev/null
sh "$ROOT/data/demo/us-belarus.sh" "$RT" --db "$DB" >/dev/null 2>&1
echo 'editor pass phrase' | rt user add ed --role editor >/dev/null
echo 'viewer pass phrase' | rt user add vic --role viewer >/dev/null
EDITOR=$(rt user token add ed --write 2>/dev/null)
VIEWER=$(rt user token add vic --read 2>/dev/null)
serve_start "$DB" --public
check "the server listens" test -n "$URL"
end=$(($(date +%s) + SECS))

: >"$TMP/committed"
: >"$TMP/read-errors"
: >"$TMP/reads"
reader() { # $1: the token, or "" for the public
    while [ "$(date +%s)" -lt "$end" ]; do
        for p in / "/search?q=torture" /dialogues/1 /dialogues/1/rounds/2 /persons \
            "/api/v1/recommendations?q=prisoners&facets=1" /api/v1/dialogues/1/timeline \
            /api/v1/rounds/2 /reports/brief/1; do
            if [ -n "$1" ]; then
                c=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $1" "$URL$p")
            else
                c=$(curl -s -o /dev/null -w '%{http_code}' "$URL$p")
            fi
            echo . >>"$TMP/reads"
            [ "$c" = 200 ] || echo "$p $c" >>"$TMP/read-errors"
        done
    done
}
api_writer() {
    i=1
    while [ "$(date +%s)" -lt "$end" ]; do
        c=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $EDITOR" \
            -H 'Content-Type: application/json' \
            -d "{\"actor\": \"Belarus\", \"date\": \"2016\", \"kind\": \"statement\", \"text\": \"a$i\"}" \
            "$URL/api/v1/steps")
        [ "$c" = 201 ] && echo "a$i" >>"$TMP/committed"
        i=$((i + 1))
    done
}
cli_writer() {
    i=1
    while [ "$(date +%s)" -lt "$end" ]; do
        rt step add --actor Belarus --date 2016 --kind statement "c$i" >/dev/null 2>&1 &&
            echo "c$i" >>"$TMP/committed"
        i=$((i + 1))
    done
}
reader "" &
r1=$!
reader "$VIEWER" &
r2=$!
api_writer &
w1=$!
cli_writer &
w2=$!

sleep $((SECS / 2))
before=$(cat "$TMP/committed")
check "backup under load" rt backup "$TMP/copy.db"
n_at_backup=$(wc -l <"$TMP/committed")
wait $r1 $r2 $w1 $w2
kill "$SERVE_PID" 2>/dev/null
wait "$SERVE_PID" 2>/dev/null

check_eq "there were writes before the backup" yes "$([ -n "$before" ] && echo yes)"
check_eq "and after it" yes "$([ "$(wc -l <"$TMP/committed")" -gt "$n_at_backup" ] && echo yes)"
check_eq "the reads got no error" "" "$(sort -u "$TMP/read-errors" | head -5)"
check_eq "of many" yes "$([ "$(wc -l <"$TMP/reads")" -ge 50 ] && echo yes)"
check "the copy passes restore's checks" "$RT" --db "$TMP/other.db" restore --check "$TMP/copy.db"
"$RT" --db "$TMP/copy.db" step list --json |
    python3 -c 'import json,sys; print("\n".join(s["text"] for s in json.load(sys.stdin)))' >"$TMP/in-copy"
missing=$(for w in $before; do grep -qx "$w" "$TMP/in-copy" || echo "$w"; done | head -5)
check_eq "the copy holds every write committed before the backup began ($(echo "$before" | wc -w))" "" "$missing"
check "the database itself holds" rt audit verify
check "restored, the copy becomes the database" "$RT" --db "$TMP/r.db" restore "$TMP/copy.db"
check "and its log holds" "$RT" --db "$TMP/r.db" audit verify

done_testing
