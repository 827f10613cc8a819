-- Indexes on the user columns that queueing an analysis and deleting a user
-- look rows up by; without them both scanned the whole table.

CREATE INDEX analysis_jobs_user ON analysis_jobs (user_pk);
CREATE INDEX connect_sessions_user ON connect_sessions (user_pk);
