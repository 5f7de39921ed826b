-- rightstrack schema 8: two changes that make imports faster, with no change to what
-- is stored or found.
--
-- 1. recommendation and recommendation_theme rebuilt with the same
-- columns, data, indexes and triggers, but with their value checks written as
-- comparisons joined by OR instead of IN lists. For an IN list of three or more
-- values SQLite builds a temporary index every time it checks a row, which cost an
-- import a fifth of its time. The values allowed are the same.
--
-- This follows SQLite's procedure for changing a table's definition (create the new
-- table, copy, drop the old one, rename): the store runs migrations with foreign keys
-- off, so that the drop does not cascade, and checks them before committing.

CREATE TABLE recommendation_new (
    id              INTEGER PRIMARY KEY,
    mechanism       TEXT NOT NULL DEFAULT 'upr'
                    CHECK (mechanism = 'upr' OR mechanism = 'odihr' OR
                           mechanism = 'treaty-body' OR mechanism = 'special-procedure' OR
                           mechanism = 'bilateral'),
    cycle           INTEGER,
    session         INTEGER,
    paragraph       TEXT,
    sur_id          INTEGER NOT NULL REFERENCES state(id),
    text            TEXT NOT NULL,               -- NFC, white space folded
    key_hash        INTEGER NOT NULL,            -- hash of (session, text): finds duplicates
    response        TEXT NOT NULL DEFAULT 'pending'
                    CHECK (response = 'supported' OR response = 'noted' OR
                           response = 'pledge' OR response = 'pending'),
    action_category INTEGER CHECK (action_category BETWEEN 1 AND 5),
    source_id       INTEGER REFERENCES source(id),
    created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
INSERT INTO recommendation_new(id, mechanism, cycle, session, paragraph, sur_id, text,
                               key_hash, response, action_category, source_id, created_at)
    SELECT id, mechanism, cycle, session, paragraph, sur_id, text, key_hash, response,
           action_category, source_id, created_at
    FROM recommendation;
-- Also drops the table's indexes and triggers; they are made again below.
DROP TABLE recommendation;
ALTER TABLE recommendation_new RENAME TO recommendation;

CREATE INDEX recommendation_key ON recommendation(sur_id, key_hash);
CREATE INDEX recommendation_session ON recommendation(session);

CREATE TRIGGER recommendation_ad AFTER DELETE ON recommendation BEGIN
    INSERT INTO recommendation_fts(recommendation_fts, rowid, text)
        VALUES ('delete', old.id, old.text);
END;
CREATE TRIGGER recommendation_au AFTER UPDATE OF text ON recommendation BEGIN
    INSERT INTO recommendation_fts(recommendation_fts, rowid, text)
        VALUES ('delete', old.id, old.text);
    INSERT INTO recommendation_fts(rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER repeat_stale_ad AFTER DELETE ON recommendation BEGIN
    DELETE FROM meta WHERE key = 'repeats';
END;
CREATE TRIGGER repeat_stale_au AFTER UPDATE OF text ON recommendation BEGIN
    DELETE FROM meta WHERE key = 'repeats';
END;

CREATE TABLE recommendation_theme_new (
    rec_id     INTEGER NOT NULL REFERENCES recommendation(id) ON DELETE CASCADE,
    theme_id   INTEGER NOT NULL REFERENCES theme(id),
    origin     TEXT NOT NULL
               CHECK (origin = 'official' OR origin = 'model' OR origin = 'person'),
    confidence REAL NOT NULL DEFAULT 1.0,
    PRIMARY KEY (rec_id, theme_id, origin)
) WITHOUT ROWID;
INSERT INTO recommendation_theme_new(rec_id, theme_id, origin, confidence)
    SELECT rec_id, theme_id, origin, confidence FROM recommendation_theme;
DROP TABLE recommendation_theme;
ALTER TABLE recommendation_theme_new RENAME TO recommendation_theme;

-- 2. The full-text index keeps up to 32 MiB of new terms in memory (FTS5's default is
-- 1 MiB) before it writes them out as a segment. An import indexes its rows in one
-- statement at commit; with the default, the UPR Info file made a dozen small segments
-- that FTS5 then merged, which cost a quarter of the indexing. Now it makes one.
INSERT INTO recommendation_fts(recommendation_fts, rank) VALUES ('hashsize', 33554432);
