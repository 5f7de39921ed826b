-- rightstrack schema 18: corrections and withdrawals of a person's case events
-- (docs/persons.md, "Correcting a case"). An event is corrected in place, the audit
-- log keeping what it was, and withdrawn rather than deleted, as the ledger's records
-- are (schema 12): case_event.withdrawn holds the reason (NULL: standing) and
-- withdrawn_on the date from which it no longer holds. A person's status, the counts
-- and the steps' named persons leave a withdrawn event out as of that date and after,
-- and always when it was withdrawn without a date (a mistake).
-- A person may also name the state that holds or held them (person.state, an ISO
-- alpha-3 code), so that a state's profile counts its persons held over time.
-- The three columns are added by the store before this file runs, each only when
-- missing (added_columns in src/store/sqlite/sqlite.c).
CREATE INDEX IF NOT EXISTS case_event_withdrawn ON case_event(person_id)
    WHERE withdrawn IS NOT NULL;
