-- rightstrack schema 23 in PostgreSQL's dialect (see the SQLite file of the same
-- number). 1. The search index's triggers: nothing to do here. SQLite's fired once
-- per row and now first ask whether the table holds anything; PostgreSQL's fire once
-- per statement (schema 21), which already costs nothing worth saving.
-- 2. An assessment may be "mostly" (implemented). PostgreSQL changes the CHECK in
-- place; the rows, the index and the triggers stay. Running it again changes nothing.
ALTER TABLE assessment DROP CONSTRAINT IF EXISTS assessment_status_check;
ALTER TABLE assessment ADD CONSTRAINT assessment_status_check
    CHECK (status IN ('not-started', 'in-progress', 'partially', 'mostly', 'fully', 'regressed',
                      'unknown', 'met', 'partly-met', 'not-met'));
