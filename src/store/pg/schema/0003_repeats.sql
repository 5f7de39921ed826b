-- rightstrack schema 3 in PostgreSQL's dialect: repeats, recommendations made again
-- (derived data, replaced as a whole by the store; docs/repeats.md).
CREATE TABLE repeat_pair (
    a       bigint NOT NULL REFERENCES recommendation(id) ON DELETE CASCADE,
    b       bigint NOT NULL REFERENCES recommendation(id) ON DELETE CASCADE,
    jaccard double precision NOT NULL CHECK (jaccard > 0 AND jaccard <= 1),
    PRIMARY KEY (a, b),
    CHECK (a < b)
);
CREATE INDEX repeat_pair_b ON repeat_pair(b, a);

CREATE TABLE repeat_cluster (
    rec_id     bigint PRIMARY KEY REFERENCES recommendation(id) ON DELETE CASCADE,
    cluster_id bigint NOT NULL
);
CREATE INDEX repeat_cluster_id ON repeat_cluster(cluster_id);

-- A deleted recommendation or a changed text makes the pairs stale (meta 'repeats').
CREATE FUNCTION rt_repeat_stale() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM meta WHERE key = 'repeats';
    RETURN NULL;
END $$;
CREATE TRIGGER repeat_stale_ad AFTER DELETE ON recommendation
    FOR EACH ROW EXECUTE FUNCTION rt_repeat_stale();
CREATE TRIGGER repeat_stale_au AFTER UPDATE OF text ON recommendation
    FOR EACH ROW EXECUTE FUNCTION rt_repeat_stale();
