-- rightstrack schema 25 in PostgreSQL's dialect: nothing changes here. SQLite's file of
-- the same number moves its search_index out of a WITHOUT ROWID table, so that a
-- lookup no longer reads the rows it passes; PostgreSQL's heap and primary key index
-- already keep them apart. The number is taken so that both stores stay at the same
-- schema version (rightstrack copy compares them). Running it again changes nothing.
COMMENT ON TABLE search_index IS 'the search index: derived data, built again when empty';
