-- rightstrack schema 17: ODIHR's election-observation recommendations, and the
-- report and paragraph searchable.
--
-- 1. ODIHR's recommendations.
-- A recommendation of mechanism 'odihr' comes from the final report of an election
-- observation mission: this table keeps which election (its kind, as the report
-- names it, and its date), the report's date when known, and whether the report
-- made it a priority recommendation. One row per such recommendation; written by
-- `import` (format odihr), carried by export and restore. Two recommendations with
-- the same text made after two elections are two records (the store's twin key of
-- an ODIHR recommendation holds its election, kept in recommendation.paragraph).
-- Written so that running it again changes nothing.
CREATE TABLE IF NOT EXISTS recommendation_election (
    rec_id        INTEGER PRIMARY KEY REFERENCES recommendation(id) ON DELETE CASCADE,
    election      TEXT NOT NULL,                 -- "parliamentary elections"
    election_date TEXT NOT NULL,                 -- YYYY-MM-DD (or YYYY-MM, YYYY)
    report_date   TEXT,                          -- the final report's, when known
    priority      INTEGER NOT NULL DEFAULT 0 CHECK (priority = 0 OR priority = 1)
);

-- 2. The full-text index gets a second column, the paragraph (the UN report's symbol
-- and paragraph, "A/HRC/30/3, 127.1"; an ODIHR recommendation's election), so that a
-- search for A/HRC/30/3 or 127.1 finds them. The index is made again with both
-- columns and rebuilt from the table, and its triggers pass both; its hashsize is
-- set again (schema 8). An import that gives a recommendation already indexed the
-- paragraph it lacked re-indexes it at commit (rt_store_commit, sqlite.c).
DROP TRIGGER IF EXISTS recommendation_ad;
DROP TRIGGER IF EXISTS recommendation_au;
DROP TABLE IF EXISTS recommendation_fts;
CREATE VIRTUAL TABLE recommendation_fts USING fts5(
    text, paragraph, content='recommendation', content_rowid='id', tokenize='rightstrack');
INSERT INTO recommendation_fts(recommendation_fts, rank) VALUES ('hashsize', 33554432);
INSERT INTO recommendation_fts(recommendation_fts) VALUES ('rebuild');
CREATE TRIGGER recommendation_ad AFTER DELETE ON recommendation BEGIN
    INSERT INTO recommendation_fts(recommendation_fts, rowid, text, paragraph)
        VALUES ('delete', old.id, old.text, old.paragraph);
END;
CREATE TRIGGER recommendation_au AFTER UPDATE OF text ON recommendation BEGIN
    INSERT INTO recommendation_fts(recommendation_fts, rowid, text, paragraph)
        VALUES ('delete', old.id, old.text, old.paragraph);
    INSERT INTO recommendation_fts(rowid, text, paragraph) VALUES (new.id, new.text, new.paragraph);
END;
