-- The analysis of users' bank data: a job queue, results, and API clients' own rules.

CREATE TABLE analyses (
	user_pk    INTEGER PRIMARY KEY REFERENCES users (pk) ON DELETE CASCADE,
	status     TEXT NOT NULL,
	generation INTEGER NOT NULL,
	result     TEXT,
	error      TEXT NOT NULL,
	updated_at TIMESTAMP NOT NULL
);

CREATE TABLE analysis_jobs (
	id           INTEGER PRIMARY KEY,
	user_pk      INTEGER NOT NULL REFERENCES users (pk) ON DELETE CASCADE,
	generation   INTEGER NOT NULL,
	run_after    TIMESTAMP NOT NULL,
	locked_until TIMESTAMP,
	attempts     INTEGER NOT NULL
);
CREATE INDEX analysis_jobs_due ON analysis_jobs (run_after);

CREATE TABLE client_rules (
	client_id  TEXT PRIMARY KEY REFERENCES clients (id) ON DELETE CASCADE,
	rules      TEXT NOT NULL,
	updated_at TIMESTAMP NOT NULL
);
