-- RTSP tunnelled over HTTP is a fourth way for RTP to come from a camera (ACQ-1).
ALTER TABLE camera_streams DROP CONSTRAINT IF EXISTS camera_streams_transport_check;
ALTER TABLE camera_streams ADD CONSTRAINT camera_streams_transport_check
  CHECK (transport IN ('tcp', 'udp', 'multicast', 'http'));
