-- Items (transactions, standing orders, securities) no longer check their
-- account with a foreign key. The check ran a trigger per inserted row that
-- looked the account up and locked it, which more than doubled the time
-- of a large upload's COPY; the store inserts items only for the accounts
-- it inserts in the same transaction. Deleting accounts still deletes
-- their items, as the cascade did: once per statement, for all the
-- accounts it deleted (cascades from logins and users included).

ALTER TABLE transactions DROP CONSTRAINT transactions_account_pk_fkey;
ALTER TABLE standing_orders DROP CONSTRAINT standing_orders_account_pk_fkey;
ALTER TABLE securities DROP CONSTRAINT securities_account_pk_fkey;

CREATE FUNCTION delete_account_items() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	DELETE FROM transactions t USING gone g WHERE t.account_pk = g.pk;
	DELETE FROM standing_orders s USING gone g WHERE s.account_pk = g.pk;
	DELETE FROM securities s USING gone g WHERE s.account_pk = g.pk;
	RETURN NULL;
END
$$;

CREATE TRIGGER accounts_delete_items AFTER DELETE ON accounts
	REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION delete_account_items();
