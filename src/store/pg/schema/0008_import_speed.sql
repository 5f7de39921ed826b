-- rightstrack schema 8 in PostgreSQL's dialect: nothing. In SQLite this rebuilt two
-- tables to write their checks without IN lists and set FTS5's buffer size, both for
-- SQLite's speed alone; the tables and what they allow are unchanged. The number is
-- kept so that both stores count their migrations alike.
DO $$ BEGIN NULL; END $$;
