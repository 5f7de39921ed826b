-- rightstrack schema 11: the audit log, a history of every write that cannot be
-- rewritten unnoticed (docs/user-guide.md, "The history of every record").
--
-- Each ledger table has three triggers (AFTER INSERT, UPDATE and DELETE) that append
-- a row here: the table, the record as the command line names it ("step:3"), the
-- operation, and the row before and after as JSON. The store makes those triggers
-- itself from the tables' columns after every migration (src/store/sqlite/audit.c),
-- so a later migration that adds a column is logged in full without copying them.
--
-- The triggers are plain SQL, so they fire for any program that writes the file,
-- the sqlite3 shell included. The rightstrack store alone seals an entry in the same
-- statement (a temporary trigger of its own connection): it sets who and when and
-- the BLAKE2b hash of the entry chained to the hash of the sealed entry before it.
-- An entry without a hash was written behind the program's back; `audit verify`
-- names it.
--
-- IF NOT EXISTS throughout: tests replay migrations on a database that has them.
CREATE TABLE IF NOT EXISTS audit_log (
    id        INTEGER PRIMARY KEY AUTOINCREMENT, -- never reused: a gap is a removed entry
    at        TEXT,          -- UTC, "2026-12-05T07:04:13Z"; NULL until sealed
    actor     TEXT,          -- "cli:alice", "web:anonymous", an account's name
    via       TEXT,          -- the command or request: "step add", "POST /api/v1/steps"
    tbl       TEXT NOT NULL, -- the table written ("step"), or "import" for an import
    op        TEXT NOT NULL, -- insert, update, delete, snapshot, import
    record    TEXT NOT NULL, -- "step:3", "step:3 answers ask:2", "source:2"
    ref1      TEXT,          -- the records it belongs to or joins ("round:2"), for history
    ref2      TEXT,
    before    TEXT,          -- JSON of the row before; NULL for an insert
    after     TEXT,          -- JSON of the row after; NULL for a delete
    prev_hash TEXT,          -- hex hash of the sealed entry before; NULL for the first
    hash      TEXT           -- hex BLAKE2b-256 of prev_hash and this entry; NULL: unsealed
);
CREATE INDEX IF NOT EXISTS audit_log_record ON audit_log(record);
CREATE INDEX IF NOT EXISTS audit_log_ref1 ON audit_log(ref1) WHERE ref1 IS NOT NULL;
CREATE INDEX IF NOT EXISTS audit_log_ref2 ON audit_log(ref2) WHERE ref2 IS NOT NULL;
CREATE INDEX IF NOT EXISTS audit_log_tbl ON audit_log(tbl, record);

-- Append-only: a sealed entry is never changed and no entry is removed. These stop
-- mistakes, not a determined person with the file (they can drop them); the hash
-- chain and `audit verify` are what catch that.
CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log WHEN OLD.hash IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
