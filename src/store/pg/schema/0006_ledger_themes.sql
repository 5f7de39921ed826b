-- rightstrack schema 6 in PostgreSQL's dialect: the theme areas of topics and asks.
CREATE TABLE ledger_theme (
    item_kind  text NOT NULL CHECK (item_kind IN ('topic', 'ask')),
    item_id    bigint NOT NULL,
    area       text NOT NULL,
    origin     text NOT NULL DEFAULT 'person' CHECK (origin IN ('readout', 'person', 'model')),
    created_at text NOT NULL DEFAULT rt_now(),
    PRIMARY KEY (item_kind, item_id, area)
);
CREATE INDEX ledger_theme_area ON ledger_theme(area);
