#!/usr/bin/env python3
# bench/copies.py SRC K DST: the UPR Info file K times over (for bench/scale.sh and
# bench/compare.sh). Copy c > 0 gets new ids and " (copy c)" after each text, so
# that the import keeps every row.
import csv
import sys

src, k, dst = sys.argv[1], int(sys.argv[2]), sys.argv[3]
rows = list(csv.reader(open(src, encoding="utf-8", newline="")))
head, body = rows[0], rows[1:]
ti, ii = head.index("text"), head.index("id")
with open(dst, "w", encoding="utf-8", newline="") as f:
    w = csv.writer(f)
    w.writerow(head)
    for c in range(k):
        for r in body:
            r = list(r)
            if c:
                r[ii] = str(int(r[ii]) + c * 1000000) if r[ii].isdigit() else r[ii]
                r[ti] = r[ti] + " (copy %d)" % c
            w.writerow(r)
