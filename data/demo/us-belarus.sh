#!/bin/sh
# Demo data: the US-Belarus Working Group for Democracy and Human Rights, 2015-2016,
# recorded through the command line. Facts only, in our own words; the sources are
# named on each record (files under ../shared/data, or the public documents).
#
#   sh data/demo/us-belarus.sh RIGHTSTRACK --db PATH
#
# The database must exist and hold the demo recommendations (data/demo/
# recommendations.csv); the UPR recommendations assessed here are found by search at
# run time, since their ids depend on the order of imports. When it also holds the
# second UPR cycle (upr2.xlsx) and ODIHR's recommendations to Belarus (scripts/tour
# imports them from ../shared/data), round 2's topics are linked to them.
set -eu
if [ $# -ne 3 ] || [ "$2" != --db ]; then
    echo "usage: sh data/demo/us-belarus.sh RIGHTSTRACK --db PATH" >&2
    exit 2
fi
RT=$1
DB=$3

rt() { "$RT" --db "$DB" "$@"; }
# The id in the JSON the command prints: {"id": N}, or the first hit of a search.
id() { rt "$@" --json | sed -n 's/^ *"id": \([0-9][0-9]*\).*/\1/p' | head -n 1; }
rec() { id search "$1" --sur Belarus --limit 1; }
# ids_of PATTERN SEARCH...: the id of every hit whose paragraph (which follows the id)
# starts with PATTERN (a sed pattern), one a line.
ids_of() {
    p=$1
    shift
    rt search "$@" --limit 1000 --json | sed -n -e '/^      "id": /{s/^      "id": \([0-9]*\).*/\1/;h;}' \
        -e "/^      \"paragraph\": \"$p/{x;p;}"
}

D="US-Belarus Working Group for Democracy and Human Rights"
READOUT="US Department of State media note on the second working group, 16 December 2015"
ODIHR="OSCE/ODIHR final report on the 11 September 2016 parliamentary elections (8 December 2016)"

rt dialogue add "$D" --party "United States" --party Belarus --kind bilateral >/dev/null

# Round 1: our sources mention it only as the first of the series.
rt round add "$D" --date 2015 --ordinal 1 \
    --summary "First meeting of the working group; date and place not in our sources." >/dev/null

# Round 2.
R="$D#2"
rt round add "$D" --date 2015-12-16 --ordinal 2 --place "Washington, DC" --source "$READOUT" \
    --summary "Elections due in 2016, OSCE commitments on expression, assembly and association, room for civil society and independent media, rule of law, and both countries' second UPR results." \
    >/dev/null
rt participant add "$R" --name "Bridget Brink" --party USA --organisation "Department of State" \
    --title "Deputy Assistant Secretary, European and Eurasian Affairs" >/dev/null
rt participant add "$R" --name "Robert Berschinski" --party USA --organisation "Department of State" \
    --title "Deputy Assistant Secretary, Democracy, Human Rights and Labor" >/dev/null
rt participant add "$R" --name "Jonathan Katz" --party USA --organisation USAID \
    --title "Deputy Assistant Administrator for Europe and Eurasia" >/dev/null
rt participant add "$R" --name "Oleg Kravchenko" --party Belarus \
    --organisation "Ministry of Foreign Affairs" --title "Director for the Americas" >/dev/null
rt participant add "$R" --name "Pavel Shidlovsky" --party Belarus \
    --organisation "Embassy of Belarus in Washington" --title "Chargé d'affaires" >/dev/null

rec_prisoners=$(rec 'political prisoners')
rec_elections=$(rec 'elections OSCE')
rec_death=$(rec '"death penalty" OR executions')

t_elections=$(id topic add "$R" "2016 parliamentary elections and international standards" \
    --theme Elections ${rec_elections:+--rec "$rec_elections"})
t_freedoms=$(id topic add "$R" \
    "OSCE commitments on freedom of expression, peaceful assembly and association" \
    --theme expression)
rt topic add "$R" "Space for civil society and independent media" --theme "Civil society" >/dev/null
rt topic add "$R" "Rule of law: good practice" --theme rule-of-law >/dev/null
t_upr=$(id topic add "$R" "Outcomes of both countries' second-cycle UPR" --theme "UPR process")

# Both countries' second reviews (UPR session 22, May 2015), and on elections and the
# freedoms, Belarus's recommendations of that review and ODIHR's after the elections
# of 2010 and 2012 (those of 2016 came after the round), when the database has them.
# The review's are those of its report, A/HRC/30/…, as the DIHR's export gives them (the
# demo's own recommendations of session 22 are our rewording of some of them);
# ODIHR's name their election.
S22='A\/HRC\/30\/'
E1012='ODIHR, .* of 201[02]-'

# shellcheck disable=SC2046 # one id per word
link_all() { [ $# -lt 3 ] || rt link "$@" >/dev/null; }
link_all "topic:$t_upr" about $(ids_of "$S22" --sur Belarus --session 22) \
    $(ids_of "$S22" --sur USA --session 22)
link_all "topic:$t_elections" about \
    $(ids_of "$S22" --sur Belarus --session 22 'election* OR electoral') \
    $(ids_of "$E1012" --sur Belarus --theme Elections)
FREEDOMS='expression OR assembly OR association OR media'
link_all "topic:$t_freedoms" about $(ids_of "$S22" --sur Belarus --session 22 "$FREEDOMS") \
    $(ids_of "$E1012" --sur Belarus "$FREEDOMS")

# The August 2015 release, welcomed in round 2.
s_release=$(id step add --actor Belarus --date 2015-08-22 --kind prisoner-release --quantity 6 \
    --source "data/belarus/events/2015-08-22-freedomhouse-six-released.txt" \
    --welcomed-in "$R" ${rec_prisoners:+--answers "$rec_prisoners"} \
    "Presidential pardon frees six political prisoners, among them former presidential candidate Mikalai Statkevich.")

# The six it freed, by name: private records (docs/persons.md), linked to the step,
# which round 2 welcomed.
FH="data/belarus/events/2015-08-22-freedomhouse-six-released.txt"
for name in "Mikalai Statkevich" "Mikalai Dziadok" "Ihar Alinevich" "Yauhen Vaskovich" \
    "Artsiom Prakapenka" "Yury Rubtsou"; do
    p=$(id person add "$name" --state Belarus --source "$FH")
    rt case add "$p" --event released --date 2015-08-22 --how pardon --step "$s_release" \
        --source "$FH" >/dev/null
done
rt case add Statkevich --event sentenced --date 2011-05-26 \
    --detail "six years, for the protest after the 2010 presidential election" --source "$FH" \
    >/dev/null

# The US answer in October 2015.
s_sanctions=$(id step add --actor USA --date 2015-10 --kind sanctions-eased \
    --responds-to "$s_release" --source "US Treasury (OFAC), October 2015" \
    "US Treasury suspends its sanctions on nine Belarusian state-owned companies.")

# What the US asked in round 2, and what it promised.
ask_steps=$(id ask add "$R" --from USA --to Belarus --theme "Democracy and human rights" \
    "Further positive steps on democracy and human rights.")
ask_elections=$(id ask add "$R" --from USA --to Belarus --theme Elections \
    ${rec_elections:+--rec "$rec_elections"} \
    "Run the 2016 parliamentary elections to OSCE/ODIHR standards.")
rt commitment add "$R" --party USA \
    --if "Belarus takes further positive steps on democracy and human rights" \
    --then "more US steps in return, aiming at normal relations in the end" >/dev/null

# 2016: the elections, and ODIHR's judgement of them.
rt step add --actor Belarus --date 2016-09-11 --kind election-held --answers "ask:$ask_elections" \
    --source "$ODIHR" \
    "Elections to the House of Representatives, watched by an OSCE/ODIHR observation mission." \
    >/dev/null
rt assess "ask:$ask_elections" partially --date 2016-12-08 --assessor ODIHR --source "$ODIHR" \
    --evidence "ODIHR calls for a full review of electoral law, a level field for candidates, transparent counting with results by polling station, court appeal of every commission decision, and media law reform." \
    >/dev/null
rt assess "ask:$ask_steps" in-progress --date 2016-12-31 \
    --evidence "This ledger records no further release after August 2015 up to the end of 2016." \
    >/dev/null

# The benchmark the dialogue tracks.
b=$(id benchmark add "$D" "All political prisoners released" \
    ${rec_prisoners:+--tracks "$rec_prisoners"} --tracks "step:$s_release")
rt benchmark assess "$b" partly-met --date 2015-08-22 \
    --source "data/belarus/events/2015-08-22-euroradio-pardon.txt; data/belarus/events/2015-08-22-freedomhouse-six-released.txt" \
    --evidence "Euroradio reports that the pardon covered all remaining political prisoners; Freedom House still follows three detained activists with signs of political persecution." \
    >/dev/null

# Assessments of Belarus's UPR recommendations (when the search found them).
if [ -n "$rec_prisoners" ]; then
    rt assess "$rec_prisoners" partially --date 2015-08-22 --assessor "demo desk" \
        --source "data/belarus/political_prisoner_releases.csv" \
        --evidence "Six freed by presidential pardon on 22 August 2015." \
        >/dev/null
fi
if [ -n "$rec_elections" ]; then
    rt assess "$rec_elections" not-started --date 2016-12-08 --assessor ODIHR --source "$ODIHR" \
        --evidence "Long-standing ODIHR recommendations on counting, commission make-up, candidate and observer rights are still open after the 2016 elections." \
        >/dev/null
fi
if [ -n "$rec_death" ]; then
    rt assess "$rec_death" not-started --date 2023-03 --assessor "UN Human Rights Committee" \
        --source "CCPR/C/137/2/Add.1 (data/belarus/ccpr_followup_BLR_2023.json)" \
        --evidence "In its 2023 follow-up the Committee graded Belarus's action on the death penalty E on one part (contrary to the recommendation) and C on another." \
        >/dev/null
fi
echo "recorded: $D, rounds 1 and 2, steps $s_release and $s_sanctions, benchmark $b"
