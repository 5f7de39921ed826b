#!/bin/sh
# Search over the real UPR data: stemming, phrases, prefixes, operators, filters,
# facets, paging and the JSON shape.
. "$(dirname "$0")/../lib/test-lib.sh"
need_data

DB=$(new_db s)
upr_db "$DB"
s() { "$RT" --db "$DB" search --json "$@"; }
total() { s "$@" | json .total; }

t1=$(total tortured); t2=$(total torture)
check_eq "'tortured' finds what 'torture' finds" "$t2" "$t1"
check_eq "torture is common" yes "$([ "$t1" -gt 1000 ] && echo yes)"
check_eq "accents and case do not matter" "$(total torture)" "$(total TÖRTURE)"
p=$(total '"death penalty"'); w=$(total death penalty)
check_eq "a phrase finds no more than its words" yes "$([ "$p" -le "$w" ] && [ "$p" -gt 500 ] && echo yes)"
a=$(total investigat*); b=$(total investigate)
check_eq "a prefix finds at least the word" yes "$([ "$a" -ge "$b" ] && [ "$b" -gt 0 ] && echo yes)"
# The index holds stems: "investigat*" must also find "investigate" (stem "investig"),
# through the store's table of words. Each count is that of the recommendations with
# a word that begins with the prefix.
want=$(python3 -c 'import csv,sys,re,unicodedata as u
rows=list(csv.DictReader(open(sys.argv[1],encoding="utf-8")))
k=lambda r:(r["session"],r["state_under_review"]," ".join(u.normalize("NFC",r["text"]).split()))
for p in sys.argv[2:]:
    print(len({k(r) for r in rows if re.search(r"(?<![^\W_])"+p,r["text"],re.I)}))' \
    "$DATA/upr/upr_info_s01-s18.csv" investigat religio penalt)
check_eq "investigat* finds every word that begins so" "$(echo "$want" | sed -n 1p)" "$(total investigat*)"
check_eq "religio* finds religious (stem religi)" "$(echo "$want" | sed -n 2p)" "$(total religio*)"
check_eq "a prefix at the end of a phrase" "$(echo "$want" | sed -n 3p)" \
    "$(total '"penalt"*')"
o=$(total torture OR '"death penalty"')
check_eq "OR finds at least each side" yes "$([ "$o" -ge "$t1" ] && [ "$o" -ge "$p" ] && echo yes)"
n=$(total torture NOT children); m=$(total torture children)
check_eq "NOT and AND split the set" "$t1" "$((n + m))"
check_eq "punctuation is not syntax" 0 "$(s 'women'"'"'s rights: (a) "x' >/dev/null; echo $?)"

check_eq "Belarus by name, code or variant" "$(total --sur Belarus)" "$(total --sur BLR)"
check_eq "Belarus has 167" 167 "$(total --sur 'Republic of Belarus')"
expect=$(python3 -c 'import csv,sys,unicodedata as u
rows=list(csv.DictReader(open(sys.argv[1],encoding="utf-8")))
k=lambda r:(r["session"],r["state_under_review"]," ".join(u.normalize("NFC",r["text"]).split()))
print(len({k(r) for r in rows if r["state_under_review"]=="Belarus" and r["response"]=="Noted" and "death penalty" in r["text"].lower()}))
print(len({k(r) for r in rows if r["session"]=="18"}))' "$DATA/upr/upr_info_s01-s18.csv")
check_eq "noted death-penalty recommendations to Belarus" "$(echo "$expect" | sed -n 1p)" \
    "$(total '"death penalty"' --sur Belarus --response noted)"
check_eq "cycle filter" 14150 "$(total --cycle 2)"
check_eq "session filter" "$(echo "$expect" | sed -n 2p)" "$(total --session 18)"
check_eq "pledges" 909 "$(total --response pledge)"
k=$(total --theme 'Death penalty'); check_eq "theme filter" yes "$([ "$k" -gt 1000 ] && echo yes)"
check_eq "theme is case-blind" "$k" "$(total --theme 'death PENALTY')"
u=$(total --by 'United Kingdom'); v=$(total --by 'United Kingdom of Great Britain and Northern Ireland')
check_eq "recommending state by any name" "$u" "$v"

s torture --sur Belarus --facets --limit 2 >"$TMP/f.json"
check_eq "limit" 2 "$(json .hits <"$TMP/f.json" | python3 -c 'import json,sys;print(len(json.load(sys.stdin)))')"
check_eq "hit shape: state under review" Belarus "$(json .hits.0.state_under_review <"$TMP/f.json")"
check_eq "hit shape: code" BLR "$(json .hits.0.state_under_review_code <"$TMP/f.json")"
check_eq "hit shape: cycle" 1 "$(json .hits.0.cycle <"$TMP/f.json")"
tot=$(json .total <"$TMP/f.json")
sum=$(json .facets.response <"$TMP/f.json" | python3 -c 'import json,sys;print(sum(json.load(sys.stdin).values()))')
check_eq "response facets add up to the total" "$tot" "$sum"
check_eq "state facet" "$tot" "$(json .facets.state_under_review.BLR <"$TMP/f.json")"

p1=$(s torture --limit 5 | json .hits.4.id); p2=$(s torture --limit 1 --offset 4 | json .hits.0.id)
check_eq "paging: offset 4 is the fifth hit" "$p1" "$p2"
id=$(s '"death penalty"' --sur Belarus --limit 1 | json .hits.0.id)
"$RT" --db "$DB" show --json "$id" >"$TMP/show.json"
check_eq "show --json" Belarus "$(json .state_under_review <"$TMP/show.json")"
"$RT" --db "$DB" show "$id" | grep -q "State under review"
check_eq "show prints a record" 0 $?
check_fails "unknown state in a filter is a usage error" 2 "$RT" --db "$DB" search --sur Atlantis
check_fails "only negations is a usage error" 2 "$RT" --db "$DB" search -- -torture
check_fails "a word starting with - before -- is a usage error" 2 "$RT" --db "$DB" search -torture
grep -q "goes after --" "$TMP/err"
check_eq "and the message says to use --" 0 $?
done_testing
