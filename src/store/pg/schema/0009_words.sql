-- rightstrack schema 9 in PostgreSQL's dialect: the words of the indexed texts whose
-- stem differs from them, for prefix queries (the store fills it as it indexes).
CREATE TABLE word (
    word text PRIMARY KEY,
    stem text NOT NULL
);
