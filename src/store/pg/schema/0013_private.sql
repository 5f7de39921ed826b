-- rightstrack schema 13 in PostgreSQL's dialect: private records.
CREATE TABLE IF NOT EXISTS private_record (
    kind       text NOT NULL CHECK (kind IN ('step', 'participant', 'assessment', 'source')),
    id         bigint NOT NULL,
    created_at text NOT NULL DEFAULT rt_now(),
    PRIMARY KEY (kind, id)
);
CREATE OR REPLACE TRIGGER audit AFTER INSERT OR UPDATE OR DELETE ON private_record FOR EACH ROW
    EXECUTE FUNCTION rt_audit('{kind}:{id} private', '{kind}:{id}', '', '');
