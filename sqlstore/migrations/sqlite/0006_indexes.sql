-- Indexes on the user columns that queueing an analysis and deleting a user
-- look rows up by; without them both scanned the whole table. And the due
-- jobs in the order they are claimed, so that a claim reads the first of
-- them rather than sorting all.

CREATE INDEX analysis_jobs_user ON analysis_jobs (user_pk);
CREATE INDEX connect_sessions_user ON connect_sessions (user_pk);
DROP INDEX analysis_jobs_due;
CREATE INDEX analysis_jobs_due ON analysis_jobs (run_after, id);
