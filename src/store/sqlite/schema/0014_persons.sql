-- rightstrack schema 14: people behind the numbers (docs/persons.md). A person has
-- names in every script and spelling met, one of them shown; their case is a list of
-- dated events (detained, charged, sentenced, moved, recognised, released, died), and
-- their status as of a date follows from those events. A release may name the step
-- that freed the person; an ask may name the persons it is about.
--
-- Persons are private records (issue 18): no public page, report or search shows them.
-- A merged person is kept, pointing at the one it became (merged_into), so that the
-- audit log and old references still read.
CREATE TABLE IF NOT EXISTS person (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,                 -- the name shown
    sex         TEXT CHECK (sex IN ('female', 'male')),
    birth_year  INTEGER CHECK (birth_year BETWEEN 1850 AND 2100),
    groups      TEXT,                          -- "journalist, human-rights defender"
    note        TEXT,
    merged_into INTEGER REFERENCES person(id),
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

-- Every spelling met, with its match key: the name transliterated to Latin by ICU
-- ("Any-Latin; Latin-ASCII") and folded (src/model/person.c, rt_person_name_key).
CREATE TABLE IF NOT EXISTS person_name (
    person_id  INTEGER NOT NULL REFERENCES person(id),
    name       TEXT NOT NULL,
    key        TEXT NOT NULL,
    source     TEXT,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    PRIMARY KEY (person_id, name)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS person_name_key ON person_name(key);

CREATE TABLE IF NOT EXISTS case_event (
    id         INTEGER PRIMARY KEY,
    person_id  INTEGER NOT NULL REFERENCES person(id),
    date       TEXT NOT NULL,                  -- YYYY-MM-DD, YYYY-MM or YYYY
    event      TEXT NOT NULL CHECK (event IN ('detained', 'charged', 'sentenced', 'moved',
                                              'recognised', 'released', 'died')),
    how        TEXT,                           -- of a release: pardon, amnesty, served, ...
    detail     TEXT,                           -- article and code, sentence, place, by whom
    source     TEXT,
    step_id    INTEGER REFERENCES step(id),    -- the step that freed the person
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX IF NOT EXISTS case_event_person ON case_event(person_id, date);
CREATE INDEX IF NOT EXISTS case_event_step ON case_event(step_id) WHERE step_id IS NOT NULL;

-- The persons an ask names ("release X and Y").
CREATE TABLE IF NOT EXISTS ask_person (
    ask_id     INTEGER NOT NULL REFERENCES ask(id),
    person_id  INTEGER NOT NULL REFERENCES person(id),
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    PRIMARY KEY (ask_id, person_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS ask_person_person ON ask_person(person_id);
