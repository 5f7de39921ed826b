-- rightstrack schema 17 in PostgreSQL's dialect: ODIHR's election-observation
-- recommendations (see the SQLite file of the same number for what each column holds).
-- Written so that running it again changes nothing.
CREATE TABLE IF NOT EXISTS recommendation_election (
    rec_id        bigint PRIMARY KEY REFERENCES recommendation(id) ON DELETE CASCADE,
    election      text NOT NULL,
    election_date text NOT NULL,
    report_date   text,
    priority      bigint NOT NULL DEFAULT 0 CHECK (priority = 0 OR priority = 1)
);

-- SQLite's full-text index also gets the paragraph as a second column here, made again
-- and rebuilt. Nothing of that is schema here: the index is one tsvector per
-- recommendation (schema 1), which has no columns, written by the store in C
-- (src/store/pg/copy.c); the lexemes it writes are still the text's alone, and a
-- changed text still drops its row (rt_fts_stale). Nothing to rebuild either: the
-- rows already written stay as they are.
DO $$ BEGIN NULL; END $$;
