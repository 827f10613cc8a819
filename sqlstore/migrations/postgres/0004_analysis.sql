-- The analysis of users' bank data: a job queue, results, and API clients' own rules.

CREATE TABLE analyses (
	user_pk    BIGINT PRIMARY KEY REFERENCES users (pk) ON DELETE CASCADE,
	status     TEXT NOT NULL,
	generation BIGINT NOT NULL,
	result     TEXT,
	error      TEXT NOT NULL,
	updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE analysis_jobs (
	id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	user_pk      BIGINT NOT NULL REFERENCES users (pk) ON DELETE CASCADE,
	generation   BIGINT NOT NULL,
	run_after    TIMESTAMPTZ NOT NULL,
	locked_until TIMESTAMPTZ,
	attempts     INTEGER NOT NULL
);
CREATE INDEX analysis_jobs_due ON analysis_jobs (run_after);

CREATE TABLE client_rules (
	client_id  TEXT PRIMARY KEY REFERENCES clients (id) ON DELETE CASCADE,
	rules      TEXT NOT NULL,
	updated_at TIMESTAMPTZ NOT NULL
);
