-- Every transaction's JSON document, kept beside its columns and rewritten
-- with its tags, so that listing transactions copies stored bytes. Rows
-- stored before this migration get theirs when the store opens.

ALTER TABLE transactions ADD COLUMN doc BLOB;
