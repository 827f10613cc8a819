-- Banking UI sessions, and what a connected login keeps for refreshes.

CREATE TABLE connect_sessions (
	id            TEXT PRIMARY KEY,
	client_id     TEXT NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
	user_pk       BIGINT NOT NULL REFERENCES users (pk) ON DELETE CASCADE,
	redirect_url  TEXT NOT NULL,
	error_url     TEXT NOT NULL,
	exit_url      TEXT NOT NULL,
	recurring     BOOLEAN NOT NULL,
	user_ip       TEXT NOT NULL,
	created_at    TIMESTAMPTZ NOT NULL,
	expires_at    TIMESTAMPTZ NOT NULL,
	state         TEXT NOT NULL,
	browser_hash  TEXT NOT NULL,
	bank_code     TEXT NOT NULL,
	credentials   BYTEA,
	dialog        BYTEA,
	step          BYTEA,
	pin_attempts  INTEGER NOT NULL,
	tan_attempts  INTEGER NOT NULL,
	login_id      TEXT NOT NULL,
	error         TEXT NOT NULL,
	version       INTEGER NOT NULL
);
CREATE INDEX connect_sessions_expiry ON connect_sessions (expires_at);

ALTER TABLE logins ADD COLUMN credentials BYTEA;
ALTER TABLE logins ADD COLUMN last_sync_at TIMESTAMPTZ;
