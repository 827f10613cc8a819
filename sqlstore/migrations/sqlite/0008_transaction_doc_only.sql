-- A transaction is its JSON document: every read takes it from there, so
-- the columns that repeated its fields are gone. An upload binds three
-- values per row instead of eighteen and writes half the bytes. The table
-- is rebuilt, as SQLite drops a column by rewriting the table each time.

CREATE TABLE transactions_new (
	account_pk INTEGER NOT NULL REFERENCES accounts (pk) ON DELETE CASCADE,
	pos        INTEGER NOT NULL,
	doc        BLOB NOT NULL,
	PRIMARY KEY (account_pk, pos)
) WITHOUT ROWID;

INSERT INTO transactions_new (account_pk, pos, doc) SELECT account_pk, pos, doc FROM transactions ORDER BY account_pk, pos;
DROP TABLE transactions;
ALTER TABLE transactions_new RENAME TO transactions;
