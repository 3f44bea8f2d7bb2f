-- 0006: who reads a camera stream (ACQ-1): our own RTSP client, or GStreamer's rtspsrc.
ALTER TABLE camera_streams ADD COLUMN ingest text NOT NULL DEFAULT 'native'
  CHECK (ingest IN ('native', 'gstreamer'));
