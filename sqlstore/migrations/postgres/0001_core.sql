-- Core schema: API clients, tokens, users and their bank logins.

CREATE TABLE settings (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
);

CREATE TABLE clients (
	id          TEXT PRIMARY KEY,
	name        TEXT NOT NULL UNIQUE,
	secret_hash TEXT NOT NULL,
	api_version TEXT NOT NULL,
	rate_limit  DOUBLE PRECISION NOT NULL,
	rate_burst  INTEGER NOT NULL,
	created_at  TIMESTAMPTZ NOT NULL
);

CREATE TABLE token_families (
	id         TEXT PRIMARY KEY,
	client_id  TEXT NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
	revoked    BOOLEAN NOT NULL DEFAULT FALSE,
	created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE refresh_tokens (
	id         TEXT PRIMARY KEY,
	family_id  TEXT NOT NULL REFERENCES token_families (id) ON DELETE CASCADE,
	expires_at TIMESTAMPTZ NOT NULL,
	used_at    TIMESTAMPTZ
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_expiry ON refresh_tokens (expires_at);

CREATE TABLE users (
	pk         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	id         TEXT NOT NULL UNIQUE,
	client_id  TEXT NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
	type       TEXT NOT NULL,
	created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX users_client ON users (client_id, pk);

CREATE TABLE logins (
	pk         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	user_pk    BIGINT NOT NULL REFERENCES users (pk) ON DELETE CASCADE,
	id         TEXT NOT NULL,
	source     TEXT NOT NULL,
	bank_name  TEXT NOT NULL,
	bank_bic   TEXT NOT NULL,
	bank_code  TEXT NOT NULL,
	logo_url   TEXT NOT NULL,
	logo_type  TEXT NOT NULL,
	created_at TIMESTAMPTZ NOT NULL,
	UNIQUE (user_pk, id)
);

CREATE TABLE accounts (
	pk                     BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	login_pk               BIGINT NOT NULL REFERENCES logins (pk) ON DELETE CASCADE,
	pos                    INTEGER NOT NULL,
	id                     TEXT NOT NULL,
	iban                   TEXT NOT NULL,
	number                 TEXT NOT NULL,
	name                   TEXT NOT NULL,
	owner                  TEXT NOT NULL,
	type                   TEXT NOT NULL,
	balance                NUMERIC NOT NULL,
	credit_line            NUMERIC NOT NULL,
	monthly_spending_limit NUMERIC NOT NULL,
	currency               TEXT NOT NULL
);
CREATE INDEX accounts_login ON accounts (login_pk, pos);

CREATE TABLE transactions (
	account_pk     BIGINT NOT NULL REFERENCES accounts (pk) ON DELETE CASCADE,
	pos            INTEGER NOT NULL,
	id             TEXT NOT NULL,
	account_id     TEXT NOT NULL,
	booking_date   TIMESTAMPTZ,
	value_date     TIMESTAMPTZ,
	currency       TEXT NOT NULL,
	mref           TEXT NOT NULL,
	purpose        TEXT NOT NULL,
	booked         BOOLEAN NOT NULL,
	amount         NUMERIC NOT NULL,
	cp_bic         TEXT NOT NULL,
	cp_iban        TEXT NOT NULL,
	cp_creditor_id TEXT NOT NULL,
	cp_name        TEXT NOT NULL,
	tags           TEXT NOT NULL,
	codes          TEXT NOT NULL,
	PRIMARY KEY (account_pk, pos)
);

CREATE TABLE standing_orders (
	account_pk           BIGINT NOT NULL REFERENCES accounts (pk) ON DELETE CASCADE,
	pos                  INTEGER NOT NULL,
	id                   TEXT NOT NULL,
	account_id           TEXT NOT NULL,
	creation_date        TIMESTAMPTZ,
	first_execution_date TIMESTAMPTZ,
	last_execution_date  TIMESTAMPTZ,
	execution_day        INTEGER NOT NULL,
	exec_interval        TEXT NOT NULL,
	amount               NUMERIC NOT NULL,
	currency             TEXT NOT NULL,
	purpose              TEXT NOT NULL,
	PRIMARY KEY (account_pk, pos)
);

CREATE TABLE securities (
	account_pk              BIGINT NOT NULL REFERENCES accounts (pk) ON DELETE CASCADE,
	pos                     INTEGER NOT NULL,
	id                      TEXT NOT NULL,
	account_id              TEXT NOT NULL,
	amount                  NUMERIC NOT NULL,
	price_amount            NUMERIC NOT NULL,
	purchase_price_amount   NUMERIC NOT NULL,
	currency                TEXT NOT NULL,
	price_currency          TEXT NOT NULL,
	purchase_price_currency TEXT NOT NULL,
	exchange_rate           NUMERIC NOT NULL,
	quantity                NUMERIC NOT NULL,
	isin                    TEXT NOT NULL,
	name                    TEXT NOT NULL,
	market                  TEXT NOT NULL,
	PRIMARY KEY (account_pk, pos)
);
