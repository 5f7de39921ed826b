-- rightstrack schema 17: ODIHR's election-observation recommendations.
-- A recommendation of mechanism 'odihr' comes from the final report of an election
-- observation mission: this table keeps which election (its kind, as the report
-- names it, and its date), the report's date when known, and whether the report
-- made it a priority recommendation. One row per such recommendation; written by
-- `import` (format odihr), carried by export and restore. Two recommendations with
-- the same text made after two elections are two records (the store's twin key of
-- an ODIHR recommendation holds its election, kept in recommendation.paragraph).
-- Written so that running it again changes nothing.
CREATE TABLE IF NOT EXISTS recommendation_election (
    rec_id        INTEGER PRIMARY KEY REFERENCES recommendation(id) ON DELETE CASCADE,
    election      TEXT NOT NULL,                 -- "parliamentary elections"
    election_date TEXT NOT NULL,                 -- YYYY-MM-DD (or YYYY-MM, YYYY)
    report_date   TEXT,                          -- the final report's, when known
    priority      INTEGER NOT NULL DEFAULT 0 CHECK (priority = 0 OR priority = 1)
);
