#!/bin/sh
# The PostgreSQL migrations (src/store/pg/schema/, issue 16) on a throwaway cluster:
# they apply in order, and again without harm where SQLite's are written to; their
# tables, columns, keys and unique constraints are those of a new SQLite database, so
# that a migration added to one store only fails here; a planted difference is named;
# the plpgsql triggers (append-only tables, the audit log, the full-text index's stale
# rows, the repeats' staleness) do what SQLite's do.
. "$(dirname "$0")/../lib/test-lib.sh"
. "$ROOT/tests/lib/pg.sh"

need_pg
apply_all() {
    for f in "$ROOT"/src/store/pg/schema/[0-9]*.sql; do
        pg_psql -d "$1" -1 -f "$f" >/dev/null || { echo "failed: $f" >&2; return 1; }
    done
}
pg_psql -c 'CREATE DATABASE rt'
check "every migration applies, each in one transaction" apply_all rt
check_eq "the migrations are numbered as SQLite's" \
    "$(cd "$ROOT/src/store/sqlite/schema" && ls [0-9]*.sql | cut -c1-4 | tr '\n' ' ')" \
    "$(cd "$ROOT/src/store/pg/schema" && ls [0-9]*.sql | cut -c1-4 | tr '\n' ' ')"

describe() {
    pg_psql -d "$1" -F '|' <<'SQL'
SELECT 'col|' || c.relname || '|' || a.attnum || '|' || a.attname || '|'
       || format_type(a.atttypid, NULL) || '|' || CASE WHEN a.attnotnull THEN 1 ELSE 0 END
       || '|' || CASE WHEN a.attnum = ANY (coalesce(pk.conkey, '{}')) THEN 1 ELSE 0 END
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema()
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
LEFT JOIN pg_constraint pk ON pk.conrelid = c.oid AND pk.contype = 'p'
WHERE c.relkind = 'r'
UNION ALL
SELECT 'fk|' || c.conrelid::regclass || '|'
       || (SELECT string_agg(a.attname, ',' ORDER BY k.i)
           FROM unnest(c.conkey) WITH ORDINALITY k(n, i)
           JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n) || '|'
       || c.confrelid::regclass || '|'
       || (SELECT string_agg(a.attname, ',' ORDER BY k.i)
           FROM unnest(c.confkey) WITH ORDINALITY k(n, i)
           JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n) || '|'
       || CASE c.confdeltype WHEN 'c' THEN 'CASCADE' WHEN 'r' THEN 'RESTRICT'
                             WHEN 'n' THEN 'SET NULL' WHEN 'd' THEN 'SET DEFAULT'
                             ELSE 'NO ACTION' END
FROM pg_constraint c
WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace
UNION ALL
SELECT 'uq|' || c.conrelid::regclass || '|'
       || (SELECT string_agg(a.attname, ',' ORDER BY k.i)
           FROM unnest(c.conkey) WITH ORDINALITY k(n, i)
           JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n)
FROM pg_constraint c
WHERE c.contype = 'u' AND c.connamespace = current_schema()::regnamespace;
SQL
}

"$RT" --db "$TMP/new.db" init >/dev/null 2>&1
describe rt >"$TMP/pg.txt"
# (Its report goes to stderr, which a failed check prints.)
check "the tables are SQLite's, column for column" sh -c 'python3 "$@" >&2' - \
    "$ROOT/tests/lib/schema_compare.py" "$TMP/new.db" "$TMP/pg.txt"
say "# $(tail -n 1 "$TMP/err")"
check_eq "the comparison saw every table" yes \
    "$([ "$(grep -c '^col|' "$TMP/pg.txt")" -gt 200 ] && echo yes)"

# Drift: a column, a table and a foreign key added to PostgreSQL alone are named.
pg_psql -c 'CREATE DATABASE drift'
apply_all drift >/dev/null
pg_psql -d drift -c 'ALTER TABLE step ADD COLUMN extra text;
    CREATE TABLE gadget (id bigint PRIMARY KEY);
    ALTER TABLE topic ADD FOREIGN KEY (theme) REFERENCES meta(key)'
describe drift >"$TMP/drift.txt"
python3 "$ROOT/tests/lib/schema_compare.py" "$TMP/new.db" "$TMP/drift.txt" >"$TMP/diff" 2>&1
check_eq "a drifted schema fails the comparison" 1 "$?"
check "a column added to one store only is named" grep -q 'table step: columns .*extra' "$TMP/diff"
check "a table added to one store only is named" grep -q 'table gadget: in PostgreSQL only' "$TMP/diff"
check "a foreign key added to one store only is named" \
    grep -q 'foreign key topic(theme) -> meta(key) on delete NO ACTION: in PostgreSQL only' "$TMP/diff"

# The migrations that SQLite's store runs again on an older database (IF NOT EXISTS).
rerun() {
    for n in 0010 0012 0013 0015 0016 0017 0018 0020 0021 0023 0024 0025; do
        pg_psql -d rt -1 -f "$ROOT"/src/store/pg/schema/${n}_*.sql >/dev/null 2>"$TMP/rerun.err" ||
            { cat "$TMP/rerun.err" >&2; return 1; }
    done
}
check "0010, 0012, 0013, 0015, 0016-0021 and 0023-0025 run again without harm" rerun

q() { pg_psql -d rt -c "$1" 2>"$TMP/q.err"; }
q "INSERT INTO dialogue(name) VALUES ('US-Belarus');
   INSERT INTO round(dialogue_id, ordinal, date) VALUES (1, 1, '2016-05');
   UPDATE dialogue SET kind = 'bilateral';
   UPDATE dialogue SET name = 'US–Belarus';
   INSERT INTO account(name, role, password, created_at)
       VALUES ('alice', 'admin', 'secret', '2026-12-05T00:00:00Z');
   DELETE FROM round;" >/dev/null
check_eq "inserts, a real update and a delete are logged in order" \
    "dialogue insert dialogue:1 - round insert round:1 dialogue:1 dialogue update dialogue:1 - account insert account:1 - round delete round:1 dialogue:1" \
    "$(q "SELECT string_agg(tbl || ' ' || op || ' ' || record || ' ' || coalesce(ref1, '-'), ' '
          ORDER BY id) FROM audit_log")"
check_eq "an entry holds the row before and after, columns in order, as SQLite writes it" \
    '{"id":1,"name":"US-Belarus","kind":"bilateral","created_at":"X","withdrawn":null,"withdrawn_on":null}' \
    "$(q "SELECT regexp_replace(before, '\"created_at\":\"[^\"]*\"', '\"created_at\":\"X\"')
          FROM audit_log WHERE op = 'update'")"
check_eq "an account's password is never logged" 0 \
    "$(q "SELECT count(*) FROM audit_log WHERE after LIKE '%secret%' OR after LIKE '%password%'")"
check_eq "created_at is UTC as SQLite writes it" 1 \
    "$(q "SELECT count(*) FROM dialogue WHERE created_at ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$'")"
q "UPDATE audit_log SET hash = 'h' WHERE id = 1" >/dev/null
check_fails "a sealed entry cannot be changed" 1 pg_psql -d rt -c "UPDATE audit_log SET actor = 'x' WHERE id = 1"
cp "$TMP/err" "$TMP/refusal"
check "the refusal says why" grep -q 'the audit log is append-only' "$TMP/refusal"
check_fails "no entry can be removed" 1 pg_psql -d rt -c "DELETE FROM audit_log WHERE id = 2"
q "INSERT INTO assessment(target_kind, target_id, as_of, status) VALUES ('ask', 1, '2016', 'unknown')" >/dev/null
check_fails "assessments are append-only" 1 pg_psql -d rt -c "UPDATE assessment SET status = 'met'"
cp "$TMP/err" "$TMP/refusal"
check "with SQLite's message" grep -q 'assessments are history: add a new one instead' "$TMP/refusal"
check_eq "schema 23: an assessment may be mostly" 1 \
    "$(q "INSERT INTO assessment(target_kind, target_id, as_of, status) VALUES ('ask', 1, '2019', 'mostly') RETURNING 1")"
check_fails "schema 23: a status that is none is refused" 1 pg_psql -d rt -c \
    "INSERT INTO assessment(target_kind, target_id, as_of, status) VALUES ('ask', 1, '2019', 'largely')"

q "INSERT INTO state(code, name) VALUES ('BLR', 'Belarus');
   INSERT INTO recommendation(sur_id, text, key_hash) VALUES (1, 'Abolish the death penalty', 7);
   INSERT INTO recommendation_fts VALUES (1, \$\$'abolish':1 'death':3 'penalti':4\$\$);
   INSERT INTO meta VALUES ('repeats', 'v1 0.5 1 1');
   UPDATE recommendation SET response = 'noted';" >/dev/null
check_eq "a change of response leaves the index row" 1 "$(q 'SELECT count(*) FROM recommendation_fts')"
check_eq "the index is searched by our lexemes" 1 \
    "$(q "SELECT count(*) FROM recommendation_fts WHERE lexemes @@ 'penalti & death'::tsquery")"
q "UPDATE recommendation SET text = 'Abolish capital punishment'" >/dev/null
check_eq "a changed text drops its index row" 0 "$(q 'SELECT count(*) FROM recommendation_fts')"
check_eq "and makes the repeats stale" 0 "$(q "SELECT count(*) FROM meta WHERE key = 'repeats'")"
# Schema 17-21: an ODIHR recommendation's election goes with it; a round links to
# recommendations; the search index on disk is emptied by a change of what it is made of.
q "INSERT INTO recommendation_election(rec_id, election, election_date) VALUES (1, 'elections', '2024');
   INSERT INTO search_index VALUES (0, 0, 'noted', 0, '\\x00');
   INSERT INTO link(from_kind, from_id, relation, to_kind, to_id) VALUES ('round', 5, 'about', 'recommendation', 1);
   UPDATE recommendation SET paragraph = 'A/HRC/30/3, 127.1'" >/dev/null
check_eq "a round links to a recommendation" 1 "$(q "SELECT count(*) FROM link WHERE from_kind = 'round'")"
check_eq "a changed paragraph empties the search index" 0 "$(q 'SELECT count(*) FROM search_index')"
q "DELETE FROM recommendation" >/dev/null
check_eq "a recommendation's election goes with it" 0 "$(q 'SELECT count(*) FROM recommendation_election')"
# The same writes on both stores log the same entries: table, operation, the record's
# name and the records it belongs to, and the row before and after (compared as JSON:
# SQLite writes it compact, PostgreSQL with spaces; created_at is the clock's).
cat >"$TMP/writes.sql" <<'SQL'
INSERT INTO dialogue(name) VALUES ('US-Belarus');
INSERT INTO dialogue_party(dialogue_id, party, position) VALUES (1, 'USA', 1);
INSERT INTO round(dialogue_id, ordinal, date) VALUES (1, 1, '2016-05');
INSERT INTO topic(round_id, text) VALUES (1, 'Political prisoners');
INSERT INTO ask(round_id, from_party, to_party, text) VALUES (1, 'USA', 'BLR', 'Release them');
INSERT INTO step(actor, date, kind, direction, text) VALUES ('BLR', '2016', 'release', 'positive', 'Freed six');
INSERT INTO link(from_kind, from_id, relation, to_kind, to_id) VALUES ('step', 1, 'answers', 'ask', 1);
INSERT INTO ledger_theme(item_kind, item_id, area) VALUES ('ask', 1, 'detention');
UPDATE step SET text = 'Freed six prisoners' WHERE id = 1;
UPDATE step SET text = 'Freed six prisoners' WHERE id = 1;
INSERT INTO commitment(round_id, party, promise) VALUES (1, 'USA', 'Lift sanctions');
INSERT INTO commitment_status(commitment_id, as_of, status) VALUES (1, '2016-06', 'open');
INSERT INTO benchmark(dialogue_id, text) VALUES (1, 'All freed');
INSERT INTO assessment(target_kind, target_id, as_of, status) VALUES ('ask', 1, '2016-07', 'partially');
INSERT INTO person(name) VALUES ('A. B.');
INSERT INTO person_name(person_id, name, key) VALUES (1, 'A. B.', 'a b');
INSERT INTO case_event(person_id, date, event) VALUES (1, '2020', 'detained');
INSERT INTO case_event(person_id, date, event, step_id) VALUES (1, '2021', 'released', 1);
INSERT INTO ask_person(ask_id, person_id) VALUES (1, 1);
INSERT INTO account(name, role, password, created_at) VALUES ('alice', 'admin', 'x', '2026');
UPDATE account SET disabled = 1;
UPDATE account SET password = 'y';
INSERT INTO private_record(kind, id) VALUES ('step', 1);
DELETE FROM private_record;
UPDATE ask SET withdrawn = 'wrong', withdrawn_on = '2016-08' WHERE id = 1;
DELETE FROM link;
SQL
pg_psql -c 'CREATE DATABASE parity'
apply_all parity >/dev/null
cp "$TMP/new.db" "$TMP/parity.db"
check "the writes run on SQLite (its shell fires the store's audit triggers)" \
    sqlite3 "$TMP/parity.db" ".read $TMP/writes.sql"
check "and on PostgreSQL" pg_psql -d parity -f "$TMP/writes.sql"
log_rows='SELECT tbl, op, record, coalesce(ref1, '"'-'"'), coalesce(ref2, '"'-'"'),
    coalesce(before, '"'null'"'), coalesce(after, '"'null'"') FROM audit_log ORDER BY id'
sqlite3 -separator '|' "$TMP/parity.db" "$log_rows" >"$TMP/log.sqlite"
pg_psql -d parity -F '|' -c "$log_rows" >"$TMP/log.pg"
norm() {
    python3 -c 'import json, sys
for line in sys.stdin:
    p = line.rstrip("\n").split("|")
    rows = []
    for j in p[5:7]:
        v = json.loads(j)
        if isinstance(v, dict) and "created_at" in v:
            v["created_at"] = "T"
        rows.append(json.dumps(v))
    print("|".join(p[:5] + rows))' <"$1"
}
check_eq "both logs hold the same entries" "$(norm "$TMP/log.sqlite")" "$(norm "$TMP/log.pg")"
check_eq "to the byte (the times of creation aside)" \
    "$(sed 's/"created_at":"[^"]*"/"created_at":"T"/g' "$TMP/log.sqlite")" \
    "$(sed 's/"created_at":"[^"]*"/"created_at":"T"/g' "$TMP/log.pg")"
check_eq "every write that changed something logged was logged (not the no-op, not the password)" 24 "$(wc -l <"$TMP/log.pg")"
done_testing
