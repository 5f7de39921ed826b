#!/bin/sh
# The response cache the worker threads share (issue 21): an answer one thread kept
# is never given to a reader who may not see what it holds (a private step kept for
# an editor is not served to the public or a viewer, whichever thread answers), and
# after a write from another process no thread gives the old answer again.
. "$(dirname "$0")/../lib/test-lib.sh"

DB=$(new_db s)
demo_ledger "$DB"
rt() { "$RT" --db "$DB" "$@"; }
echo 'editor pass phrase' | rt user add ed --role editor >/dev/null
echo 'viewer pass phrase' | rt user add vic --role viewer >/dev/null
VIEWER=$(rt user token add vic --read 2>/dev/null)
EDITOR=$(rt user token add ed --write 2>/dev/null)
serve_start "$DB" --public --threads 4
PID=$SERVE_PID

code() { curl -s -o "$TMP/body" -D "$TMP/headers" -w '%{http_code}' "$@"; }
# get WHO PATH: a GET as WHO (public, viewer or editor), each on a new connection, so
# that they fall to different threads; the body in $TMP/body.
get() {
    case $1 in
    public) code "$URL$2" ;;
    viewer) code -H "Authorization: Bearer $VIEWER" "$URL$2" ;;
    editor) code -H "Authorization: Bearer $EDITOR" "$URL$2" ;;
    esac
}
# seen WHO PATH WORD: of 12 reads, how many hold WORD.
seen() {
    n=0
    for _ in 1 2 3 4 5 6 7 8 9 10 11 12; do
        get "$1" "$2" >/dev/null
        grep -q "$3" "$TMP/body" && n=$((n + 1))
    done
    echo "$n"
}

TL=/api/v1/dialogues/1/timeline
check_eq "the public reads the timeline" 200 "$(get public $TL)"
check_eq "an editor adds a private step" 201 \
    "$(code -H "Authorization: Bearer $EDITOR" -H 'Content-Type: application/json' \
        -d '{"actor": "Belarus", "date": "2016-10", "kind": "visit", "text": "Kappa: told in confidence", "private": true}' \
        "$URL/api/v1/steps")"
check_eq "the editor sees it every time, from any thread" 12 "$(seen editor $TL Kappa)"
check_eq "the public never does, though the editor's answer is kept" 0 "$(seen public $TL Kappa)"
check_eq "nor a viewer" 0 "$(seen viewer $TL Kappa)"
check_eq "and the editor still does" 12 "$(seen editor $TL Kappa)"

# A write by another process, after every thread has kept or read the answer.
check_eq "the public's timeline is kept" 0 "$(seen public $TL 'Lambda from the CLI')"
rt step add --actor Belarus --date 2016-12 --kind statement "Lambda from the CLI" >/dev/null
check_eq "a step added from the command line" 0 $?
check_eq "is in every answer at once, whichever thread answers" 12 \
    "$(seen public $TL 'Lambda from the CLI')"
check_eq "and in the editor's" 12 "$(seen editor $TL 'Lambda from the CLI')"

# Many clients at once, while another process writes: afterwards nobody gets the old.
CURLS=
for _ in 1 2 3 4 5 6 7 8; do
    curl -s "$URL$TL" >/dev/null &
    CURLS="$CURLS $!"
done
rt step add --actor Belarus --date 2016-12 --kind statement "Mu from the CLI" >/dev/null
wait $CURLS
check_eq "after a write during a load, no thread gives the old timeline" 12 \
    "$(seen public $TL 'Mu from the CLI')"

kill -TERM $PID
wait $PID
check_eq "the server stops cleanly" 0 $?
done_testing
