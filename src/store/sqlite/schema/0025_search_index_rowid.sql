-- rightstrack schema 25: the search index (schema 21) in a table with row ids.
--
-- As a WITHOUT ROWID table, search_index kept each whole row in its B-tree, the
-- postings' blobs (facets 5 and 7, up to a megabyte each at eight times the UPR Info
-- file) among them, and interior pages held copies of such rows as keys. A lookup of
-- one word compares its (facet, pos) with the rows it passes on the way down, and
-- SQLite reads a row that spills onto overflow pages whole before comparing it: each
-- lookup copied other words' postings (about 120 M instructions of the 1,000 searches
-- of bench/search.sh). Now the key's index holds only (facet, pos) and the row id, and
-- only the row asked for is read.
--
-- The table holds derived data only, which the next search builds again: it is made
-- anew, empty. Running this again empties it once more, and changes nothing else.
DROP TABLE IF EXISTS search_index;
CREATE TABLE search_index (
    facet  INTEGER NOT NULL,
    pos    INTEGER NOT NULL,  -- the entry's place in its facet (key order)
    key    TEXT NOT NULL,     -- the facet's key, as the search shows it
    num    INTEGER NOT NULL,  -- cycle: its number; theme, state: the row id
    bitmap BLOB NOT NULL,
    PRIMARY KEY (facet, pos)
);
