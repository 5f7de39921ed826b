-- rightstrack schema 16 in PostgreSQL's dialect: persons are private records too (see
-- the SQLite file of the same number for why).
--
-- PostgreSQL changes a CHECK in place, so private_record is not made anew: its check
-- of kinds is dropped and made again with 'person'. That, and marking every person of
-- an older database private, is done only when the check does not know persons yet,
-- so that running this again does not hide persons marked public since. SQLite's
-- store logs no entry for those rows (its new table has no audit triggers until the
-- migration ends), so the audit trigger is off while they are written.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_constraint
                   WHERE conrelid = 'private_record'::regclass AND contype = 'c'
                     AND pg_get_constraintdef(oid) LIKE '%''person''%') THEN
        ALTER TABLE private_record DROP CONSTRAINT IF EXISTS private_record_kind_check;
        ALTER TABLE private_record ADD CONSTRAINT private_record_kind_check
            CHECK (kind IN ('step', 'participant', 'assessment', 'source', 'person'));
        ALTER TABLE private_record DISABLE TRIGGER audit;
        INSERT INTO private_record(kind, id) SELECT 'person', id FROM person
            ON CONFLICT DO NOTHING;
        ALTER TABLE private_record ENABLE TRIGGER audit;
    END IF;
END $$;
