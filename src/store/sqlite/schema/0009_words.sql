-- rightstrack schema 9: the words of the indexed texts whose stem differs from them.
--
-- The full-text index holds stems only. A prefix query ("investigat*") matches the
-- stems that begin with it, and through this table also the stems of words that
-- begin with it but whose stem does not ("investigate" -> "investig"). The index
-- used to hold such words beside their stems, which made it two fifths larger and
-- imports a tenth slower. The store fills the table as it indexes (fts.c); the
-- tokenizer version in meta makes it rebuild the index, and so the table, once.
CREATE TABLE word (
    word TEXT PRIMARY KEY, -- folded as the index folds it, not stemmed
    stem TEXT NOT NULL
) WITHOUT ROWID;
