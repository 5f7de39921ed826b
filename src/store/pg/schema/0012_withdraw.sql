-- rightstrack schema 12 in PostgreSQL's dialect: corrections and withdrawals. The
-- SQLite store adds these columns in C before the file runs (its ALTER TABLE has no
-- IF NOT EXISTS); PostgreSQL's has, so they are here.
ALTER TABLE dialogue ADD COLUMN IF NOT EXISTS withdrawn text;
ALTER TABLE dialogue ADD COLUMN IF NOT EXISTS withdrawn_on text;
ALTER TABLE round ADD COLUMN IF NOT EXISTS withdrawn text;
ALTER TABLE round ADD COLUMN IF NOT EXISTS withdrawn_on text;
ALTER TABLE participant ADD COLUMN IF NOT EXISTS withdrawn text;
ALTER TABLE participant ADD COLUMN IF NOT EXISTS withdrawn_on text;
ALTER TABLE topic ADD COLUMN IF NOT EXISTS withdrawn text;
ALTER TABLE topic ADD COLUMN IF NOT EXISTS withdrawn_on text;
ALTER TABLE ask ADD COLUMN IF NOT EXISTS withdrawn text;
ALTER TABLE ask ADD COLUMN IF NOT EXISTS withdrawn_on text;
ALTER TABLE step ADD COLUMN IF NOT EXISTS withdrawn text;
ALTER TABLE step ADD COLUMN IF NOT EXISTS withdrawn_on text;
ALTER TABLE link ADD COLUMN IF NOT EXISTS withdrawn text;
ALTER TABLE link ADD COLUMN IF NOT EXISTS withdrawn_on text;
ALTER TABLE commitment ADD COLUMN IF NOT EXISTS withdrawn text;
ALTER TABLE commitment ADD COLUMN IF NOT EXISTS withdrawn_on text;
ALTER TABLE benchmark ADD COLUMN IF NOT EXISTS withdrawn text;
ALTER TABLE benchmark ADD COLUMN IF NOT EXISTS withdrawn_on text;
ALTER TABLE assessment ADD COLUMN IF NOT EXISTS replaces bigint REFERENCES assessment(id);
CREATE INDEX IF NOT EXISTS assessment_replaces ON assessment(replaces) WHERE replaces IS NOT NULL;
