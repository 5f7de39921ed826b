-- rightstrack schema 15: every source a recommendation came from.
-- A recommendation is one record whatever export it was read from (same state under
-- review, session and text); this table keeps each source that gave it, with the
-- response that source gave (the recommendation's own response is the strongest of
-- them, as the import merges twins), so that `show` can list the sources and say when
-- they disagree. recommendation.source_id stays: the first source, as before.
-- Written so that running it again (as test_sqlite does from schema 7) changes nothing.
CREATE TABLE IF NOT EXISTS recommendation_source (
    rec_id    INTEGER NOT NULL REFERENCES recommendation(id) ON DELETE CASCADE,
    source_id INTEGER NOT NULL REFERENCES source(id),
    response  TEXT NOT NULL DEFAULT 'pending'
              CHECK (response = 'supported' OR response = 'noted' OR response = 'pledge'
                     OR response = 'pending'),
    PRIMARY KEY (rec_id, source_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS recommendation_source_source ON recommendation_source(source_id, rec_id);

-- Recommendations imported before: their one source.
INSERT OR IGNORE INTO recommendation_source(rec_id, source_id, response)
    SELECT id, source_id, response FROM recommendation WHERE source_id IS NOT NULL;
