-- rightstrack schema 2: the dialogue ledger. Dialogues meet in rounds; rounds have
-- participants, topics and asks; parties take steps that answer asks and
-- recommendations, are welcomed in rounds and respond to other steps; promises are
-- conditional commitments; benchmarks track conditions; assessments judge how far a
-- recommendation or an ask is implemented. History is kept: status changes and
-- assessments are new rows, never updates (the triggers below refuse both).

-- A party is a state (ISO 3166-1 alpha-3) or an organisation ("EU", "OSCE", "UN").
CREATE TABLE dialogue (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    kind       TEXT NOT NULL DEFAULT 'bilateral',
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

CREATE TABLE dialogue_party (
    dialogue_id INTEGER NOT NULL REFERENCES dialogue(id) ON DELETE CASCADE,
    party       TEXT NOT NULL,
    position    INTEGER NOT NULL,
    PRIMARY KEY (dialogue_id, party)
) WITHOUT ROWID;

CREATE TABLE round (
    id             INTEGER PRIMARY KEY,
    dialogue_id    INTEGER NOT NULL REFERENCES dialogue(id),
    ordinal        INTEGER NOT NULL CHECK (ordinal > 0),
    date           TEXT NOT NULL,                 -- YYYY-MM-DD, YYYY-MM or YYYY
    place          TEXT,
    summary        TEXT,
    source         TEXT,
    created_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    UNIQUE (dialogue_id, ordinal)
);

CREATE TABLE participant (
    id           INTEGER PRIMARY KEY,
    round_id     INTEGER NOT NULL REFERENCES round(id),
    name         TEXT NOT NULL,
    title        TEXT,
    organisation TEXT,
    party        TEXT
);
CREATE INDEX participant_round ON participant(round_id);

CREATE TABLE topic (
    id       INTEGER PRIMARY KEY,
    round_id INTEGER NOT NULL REFERENCES round(id),
    text     TEXT NOT NULL,
    theme    TEXT
);
CREATE INDEX topic_round ON topic(round_id);

CREATE TABLE ask (
    id         INTEGER PRIMARY KEY,
    round_id   INTEGER NOT NULL REFERENCES round(id),
    from_party TEXT NOT NULL,
    to_party   TEXT NOT NULL,
    text       TEXT NOT NULL,
    theme      TEXT,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX ask_round ON ask(round_id);

CREATE TABLE step (
    id         INTEGER PRIMARY KEY,
    actor      TEXT NOT NULL,
    date       TEXT NOT NULL,                     -- YYYY-MM-DD, YYYY-MM or YYYY
    kind       TEXT NOT NULL,
    direction  TEXT NOT NULL CHECK (direction IN ('positive', 'negative')),
    quantity   INTEGER CHECK (quantity >= 0),
    text       TEXT NOT NULL,
    source     TEXT,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX step_actor_date ON step(actor, date);

-- Links: what a step answers, where it was welcomed, which step it responds to;
-- what a topic or an ask is about.
CREATE TABLE link (
    from_kind TEXT NOT NULL CHECK (from_kind IN ('step', 'topic', 'ask', 'benchmark')),
    from_id   INTEGER NOT NULL,
    relation  TEXT NOT NULL CHECK (relation IN ('answers', 'welcomed-in', 'responds-to',
                                                'about', 'tracks')),
    to_kind   TEXT NOT NULL CHECK (to_kind IN ('step', 'ask', 'recommendation', 'round')),
    to_id     INTEGER NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    PRIMARY KEY (from_kind, from_id, relation, to_kind, to_id)
) WITHOUT ROWID;
CREATE INDEX link_to ON link(to_kind, to_id, relation);

CREATE TABLE commitment (
    id         INTEGER PRIMARY KEY,
    round_id   INTEGER NOT NULL REFERENCES round(id),
    party      TEXT NOT NULL,
    condition  TEXT,
    promise    TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

-- A commitment's status over time: open when made, then fulfilled (by a step) or lapsed.
CREATE TABLE commitment_status (
    id            INTEGER PRIMARY KEY,
    commitment_id INTEGER NOT NULL REFERENCES commitment(id),
    as_of         TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('open', 'fulfilled', 'lapsed')),
    step_id       INTEGER REFERENCES step(id),
    note          TEXT,
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX commitment_status_c ON commitment_status(commitment_id, as_of);

CREATE TABLE benchmark (
    id          INTEGER PRIMARY KEY,
    dialogue_id INTEGER NOT NULL REFERENCES dialogue(id),
    text        TEXT NOT NULL,
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

-- Judgements over time, of a recommendation, an ask or a benchmark. Append-only.
CREATE TABLE assessment (
    id          INTEGER PRIMARY KEY,
    target_kind TEXT NOT NULL CHECK (target_kind IN ('recommendation', 'ask', 'benchmark')),
    target_id   INTEGER NOT NULL,
    as_of       TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('not-started', 'in-progress', 'partially',
                                                'fully', 'regressed', 'unknown', 'met',
                                                'partly-met', 'not-met')),
    evidence    TEXT,
    source      TEXT,
    assessor    TEXT,
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX assessment_target ON assessment(target_kind, target_id, as_of);

CREATE TRIGGER assessment_append_only_u BEFORE UPDATE ON assessment
BEGIN SELECT RAISE(ABORT, 'assessments are history: add a new one instead'); END;
CREATE TRIGGER assessment_append_only_d BEFORE DELETE ON assessment
BEGIN SELECT RAISE(ABORT, 'assessments are history: add a new one instead'); END;
CREATE TRIGGER commitment_status_append_only_u BEFORE UPDATE ON commitment_status
BEGIN SELECT RAISE(ABORT, 'status changes are history: add a new one instead'); END;
CREATE TRIGGER commitment_status_append_only_d BEFORE DELETE ON commitment_status
BEGIN SELECT RAISE(ABORT, 'status changes are history: add a new one instead'); END;

-- When each UPR Working Group session met (first month): dates for recommendations,
-- so that "new recommendations since a round" can be asked.
CREATE TABLE upr_session (
    session INTEGER PRIMARY KEY,
    date    TEXT NOT NULL
);
INSERT INTO upr_session(session, date) VALUES
    (1, '2008-04'), (2, '2008-05'), (3, '2008-12'), (4, '2009-02'), (5, '2009-05'),
    (6, '2009-11'), (7, '2010-02'), (8, '2010-05'), (9, '2010-11'), (10, '2011-01'),
    (11, '2011-05'), (12, '2011-10'), (13, '2012-05'), (14, '2012-10'), (15, '2013-01'),
    (16, '2013-04'), (17, '2013-10'), (18, '2014-01'), (19, '2014-04'), (20, '2014-10'),
    (21, '2015-01'), (22, '2015-05'), (23, '2015-11'), (24, '2016-01'), (25, '2016-05'),
    (26, '2016-11'), (27, '2017-05'), (28, '2017-11'), (29, '2018-01'), (30, '2018-05'),
    (31, '2018-11'), (32, '2019-01'), (33, '2019-05'), (34, '2019-11'), (35, '2020-01'),
    (36, '2020-11'), (37, '2021-01'), (38, '2021-05'), (39, '2021-11'), (40, '2022-01'),
    (41, '2022-11'), (42, '2023-01'), (43, '2023-05'), (44, '2023-11'), (45, '2024-01'),
    (46, '2024-05'), (47, '2024-11'), (48, '2025-01'), (49, '2025-05'), (50, '2025-11');
