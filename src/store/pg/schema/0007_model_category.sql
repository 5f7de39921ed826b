-- rightstrack schema 7 in PostgreSQL's dialect: action categories predicted or given.
CREATE TABLE recommendation_category (
    rec_id     bigint PRIMARY KEY REFERENCES recommendation(id) ON DELETE CASCADE,
    category   bigint NOT NULL CHECK (category BETWEEN 1 AND 5),
    origin     text NOT NULL CHECK (origin IN ('model', 'person')),
    confidence double precision NOT NULL DEFAULT 1.0
);
