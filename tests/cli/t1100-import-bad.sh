#!/bin/sh
# Bad input through the command line: exit 1, file and line named, nothing imported.
. "$(dirname "$0")/../lib/test-lib.sh"

H='id,session,cycle,review_year,state_under_review,sur_region,sur_orgs,recommending_state,rs_region,rs_orgs,response,action_category,issues,text,source_file'
DB=$(new_db b)
printf '%s\n1,8,1,2010,Belarus,EEG,,Sweden,WEOG,,Noted,5,Detention,Release them,x\n' "$H" >"$TMP/good.csv"
check "a good file imports" "$RT" --db "$DB" import "$TMP/good.csv"

# The good file and a bad one: on SQLite into the database that holds the good file's
# row, which must stay alone; on PostgreSQL, which imports into an empty database only
# for now, into a new one, which must stay empty.
n_db=0
refused() {
    name=$1 file=$2 where=$3
    into=$DB want=1
    if [ "$RT_TEST_STORE" != sqlite ]; then n_db=$((n_db + 1)) into=$(new_db "b$n_db") want=0; fi
    "$RT" --db "$into" import "$TMP/good.csv" "$file" >"$TMP/out" 2>"$TMP/err"
    check_eq "$name: exit 1" 1 $?
    grep -qF "$where" "$TMP/err"
    check_eq "$name: the message names $where" 0 $?
    grep -q "nothing was imported" "$TMP/err"
    check_eq "$name: says nothing was imported" 0 $?
    check_eq "$name: database unchanged" "$want" "$("$RT" --db "$into" stats --json | json .recommendations)"
}

printf '%s\n1,8,1,2010,Belarus,EEG,,Sweden,WEOG,,Noted,5,,"Release\n' "$H" >"$TMP/trunc.csv"
refused "truncated quote" "$TMP/trunc.csv" "trunc.csv:2:"
printf '%s\n1,8,1,2010,Belarus,EEG,,Sweden,WEOG,,Noted,5,,Caf\351,x\n' "$H" >"$TMP/latin1.csv"
refused "invalid UTF-8" "$TMP/latin1.csv" "latin1.csv:2:"
{ printf '%s\n1,8,1,2010,Belarus,EEG,,Sweden,WEOG,,Noted,5,,' "$H"
  head -c 10485760 /dev/zero | tr '\0' a; printf ',x\n'; } >"$TMP/big.csv"
refused "10 MB field" "$TMP/big.csv" "big.csv:2:"
printf 'id,session,state_under_review,recommending_state,response,issues\n1,8,Belarus,Sweden,Noted,\n' >"$TMP/nocol.csv"
refused "missing column" "$TMP/nocol.csv" "nocol.csv:1: field 'text'"
: >"$TMP/empty.csv"
refused "empty file" "$TMP/empty.csv" "empty.csv: the file is empty"
printf '%s\n1,8,1,2010,Belarus,EEG,,Atlantis,WEOG,,Noted,5,,a,x\n2,8,1,2010,Lilliput,EEG,,Oceania,WEOG,,Noted,5,,b,x\n' "$H" >"$TMP/unk.csv"
refused "unknown state" "$TMP/unk.csv" "unk.csv:2: field 'recommending_state': unknown state 'Atlantis'"
grep -qF "unk.csv:3: field 'state_under_review': unknown state 'Lilliput'" "$TMP/err"
check_eq "every unknown name is listed" 0 $?
grep -qF "unk.csv:3: field 'recommending_state': unknown state 'Oceania'" "$TMP/err"
check_eq "every unknown name is listed (2)" 0 $?
printf 'country,capital\nNorway,Oslo\n' >"$TMP/other.csv"
refused "header of another format" "$TMP/other.csv" "other.csv:1: unknown format"
refused "missing file" "$TMP/nosuch.csv" "nosuch.csv: cannot open"
check_fails "import with no file is a usage error" 2 "$RT" --db "$DB" import
done_testing
