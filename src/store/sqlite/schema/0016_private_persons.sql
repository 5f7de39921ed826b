-- rightstrack schema 16: persons are private records too (issue 14).
--
-- A person can be marked private like a step or a source, and is private unless an
-- editor marks them public: the names of political prisoners are sensitive. Their
-- names, case events and the asks that name them follow the person (private.c).
--
-- SQLite cannot change a CHECK in place, so private_record is made anew with
-- 'person' among its kinds, in the way SQLite documents (a new table, the rows
-- copied, the old one dropped, the new one renamed); the store makes the audit
-- log's triggers of the new table again after every migration.
--
-- Every person of a database from before this schema becomes private: until now
-- only accounts that may see the register saw them. That is done only when the old
-- table did not know persons yet, so that running this migration again (the tests
-- replay migrations) does not hide persons marked public since.
CREATE TABLE private_record_16 (
    kind       TEXT NOT NULL CHECK (kind IN ('step', 'participant', 'assessment', 'source',
                                             'person')),
    id         INTEGER NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    PRIMARY KEY (kind, id)
) WITHOUT ROWID;
INSERT INTO private_record_16(kind, id, created_at)
    SELECT kind, id, created_at FROM private_record;
INSERT OR IGNORE INTO private_record_16(kind, id)
    SELECT 'person', id FROM person
    WHERE NOT EXISTS (SELECT 1 FROM sqlite_master
                      WHERE name = 'private_record' AND sql LIKE '%''person''%');
DROP TABLE private_record;
ALTER TABLE private_record_16 RENAME TO private_record;
