-- rightstrack schema 24: an index of the audit log's entries not sealed yet.
--
-- PostgreSQL's store seals its entries just before COMMIT and finds them through this
-- index (see the PostgreSQL file of the same number, which also makes its log's rows
-- as compact as SQLite's json_object writes them). Here a temporary trigger seals each
-- entry in the statement that adds it, so the index stays empty; it is made all the
-- same, so that both stores keep one schema and one numbering.
CREATE INDEX IF NOT EXISTS audit_log_unsealed ON audit_log(id) WHERE hash IS NULL;
