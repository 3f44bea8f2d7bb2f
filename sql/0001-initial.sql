-- 0001: users, sessions, cameras and their streams, camera log.
-- SPDX-License-Identifier: GPL-3.0-or-later
-- All times are timestamptz (stored in UTC).

CREATE TABLE users (
  id            bigserial PRIMARY KEY,
  name          text NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 64),
  password_hash text NOT NULL,
  role          text NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
  enabled       boolean NOT NULL DEFAULT true,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE sessions (
  token_hash    text PRIMARY KEY,            -- SHA-256 of the token, hex; never the token
  user_id       bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at    timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL,
  address       text
);
CREATE INDEX sessions_expires_at ON sessions (expires_at);

CREATE TABLE cameras (
  id             bigserial PRIMARY KEY,
  name           text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  enabled        boolean NOT NULL DEFAULT true,
  recording_mode text NOT NULL DEFAULT 'continuous'
                 CHECK (recording_mode IN ('continuous', 'alarm', 'schedule', 'off')),
  retention_days integer NOT NULL DEFAULT 30 CHECK (retention_days BETWEEN 1 AND 3650),
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE camera_streams (
  camera_id  bigint NOT NULL REFERENCES cameras (id) ON DELETE CASCADE,
  position   integer NOT NULL,
  name       text NOT NULL,
  url        text NOT NULL,
  roles      text[] NOT NULL DEFAULT '{}',
  PRIMARY KEY (camera_id, name),
  UNIQUE (camera_id, position)
);

-- What happened to a camera: connection lost and regained, configuration changes.
CREATE TABLE camera_log (
  id         bigserial PRIMARY KEY,
  camera_id  bigint NOT NULL REFERENCES cameras (id) ON DELETE CASCADE,
  at         timestamptz NOT NULL DEFAULT now(),
  kind       text NOT NULL,
  message    text NOT NULL DEFAULT ''
);
CREATE INDEX camera_log_camera_at ON camera_log (camera_id, at);
