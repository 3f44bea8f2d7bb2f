-- 0009: remembered client tokens (CLI-1): a session asked with "remember" lives for
-- [api] remember-lifetime, carries the name of the client that keeps it, and has an
-- id by which its user (or an admin) lists and revokes it. Ordinary sessions stay as
-- they were (remembered = false, client NULL).
ALTER TABLE sessions ADD COLUMN id bigserial UNIQUE;
ALTER TABLE sessions ADD COLUMN remembered boolean NOT NULL DEFAULT false;
ALTER TABLE sessions ADD COLUMN client text CHECK (length(client) BETWEEN 1 AND 200);
CREATE INDEX sessions_remembered_user ON sessions (user_id) WHERE remembered;
