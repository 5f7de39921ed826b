"""Compares an export (CSV or XLSX) with the hits of `search --json`.

usage: export_rows.py EXPORT JSON...

EXPORT is read by readers other than ours: python's csv module for .csv; openpyxl
(python3-openpyxl) for .xlsx, or, when this python has no openpyxl, Debian's
/usr/bin/python3 with it, or xlsx2csv. The JSON files are pages of `search --json`
(or the API's) whose hits, in order, are the rows the export must hold, cell for
cell: lists joined by "; ", null as an empty cell. Prints the number of rows
compared, or the first difference on stderr and exits 1.
"""
import csv
import io
import json
import os
import shutil
import subprocess
import sys

COLUMNS = ["id", "mechanism", "cycle", "session", "paragraph", "text", "state_under_review",
           "state_under_review_code", "recommending_states", "recommending_state_codes",
           "response", "action_category", "action_category_origin",
           "action_category_confidence", "themes", "source"]


def cell(v):
    """A value as the text a cell shows."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float) and v == int(v):
        return str(int(v))
    if isinstance(v, float):
        return "%.6g" % v
    if isinstance(v, list):
        return "; ".join(cell(x) for x in v)
    return str(v)


def xlsx_rows(path):
    try:
        import openpyxl  # noqa: F401
    except ImportError:
        if os.path.exists("/usr/bin/python3") and sys.executable != "/usr/bin/python3":
            out = subprocess.run(["/usr/bin/python3", "-c", "import openpyxl"],
                                 capture_output=True)
            if out.returncode == 0:
                dump = subprocess.run(
                    ["/usr/bin/python3", __file__, "--dump-xlsx", path],
                    capture_output=True, check=True, text=True).stdout
                return json.loads(dump)
        if shutil.which("xlsx2csv"):
            text = subprocess.run(["xlsx2csv", path], capture_output=True, check=True,
                                  text=True).stdout
            return list(csv.reader(io.StringIO(text)))
        sys.exit("no reader for xlsx: install python3-openpyxl or xlsx2csv (scripts/bootstrap)")
    return dump_xlsx(path)


def dump_xlsx(path):
    import openpyxl
    wb = openpyxl.load_workbook(path, read_only=True)
    return [[cell(v) for v in row] for row in wb.worksheets[0].iter_rows(values_only=True)]


def main():
    if sys.argv[1] == "--dump-xlsx":
        json.dump(dump_xlsx(sys.argv[2]), sys.stdout)
        return
    path, pages = sys.argv[1], sys.argv[2:]
    if path.endswith(".xlsx"):
        rows = xlsx_rows(path)
    else:
        with open(path, newline="", encoding="utf-8") as f:
            data = f.read()
        if data and not data.endswith("\r\n"):
            sys.exit("%s: a CSV line does not end in CRLF" % path)
        rows = list(csv.reader(io.StringIO(data, newline="")))
    hits = []
    for p in pages:
        with open(p, encoding="utf-8") as f:
            hits.extend(json.load(f)["hits"])
    if not rows or rows[0] != COLUMNS:
        sys.exit("%s: header %r" % (path, rows[0] if rows else None))
    body = rows[1:]
    if len(body) != len(hits):
        sys.exit("%s: %d rows, search --json has %d hits" % (path, len(body), len(hits)))
    for n, (row, hit) in enumerate(zip(body, hits), 2):
        row = row + [""] * (len(COLUMNS) - len(row))  # trailing empty cells
        for k, col in enumerate(COLUMNS):
            if col == "source":
                continue  # not in search --json
            want, got = cell(hit.get(col)), row[k]
            if col == "action_category_confidence" and want and got:
                if abs(float(want) - float(got)) < 1e-5:
                    continue
            if want != got:
                sys.exit("%s row %d, %s: %r, search --json has %r" % (path, n, col, got, want))
    print(len(body))


if __name__ == "__main__":
    main()
