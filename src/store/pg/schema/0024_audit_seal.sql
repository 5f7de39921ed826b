-- PostgreSQL's schema 24, its own (SQLite has no schema 24: there a temporary trigger
-- on the store's connection seals each audit entry as it is written).
--
-- 1. The rows before and after, as SQLite's json_object writes them: compact,
--    {"id":1,"name":"x"}, where json_object_agg wrote { "id" : 1, "name" : "x" }, so
--    that the same write logs the same bytes on both stores.
-- 2. The entries a transaction has not sealed yet, found without reading the log:
--    the store seals them just before COMMIT (src/store/pg/conn.c), one writer at a
--    time, each chained to the entry sealed before it.
CREATE OR REPLACE FUNCTION rt_audit_json(r json, skip text[]) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT '{' || string_agg(to_json(e.key)::text || ':' || e.value::text, ',' ORDER BY e.n) || '}'
    FROM json_each(r) WITH ORDINALITY AS e(key, value, n)
    WHERE r IS NOT NULL AND NOT e.key = ANY (skip)
$$;
CREATE INDEX IF NOT EXISTS audit_log_unsealed ON audit_log(id) WHERE hash IS NULL;
