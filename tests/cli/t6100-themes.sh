#!/bin/sh
# The theme classifier end to end: usage and exit codes, training on the import of
# UPR sessions 1-16, predicting sessions 17-18, the model surviving a reopen,
# tagging with origin "model" and the theme list.
. "$(dirname "$0")/../lib/test-lib.sh"
EMPTY=$(new_db empty)

check_fails "themes needs a subcommand" 2 "$RT" themes
check_fails "an unknown subcommand is a usage error" 2 "$RT" themes bogus
check "themes --help" "$RT" themes --help
check "themes train --help" "$RT" themes train --help
check_fails "train --epochs needs a number" 2 "$RT" themes train --epochs lots
check_fails "predict takes no file argument" 2 "$RT" themes predict somefile
check "init an empty database" "$RT" --db "$EMPTY" init
check_fails "predict without a model fails" 1 sh -c "echo torture | '$RT' --db '$EMPTY' themes predict"
check_fails "training on nothing fails" 1 "$RT" --db "$EMPTY" themes train
check "list on an empty database" "$RT" --db "$EMPTY" themes list --json

need_data

# Sessions 1-16 to import; de-duplicated texts and labels of sessions 17-18.
python3 - "$DATA/upr/upr_info_s01-s18.csv" "$TMP" <<'EOF'
import csv, json, sys, unicodedata as u
src, out = sys.argv[1], sys.argv[2]
groups, order = {}, []
with open(src, encoding="utf-8", newline="") as f, open(out + "/train.csv", "w", encoding="utf-8", newline="") as tr:
    rd = csv.DictReader(f)
    w = csv.DictWriter(tr, fieldnames=rd.fieldnames)
    w.writeheader()
    for r in rd:
        if int(r["session"]) <= 16:
            w.writerow(r)
            continue
        if len(order) < 150:  # a few unlabelled ones for `themes tag`
            w.writerow(dict(r, issues=""))
        k = (r["session"], r["state_under_review"], " ".join(u.normalize("NFC", r["text"]).split()))
        if k not in groups:
            groups[k] = set()
            order.append(k)
        groups[k].update(x for x in r["issues"].split("|") if x)
test = [k for k in order if groups[k]][:1000]
with open(out + "/test.txt", "w", encoding="utf-8") as t, open(out + "/test.labels", "w", encoding="utf-8") as l:
    for k in test:
        t.write(k[2] + "\n")
        l.write(json.dumps(sorted(groups[k])) + "\n")
EOF
DB=$(new_db t)
check "import sessions 1-16" "$RT" --db "$DB" import "$TMP/train.csv"
# Words alone and few passes keep the debug and ASan runs short (the default
# model, with character n-grams, is tested on fewer sessions in t6120 and
# measured by bench/themes.sh). A model that ignores its input cannot pass the
# floor of 0.8: the best fixed set of labels, chosen on these test texts
# themselves (the 3 commonest), scores F1 0.20 on them.
check "train" "$RT" --db "$DB" themes train --epochs 4 --no-chars --passes 10 --json
f1=$(json .heldout.f1 <"$TMP/out")
check_eq "held-out F1 $f1 above 0.8" yes "$(python3 -c "print('yes' if $f1 > 0.8 else 'no')")"
check_eq "the held-out action category accuracy is far above the commonest's (0.4)" yes \
    "$(python3 -c "print('yes' if $(json .heldout.category_accuracy <"$TMP/out") > 0.7 else 'no')")"
check_eq "54 themes learnt" 54 "$(json .labels <"$TMP/out")"

"$RT" --db "$DB" themes predict --json <"$TMP/test.txt" >"$TMP/pred1"
check_eq "one prediction per line" "$(wc -l <"$TMP/test.txt")" "$(wc -l <"$TMP/pred1")"
score=$(python3 - "$TMP/pred1" "$TMP/test.labels" <<'EOF'
import json, sys
tp = fp = fn = 0; cats = set()
for p, g in zip(open(sys.argv[1]), open(sys.argv[2])):
    p, g = json.loads(p), set(json.loads(g))
    got = set(p["labels"]); cats.add(p["action_category"])
    assert all(l in p["scores"] for l in got)
    tp += len(got & g); fp += len(got - g); fn += len(g - got)
ok = cats <= {1, 2, 3, 4, 5} and len(cats) >= 3
print("%.4f %s" % (2 * tp / (2 * tp + fp + fn), "yes" if ok else "no"))
EOF
)
f1=${score% *}
check_eq "F1 $f1 on sessions 17-18 above 0.8" yes "$(python3 -c "print('yes' if $f1 > 0.8 else 'no')")"
check_eq "action categories are 1-5 and varied" yes "${score#* }"

# Every command reopens the database: the model read back predicts the same.
"$RT" --db "$DB" themes predict --json <"$TMP/test.txt" >"$TMP/pred2"
check_eq "the stored model predicts the same after reopening" "" \
    "$(cmp "$TMP/pred1" "$TMP/pred2" 2>&1)"
check "plain predict" sh -c "head -3 '$TMP/test.txt' | '$RT' --db '$DB' themes predict"
check_eq "plain predict prints a line per text" 3 "$(wc -l <"$TMP/out")"

# Tagging: recommendations without official themes get model themes.
check "tag" "$RT" --db "$DB" themes tag --json
tags=$(json .tags <"$TMP/out")
check_eq "unlabelled recommendations are tagged" yes \
    "$([ "$(json .tagged <"$TMP/out")" -gt 100 ] && [ "$tags" -gt 100 ] && echo yes)"
check "tag again" "$RT" --db "$DB" themes tag --json
check_eq "tagging again replaces the model tags" "$tags" "$(json .replaced <"$TMP/out")"
check "list" "$RT" --db "$DB" themes list --json
check_eq "the list counts the model tags" "$tags" \
    "$(python3 -c 'import json,sys; print(sum(t["model"] for t in json.load(sys.stdin)["themes"]))' <"$TMP/out")"
check_eq "the list has official counts" yes \
    "$(python3 -c 'import json,sys; t=json.load(sys.stdin)["themes"]; print("yes" if len(t)==54 and t[0]["official"]>5000 else "no")' <"$TMP/out")"

# An import into a database with a model tags what came in without themes.
printf 'id,session,cycle,review_year,state_under_review,sur_region,sur_orgs,recommending_state,rs_region,rs_orgs,response,action_category,issues,text,source_file\n1,8,1,2010,Belarus,EEG,,Sweden,WEOG,EU,Noted,5,,"Abolish the death penalty and commute all death sentences to prison terms",x\n' >"$TMP/new.csv"
"$RT" --db "$DB" import --json "$TMP/new.csv" >"$TMP/imp.json"
check_eq "import exits 0" 0 $?
check_eq "the import reports model tagging" yes \
    "$([ "$(json .tagged_by_model <"$TMP/imp.json")" -gt 100 ] && echo yes)"
id=$("$RT" --db "$DB" search --json 'commute all death sentences' --sur Belarus | json .hits.0.id)
"$RT" --db "$DB" show --json "$id" >"$TMP/show.json"
check_eq "the new recommendation carries a model theme" yes "$(python3 -c 'import json,sys
t=json.load(open(sys.argv[1]))["theme_tags"]
print("yes" if any(x["origin"]=="model" and x["label"]=="Death penalty" for x in t) else "no")' "$TMP/show.json")"

done_testing
