-- SKS key hashes (docs/KEYSERVER.md, op=hget): MD5 over the sorted packets of the served form and
-- of the first-party form (what is served when third-party certifications are not). Rows written
-- before this migration get them when the keyserver store starts (NULL until then).
ALTER TABLE ks_key ADD COLUMN sks_hash CHAR(32);
ALTER TABLE ks_key ADD COLUMN sks_hash_first_party CHAR(32);
CREATE INDEX ks_key_sks_hash ON ks_key (sks_hash);
CREATE INDEX ks_key_sks_hash_fp ON ks_key (sks_hash_first_party);
