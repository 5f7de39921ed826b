#!/bin/sh
# Import of the real UPR Info data: the figures of ../shared/data/upr/README.md,
# the raw exports giving exactly the same set, and re-imports changing nothing.
. "$(dirname "$0")/../lib/test-lib.sh"
need_data

NORM="$DATA/upr/upr_info_s01-s18.csv"
DB=$(new_db n)
"$RT" --db "$DB" import --json "$NORM" >"$TMP/imp.json"
check_eq "import exits 0" 0 $?
check_eq "rows read" 36381 "$(json .rows <"$TMP/imp.json")"
check_eq "recommendations added" 35368 "$(json .recommendations_added <"$TMP/imp.json")"
check_eq "format detected" upr-info "$(json .files.0.format <"$TMP/imp.json")"
check_eq "the (Unknown) recommending state is counted" 9 \
    "$(json .unknown_recommending_state <"$TMP/imp.json")"

"$RT" --db "$DB" stats --json >"$TMP/s.json"
check_eq "35,368 recommendations" 35368 "$(json .recommendations <"$TMP/s.json")"
check_eq "21,218 in cycle 1" 21218 "$(json .by_cycle.1 <"$TMP/s.json")"
check_eq "14,150 in cycle 2" 14150 "$(json .by_cycle.2 <"$TMP/s.json")"
check_eq "193 states under review" 193 "$(json .states_under_review <"$TMP/s.json")"
check_eq "185 recommending states" 185 "$(json .recommending_states <"$TMP/s.json")"
"$RT" --db "$DB" stats --sur Belarus --json >"$TMP/b.json"
check_eq "Belarus: 167" 167 "$(json .recommendations <"$TMP/b.json")"
check_eq "Belarus: 123 supported" 123 "$(json .by_response.supported <"$TMP/b.json")"
check_eq "Belarus: 44 noted" 44 "$(json .by_response.noted <"$TMP/b.json")"
check_eq "BLR is Belarus" 167 "$("$RT" --db "$DB" stats --sur BLR --json | json .recommendations)"

# A fingerprint of everything that identifies and describes a recommendation.
fingerprint() {
    sql "$1" "SELECT s.code, r.session, r.cycle, r.response, r.action_category, r.text,
        (SELECT group_concat(c) FROM (SELECT st.code c FROM recommendation_by b
            JOIN state st ON st.id = b.state_id WHERE b.rec_id = r.id ORDER BY 1) o),
        (SELECT group_concat(l) FROM (SELECT t.label l FROM recommendation_theme x
            JOIN theme t ON t.id = x.theme_id WHERE x.rec_id = r.id ORDER BY 1) o)
        FROM recommendation r JOIN state s ON s.id = r.sur_id ORDER BY 1, 2, 6" | md5sum
}

RAW=$(new_db r)
"$RT" --db "$RAW" import --json "$DATA"/upr/raw/v2-upr-info/*.csv >"$TMP/raw.json"
check_eq "raw import exits 0" 0 $?
check_eq "raw format detected" upr-info-raw "$(json .files.0.format <"$TMP/raw.json")"
check_eq "raw exports give 35,368 too" 35368 "$(json .recommendations_added <"$TMP/raw.json")"
check_eq "raw and normalised give the same set" "$(fingerprint "$DB")" "$(fingerprint "$RAW")"

# The Belarus file alone first: the rest imports into a database with data.
BEL_DB=$(new_db bel)
"$RT" --db "$BEL_DB" import "$DATA/belarus/upr_cycle1_2010_uprinfo.csv" >/dev/null
check_eq "the Belarus file alone gives 167" 167 \
    "$("$RT" --db "$BEL_DB" stats --json | json .recommendations)"

before=$(fingerprint "$DB")
"$RT" --db "$DB" import --json "$DATA"/upr/raw/v2-upr-info/*.csv "$NORM" >"$TMP/again.json"
check_eq "importing both again adds nothing" 0 "$(json .recommendations_added <"$TMP/again.json")"
check_eq "nor recommending states" 0 "$(json .recommending_states_added <"$TMP/again.json")"
check_eq "nor themes" 0 "$(json .themes_added <"$TMP/again.json")"
check_eq "the data is unchanged" "$before" "$(fingerprint "$DB")"

"$RT" --db "$DB" import --json "$DATA/uhri/uhri_thematic_recommendations.csv" >"$TMP/u.json"
check_eq "UHRI import exits 0" 0 $?
check_eq "UHRI format detected" uhri "$(json .files.0.format <"$TMP/u.json")"
check_eq "UHRI rows" 632 "$(json .rows <"$TMP/u.json")"
n=$("$RT" --db "$DB" stats --sur Slovenia --json | json .by_cycle.4)
check_eq "Slovenia has cycle 4 recommendations from UHRI" yes "$([ "$n" -gt 200 ] && echo yes)"

done_testing
