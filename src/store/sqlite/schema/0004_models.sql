-- rightstrack schema 4: trained models, kept as named byte blobs (the theme classifier).

CREATE TABLE model (
    name       TEXT PRIMARY KEY,                 -- "themes/upr-info"
    kind       TEXT NOT NULL,                    -- "theme-classifier"
    info       TEXT,                             -- JSON: settings and held-out figures
    data       BLOB NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
