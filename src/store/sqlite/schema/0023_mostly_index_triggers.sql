-- rightstrack schema 23: the search index's triggers empty it only when it holds
-- something, and an assessment may say "mostly" (implemented).
--
-- 1. The triggers of schema 21 ran "DELETE FROM search_index" for every row written to
-- recommendation and recommendation_theme. SQLite fires them per row, and Debian's
-- SQLite is built with SECURE_DELETE, so each one cleared and zeroed the table's root
-- page (16 KiB) even when the table was already empty: during an import that was a
-- third of every instruction (88,563 clears for upr2.xlsx). Each now asks first
-- whether there is anything to empty. What the table holds after any write is the same.
DROP TRIGGER IF EXISTS search_index_stale_rec_ai;
DROP TRIGGER IF EXISTS search_index_stale_rec_ad;
DROP TRIGGER IF EXISTS search_index_stale_rec_au;
DROP TRIGGER IF EXISTS search_index_stale_theme_ai;
DROP TRIGGER IF EXISTS search_index_stale_theme_ad;
DROP TRIGGER IF EXISTS search_index_stale_theme_au;
DROP TRIGGER IF EXISTS search_index_stale_label_au;
DROP TRIGGER IF EXISTS search_index_stale_label_ad;
DROP TRIGGER IF EXISTS search_index_stale_state_au;
DROP TRIGGER IF EXISTS search_index_stale_state_ad;
CREATE TRIGGER search_index_stale_rec_ai AFTER INSERT ON recommendation
    WHEN EXISTS (SELECT 1 FROM search_index) BEGIN
    DELETE FROM search_index;
END;
CREATE TRIGGER search_index_stale_rec_ad AFTER DELETE ON recommendation
    WHEN EXISTS (SELECT 1 FROM search_index) BEGIN
    DELETE FROM search_index;
END;
CREATE TRIGGER search_index_stale_rec_au
    AFTER UPDATE OF id, response, cycle, sur_id, text, paragraph ON recommendation
    WHEN EXISTS (SELECT 1 FROM search_index) BEGIN
    DELETE FROM search_index;
END;
CREATE TRIGGER search_index_stale_theme_ai AFTER INSERT ON recommendation_theme
    WHEN EXISTS (SELECT 1 FROM search_index) BEGIN
    DELETE FROM search_index;
END;
CREATE TRIGGER search_index_stale_theme_ad AFTER DELETE ON recommendation_theme
    WHEN EXISTS (SELECT 1 FROM search_index) BEGIN
    DELETE FROM search_index;
END;
CREATE TRIGGER search_index_stale_theme_au AFTER UPDATE ON recommendation_theme
    WHEN EXISTS (SELECT 1 FROM search_index) BEGIN
    DELETE FROM search_index;
END;
CREATE TRIGGER search_index_stale_label_au AFTER UPDATE OF id, label ON theme
    WHEN EXISTS (SELECT 1 FROM search_index) BEGIN
    DELETE FROM search_index;
END;
CREATE TRIGGER search_index_stale_label_ad AFTER DELETE ON theme
    WHEN EXISTS (SELECT 1 FROM search_index) BEGIN
    DELETE FROM search_index;
END;
CREATE TRIGGER search_index_stale_state_au AFTER UPDATE OF id, code ON state
    WHEN EXISTS (SELECT 1 FROM search_index) BEGIN
    DELETE FROM search_index;
END;
CREATE TRIGGER search_index_stale_state_ad AFTER DELETE ON state
    WHEN EXISTS (SELECT 1 FROM search_index) BEGIN
    DELETE FROM search_index;
END;

-- 2. An assessment of a recommendation or an ask may be "mostly": mostly implemented,
-- between partially and fully. ODIHR follows its election recommendations up on the
-- scale fully, mostly, partially and not implemented (docs/user-guide.md), and each of
-- them now has a status of its own. SQLite cannot change a CHECK in place, so the
-- table is rebuilt by SQLite's own procedure, as schema 20 rebuilt link: a new table,
-- the rows copied, the old one dropped, the new one renamed; its index and its
-- append-only triggers are made again, its audit triggers by the store after every
-- migration. The columns and their order are those of schemas 2 and 12.
DROP TABLE IF EXISTS assessment_rebuilt;
CREATE TABLE assessment_rebuilt (
    id          INTEGER PRIMARY KEY,
    target_kind TEXT NOT NULL CHECK (target_kind IN ('recommendation', 'ask', 'benchmark')),
    target_id   INTEGER NOT NULL,
    as_of       TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('not-started', 'in-progress', 'partially',
                                                'mostly', 'fully', 'regressed', 'unknown',
                                                'met', 'partly-met', 'not-met')),
    evidence    TEXT,
    source      TEXT,
    assessor    TEXT,
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    replaces    INTEGER REFERENCES assessment(id)
);
INSERT INTO assessment_rebuilt(id, target_kind, target_id, as_of, status, evidence, source,
                               assessor, created_at, replaces)
    SELECT id, target_kind, target_id, as_of, status, evidence, source, assessor, created_at,
           replaces
    FROM assessment;
DROP TABLE assessment;
ALTER TABLE assessment_rebuilt RENAME TO assessment;
CREATE INDEX IF NOT EXISTS assessment_target ON assessment(target_kind, target_id, as_of);
CREATE INDEX IF NOT EXISTS assessment_replaces ON assessment(replaces) WHERE replaces IS NOT NULL;
CREATE TRIGGER IF NOT EXISTS assessment_append_only_u BEFORE UPDATE ON assessment
BEGIN SELECT RAISE(ABORT, 'assessments are history: add a new one instead'); END;
CREATE TRIGGER IF NOT EXISTS assessment_append_only_d BEFORE DELETE ON assessment
BEGIN SELECT RAISE(ABORT, 'assessments are history: add a new one instead'); END;
