-- rightstrack schema 4 in PostgreSQL's dialect: trained models as named byte blobs.
CREATE TABLE model (
    name       text PRIMARY KEY,
    kind       text NOT NULL,
    info       text,
    data       bytea NOT NULL,
    created_at text NOT NULL DEFAULT rt_now()
);
