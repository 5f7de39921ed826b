-- rightstrack schema 26 in PostgreSQL's dialect: the paragraph in the full-text index.
-- SQLite's index has had the paragraph (the report and paragraph, "A/HRC/30/3, 127.1",
-- or an ODIHR recommendation's election) as a second column since schema 17; here a
-- recommendation's tsvector now holds its paragraph's lexemes after its text's, with
-- weight B (src/store/pg/fts.c, rt__pg_tsvector_rec), so that a search for A/HRC/30/3
-- or 127.1 finds the same recommendations on both stores.
--
-- Lexemes come from our tokenizer, in C, which no SQL can run: the store writes the
-- tsvectors of the recommendations that have a paragraph again in this migration's
-- transaction, after this file (migrate.c, rt__pg_fts_paragraphs), and empties
-- search_index, whose text index was read from the old ones. Below, a changed
-- paragraph, like a changed text, drops the row's lexemes. Running it again changes
-- nothing.
CREATE OR REPLACE FUNCTION rt_fts_stale() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM recommendation_fts WHERE rec_id = OLD.id;
    RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS recommendation_au ON recommendation;
CREATE TRIGGER recommendation_au AFTER UPDATE OF text, paragraph ON recommendation
    FOR EACH ROW WHEN (OLD.text IS DISTINCT FROM NEW.text
                       OR OLD.paragraph IS DISTINCT FROM NEW.paragraph)
    EXECUTE FUNCTION rt_fts_stale();
