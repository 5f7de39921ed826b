-- rightstrack schema 13: private records (docs/user-guide.md, "Private records").
--
-- A step, a participant, an assessment or a source marked private is listed here,
-- by its kind and id; a record that is not listed is public. The mark lives in a
-- table of its own rather than in a column of each table, so that marking and
-- unmarking is one insert or delete (logged by the audit log like any write), the
-- append-only tables (assessment) stay append-only, and a new kind of record only
-- needs its kind in the check below.
--
-- Who may see what is decided in one place, src/store/sqlite/private.c: on a store
-- that reads for the public or a viewer (rt_store_set_reader), the tables of private
-- kinds are shadowed by temporary views without the rows listed here.
--
-- IF NOT EXISTS throughout: tests replay migrations on a database that has them.
CREATE TABLE IF NOT EXISTS private_record (
    kind       TEXT NOT NULL CHECK (kind IN ('step', 'participant', 'assessment', 'source')),
    id         INTEGER NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    PRIMARY KEY (kind, id)
) WITHOUT ROWID;
