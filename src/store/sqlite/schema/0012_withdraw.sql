-- rightstrack schema 12: corrections and withdrawals (docs/user-guide.md, "Correct and
-- withdraw"). A ledger record is corrected in place (the audit log keeps what it was)
-- and withdrawn rather than deleted: `withdrawn` holds the reason (NULL: standing),
-- `withdrawn_on` the date from which it no longer holds. Reads leave a withdrawn
-- record out of every view as of that date or later; one withdrawn without a date was
-- a mistake and is left out of every view. Both stay in the database, the export and
-- the history.
--
-- Assessments stay append-only: a correction is a new assessment that names the one
-- it replaces, and reads leave the replaced one out.
ALTER TABLE dialogue ADD COLUMN withdrawn TEXT;
ALTER TABLE dialogue ADD COLUMN withdrawn_on TEXT;
ALTER TABLE round ADD COLUMN withdrawn TEXT;
ALTER TABLE round ADD COLUMN withdrawn_on TEXT;
ALTER TABLE participant ADD COLUMN withdrawn TEXT;
ALTER TABLE participant ADD COLUMN withdrawn_on TEXT;
ALTER TABLE topic ADD COLUMN withdrawn TEXT;
ALTER TABLE topic ADD COLUMN withdrawn_on TEXT;
ALTER TABLE ask ADD COLUMN withdrawn TEXT;
ALTER TABLE ask ADD COLUMN withdrawn_on TEXT;
ALTER TABLE step ADD COLUMN withdrawn TEXT;
ALTER TABLE step ADD COLUMN withdrawn_on TEXT;
ALTER TABLE link ADD COLUMN withdrawn TEXT;
ALTER TABLE link ADD COLUMN withdrawn_on TEXT;
ALTER TABLE commitment ADD COLUMN withdrawn TEXT;
ALTER TABLE commitment ADD COLUMN withdrawn_on TEXT;
ALTER TABLE benchmark ADD COLUMN withdrawn TEXT;
ALTER TABLE benchmark ADD COLUMN withdrawn_on TEXT;
ALTER TABLE assessment ADD COLUMN replaces INTEGER REFERENCES assessment(id);
CREATE INDEX IF NOT EXISTS assessment_replaces ON assessment(replaces) WHERE replaces IS NOT NULL;
