-- 0007: mosaics saved on the node, per user (CLI-4, CLI-6).
-- SPDX-License-Identifier: GPL-3.0-or-later

-- A user's mosaics, cycled by the client in id order with each one's dwell time. The
-- layout is the API's JSON, checked by the node before it is stored.
CREATE TABLE mosaics (
  id       bigserial PRIMARY KEY,
  user_id  bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name     text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  layout   jsonb NOT NULL,
  dwell    integer NOT NULL CHECK (dwell BETWEEN 1 AND 3600)
);
CREATE INDEX mosaics_user ON mosaics (user_id, id);
