-- Admin console sessions, in the database so that any node can serve any request (no sticky
-- sessions). Only the SHA-256 of the cookie value is stored.
CREATE TABLE web_session (
  id_hash     VARCHAR(64)  NOT NULL PRIMARY KEY,
  token_name  VARCHAR(100) NOT NULL,
  role        VARCHAR(20)  NOT NULL,
  csrf        VARCHAR(64)  NOT NULL,
  created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
  expires_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX web_session_expires_ix ON web_session (expires_at);
