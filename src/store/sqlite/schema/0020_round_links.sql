-- rightstrack schema 20: a round itself can be linked to the recommendations it was
-- about ("round:5 about rec:14"), as its topics and asks can: the desk officer ticks
-- recommendations in a search and links them to the round (docs/user-guide.md,
-- "Link recommendations"). SQLite cannot change a CHECK constraint in place, so the
-- link table is rebuilt as SQLite's own procedure says: a new table, the rows copied,
-- the old one dropped, the new one renamed. The audit triggers on link go with the old
-- table; the store makes them again after every migration (rt__audit_migrated). The
-- columns and their order are those of schema 2 and 12, so the log reads the same.
DROP TABLE IF EXISTS link_rebuilt;
CREATE TABLE link_rebuilt (
    from_kind TEXT NOT NULL CHECK (from_kind IN ('step', 'topic', 'ask', 'benchmark', 'round')),
    from_id   INTEGER NOT NULL,
    relation  TEXT NOT NULL CHECK (relation IN ('answers', 'welcomed-in', 'responds-to',
                                                'about', 'tracks')),
    to_kind   TEXT NOT NULL CHECK (to_kind IN ('step', 'ask', 'recommendation', 'round')),
    to_id     INTEGER NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    withdrawn TEXT,
    withdrawn_on TEXT,
    PRIMARY KEY (from_kind, from_id, relation, to_kind, to_id)
) WITHOUT ROWID;
INSERT INTO link_rebuilt(from_kind, from_id, relation, to_kind, to_id, created_at, withdrawn,
                         withdrawn_on)
    SELECT from_kind, from_id, relation, to_kind, to_id, created_at, withdrawn, withdrawn_on
    FROM link;
DROP TABLE link;
ALTER TABLE link_rebuilt RENAME TO link;
CREATE INDEX IF NOT EXISTS link_to ON link(to_kind, to_id, relation);
