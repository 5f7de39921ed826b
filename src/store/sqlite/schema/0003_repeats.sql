-- rightstrack schema 3: repeats, recommendations made again (docs/repeats.md).
-- Derived data: src/store/sqlite/repeats.c computes it from recommendation.text
-- and replaces it as a whole; it is not exported.

-- Every pair of recommendations whose word 3-shingle sets have a Jaccard
-- similarity of at least the threshold recorded in meta ('repeats').
CREATE TABLE repeat_pair (
    a       INTEGER NOT NULL REFERENCES recommendation(id) ON DELETE CASCADE,
    b       INTEGER NOT NULL REFERENCES recommendation(id) ON DELETE CASCADE,
    jaccard REAL NOT NULL CHECK (jaccard > 0 AND jaccard <= 1),
    PRIMARY KEY (a, b),
    CHECK (a < b)
) WITHOUT ROWID;
CREATE INDEX repeat_pair_b ON repeat_pair(b, a);

-- The connected components of the pairs: each recommendation that has a repeat,
-- with the smallest recommendation id of its component as the cluster id.
CREATE TABLE repeat_cluster (
    rec_id     INTEGER PRIMARY KEY REFERENCES recommendation(id) ON DELETE CASCADE,
    cluster_id INTEGER NOT NULL
);
CREATE INDEX repeat_cluster_id ON repeat_cluster(cluster_id);

-- meta 'repeats' says what the pairs were computed from ("vN threshold count max_id");
-- a changed or deleted text makes them stale, and so does an added recommendation
-- (the count and the largest id no longer match).
CREATE TRIGGER repeat_stale_ad AFTER DELETE ON recommendation BEGIN
    DELETE FROM meta WHERE key = 'repeats';
END;
CREATE TRIGGER repeat_stale_au AFTER UPDATE OF text ON recommendation BEGIN
    DELETE FROM meta WHERE key = 'repeats';
END;
