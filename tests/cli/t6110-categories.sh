#!/bin/sh
# Predicted action categories: `themes tag` and the import give a recommendation
# whose data has no action category the model's (origin "model", with a
# confidence), never change an official one, and give the same result when run
# again; search by --category shows which kind each hit has. On made-up data, so
# that it needs nothing from ../shared.
. "$(dirname "$0")/../lib/test-lib.sh"

H='id,session,cycle,review_year,state_under_review,sur_region,sur_orgs,recommending_state,rs_region,rs_orgs,response,action_category,issues,text,source_file'

# Training rows: four themes, each with its own words; the action category
# follows the opening words, as UPR Info's categories follow the verb.
python3 - "$TMP" "$H" <<'EOF'
import random, sys
out, header = sys.argv[1], sys.argv[2]
themes = {
    "Death penalty": ["death penalty", "executions", "capital punishment", "death row"],
    "Torture and other CID": ["torture", "ill-treatment in custody", "beatings by police", "cruel punishment"],
    "Women's rights": ["violence against women", "equal pay for women", "women in parliament", "girls' rights"],
    "Right to education": ["primary schooling", "teacher training", "school enrolment", "literacy classes"],
}
openers = {
    1: ["Seek technical assistance from partners on", "Request support from the international community for"],
    2: ["Continue its efforts on", "Pursue the good work already begun on"],
    3: ["Consider measures on", "Study the possibility of action on"],
    4: ["Take further steps on", "Strengthen its policies on"],
    5: ["Adopt a specific law on", "Enact legislation this year on"],
}
states = ["Belarus", "Chad", "Peru", "Nepal", "Fiji", "Ghana"]
rnd = random.Random(11)
rows, n = [], 0
for theme, phrases in themes.items():
    for cat, ops in openers.items():
        for k in range(4):
            n += 1
            text = "%s %s, in line with commitment number %d" % (rnd.choice(ops), rnd.choice(phrases), n)
            rows.append((n, 8 + n % 9, states[n % 6], cat, theme, text))
with open(out + "/train.csv", "w", encoding="utf-8") as f:
    f.write(header + "\n")
    for n, session, state, cat, theme, text in rows:
        f.write('%d,%d,1,2010,%s,X,,Sweden,WEOG,,Supported,%d,%s,"%s",demo\n' % (n, session, state, cat, theme, text))
EOF
# New rows: two without a category or themes, one without a category but with an
# official theme, and one whose official category (2) is not what its words say (5).
cat >"$TMP/new.csv" <<EOF
$H
101,20,2,2014,Peru,X,,Chile,GRULAC,,Noted,,,"Adopt a specific law on the death penalty without delay",demo
102,20,2,2014,Peru,X,,Chile,GRULAC,,Noted,,,"Continue its efforts on school enrolment for rural children",demo
103,20,2,2014,Nepal,X,,Chile,GRULAC,,Supported,,Torture and other CID,"Enact legislation this year on torture in prisons",demo
104,20,2,2014,Nepal,X,,Chile,GRULAC,,Supported,2,Death penalty,"Adopt a specific law on executions of minors",demo
EOF
DB=$(new_db c)
check "import the training rows" "$RT" --db "$DB" import "$TMP/train.csv"
check "train" "$RT" --db "$DB" themes train --epochs 20 --json
check_eq "the held-out category accuracy is far above chance (0.2)" yes \
    "$(json .heldout.category_accuracy <"$TMP/out" | python3 -c 'import sys; print("yes" if float(sys.stdin.read()) > 0.6 else "no")')"
check "import new rows with the model in place" "$RT" --db "$DB" import --json "$TMP/new.csv"
check_eq "the import reports the categories it predicted" 3 "$(json .categorised_by_model <"$TMP/out")"

id_of() { "$RT" --db "$DB" search --json "\"$1\"" | json .hits.0.id; }
show() { "$RT" --db "$DB" show --json "$(id_of "$1")"; }
field() { show "$1" | json ".$2"; }

check_eq "a recommendation without a category gets the model's" "5 model" \
    "$(field 'death penalty without delay' action_category) $(field 'death penalty without delay' action_category_origin)"
check_eq "so does one with official themes but no category" "5 model" \
    "$(field 'torture in prisons' action_category) $(field 'torture in prisons' action_category_origin)"
check_eq "its confidence is a probability" yes \
    "$(field 'school enrolment for rural' action_category_confidence | python3 -c 'import sys; print("yes" if 0 < float(sys.stdin.read()) <= 1 else "no")')"
check_eq "the words of the second say continue" 2 "$(field 'school enrolment for rural' action_category)"
check_eq "an official category is never overwritten" "2 official 1.0" \
    "$(field 'executions of minors' action_category) $(field 'executions of minors' action_category_origin) $(field 'executions of minors' action_category_confidence)"
check_eq "official themes are not doubled by the model's" '["Torture and other CID"]' \
    "$(show 'torture in prisons' | python3 -c 'import json,sys; print(json.dumps([t["label"] for t in json.load(sys.stdin)["theme_tags"]]))')"
check "plain show says where the category comes from" "$RT" --db "$DB" show "$(id_of 'death penalty without delay')"
check_eq "plain show names the model" yes "$(grep -q 'Action category *5 (specific action; model, 0\.[0-9][0-9])' "$TMP/out" && echo yes)"

# Search by category: official and predicted ones, each marked.
check "search --category 5" "$RT" --db "$DB" search --category 5 --limit 1000 --json
check_eq "search --category 5 marks each hit's origin" yes "$(python3 -c 'import json,sys
h=json.load(sys.stdin)["hits"]
o={x["action_category_origin"] for x in h}
ok=o=={"official","model"} and all(x["action_category"]==5 for x in h) and len(h)==16+2
print("yes" if ok else "no: %s %d" % (sorted(o), len(h)))' <"$TMP/out")"
check_eq "an official hit has confidence 1" yes "$(python3 -c 'import json,sys
h=json.load(sys.stdin)["hits"]
print("yes" if all(x["action_category_confidence"]==1 for x in h if x["action_category_origin"]=="official") else "no")' <"$TMP/out")"

# Tagging again gives the same database: the export is the same, byte for byte.
check "export" "$RT" --db "$DB" export --json
cp "$TMP/out" "$TMP/export1.json"
check "tag again" "$RT" --db "$DB" themes tag --json
check_eq "tagging again replaces the model's categories one for one" "3 3 3" \
    "$(json .uncategorised <"$TMP/out") $(json .categorised <"$TMP/out") $(json .categories_replaced <"$TMP/out")"
check "export after tagging again" "$RT" --db "$DB" export --json
check_eq "tagging again changes nothing" "" "$(cmp "$TMP/export1.json" "$TMP/out" 2>&1)"
check_eq "the export carries the predicted categories" 3 \
    "$(python3 -c 'import json,sys; print(len(json.load(sys.stdin)["tables"]["recommendation_category"]))' <"$TMP/out")"

# The predicted categories survive an export and a restore.
R=$(new_db r)
check "restore into a new database" "$RT" --db "$R" import "$TMP/export1.json"
check_eq "the restored database has the model's category" "5 model" \
    "$("$RT" --db "$R" show --json "$(id_of 'death penalty without delay')" | python3 -c 'import json,sys; r=json.load(sys.stdin); print(r["action_category"], r["action_category_origin"])')"

done_testing
