-- What a connected login keeps to be refreshed without the user.

ALTER TABLE logins ADD COLUMN connector_session BLOB;
ALTER TABLE logins ADD COLUMN refresh_after TIMESTAMP;
ALTER TABLE logins ADD COLUMN refreshing_until TIMESTAMP;
ALTER TABLE logins ADD COLUMN refresh_error TEXT NOT NULL DEFAULT '';
CREATE INDEX logins_refresh_due ON logins (refresh_after);
