-- rightstrack schema 10: accounts, their sessions on the web face and their API tokens.
--
-- Nothing secret is kept in clear: a password as an argon2id string (libsodium's
-- crypto_pwhash_str), a session or API token as its BLAKE2b hash (src/auth/). While
-- this table is empty the web face serves loopback only and asks nobody to log in.
-- (IF NOT EXISTS: a test replays the migrations after 7 on a database that has these.)
CREATE TABLE IF NOT EXISTS account (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL CHECK (role IN ('viewer', 'editor', 'admin')),
    password TEXT NOT NULL, -- "$argon2id$v=19$m=...,t=...,p=1$salt$hash"
    disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    created_at TEXT NOT NULL
);

-- A login on the web face. The hash is keyed by the server's run, so a token from
-- another run or another database matches nothing.
CREATE TABLE IF NOT EXISTS account_session (
    hash BLOB PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,  -- Unix seconds
    last_seen INTEGER NOT NULL,
    expires_at INTEGER NOT NULL   -- absolute: created_at + 12 h
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS account_session_by_account ON account_session (account_id);

-- A token for scripts, sent as "Authorization: Bearer TOKEN".
CREATE TABLE IF NOT EXISTS account_token (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    hash BLOB NOT NULL UNIQUE,
    scope TEXT NOT NULL CHECK (scope IN ('read', 'write')),
    created_at TEXT NOT NULL,
    last_used TEXT,
    revoked_at TEXT
);
CREATE INDEX IF NOT EXISTS account_token_by_account ON account_token (account_id);
