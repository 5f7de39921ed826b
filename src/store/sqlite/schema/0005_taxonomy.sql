-- rightstrack schema 5: the theme taxonomy, shared areas that the labels of every
-- vocabulary map onto (data/themes/). Both tables are derived data: taxonomy.c
-- refills them from the embedded files whenever those change.

CREATE TABLE theme_area (
    code  TEXT PRIMARY KEY COLLATE NOCASE,       -- "death-penalty", "expression"
    label TEXT NOT NULL,
    osce  INTEGER NOT NULL DEFAULT 0 CHECK (osce IN (0, 1)), -- an OSCE human-dimension area
    pos   INTEGER NOT NULL                       -- line order of data/themes/areas.tsv
) WITHOUT ROWID;

-- A label of one vocabulary (upr-info, uhri, osce) and an area it belongs to.
CREATE TABLE theme_area_label (
    vocabulary TEXT NOT NULL,
    label      TEXT NOT NULL COLLATE NOCASE,
    area       TEXT NOT NULL REFERENCES theme_area(code),
    PRIMARY KEY (vocabulary, label, area)
) WITHOUT ROWID;
CREATE INDEX theme_area_label_label ON theme_area_label(label);
CREATE INDEX theme_area_label_area ON theme_area_label(area);
