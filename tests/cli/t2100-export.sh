#!/bin/sh
# Exports from the command line: every hit of a search as CSV and XLSX, read back by
# readers other than ours (python's csv, openpyxl or xlsx2csv), holds the rows of
# `search --json`; sorting; a ledger list as CSV.
. "$(dirname "$0")/../lib/test-lib.sh"

ROWS="$ROOT/tests/lib/export_rows.py"

# A ledger list first, on the demo data (no real data needed).
DEMO=$(new_db demo)
demo_ledger "$DEMO"
"$RT" --db "$DEMO" step add --actor Belarus --date 2016-10 --kind statement \
    'A statement, with a comma and "quotes"' >/dev/null
"$RT" --db "$DEMO" step list --json >"$TMP/steps.json"
check "step list --format csv" "$RT" --db "$DEMO" step list --format csv
cp "$TMP/out" "$TMP/steps.csv"
check_eq "step list as CSV: the rows and cells of step list --json" ok "$(python3 -c 'import csv,json,sys
steps=json.load(open(sys.argv[1]))
rows=list(csv.DictReader(open(sys.argv[2],newline="",encoding="utf-8")))
cell=lambda v:"" if v is None else "; ".join(map(str,v)) if isinstance(v,list) else str(v)
ok=len(rows)==len(steps)>0 and all(r[k]==cell(s.get(k)) for r,s in zip(rows,steps) for k in r)
print("ok" if ok and any("\"quotes\"" in r["text"] for r in rows) else "differ: %d rows, %d steps" % (len(rows),len(steps)))' \
    "$TMP/steps.json" "$TMP/steps.csv")"
check_eq "CSV lines end in CRLF" yes "$(head -1 "$TMP/steps.csv" | od -c | grep -q '\\r  \\n' && echo yes)"
check "step list --out FILE.xlsx" "$RT" --db "$DEMO" step list --out "$TMP/steps.xlsx"
check_eq "an .xlsx file is a zip (Office Open XML)" PK "$(head -c 2 "$TMP/steps.xlsx")"
check_fails "step list: --format must be csv or xlsx" 2 "$RT" --db "$DEMO" step list --format pdf
check_fails "step list: --json and --format are two outputs" 2 \
    "$RT" --db "$DEMO" step list --json --format csv
check_fails "search: --format must be csv or xlsx" 2 "$RT" --db "$DEMO" search --format ods
check_fails "search: --sort must be an order we know" 2 "$RT" --db "$DEMO" search --sort colour
check_fails "search: a bad filter stops the export" 2 "$RT" --db "$DEMO" search --sur Atlantis \
    --format csv

need_data
DB=$(new_db e)
upr_db "$DB"

# Every recommendation of the UPR Info file: 35,368 rows.
for off in 0 10000 20000 30000; do
    "$RT" --db "$DB" search --json --limit 10000 --offset $off >"$TMP/all-$off.json"
done
check_eq "search --json: the whole file" 35368 "$(json .total <"$TMP/all-0.json")"
"$RT" --db "$DB" search --format csv >"$TMP/all.csv"
check_eq "search --format csv to standard output: exit 0" 0 $?
check_eq "CSV of 35,368 hits: the rows of search --json (python csv)" 35368 \
    "$(python3 "$ROWS" "$TMP/all.csv" "$TMP"/all-*.json 2>&1)"
check "search --format xlsx --out FILE" "$RT" --db "$DB" search --format xlsx --out "$TMP/all.xlsx"
check_eq "XLSX of 35,368 hits: the rows of search --json (openpyxl)" 35368 \
    "$(python3 "$ROWS" "$TMP/all.xlsx" "$TMP"/all-*.json 2>&1)"
check_eq "no temporary file is left beside the export" "all.xlsx" \
    "$(cd "$TMP" && ls | grep '^all\.xlsx')"
check_eq "--out FILE.csv writes CSV" "$(cat "$TMP/all.csv" | wc -c)" \
    "$("$RT" --db "$DB" search --out "$TMP/all2.csv" && wc -c <"$TMP/all2.csv")"

# The export reads for the reader it began for (rt_export_search): as the public, a
# private source is named nowhere (the views of src/store/private.c).
"$RT" --db "$DB" private source:1 >/dev/null
sources() { python3 -c 'import csv,sys
print(",".join(sorted({r["source"] for r in csv.DictReader(open(sys.argv[1],newline="",encoding="utf-8"))})))' "$1"; }
"$RT" --db "$DB" --as public search --sur Belarus --format csv >"$TMP/pub.csv"
"$RT" --db "$DB" search --sur Belarus --format csv >"$TMP/everyone.csv"
check_eq "as the public, the same rows" "$(wc -l <"$TMP/everyone.csv")" "$(wc -l <"$TMP/pub.csv")"
check_eq "without the private source" "" "$(sources "$TMP/pub.csv")"
check "which everybody reads" grep -q 'upr_info_s01-s18.csv' "$TMP/everyone.csv"
"$RT" --db "$DB" private --public source:1 >/dev/null

# A text search, sorted: the export keeps the order of the search.
"$RT" --db "$DB" search --json --limit 10000 torture --sort state >"$TMP/t.json"
"$RT" --db "$DB" search --format csv torture --sort state >"$TMP/t.csv"
check_eq "CSV of a sorted text search: its rows in its order" "$(json .total <"$TMP/t.json")" \
    "$(python3 "$ROWS" "$TMP/t.csv" "$TMP/t.json" 2>&1)"
check_eq "--sort state: states in order of name" ok "$(python3 -c 'import json,sys
h=json.load(open(sys.argv[1]))["hits"]; n=[x["state_under_review"] for x in h]
print("ok" if len(n)>1000 and n==sorted(n) else "not sorted")' "$TMP/t.json")"
"$RT" --db "$DB" search --json --limit 50 --sort session --desc --theme "Death penalty" >"$TMP/s.json"
"$RT" --db "$DB" search --json --limit 50 --sort session --theme "Death penalty" >"$TMP/s2.json"
check_eq "--sort session, and --desc: first session first, latest first" ok "$(python3 -c 'import json,sys
d=[x["session"] for x in json.load(open(sys.argv[1]))["hits"]]
a=[x["session"] for x in json.load(open(sys.argv[2]))["hits"]]
print("ok" if d==sorted(d,reverse=True) and a==sorted(a) and a[0]==1 and d[0]==18 else (a[:3],d[:3]))' \
    "$TMP/s.json" "$TMP/s2.json")"
"$RT" --db "$DB" search --json --limit 2000 --sort response --theme 'Death penalty' >"$TMP/r.json"
check_eq "--sort response: supported, noted, pledge, pending" ok "$(python3 -c 'import json,sys
o={"supported":0,"noted":1,"pledge":2,"pending":3}
r=[o[x["response"]] for x in json.load(open(sys.argv[1]))["hits"]]
print("ok" if r==sorted(r) and len(set(r))>1 else r[:5])' "$TMP/r.json")"

done_testing
