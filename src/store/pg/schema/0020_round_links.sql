-- rightstrack schema 20 in PostgreSQL's dialect: a round itself can be linked to the
-- recommendations it was about ("round:5 about rec:14"). SQLite rebuilds the link
-- table to change its CHECK; PostgreSQL changes it in place, so the columns, the rows
-- and the audit trigger stay as they are. Running it again changes nothing.
-- (There is no schema 19, in either store.)
ALTER TABLE link DROP CONSTRAINT IF EXISTS link_from_kind_check;
ALTER TABLE link ADD CONSTRAINT link_from_kind_check
    CHECK (from_kind IN ('step', 'topic', 'ask', 'benchmark', 'round'));
