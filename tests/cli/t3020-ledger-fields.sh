#!/bin/sh
# The ledger's fields described once (include/rightstrack/entity.h): `link` to many
# targets in one call, all or none; the options, the help and the checks of the
# commands come from the description.
. "$(dirname "$0")/../lib/test-lib.sh"

DB=$(new_db f)
"$RT" --db "$DB" init >/dev/null
"$RT" --db "$DB" import "$ROOT/data/demo/recommendations.csv" >/dev/null
r() { "$RT" --db "$DB" "$@"; }
len() { python3 -c 'import json,sys; print(len(json.load(sys.stdin)))'; }
D="Fields dialogue"
r dialogue add "$D" --party USA --party Belarus >/dev/null
r round add "$D" --date 2016-03 >/dev/null
ids=$(r search --sur Belarus --limit 3 --json | python3 -c 'import json,sys; print(" ".join(str(h["id"]) for h in json.load(sys.stdin)["hits"]))')
set -- $ids
check_eq "the demo data has three Belarus recommendations" 3 "$#"
t=$(r topic add "$D#1" "Political prisoners" --json | json .id)
recs() { r round show "$D#1" --json | python3 -c 'import json,sys; print(" ".join(str(x) for t in json.load(sys.stdin)["topics"] for x in t["recommendations"]))'; }

# Many targets in one call.
check "link a topic to three recommendations in one call" r link "topic:$t" about "rec:$1" "$2" "rec:$3"
check_eq "it prints one line a link" 3 "$(wc -l <"$TMP/out")"
check_eq "the first line names the link" "linked topic:$t about rec:$1" "$(head -1 "$TMP/out")"
check_eq "the topic is about the three" 3 "$(recs | wc -w)"
check_eq "--json lists the targets" "3" "$(r link "topic:$t" about "$1" "$2" "$3" --json | json .to | len)"
check_eq "linking again adds nothing" 3 "$(recs | wc -w)"

# All or nothing: one bad target writes none of them.
t2=$(r topic add "$D#1" "Another topic" --json | json .id)
check_fails "a link to an unknown recommendation among good ones" 1 \
    r link "topic:$t2" about "$1" 999999 "$2"
grep -q "field 'to': no recommendation with id 999999" "$TMP/err" || fail "the message names the target" "$(cat "$TMP/err")"
check_eq "none of the three was linked" 3 "$(recs | wc -w)"
check_fails "a target that is no reference is a usage error" 2 r link "topic:$t2" about "$1" abc
check_fails "link needs a target" 2 r link "topic:$t2" about
s=$(r step add --actor BLR --date 2016-04 --kind pardon "Pardoned two" --json | json .id)
check "a step welcomed in a round named DIALOGUE#ORDINAL" r link "step:$s" welcomed-in "$D#1"
check_eq "the round welcomed it" "$s" \
    "$(r round show "$D#1" --json | python3 -c 'import json,sys; print(" ".join(str(x["id"]) for x in json.load(sys.stdin)["welcomed_steps"]))')"

# The options come from the description: its vocabulary in --help, --direction as
# well as --negative, a usage error naming every missing required option.
r step --help >"$TMP/h"
grep -q "sanctions-eased" "$TMP/h" || fail "step --help lists the kinds"
grep -q -- "--direction DIR" "$TMP/h" || fail "step --help has --direction"
s2=$(r step add --actor USA --date 2016-05 --kind sanctions-imposed --direction negative "New sanctions" --json | json .id)
check_eq "--direction negative is a step back" negative \
    "$(r step list --actor USA --json | python3 -c 'import json,sys; print([x["direction"] for x in json.load(sys.stdin) if x["id"] == '"$s2"'][0])')"
check_fails "a direction outside the vocabulary" 1 r step add --actor USA --date 2016 --kind visit --direction sideways x
grep -q "field 'direction'" "$TMP/err" || fail "the message names the field" "$(cat "$TMP/err")"
check_fails "step add without its required options" 2 r step add "x"
grep -q -- "step add needs --actor, --date and --kind" "$TMP/err" || fail "all three named" "$(cat "$TMP/err")"
check_fails "a value missing after an option" 2 r step add --actor
grep -q -- "--actor needs a value" "$TMP/err" || fail "the message names the option" "$(cat "$TMP/err")"
check_eq "--name=value works as --name value" "added participant 1" \
    "$(r participant add "$D#1" --name=Jane --organization=MFA)"
check_eq "--organization is --organisation" MFA \
    "$(r round show "$D#1" --json | json .participants.0.organisation)"
check_fails "a dialogue with one party" 1 r dialogue add "Alone" --party USA
done_testing
