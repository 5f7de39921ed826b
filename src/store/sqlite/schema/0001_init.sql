-- rightstrack schema 1: states, sources, recommendations, themes, full-text index.
-- Applied by src/store/sqlite/sqlite.c inside one transaction; user_version records it.

CREATE TABLE state (
    id            INTEGER PRIMARY KEY,
    code          TEXT NOT NULL UNIQUE,          -- ISO 3166-1 alpha-3
    alpha2        TEXT,
    name          TEXT NOT NULL,                 -- short name, as iso-codes gives it
    official_name TEXT,
    un_group      TEXT                           -- Africa, Asia, EEG, GRULAC, WEOG
);

-- Facts about the database itself (tokenizer version, state tables' hash).
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- Every name a state goes by, keyed by rt_text_name_key(); built at init.
CREATE TABLE state_name (
    key      TEXT PRIMARY KEY,
    state_id INTEGER NOT NULL REFERENCES state(id),
    name     TEXT NOT NULL,
    origin   TEXT NOT NULL CHECK (origin IN ('iso', 'variant'))
) WITHOUT ROWID;

CREATE TABLE source (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,                   -- upr-info, upr-info-raw, uhri, ...
    symbol      TEXT,
    title       TEXT,
    date        TEXT,
    url         TEXT,
    path        TEXT,
    sha256      TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

CREATE TABLE recommendation (
    id              INTEGER PRIMARY KEY,
    mechanism       TEXT NOT NULL DEFAULT 'upr'
                    CHECK (mechanism IN ('upr', 'odihr', 'treaty-body', 'special-procedure',
                                         'bilateral')),
    cycle           INTEGER,
    session         INTEGER,
    paragraph       TEXT,
    sur_id          INTEGER NOT NULL REFERENCES state(id),
    text            TEXT NOT NULL,               -- NFC, white space folded
    key_hash        INTEGER NOT NULL,            -- hash of (session, text): finds duplicates
    response        TEXT NOT NULL DEFAULT 'pending'
                    CHECK (response IN ('supported', 'noted', 'pledge', 'pending')),
    action_category INTEGER CHECK (action_category BETWEEN 1 AND 5),
    source_id       INTEGER REFERENCES source(id),
    created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
-- A recommendation is identified by (state under review, session, text); the store
-- looks it up through this small index and compares the text itself.
CREATE INDEX recommendation_key ON recommendation(sur_id, key_hash);
CREATE INDEX recommendation_session ON recommendation(session);

CREATE TABLE recommendation_by (
    rec_id   INTEGER NOT NULL REFERENCES recommendation(id) ON DELETE CASCADE,
    state_id INTEGER NOT NULL REFERENCES state(id),
    PRIMARY KEY (rec_id, state_id)
) WITHOUT ROWID;
CREATE INDEX recommendation_by_state ON recommendation_by(state_id, rec_id);

CREATE TABLE theme (
    id         INTEGER PRIMARY KEY,
    vocabulary TEXT NOT NULL,                    -- upr-info, uhri, osce
    code       TEXT,
    label      TEXT NOT NULL,
    UNIQUE (vocabulary, label)
);

CREATE TABLE recommendation_theme (
    rec_id     INTEGER NOT NULL REFERENCES recommendation(id) ON DELETE CASCADE,
    theme_id   INTEGER NOT NULL REFERENCES theme(id),
    origin     TEXT NOT NULL CHECK (origin IN ('official', 'model', 'person')),
    confidence REAL NOT NULL DEFAULT 1.0,
    PRIMARY KEY (rec_id, theme_id, origin)
) WITHOUT ROWID;

-- Full-text index over recommendation.text through our own tokenizer (fts.c).
CREATE VIRTUAL TABLE recommendation_fts USING fts5(
    text, content='recommendation', content_rowid='id', tokenize='rightstrack');

-- New rows are indexed by the store itself (sqlite.c), in bulk at commit: FTS5
-- flushes at every statement, so a per-row trigger makes imports ten times slower.
CREATE TRIGGER recommendation_ad AFTER DELETE ON recommendation BEGIN
    INSERT INTO recommendation_fts(recommendation_fts, rowid, text)
        VALUES ('delete', old.id, old.text);
END;
CREATE TRIGGER recommendation_au AFTER UPDATE OF text ON recommendation BEGIN
    INSERT INTO recommendation_fts(recommendation_fts, rowid, text)
        VALUES ('delete', old.id, old.text);
    INSERT INTO recommendation_fts(rowid, text) VALUES (new.id, new.text);
END;
