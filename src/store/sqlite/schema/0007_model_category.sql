-- rightstrack schema 7: action categories that do not come with the data. The
-- category the data gives stays in recommendation.action_category (origin
-- "official"); a category predicted by the theme model (origin "model"), or later
-- one given by a person ("person"), goes here, one per recommendation, with a
-- confidence. Reads show the official category where there is one, and this one
-- only where there is none.

CREATE TABLE recommendation_category (
    rec_id     INTEGER PRIMARY KEY REFERENCES recommendation(id) ON DELETE CASCADE,
    category   INTEGER NOT NULL CHECK (category BETWEEN 1 AND 5),
    origin     TEXT NOT NULL CHECK (origin = 'model' OR origin = 'person'),
    confidence REAL NOT NULL DEFAULT 1.0
);
