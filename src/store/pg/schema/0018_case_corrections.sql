-- rightstrack schema 18 in PostgreSQL's dialect: corrections and withdrawals of a
-- person's case events, and the state that holds a person (see the SQLite file of the
-- same number). The SQLite store adds the columns in C before the file runs
-- (added_columns in src/store/sqlite/sqlite.c); PostgreSQL's ALTER TABLE has IF NOT
-- EXISTS, so they are here, in the same order, and the audit log (to_json of the row)
-- holds them as SQLite's does.
ALTER TABLE case_event ADD COLUMN IF NOT EXISTS withdrawn text;
ALTER TABLE case_event ADD COLUMN IF NOT EXISTS withdrawn_on text;
ALTER TABLE person ADD COLUMN IF NOT EXISTS state text;
CREATE INDEX IF NOT EXISTS case_event_withdrawn ON case_event(person_id)
    WHERE withdrawn IS NOT NULL;
