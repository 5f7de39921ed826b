#!/bin/sh
# The theme classifier on PostgreSQL (issue 16): the same made-up rows imported into
# SQLite and PostgreSQL, the same model trained on each from the same data. Both
# stores hold the same model bytes and predict the same; themes tag gives the same
# tags and categories with the same confidences (export --json, show); themes list
# and themes areas print the same.
. "$(dirname "$0")/../lib/test-lib.sh"
. "$ROOT/tests/lib/pg.sh"

need_pg
PG="postgresql:///postgres?host=$PG_DIR"
LITE=$TMP/lite.db

# Four themes with words of their own, the category following the opening words (as
# in t6110); every fifth row has neither themes nor a category, for the model.
python3 - "$TMP/rows.csv" <<'PY'
import random, sys
themes = {
    "Death penalty": ["death penalty", "executions", "capital punishment", "death row"],
    "Torture and other CID": ["torture", "ill-treatment in custody", "beatings by police"],
    "Women's rights": ["violence against women", "equal pay for women", "girls' rights"],
    "Right to education": ["primary schooling", "teacher training", "school enrolment"],
}
openers = {
    1: ["Seek technical assistance from partners on", "Request support for"],
    2: ["Continue its efforts on", "Pursue the good work already begun on"],
    3: ["Consider measures on", "Study the possibility of action on"],
    4: ["Take further steps on", "Strengthen its policies on"],
    5: ["Adopt a specific law on", "Enact legislation this year on"],
}
states = ["Belarus", "Chad", "Peru", "Nepal", "Fiji", "Ghana"]
rnd = random.Random(7)
with open(sys.argv[1], "w", encoding="utf-8") as f:
    f.write("id,session,cycle,review_year,state_under_review,sur_region,sur_orgs,"
            "recommending_state,rs_region,rs_orgs,response,action_category,issues,text,source_file\n")
    n = 0
    for theme, phrases in themes.items():
        for cat, ops in openers.items():
            for k in range(5):
                n += 1
                bare = n % 5 == 0
                text = "%s %s, commitment %d" % (rnd.choice(ops), rnd.choice(phrases), n)
                f.write('%d,%d,1,2010,%s,X,,Sweden,WEOG,,Supported,%s,%s,"%s",demo\n' % (
                    n, 8 + n % 9, states[n % 6], "" if bare else cat, "" if bare else theme, text))
PY

for db in "$LITE" "$PG"; do
    s=$([ "$db" = "$LITE" ] && echo lite || echo pg)
    check "import on $s" "$RT" --db "$db" import "$TMP/rows.csv"
    check "train on $s" "$RT" --db "$db" themes train --epochs 20 --json
    grep -v '"seconds"' "$TMP/out" >"$TMP/train.$s"
    check "tag on $s" "$RT" --db "$db" themes tag --json
    cp "$TMP/out" "$TMP/tag.$s"
    check "tag again on $s" "$RT" --db "$db" themes tag --json
    cp "$TMP/out" "$TMP/tag2.$s"
    printf 'Adopt a specific law on the death penalty\nContinue its efforts on school enrolment\n' |
        "$RT" --db "$db" themes predict --json >"$TMP/predict.$s"
    "$RT" --db "$db" themes list --json >"$TMP/list.$s"
    "$RT" --db "$db" themes areas --json >"$TMP/areas.$s"
    "$RT" --db "$db" show --json 5 | grep -v '"created_at"' >"$TMP/show.$s"
    "$RT" --db "$db" export --json >"$TMP/export.$s"
done

check_eq "the same training run, time aside" "" "$(diff "$TMP/train.lite" "$TMP/train.pg")"
check_eq "the model is 4 labels" 4 "$(json .labels <"$TMP/train.pg")"
check_eq "the same model bytes" \
    "$(sqlite3 "$LITE" "SELECT lower(hex(data)) FROM model" | md5sum)" \
    "$(psql -X -A -t -d "$PG" -c "SELECT encode(data, 'hex') FROM model" | md5sum)"
check_eq "the same model info" "$(sqlite3 "$LITE" "SELECT name, kind, info FROM model" | sed "s/\"seconds\":[0-9.e-]*,//")" \
    "$(psql -X -A -t -d "$PG" -c "SELECT name, kind, info FROM model" | sed "s/\"seconds\":[0-9.e-]*,//")"
check_eq "the same predictions" "" "$(diff "$TMP/predict.lite" "$TMP/predict.pg")"
check_eq "the same tagging" "" "$(diff "$TMP/tag.lite" "$TMP/tag.pg")"
check_eq "20 texts tagged and categorised" "20 20" \
    "$(json .tagged <"$TMP/tag.pg") $(json .categorised <"$TMP/tag.pg")"
check_eq "the same tagging again" "" "$(diff "$TMP/tag2.lite" "$TMP/tag2.pg")"
check_eq "tagging again replaces the 20 categories" 20 "$(json .categories_replaced <"$TMP/tag2.pg")"
check_eq "the same theme list" "" "$(diff "$TMP/list.lite" "$TMP/list.pg")"
check_eq "the same theme areas" "" "$(diff "$TMP/areas.lite" "$TMP/areas.pg")"
check_eq "the same recommendation with the model's themes and category" "" \
    "$(diff "$TMP/show.lite" "$TMP/show.pg")"
check_eq "it has the model's category" model "$(json .action_category_origin <"$TMP/show.pg")"
same() { jq -S 'walk(if type == "object" then del(.created_at) else . end)' "$1"; }
same "$TMP/export.lite" >"$TMP/export.lite.n"
same "$TMP/export.pg" >"$TMP/export.pg.n"
check_eq "export --json of both is the same, created_at aside" "" \
    "$(diff "$TMP/export.lite.n" "$TMP/export.pg.n" | head -20)"
check_eq "the export holds 20 model categories" 20 \
    "$(jq '[.tables.recommendation_category[] | select(.origin == "model")] | length' "$TMP/export.pg")"
check_eq "and the model's themes with their confidences" yes \
    "$(jq -r '[.tables.recommendation_theme[] | select(.origin == "model")] |
        if length >= 20 and all(.confidence > 0 and .confidence < 1) then "yes" else "no" end' \
        "$TMP/export.pg")"

done_testing
