-- 0008: the pinned SHA-256 fingerprint of an rtsps:// camera's certificate (ACQ-1):
-- lower-case hex, or NULL when the camera's certificate is not pinned.
ALTER TABLE camera_streams ADD COLUMN tls_fingerprint text
  CHECK (tls_fingerprint ~ '^[0-9a-f]{64}$');
