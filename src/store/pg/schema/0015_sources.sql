-- rightstrack schema 15 in PostgreSQL's dialect: every source a recommendation came from.
CREATE TABLE IF NOT EXISTS recommendation_source (
    rec_id    bigint NOT NULL REFERENCES recommendation(id) ON DELETE CASCADE,
    source_id bigint NOT NULL REFERENCES source(id),
    response  text NOT NULL DEFAULT 'pending'
              CHECK (response IN ('supported', 'noted', 'pledge', 'pending')),
    PRIMARY KEY (rec_id, source_id)
);
CREATE INDEX IF NOT EXISTS recommendation_source_source ON recommendation_source(source_id, rec_id);

INSERT INTO recommendation_source(rec_id, source_id, response)
    SELECT id, source_id, response FROM recommendation WHERE source_id IS NOT NULL
    ON CONFLICT DO NOTHING;
