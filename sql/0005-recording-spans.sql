-- 0005: recorded spans per camera stream, kept up to date as segments are indexed.
-- SPDX-License-Identifier: GPL-3.0-or-later

-- The timeline (PLAY-2) asks "what was recorded between t1 and t2": a month of
-- one-minute segments is 43 000 rows but a few hundred spans at most. The spans are
-- the segments of a camera stream merged where the hole between them is at most
-- vg_recording_gap_tolerance() (the same value as VG_RECORDING_GAP_TOLERANCE_US in
-- server/vg-recording-index.h). Triggers on recording_segments keep them exact for
-- every writer: the index, recovery, retention, manual deletion, camera deletion.
CREATE TABLE recording_spans (
  camera_id   bigint NOT NULL REFERENCES cameras (id) ON DELETE CASCADE,
  stream      text NOT NULL,
  start_time  timestamptz NOT NULL,
  end_time    timestamptz NOT NULL,
  CHECK (end_time >= start_time),
  -- end_time is left out of the index so that a span growing with its open segment
  -- (every index flush) is a HOT update that adds no index entry.
  PRIMARY KEY (camera_id, stream, start_time)
);

CREATE FUNCTION vg_recording_gap_tolerance () RETURNS interval
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT interval '1.5 seconds' $$;

-- Serialises span changes of one camera stream (nodes sharing a database).
CREATE FUNCTION vg_spans_lock (p_camera bigint, p_stream text) RETURNS void
  LANGUAGE sql
  AS $$ SELECT pg_advisory_xact_lock (hashtextextended ('vigie-spans/' || p_camera || '/' || p_stream, 0)) $$;

-- A segment [p_start, p_end] was added or grew: it joins the spans it touches.
CREATE FUNCTION vg_spans_merge (p_camera bigint, p_stream text, p_start timestamptz, p_end timestamptz)
  RETURNS void LANGUAGE plpgsql
  AS $$
DECLARE
  lo timestamptz;
  hi timestamptz;
  n  bigint;
BEGIN
  PERFORM vg_spans_lock (p_camera, p_stream);
  SELECT min (start_time), max (end_time), count (*) INTO lo, hi, n
    FROM recording_spans
    WHERE camera_id = p_camera AND stream = p_stream
      AND start_time <= p_end + vg_recording_gap_tolerance ()
      AND end_time >= p_start - vg_recording_gap_tolerance ();
  IF n = 0 THEN
    INSERT INTO recording_spans VALUES (p_camera, p_stream, p_start, p_end);
  ELSIF n = 1 THEN
    IF lo > p_start OR hi < p_end THEN
      UPDATE recording_spans SET start_time = least (lo, p_start), end_time = greatest (hi, p_end)
        WHERE camera_id = p_camera AND stream = p_stream AND start_time = lo;
    END IF;
  ELSE
    DELETE FROM recording_spans
      WHERE camera_id = p_camera AND stream = p_stream AND start_time >= lo AND start_time <= hi;
    INSERT INTO recording_spans VALUES (p_camera, p_stream, least (lo, p_start), greatest (hi, p_end));
  END IF;
END
$$;

-- The spans of a camera stream that start in [p_lo, p_hi], computed again from the
-- segments (whole spans only: their segments all start inside).
CREATE FUNCTION vg_spans_rebuild (p_camera bigint, p_stream text, p_lo timestamptz, p_hi timestamptz)
  RETURNS void LANGUAGE plpgsql
  AS $$
BEGIN
  PERFORM vg_spans_lock (p_camera, p_stream);
  DELETE FROM recording_spans
    WHERE camera_id = p_camera AND stream = p_stream AND start_time >= p_lo AND start_time <= p_hi;
  INSERT INTO recording_spans (camera_id, stream, start_time, end_time)
    SELECT p_camera, p_stream, min (start_time), max (end_time)
    FROM (SELECT start_time, end_time, sum (brk) OVER (ORDER BY start_time, end_time) AS grp
          FROM (SELECT start_time, end_time,
                       CASE WHEN start_time <= max (end_time) OVER w + vg_recording_gap_tolerance ()
                            THEN 0 ELSE 1 END AS brk
                FROM recording_segments
                WHERE camera_id = p_camera AND stream = p_stream
                  AND start_time >= p_lo AND start_time <= p_hi
                WINDOW w AS (ORDER BY start_time, end_time
                             ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)) marked) grouped
    GROUP BY grp;
END
$$;

-- Segments of span [p_lo, p_hi] were deleted, the last of them ending at p_deleted_end.
-- When they all came before what is left (retention purges the oldest video), the
-- span only loses its head; otherwise it is computed again.
CREATE FUNCTION vg_spans_forget (p_camera bigint, p_stream text, p_lo timestamptz, p_hi timestamptz,
                                 p_deleted_end timestamptz)
  RETURNS void LANGUAGE plpgsql
  AS $$
DECLARE
  first_left timestamptz;
BEGIN
  PERFORM vg_spans_lock (p_camera, p_stream);
  SELECT min (start_time) INTO first_left FROM recording_segments
    WHERE camera_id = p_camera AND stream = p_stream AND start_time >= p_lo AND start_time <= p_hi;
  IF first_left IS NULL THEN
    DELETE FROM recording_spans WHERE camera_id = p_camera AND stream = p_stream AND start_time = p_lo;
  ELSIF first_left >= p_deleted_end THEN
    UPDATE recording_spans SET start_time = first_left
      WHERE camera_id = p_camera AND stream = p_stream AND start_time = p_lo;
  ELSE
    PERFORM vg_spans_rebuild (p_camera, p_stream, p_lo, p_hi);
  END IF;
END
$$;

-- New segments are merged among themselves first, then each group joins the spans:
-- a batch of the index (or a bulk insert) costs one merge per group, not per row.
CREATE FUNCTION vg_spans_segments_inserted () RETURNS trigger LANGUAGE plpgsql
  AS $$
DECLARE
  g record;
BEGIN
  FOR g IN SELECT camera_id, stream, min (start_time) AS lo, max (end_time) AS hi
             FROM (SELECT camera_id, stream, start_time, end_time,
                          sum (brk) OVER (PARTITION BY camera_id, stream ORDER BY start_time, end_time) AS grp
                   FROM (SELECT camera_id, stream, start_time, end_time,
                                CASE WHEN start_time <= max (end_time) OVER w + vg_recording_gap_tolerance ()
                                     THEN 0 ELSE 1 END AS brk
                         FROM inserted
                         WINDOW w AS (PARTITION BY camera_id, stream ORDER BY start_time, end_time
                                      ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)) marked) grouped
             GROUP BY camera_id, stream, grp
             ORDER BY camera_id, stream, lo LOOP
    PERFORM vg_spans_merge (g.camera_id, g.stream, g.lo, g.hi);
  END LOOP;
  RETURN NULL;
END
$$;

CREATE FUNCTION vg_spans_segment_updated () RETURNS trigger LANGUAGE plpgsql
  AS $$
DECLARE
  sp record;
BEGIN
  IF NEW.camera_id <> OLD.camera_id OR NEW.stream <> OLD.stream
     OR NEW.start_time > OLD.start_time OR NEW.end_time < OLD.end_time THEN
    -- The segment shrank or moved: its old span is computed again.
    FOR sp IN SELECT start_time, end_time FROM recording_spans
                WHERE camera_id = OLD.camera_id AND stream = OLD.stream
                  AND start_time <= OLD.start_time AND end_time >= OLD.start_time LOOP
      PERFORM vg_spans_rebuild (OLD.camera_id, OLD.stream, sp.start_time, sp.end_time);
    END LOOP;
  END IF;
  PERFORM vg_spans_merge (NEW.camera_id, NEW.stream, NEW.start_time, NEW.end_time);
  RETURN NULL;
END
$$;

CREATE FUNCTION vg_spans_segments_deleted () RETURNS trigger LANGUAGE plpgsql
  AS $$
DECLARE
  sp record;
BEGIN
  FOR sp IN SELECT s.camera_id, s.stream, s.start_time, s.end_time, max (d.end_time) AS deleted_end
              FROM deleted d JOIN recording_spans s
                ON s.camera_id = d.camera_id AND s.stream = d.stream
               AND s.start_time <= d.start_time AND s.end_time >= d.start_time
              GROUP BY s.camera_id, s.stream, s.start_time, s.end_time
              ORDER BY s.camera_id, s.stream, s.start_time LOOP
    PERFORM vg_spans_forget (sp.camera_id, sp.stream, sp.start_time, sp.end_time, sp.deleted_end);
  END LOOP;
  RETURN NULL;
END
$$;

CREATE TRIGGER recording_segments_spans_insert AFTER INSERT ON recording_segments
  REFERENCING NEW TABLE AS inserted
  FOR EACH STATEMENT EXECUTE FUNCTION vg_spans_segments_inserted ();
CREATE TRIGGER recording_segments_spans_update AFTER UPDATE OF camera_id, stream, start_time, end_time
  ON recording_segments
  FOR EACH ROW WHEN (NEW.start_time IS DISTINCT FROM OLD.start_time OR NEW.end_time IS DISTINCT FROM OLD.end_time
                     OR NEW.camera_id IS DISTINCT FROM OLD.camera_id OR NEW.stream IS DISTINCT FROM OLD.stream)
  EXECUTE FUNCTION vg_spans_segment_updated ();
CREATE TRIGGER recording_segments_spans_delete AFTER DELETE ON recording_segments
  REFERENCING OLD TABLE AS deleted
  FOR EACH STATEMENT EXECUTE FUNCTION vg_spans_segments_deleted ();

-- The spans of what is indexed already.
INSERT INTO recording_spans (camera_id, stream, start_time, end_time)
  SELECT camera_id, stream, min (start_time), max (end_time)
  FROM (SELECT camera_id, stream, start_time, end_time,
               sum (brk) OVER (PARTITION BY camera_id, stream ORDER BY start_time, end_time) AS grp
        FROM (SELECT camera_id, stream, start_time, end_time,
                     CASE WHEN start_time <= max (end_time) OVER w + vg_recording_gap_tolerance ()
                          THEN 0 ELSE 1 END AS brk
              FROM recording_segments
              WINDOW w AS (PARTITION BY camera_id, stream ORDER BY start_time, end_time
                           ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)) marked) grouped
  GROUP BY camera_id, stream, grp;
