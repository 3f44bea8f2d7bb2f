-- 0003: live relay (ACQ-6): a stream can be kept connected when nobody records or views it.
ALTER TABLE camera_streams ADD COLUMN keep_open boolean NOT NULL DEFAULT false;
