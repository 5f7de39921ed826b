-- rightstrack schema 6: the theme areas of a round's topics and asks, so that a round
-- links to the recommendations on the same themes for the same state (docs/ledger.md).
-- area is a code of theme_area, checked on write; not a foreign key, because
-- theme_area is derived data that taxonomy.c refills when data/themes/ changes.
CREATE TABLE ledger_theme (
    item_kind  TEXT NOT NULL CHECK (item_kind IN ('topic', 'ask')),
    item_id    INTEGER NOT NULL,
    area       TEXT NOT NULL,
    origin     TEXT NOT NULL DEFAULT 'person' CHECK (origin IN ('readout', 'person', 'model')),
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    PRIMARY KEY (item_kind, item_id, area)
) WITHOUT ROWID;
CREATE INDEX ledger_theme_area ON ledger_theme(area);
