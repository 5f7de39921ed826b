"""XLSX helpers for the import tests, with python's zipfile and xml.etree only
(readers other than ours).

usage:
  xlsx_tool.py figures DIHR.xlsx [UPR_INFO.csv]
      prints a JSON object of figures computed from the workbook: rows, recommendations
      (distinct report, state under review and text), per state under review of
      session 22 its recommendations by response and their texts, and with the UPR
      Info file, how many recommendations of sessions 13-18 have the same session and
      text there (matched) and how many do not (unmatched).
  xlsx_tool.py cycle1 DIHR.xlsx UPR_INFO.csv
      the same for the cycle-1 workbook, whose report symbols give no session by
      arithmetic alone: a recommendation's session is the one UPR Info gives its state
      under review (by name; a state UPR Info names otherwise takes the session UPR
      Info gives the other states of the same report's HRC session). Prints rows,
      recommendations, per session the recommendations, Belarus by response, the
      sessions as (session, text) pairs, and matched / unmatched as above.
  xlsx_tool.py make OUT.xlsx KIND
      writes a small workbook: "good" (shared and inline strings, a rich-text run, a
      number, left-out cells), or a bad one (see BAD below).
"""
import csv
import json
import re
import struct
import sys
import unicodedata
import zipfile
import xml.etree.ElementTree as ET

NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def col_index(ref):
    n = 0
    for ch in ref:
        if not ch.isalpha():
            break
        n = n * 26 + ord(ch) - ord("A") + 1
    return n - 1


def sheet_rows(path):
    """The rows of the first sheet as lists of strings (empty cells as '')."""
    z = zipfile.ZipFile(path)
    ss = []
    for _, el in ET.iterparse(z.open("xl/sharedStrings.xml")):
        if el.tag == NS + "si":
            ss.append("".join(t.text or "" for t in el.iter(NS + "t")))
            el.clear()
    for _, el in ET.iterparse(z.open("xl/worksheets/sheet1.xml")):
        if el.tag != NS + "row":
            continue
        row = []
        for c in el.iter(NS + "c"):
            v = c.find(NS + "v")
            k = col_index(c.get("r"))
            while len(row) <= k:
                row.append("")
            if v is not None and v.text is not None:
                row[k] = ss[int(v.text)] if c.get("t") == "s" else v.text
        yield row
        el.clear()


def clean(text):
    """The import's text rule: NFC, white space folded, a trailing ';' dropped."""
    t = " ".join(unicodedata.normalize("NFC", text).split())
    return t.rstrip(";")


def figures(path, upr_info=None):
    it = sheet_rows(path)
    head = next(it)
    col = {name: i for i, name in enumerate(head)}

    def get(row, name):
        i = col[name]
        return row[i] if i < len(row) else ""

    rows = 0
    recs = {}
    bare = odd = 0
    rows22 = {}
    for row in it:
        if not any(row):
            continue
        rows += 1
        doc = get(row, "Document")
        m = re.match(r"Source:A/HRC/(\d+)/", doc)
        session = int(m.group(1)) - 8
        para = doc.split("|")[1] if "|" in doc else ""
        bare += not para
        odd += not re.match(r"^Source:A/HRC/\d+/\d+\|\d+(\.\d+)?\|$", doc)
        if session == 22:
            r22 = rows22.setdefault(get(row, "Recommendation"), {"rows": 0, "paragraphs": set()})
            r22["rows"] += 1
            r22["paragraphs"].add((doc.split("|")[0], para))
        key = (session, get(row, "Recommendation"), clean(get(row, "Tekst")))
        rec = recs.setdefault(key, {"response": get(row, "Response"), "by": set(),
                                    "sdg": set()})
        rec["by"].add(get(row, "Recommending state"))
        for column in ("Goals", "Targets"):
            # Comma-separated; a goal's name may hold a comma, a label starts with a digit.
            for label in re.split(r",\s*(?=\d)", get(row, column)):
                label = label.strip()
                if label and label != "No SDG link identified":
                    rec["sdg"].add(label)
    out = {"rows": rows, "recommendations": len(recs), "session22": {},
           "bare_symbol_rows": bare, "rows_without_plain_paragraph": odd,
           "sessions_13_18": sum(1 for (s, _, _) in recs if 13 <= s <= 18)}
    for (session, sur, text), rec in recs.items():
        if session != 22:
            continue
        s = out["session22"].setdefault(sur, {"total": 0, "Supported": 0, "Noted": 0,
                                              "texts": {}, "sdg": {}})
        s["total"] += 1
        for label in rec["sdg"]:
            s["sdg"][label] = s["sdg"].get(label, 0) + 1
        s[rec["response"]] = s.get(rec["response"], 0) + 1
        s["texts"][text] = sorted(rec["by"])
        s["rows"] = rows22[sur]["rows"]
        s["paragraphs"] = len(rows22[sur]["paragraphs"])
    if upr_info:
        known = set()
        with open(upr_info, newline="", encoding="utf-8") as f:
            for r in csv.DictReader(f):
                known.add((int(r["session"]), clean(r["text"])))
        matched = unmatched = 0
        for (session, sur, text) in recs:
            if 13 <= session <= 18:
                if (session, text) in known:
                    matched += 1
                else:
                    unmatched += 1
        out["matched"] = matched
        out["unmatched"] = unmatched
    return out


def cycle1(path, upr_info):
    it = sheet_rows(path)
    head = next(it)
    col = {name: i for i, name in enumerate(head)}
    known = set()
    session_of = {}
    with open(upr_info, newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            s = int(r["session"])
            known.add((s, clean(r["text"])))
            if s <= 12:
                session_of[r["state_under_review"]] = s
    # The states of HRC session 8 (UPR sessions 1 and 2 both) UPR Info names otherwise.
    session_of["Czechia"] = session_of["Czech Republic"]
    session_of["United Kingdom of Great Britain and Northern Ireland"] = \
        session_of["United Kingdom"]
    rows = 0
    recs = {}
    for row in it:
        if not any(row):
            continue
        rows += 1
        get = lambda name: row[col[name]] if col[name] < len(row) else ""
        hrc = int(re.match(r"Source:A/HRC/(\d+)/", get("Document")).group(1))
        key = (hrc, get("Recommendation"), clean(get("Tekst")))
        rec = recs.setdefault(key, {"response": get("Response")})
    # The sessions UPR Info gives the states of each HRC session; a state it names
    # otherwise takes the one other states of its HRC session have, if only one.
    by_hrc = {}
    for (hrc, sur, text) in recs:
        if sur in session_of:
            by_hrc.setdefault(hrc, set()).add(session_of[sur])
    out = {"rows": rows, "recommendations": len(recs), "sessions": {}, "belarus": {},
           "pairs": [], "matched": 0, "unmatched": 0, "unplaced": 0}
    for (hrc, sur, text), rec in recs.items():
        if sur in session_of:
            s = session_of[sur]
        elif len(by_hrc.get(hrc, ())) == 1:
            s = next(iter(by_hrc[hrc]))
        else:
            out["unplaced"] += 1
            continue
        out["sessions"][s] = out["sessions"].get(s, 0) + 1
        out["pairs"].append([s, text])
        if sur == "Belarus":
            out["belarus"][rec["response"]] = out["belarus"].get(rec["response"], 0) + 1
            out["belarus"]["session"] = s
        if (s, text) in known:
            out["matched"] += 1
        else:
            out["unmatched"] += 1
    return out


HEADER = ["Goals", "Recommendation", "Tekst", "Targets", "Keywords", "Response",
          "Recommending state", "Mechanism", "Procedures", "Treaties", "Type", "field_year",
          "Document"]
MAIN = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
REL = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
RELS_NS = 'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"'
T_SHEET = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
T_SST = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"


def letters(k):
    s = ""
    k += 1
    while k:
        k, r = divmod(k - 1, 26)
        s = chr(ord("A") + r) + s
    return s


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def workbook(out, sheet_xml, strings=None, rels_strings=True, prolog="", big=0):
    """Writes a workbook of one sheet named Explorer (with big MiB of blanks in it)."""
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        z.writestr("xl/workbook.xml",
                   f'<?xml version="1.0"?><workbook {MAIN} {REL}><sheets>'
                   f'<sheet name="Explorer" sheetId="1" r:id="rId4"/></sheets></workbook>')
        rels = f'<Relationship Id="rId4" Type="{T_SHEET}" Target="worksheets/sheet1.xml"/>'
        if rels_strings:
            rels += f'<Relationship Id="rId3" Type="{T_SST}" Target="sharedStrings.xml"/>'
        z.writestr("xl/_rels/workbook.xml.rels",
                   f'<?xml version="1.0"?><Relationships {RELS_NS}>{rels}</Relationships>')
        if strings is not None:
            si = "".join(f"<si><t>{esc(s)}</t></si>" for s in strings)
            z.writestr("xl/sharedStrings.xml", f'<?xml version="1.0"?><sst {MAIN}>{si}</sst>')
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=big > 0) as f:
            f.write(f'<?xml version="1.0"?>{prolog}<worksheet {MAIN}><sheetData>{sheet_xml}'
                    .encode())
            blank = b" " * (1 << 20)
            for _ in range(big):
                f.write(blank)
            f.write(b"</sheetData></worksheet>")


def shared_rows(rows, strings):
    """Sheet XML for rows of strings, every cell a shared string."""
    xml = ""
    for i, row in enumerate(rows, 1):
        cells = ""
        for k, v in enumerate(row):
            if v == "":
                continue
            if v not in strings:
                strings.append(v)
            cells += f'<c r="{letters(k)}{i}" t="s"><v>{strings.index(v)}</v></c>'
        xml += f'<row r="{i}">{cells}</row>'
    return xml


GOOD_ROW = ["4. Quality education", "Belarus", "Strengthen human rights education in schools",
            "4.7", "", "Supported", "Poland", "(Universal Periodic Review)", "", "",
            "Recommendation", "2015 Cycle 2", "Source:A/HRC/30/3|127.40|"]


def make(out, kind):
    strings = []
    if kind == "good":
        # Row 2 all shared strings; row 3 inline strings with a rich-text run and a
        # phonetic run, the target a number, the empty cells left out, the row number
        # skipping one (row 4 is absent: nothing in it).
        sheet = shared_rows([HEADER, GOOD_ROW], strings)
        sheet += (
            '<row r="3">'
            '<c r="A3" t="inlineStr"><is><t>16. Peace, justice and strong institutions,'
            '5. Gender equality</t></is></c>'
            '<c r="B3" t="inlineStr"><is><t>Belarus</t></is></c>'
            '<c r="C3" t="inlineStr"><is><r><t xml:space="preserve">Abolish the  </t></r>'
            '<r><rPr><b/></rPr><t>death penalty</t></r><rPh sb="0" eb="1"><t>X</t></rPh>'
            '</is></c>'
            '<c r="D3"><v>16.3</v></c><c r="E3"><v>1E300</v></c>'
            '<c r="F3" t="inlineStr"><is><t>Noted</t></is></c>'
            '<c r="G3" t="inlineStr"><is><t>Sweden</t></is></c>'
            '<c r="I3"><v>inf</v></c><c r="J3" t="b"><v>1</v></c>'
            '<c r="K3" t="e"><v>#N/A</v></c>'
            '<c r="M3" t="inlineStr"><is><t>Source:A/HRC/30/3</t></is></c>'
            '</row>'
            '<row r="5"><c r="A5" t="s"><v>13</v></c><c r="B5" t="inlineStr"><is><t>Belarus'
            '</t></is></c><c r="C5" t="inlineStr"><is><t>Abolish the death penalty;</t></is>'
            '</c><c r="D5"><v>1.63E1</v></c><c r="F5" t="inlineStr"><is><t>Noted</t></is></c>'
            '<c r="G5" t="inlineStr"><is><t>Estonia</t></is></c>'
            '<c r="M5" t="inlineStr"><is><t>Source:A/HRC/30/3|127.2|</t></is></c></row>')
        workbook(out, sheet, strings)
    elif kind == "other-columns":
        workbook(out, shared_rows([["country", "capital"], ["Norway", "Oslo"]], strings),
                 strings)
    elif kind == "empty-sheet":
        workbook(out, "", [])
    elif kind == "missing-strings":
        workbook(out, shared_rows([HEADER, GOOD_ROW], strings), None)
    elif kind == "no-strings-part":
        workbook(out, shared_rows([HEADER, GOOD_ROW], strings), None, rels_strings=False)
    elif kind == "bad-response":
        row = list(GOOD_ROW)
        row[5] = "Perhaps"
        workbook(out, shared_rows([HEADER, GOOD_ROW, row], strings), strings)
    elif kind == "bad-index":
        sheet = shared_rows([HEADER, GOOD_ROW], strings)
        sheet += '<row r="3"><c r="C3" t="s"><v>999</v></c></row>'
        workbook(out, sheet, strings)
    elif kind == "beyond-header":
        sheet = shared_rows([HEADER, GOOD_ROW], strings)
        sheet += '<row r="3"><c r="Q3" t="inlineStr"><is><t>stray</t></is></c></row>'
        workbook(out, sheet, strings)
    elif kind == "external-entity":
        workbook(out, shared_rows([HEADER, GOOD_ROW], strings).replace("Poland", "&xxe;"),
                 strings, prolog='<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM '
                 '"file:///etc/passwd">]>')
    elif kind == "billion-laughs":
        ents = '<!ENTITY l0 "lol">' + "".join(
            f'<!ENTITY l{i} "{("&l%d;" % (i - 1)) * 10}">' for i in range(1, 10))
        workbook(out, shared_rows([HEADER, GOOD_ROW], strings), strings,
                 prolog=f"<!DOCTYPE worksheet [{ents}]>")
    elif kind == "zip-bomb":
        # A sheet that inflates to 257 MiB, mostly blanks (about 250 KB compressed).
        workbook(out, shared_rows([HEADER, GOOD_ROW], strings), strings, big=257)
    elif kind == "zip-bomb-liar":
        # The same, with headers that say the sheet inflates to 1,000 bytes.
        make(out, "zip-bomb")
        with open(out, "rb") as f:
            b = bytearray(f.read())
        name = b"xl/worksheets/sheet1.xml"
        i = b.find(b"PK\x01\x02")
        while i >= 0:  # the central directory: a 32-bit size
            nl = struct.unpack("<H", b[i + 28:i + 30])[0]
            if bytes(b[i + 46:i + 46 + nl]) == name:
                b[i + 24:i + 28] = struct.pack("<I", 1000)
            i = b.find(b"PK\x01\x02", i + 4)
        i = b.find(b"PK\x03\x04")
        while i >= 0:  # the local header: a size in its zip64 extra field
            nl, el = struct.unpack("<HH", b[i + 26:i + 30])
            if bytes(b[i + 30:i + 30 + nl]) == name:
                k = i + 30 + nl
                while k < i + 30 + nl + el:
                    hid, sz = struct.unpack("<HH", b[k:k + 4])
                    if hid == 1:
                        b[k + 4:k + 12] = struct.pack("<Q", 1000)
                    k += 4 + sz
            i = b.find(b"PK\x03\x04", i + 4)
        with open(out, "wb") as f:
            f.write(b)
    elif kind == "truncated":
        make(out, "good")
        with open(out, "rb") as f:
            b = f.read()
        with open(out, "wb") as f:
            f.write(b[: len(b) // 2])
    else:
        sys.exit(f"unknown kind {kind}")


if __name__ == "__main__":
    if sys.argv[1] == "figures":
        print(json.dumps(figures(sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else None)))
    elif sys.argv[1] == "cycle1":
        print(json.dumps(cycle1(sys.argv[2], sys.argv[3])))
    elif sys.argv[1] == "make":
        make(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
