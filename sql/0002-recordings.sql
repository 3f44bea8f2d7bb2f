-- 0002: data disks, the recording index, protected ranges.
-- SPDX-License-Identifier: GPL-3.0-or-later

-- Where recordings go (REC-10): each camera records on one disk.
-- Recording stops for no disk: past max_use_percent of its file system, or past
-- max_bytes of video when set, the oldest unprotected video is purged (REC-8).
CREATE TABLE storage_disks (
  id              serial PRIMARY KEY,
  path            text NOT NULL UNIQUE,
  max_use_percent integer NOT NULL DEFAULT 90 CHECK (max_use_percent BETWEEN 1 AND 99),
  max_bytes       bigint CHECK (max_bytes > 0),
  created_at      timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE cameras ADD COLUMN disk_id integer REFERENCES storage_disks (id);
-- The weekly calendar of the "schedule" recording mode (REC-3): one bit per
-- quarter-hour, Monday 00:00 first, local time of the node (see common/vg-schedule.h).
-- How RTP comes from the camera (ACQ-1).
ALTER TABLE camera_streams ADD COLUMN transport text NOT NULL DEFAULT 'tcp'
  CHECK (transport IN ('tcp', 'udp', 'multicast'));
ALTER TABLE cameras ADD COLUMN schedule bytea CHECK (schedule IS NULL OR length(schedule) = 84);

-- One row per Matroska segment (REC-2). The keyframe index is packed (see
-- server/vg-mkv-writer.h): times and byte offsets of every Cluster.
CREATE TABLE recording_segments (
  id          bigserial PRIMARY KEY,
  camera_id   bigint NOT NULL REFERENCES cameras (id) ON DELETE CASCADE,
  stream      text NOT NULL,
  disk_id     integer NOT NULL REFERENCES storage_disks (id),
  path        text NOT NULL,          -- relative to the disk
  start_time  timestamptz NOT NULL,
  end_time    timestamptz NOT NULL,
  bytes       bigint NOT NULL,
  frames      integer NOT NULL,
  keyframes   bytea NOT NULL,
  open        boolean NOT NULL DEFAULT false,  -- still being written
  CHECK (end_time >= start_time),
  UNIQUE (disk_id, path)
);
CREATE INDEX recording_segments_camera_time ON recording_segments (camera_id, stream, start_time) INCLUDE (end_time);
CREATE INDEX recording_segments_disk_start ON recording_segments (disk_id, start_time);

-- Ranges no purge may touch (REC-9).
CREATE TABLE protected_ranges (
  id          bigserial PRIMARY KEY,
  camera_id   bigint NOT NULL REFERENCES cameras (id) ON DELETE CASCADE,
  start_time  timestamptz NOT NULL,
  end_time    timestamptz NOT NULL,
  comment     text NOT NULL DEFAULT '',
  created_by  bigint REFERENCES users (id) ON DELETE SET NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  CHECK (end_time > start_time)
);
CREATE INDEX protected_ranges_camera ON protected_ranges (camera_id, start_time);
