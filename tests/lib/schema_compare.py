#!/usr/bin/env python3
"""Compares the tables of a new SQLite database with those of a PostgreSQL database
built by src/store/pg/schema/ (issue 16), so that a migration added to one store only
is caught. Usage: schema_compare.py SQLITE_DB PG_DESCRIPTION
PG_DESCRIPTION is what tests/cli/t9010-pg-schema.sh reads off the catalogue, lines of
  col TABLE POS NAME TYPE NOTNULL PK
  fk TABLE COLS REFTABLE REFCOLS ONDELETE
  uq TABLE COLS
Compared: the tables, each table's columns in order with their type, NOT NULL and
primary key, the foreign keys (with ON DELETE) and the UNIQUE constraints. Prints each
difference and exits 1 when there is one."""
import sqlite3
import sys

# The differences that are meant: FTS5's own tables, and the full-text index, which
# is an FTS5 table in SQLite and a table with a tsvector in PostgreSQL.
SQLITE_ONLY = {"sqlite_sequence", "sqlite_stat1", "recommendation_fts_data",
               "recommendation_fts_idx", "recommendation_fts_docsize",
               "recommendation_fts_config", "recommendation_fts_content"}
DIFFERENT = {"recommendation_fts"}
TYPES = {"INTEGER": "bigint", "TEXT": "text", "REAL": "double precision", "BLOB": "bytea"}


def sqlite_side(path):
    db = sqlite3.connect(path)
    cols, fks, uqs = {}, set(), set()
    tables = [r[0] for r in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    for t in tables:
        if t in SQLITE_ONLY:
            continue
        cols[t] = []
        if t in DIFFERENT:  # a virtual table: its tokenizer lives in the store
            continue
        for cid, name, typ, notnull, _dflt, pk in db.execute(
                "SELECT cid, name, type, \"notnull\", dflt_value, pk FROM pragma_table_info(?)"
                " ORDER BY cid", (t,)):
            typ = TYPES.get(typ.split()[0].upper() if typ else "", typ or "?")
            cols[t].append((name, typ, "1" if (notnull or pk) else "0", "1" if pk else "0"))
        pkcols = {c[0] for c in cols[t] if c[3] == "1"}
        by_id = {}
        for fid, seq, ref, frm, to, _upd, on_delete in db.execute(
                "SELECT id, seq, \"table\", \"from\", \"to\", on_update, on_delete"
                " FROM pragma_foreign_key_list(?) ORDER BY id, seq", (t,)):
            if to is None:  # REFERENCES t without a column: its primary key
                to = [r[1] for r in db.execute(
                    "SELECT pk, name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk", (ref,))][0]
            e = by_id.setdefault(fid, [ref, [], [], on_delete.upper()])
            e[1].append(frm)
            e[2].append(to)
        for ref, frm, to, od in by_id.values():
            fks.add((t, ",".join(frm), ref, ",".join(to), od))
        for _seq, name, unique, origin, _partial in db.execute(
                "SELECT seq, name, \"unique\", origin, partial FROM pragma_index_list(?)", (t,)):
            if unique and origin == "u":
                cs = [r[0] for r in db.execute(
                    "SELECT name FROM pragma_index_info(?) ORDER BY seqno", (name,))]
                if set(cs) != pkcols:
                    uqs.add((t, ",".join(cs)))
    return cols, fks, uqs


def pg_side(path):
    cols, fks, uqs = {}, set(), set()
    with open(path, encoding="utf-8") as f:
        for line in f:
            p = line.rstrip("\n").split("|")
            if p[0] == "col":
                cols.setdefault(p[1], []).append((int(p[2]), (p[3], p[4], p[5], p[6])))
            elif p[1] in DIFFERENT:
                continue
            elif p[0] == "fk":
                fks.add((p[1], p[2], p[3], p[4], p[5]))
            elif p[0] == "uq":
                uqs.add((p[1], p[2]))
    return {t: [c for _, c in sorted(v)] for t, v in cols.items()}, fks, uqs


def main():
    s_cols, s_fks, s_uqs = sqlite_side(sys.argv[1])
    p_cols, p_fks, p_uqs = pg_side(sys.argv[2])
    bad = []
    for t in sorted(set(s_cols) - set(p_cols)):
        bad.append(f"table {t}: in SQLite only")
    for t in sorted(set(p_cols) - set(s_cols)):
        bad.append(f"table {t}: in PostgreSQL only")
    for t in sorted(set(s_cols) & set(p_cols) - DIFFERENT):
        s, p = s_cols[t], p_cols[t]
        if [c[0] for c in s] != [c[0] for c in p]:
            bad.append(f"table {t}: columns SQLite ({', '.join(c[0] for c in s)})"
                       f" PostgreSQL ({', '.join(c[0] for c in p)})")
            continue
        for a, b in zip(s, p):
            if a != b:
                bad.append(f"column {t}.{a[0]}: SQLite type {a[1]} not null {a[2]} pk {a[3]};"
                           f" PostgreSQL type {b[1]} not null {b[2]} pk {b[3]}")
    for fk in sorted(s_fks ^ p_fks):
        bad.append(f"foreign key {fk[0]}({fk[1]}) -> {fk[2]}({fk[3]}) on delete {fk[4]}: in "
                   + ("SQLite" if fk in s_fks else "PostgreSQL") + " only")
    for uq in sorted(s_uqs ^ p_uqs):
        bad.append(f"unique {uq[0]}({uq[1]}): in " + ("SQLite" if uq in s_uqs else "PostgreSQL")
                   + " only")
    for b in bad:
        print(b)
    print(f"{len(s_cols)} tables compared, {len(bad)} differences")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
