#!/bin/sh
# The seed, linked: with UPR Info's export, the DIHR's second cycle (upr2.xlsx) and
# ODIHR's recommendations to Belarus imported as the tour imports them, the demo links
# round 2's topics to Belarus's and the United States' reviews of May 2015 (UPR
# session 22) and to ODIHR's recommendations, and the briefing as of 2016-12-31 sums
# Belarus's review up by response and theme.
. "$(dirname "$0")/../lib/test-lib.sh"

need_data
DB=$(new_db demo)
"$RT" --db "$DB" import "$ROOT/data/demo/recommendations.csv" "$DATA/upr/upr_info_s01-s18.csv" \
    >/dev/null
"$RT" --db "$DB" import "$DATA/upr/dihr/upr2.xlsx" >/dev/null
"$RT" --db "$DB" import --state BLR "$DATA/belarus/odihr_recommendations.csv" >/dev/null
check_eq "ODIHR's 34 recommendations imported" 34 \
    "$(sql "$DB" "SELECT count(*) FROM recommendation WHERE mechanism = 'odihr'")"
check "the demo script runs" sh "$ROOT/data/demo/us-belarus.sh" "$RT" --db "$DB"
WG="US-Belarus Working Group for Democracy and Human Rights"
"$RT" --db "$DB" round show "$WG#2" --json >"$TMP/r2.json"

# Which recommendations each topic links to, by state, mechanism and session.
links() { # TOPIC-TEXT-START
    python3 - "$TMP/r2.json" "$1" <<'EOF' | sort | tr '\n' ' ' | sed 's/ $//'
import json, sys
d = json.load(open(sys.argv[1]))
t = next(t for t in d["topics"] if t["text"].startswith(sys.argv[2]))
print("\n".join(str(i) for i in t["recommendations"]))
EOF
}
groups() { # TOPIC-TEXT-START: "CODE:MECHANISM:SESSION=N" per group
    ids=$(links "$1" | tr ' ' ',')
    sql "$DB" "SELECT k || '=' || count(*) FROM (SELECT s.code || ':' || r.mechanism || ':'
        || coalesce(CAST(r.session AS TEXT), '-') AS k FROM recommendation r JOIN state s ON s.id = r.sur_id
        WHERE r.id IN ($ids)) AS g GROUP BY k ORDER BY k" | tr '\n' ' ' | sed 's/ $//'
}
check_eq "second-cycle topic: Belarus's 261 and the United States' 361 of session 22" \
    "BLR:upr:22=261 USA:upr:22=361" "$(groups "Outcomes of both countries")"
check_eq "second-cycle topic: exactly the recommendations of their reports A/HRC/30/3 and /12" \
    "$(sql "$DB" "SELECT group_concat(id) FROM (SELECT id FROM recommendation
        WHERE paragraph LIKE 'A/HRC/30/3,%' OR paragraph = 'A/HRC/30/3'
           OR paragraph LIKE 'A/HRC/30/12,%' OR paragraph = 'A/HRC/30/12' ORDER BY 0 + id) AS g")" \
    "$(links "Outcomes of both countries" | tr ' ' '\n' | sort -n | tr '\n' ',' | sed 's/,$//')"
el=$(groups "2016 parliamentary elections")
case $el in *"BLR:odihr:-="*) ok=yes ;; *) ok=no ;; esac
check_eq "elections topic: ODIHR's recommendations" yes "$ok"
case $el in *"BLR:upr:22="*) ok=yes ;; *) ok=no ;; esac
check_eq "elections topic: Belarus's session-22 recommendations on elections" yes "$ok"
check_eq "elections topic: ODIHR's of the elections before the round only (2010, 2012)" \
    "ODIHR, parliamentary elections of 2012-09-23 ODIHR, presidential election of 2010-12-19" \
    "$(sql "$DB" "SELECT DISTINCT paragraph FROM recommendation WHERE mechanism = 'odihr'
        AND id IN ($(links "2016 parliamentary elections" | tr ' ' ',')) ORDER BY 1" |
        tr '\n' ' ' | sed 's/ $//')"
case $(groups "OSCE commitments") in *"BLR:upr:22="*) ok=yes ;; *) ok=no ;; esac
check_eq "freedoms topic: Belarus's session-22 recommendations on the freedoms" yes "$ok"
check_eq "the same session-22 texts on elections as a search finds" \
    "$("$RT" --db "$DB" search --sur Belarus --session 22 --limit 1000 --json 'election* OR electoral' |
        python3 -c 'import json,sys; print(sum(1 for h in json.load(sys.stdin)["hits"] if (h["paragraph"] or "").startswith("A/HRC/30/")))')" \
    "$(groups "2016 parliamentary elections" | tr ' ' '\n' | sed -n 's/^BLR:upr:22=//p')"

# The briefing as of the end of 2016.
"$RT" --db "$DB" report brief --dialogue "$WG" --as-of 2016-12-31 --json >"$TMP/brief.json"
check_eq "brief: Belarus's 2015 review by response" "261 156 105" "$(python3 - "$TMP/brief.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
t = next(t for t in d["topics"] if t["text"].startswith("Outcomes"))
g = next(g for g in t["linked_summary"] if g["state"] == "BLR" and g["session"] == 22)
print(g["total"], g["supported"], g["noted"])
EOF
)"
check_eq "brief: and its commonest themes, as SQL counts them" \
    "$(sql "$DB" "SELECT t.label || '=' || count(DISTINCT r.id) FROM recommendation r
        JOIN recommendation_theme x ON x.rec_id = r.id JOIN theme t ON t.id = x.theme_id
        JOIN state s ON s.id = r.sur_id WHERE s.code = 'BLR' AND r.paragraph LIKE 'A/HRC/30/3%'
        GROUP BY t.label ORDER BY count(DISTINCT r.id) DESC, t.label LIMIT 5" | tr '\n' ' ')" \
    "$(python3 - "$TMP/brief.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
t = next(t for t in d["topics"] if t["text"].startswith("Outcomes"))
g = next(g for g in t["linked_summary"] if g["state"] == "BLR" and g["session"] == 22)
print(" ".join("%s=%d" % (x["label"], x["count"]) for x in g["themes"]) + " ")
EOF
)"
check_eq "brief: what was assessed since the round" 3 \
    "$(python3 -c 'import json,sys; print(len(json.load(sys.stdin)["assessments"]))' <"$TMP/brief.json")"
"$RT" --db "$DB" report brief --dialogue "$WG" --as-of 2016-12-31 >"$TMP/brief.txt"
grep -qF -- "- Belarus, UPR session 22: 261 recommendations: 156 supported, 105 noted." "$TMP/brief.txt"
check_eq "brief text: the review summed up, not listed" 0 $?
grep -qF -- "- United States, UPR session 22: 361 recommendations: 159 supported, 202 noted." \
    "$TMP/brief.txt"
check_eq "brief text: the United States' review too" 0 $?
check_eq "brief text: ODIHR's recommendations of the 2019 elections not yet there" 0 \
    "$(grep -c "outside the UPR: 34" "$TMP/brief.txt")"
done_testing
