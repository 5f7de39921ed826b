-- rightstrack schema 21: the search index kept on disk (src/store/sqlite/facets.c).
-- Derived data, like the full-text index: for each value of a search's four facets
-- (facet 0 response, 1 cycle, 2 theme, 3 state under review) the recommendations
-- that have it, as a CRoaring bitmap in its portable format; and (facet 4) each
-- recommendation's length in the full-text index, for ranking (rank.c). A process
-- reads them in a few milliseconds instead of reading every recommendation's facets.
-- The row of facet -1 says which build the rows are (num: a random stamp), so that a
-- process holding them in memory knows whether they are still the ones on disk.
-- Every change to what the facets are made of empties the table (the triggers
-- below), whoever makes it; the next search that needs the index builds it again.
-- Written so that running it again changes nothing.
CREATE TABLE IF NOT EXISTS search_index (
    facet  INTEGER NOT NULL,
    pos    INTEGER NOT NULL,  -- the entry's place in its facet (key order)
    key    TEXT NOT NULL,     -- the facet's key, as the search shows it
    num    INTEGER NOT NULL,  -- cycle: its number; theme, state: the row id
    bitmap BLOB NOT NULL,
    PRIMARY KEY (facet, pos)
) WITHOUT ROWID;

CREATE TRIGGER IF NOT EXISTS search_index_stale_rec_ai AFTER INSERT ON recommendation BEGIN
    DELETE FROM search_index;
END;
CREATE TRIGGER IF NOT EXISTS search_index_stale_rec_ad AFTER DELETE ON recommendation BEGIN
    DELETE FROM search_index;
END;
CREATE TRIGGER IF NOT EXISTS search_index_stale_rec_au
    AFTER UPDATE OF id, response, cycle, sur_id, text, paragraph ON recommendation BEGIN
    DELETE FROM search_index;
END;
CREATE TRIGGER IF NOT EXISTS search_index_stale_theme_ai AFTER INSERT ON recommendation_theme BEGIN
    DELETE FROM search_index;
END;
CREATE TRIGGER IF NOT EXISTS search_index_stale_theme_ad AFTER DELETE ON recommendation_theme BEGIN
    DELETE FROM search_index;
END;
CREATE TRIGGER IF NOT EXISTS search_index_stale_theme_au AFTER UPDATE ON recommendation_theme BEGIN
    DELETE FROM search_index;
END;
CREATE TRIGGER IF NOT EXISTS search_index_stale_label_au AFTER UPDATE OF id, label ON theme BEGIN
    DELETE FROM search_index;
END;
CREATE TRIGGER IF NOT EXISTS search_index_stale_label_ad AFTER DELETE ON theme BEGIN
    DELETE FROM search_index;
END;
CREATE TRIGGER IF NOT EXISTS search_index_stale_state_au AFTER UPDATE OF id, code ON state BEGIN
    DELETE FROM search_index;
END;
CREATE TRIGGER IF NOT EXISTS search_index_stale_state_ad AFTER DELETE ON state BEGIN
    DELETE FROM search_index;
END;
