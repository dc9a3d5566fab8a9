-- Web of trust (issue 7): the server-wide trust root, set by an administrator.
-- One row per key with an owner-trust assignment; a key without a row has unknown owner trust.
-- owner_trust holds GnuPG's --import-ownertrust codes: 2 undefined, 3 never, 4 marginal,
-- 5 full, 6 ultimate (0 unknown is never stored). One script for H2 (MODE=PostgreSQL) and
-- PostgreSQL 15.
CREATE TABLE wot_trust_root (
  fingerprint  VARCHAR(64)  NOT NULL PRIMARY KEY,
  owner_trust  SMALLINT     NOT NULL CHECK (owner_trust IN (2, 3, 4, 5, 6)),
  set_by       VARCHAR(200) NOT NULL,
  set_at       TIMESTAMP WITH TIME ZONE NOT NULL
);
