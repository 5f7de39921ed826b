-- rightstrack schema 5 in PostgreSQL's dialect: the theme taxonomy (derived data).
--
-- SQLite's COLLATE NOCASE folds ASCII letters only; here a nondeterministic ICU
-- collation that ignores case (strength 2: accents still count). For the codes and
-- labels of data/themes/, which are ASCII, both compare alike.
CREATE COLLATION IF NOT EXISTS rt_nocase (provider = icu, locale = 'und-u-ks-level2',
                                          deterministic = false);

CREATE TABLE theme_area (
    code  text COLLATE rt_nocase PRIMARY KEY,
    label text NOT NULL,
    osce  bigint NOT NULL DEFAULT 0 CHECK (osce IN (0, 1)),
    pos   bigint NOT NULL
);

CREATE TABLE theme_area_label (
    vocabulary text NOT NULL,
    label      text NOT NULL COLLATE rt_nocase,
    area       text NOT NULL REFERENCES theme_area(code),
    PRIMARY KEY (vocabulary, label, area)
);
CREATE INDEX theme_area_label_label ON theme_area_label(label);
CREATE INDEX theme_area_label_area ON theme_area_label(area);
