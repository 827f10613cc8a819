-- What a connected login keeps to be refreshed without the user.

ALTER TABLE logins ADD COLUMN connector_session BYTEA;
ALTER TABLE logins ADD COLUMN refresh_after TIMESTAMPTZ;
ALTER TABLE logins ADD COLUMN refreshing_until TIMESTAMPTZ;
ALTER TABLE logins ADD COLUMN refresh_error TEXT NOT NULL DEFAULT '';
CREATE INDEX logins_refresh_due ON logins (refresh_after);
