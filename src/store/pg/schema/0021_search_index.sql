-- rightstrack schema 21 in PostgreSQL's dialect: the search index kept on disk (see the
-- SQLite file of the same number for what each row holds). Derived data: every change
-- to what the facets are made of empties the table, whoever makes it, and the next
-- search that needs the index builds it again. SQLite's triggers fire once per row;
-- here one trigger per statement does, as emptying the table once is enough. A
-- bitmap is bytea (SQLite's BLOB). Written so that running it again changes nothing.
CREATE TABLE IF NOT EXISTS search_index (
    facet  bigint NOT NULL,
    pos    bigint NOT NULL,
    key    text NOT NULL,
    num    bigint NOT NULL,
    bitmap bytea NOT NULL,
    PRIMARY KEY (facet, pos)
);

CREATE OR REPLACE FUNCTION rt_search_index_stale() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM search_index;
    RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER search_index_stale_rec_ai AFTER INSERT ON recommendation
    FOR EACH STATEMENT EXECUTE FUNCTION rt_search_index_stale();
CREATE OR REPLACE TRIGGER search_index_stale_rec_ad AFTER DELETE ON recommendation
    FOR EACH STATEMENT EXECUTE FUNCTION rt_search_index_stale();
CREATE OR REPLACE TRIGGER search_index_stale_rec_au
    AFTER UPDATE OF id, response, cycle, sur_id, text, paragraph ON recommendation
    FOR EACH STATEMENT EXECUTE FUNCTION rt_search_index_stale();
CREATE OR REPLACE TRIGGER search_index_stale_theme_ai AFTER INSERT ON recommendation_theme
    FOR EACH STATEMENT EXECUTE FUNCTION rt_search_index_stale();
CREATE OR REPLACE TRIGGER search_index_stale_theme_ad AFTER DELETE ON recommendation_theme
    FOR EACH STATEMENT EXECUTE FUNCTION rt_search_index_stale();
CREATE OR REPLACE TRIGGER search_index_stale_theme_au AFTER UPDATE ON recommendation_theme
    FOR EACH STATEMENT EXECUTE FUNCTION rt_search_index_stale();
CREATE OR REPLACE TRIGGER search_index_stale_label_au AFTER UPDATE OF id, label ON theme
    FOR EACH STATEMENT EXECUTE FUNCTION rt_search_index_stale();
CREATE OR REPLACE TRIGGER search_index_stale_label_ad AFTER DELETE ON theme
    FOR EACH STATEMENT EXECUTE FUNCTION rt_search_index_stale();
CREATE OR REPLACE TRIGGER search_index_stale_state_au AFTER UPDATE OF id, code ON state
    FOR EACH STATEMENT EXECUTE FUNCTION rt_search_index_stale();
CREATE OR REPLACE TRIGGER search_index_stale_state_ad AFTER DELETE ON state
    FOR EACH STATEMENT EXECUTE FUNCTION rt_search_index_stale();
