-- finAPI dialect: users' finAPI fields, clients' token lifetimes, finAPI's
-- opaque OAuth tokens and the process controller's process tokens.

-- A user created through finAPI has a username (finAPI's user "id"), unique
-- per client regardless of case, and a password hash; finoOS users have
-- neither. Users the process controller created carry the client
-- reference they were made for.
ALTER TABLE users ADD COLUMN finapi_username TEXT;
ALTER TABLE users ADD COLUMN finapi_password_hash TEXT;
ALTER TABLE users ADD COLUMN finapi_email TEXT;
ALTER TABLE users ADD COLUMN finapi_phone TEXT;
ALTER TABLE users ADD COLUMN finapi_auto_update BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE users ADD COLUMN finapi_failed_logins INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN finapi_locked BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE users ADD COLUMN finapi_reference TEXT;
CREATE UNIQUE INDEX users_finapi_username ON users (client_id, lower(finapi_username));
CREATE UNIQUE INDEX users_finapi_reference ON users (client_id, finapi_reference);

-- Token lifetimes in seconds; NULL: the server's default, 0: never expire.
ALTER TABLE clients ADD COLUMN finapi_client_token_ttl INTEGER;
ALTER TABLE clients ADD COLUMN finapi_user_token_ttl INTEGER;
ALTER TABLE clients ADD COLUMN finapi_refresh_token_ttl INTEGER;

-- Issued tokens, by the SHA-256 of the token; the token itself is never
-- stored. user_pk is NULL for client tokens; expires_at NULL: never.
CREATE TABLE finapi_tokens (
	hash       TEXT PRIMARY KEY,
	id         TEXT NOT NULL UNIQUE,
	kind       TEXT NOT NULL,
	grant_id   TEXT NOT NULL,
	client_id  TEXT NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
	user_pk    INTEGER REFERENCES users (pk) ON DELETE CASCADE,
	expires_at TIMESTAMP,
	created_at TIMESTAMP NOT NULL
);
CREATE INDEX finapi_tokens_grant ON finapi_tokens (grant_id);
CREATE INDEX finapi_tokens_owner ON finapi_tokens (client_id, user_pk);
CREATE INDEX finapi_tokens_user ON finapi_tokens (user_pk);
CREATE INDEX finapi_tokens_expiry ON finapi_tokens (expires_at);

-- Process controller tokens, by their SHA-256.
CREATE TABLE finapi_processes (
	hash          TEXT PRIMARY KEY,
	client_id     TEXT NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
	user_pk       INTEGER NOT NULL REFERENCES users (pk) ON DELETE CASCADE,
	reference     TEXT NOT NULL,
	exchanges     INTEGER NOT NULL DEFAULT 0,
	max_exchanges INTEGER NOT NULL,
	invalidated   BOOLEAN NOT NULL DEFAULT FALSE,
	expires_at    TIMESTAMP NOT NULL,
	created_at    TIMESTAMP NOT NULL
);
CREATE INDEX finapi_processes_user ON finapi_processes (user_pk);
CREATE INDEX finapi_processes_expiry ON finapi_processes (expires_at);
