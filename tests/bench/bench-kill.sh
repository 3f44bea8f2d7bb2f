#!/bin/sh
# bench-kill.sh [N]: vigie-node records N (16) simulated 1080p cameras; after 20 s it is
# killed with -9 and started again. Prints the time until every camera is recorded
# again and, per camera, the video missing from the index around the kill (REC-7).
# TAP; asserts no timing.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -u
build=${VIGIE_BUILD_DIR:?}
n=${1:-16}
root=$(mktemp -d "${TMPDIR:-/tmp}/vigie-bench-kill-XXXXXX")
chmod 711 "$root"
pids=""
cleanup() { for p in $pids; do kill -TERM "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; rm -rf "$root"; }
trap cleanup EXIT
now_ms() { date +%s%3N; }

sh "$(dirname "$0")/../sim/make-clips.sh" "$root/clips" >/dev/null
"$build/tests/sim/vigie-camsim" --clips "$root/clips" --cameras "$n" --rtsp-port 0 --http-port 0 \
  > "$root/sim.out" 2> "$root/sim.log" &
pids="$pids $!"
while ! grep -q ready "$root/sim.out"; do sleep 0.1; done
rtsp=$(sed -n 's/.*rtsp=rtsp:\/\/127.0.0.1:\([0-9]*\).*/\1/p' "$root/sim.out")

printf '[database]\nfsync=false\n' > "$root/node.conf"
start_node() {
  VIGIE_ADMIN_PASSWORD=bench-password "$build/server/vigie-node" --data-dir "$root/data" --config "$root/node.conf" \
    --api-port "${port:-0}" --rtsp-port 0 --rtsps-port 0 > "$root/node.out" 2>> "$root/node.log" &
  node=$!
  while ! grep -q '^vigie-node ready' "$root/node.out"; do sleep 0.02; done
  port=$(sed -n 's/^vigie-node ready: api=https:\/\/127.0.0.1:\([0-9]*\).*$/\1/p' "$root/node.out")
}
start_node
api="https://127.0.0.1:$port/api/v1"
for i in $(seq 1 "$n"); do
  curl -sk -u admin:bench-password -H 'Content-Type: application/json' -o /dev/null \
    -d "{\"name\":\"Bench $i\",\"streams\":[{\"name\":\"main\",\"url\":\"rtsp://127.0.0.1:$rtsp/cam$i/main\",\"roles\":[\"record\"]}]}" \
    "$api/cameras"
done
sleep 20

killed=$(now_ms)
kill -KILL $node; wait $node 2>/dev/null
start_node
ready=$(now_ms)
pids="$pids $node"
# Every camera streaming again
while :; do
  streaming=0
  for i in $(seq 1 "$n"); do
    curl -sk -u admin:bench-password "$api/cameras/$i/status" | grep -q '"state":"streaming"' && streaming=$((streaming + 1))
  done
  [ "$streaming" -eq "$n" ] && break
  sleep 0.1
done
all=$(now_ms)
sleep 12   # index rows of the new segments

# The exact hole per camera, from the index: end of the last segment that began before
# the kill (recovered) to the start of the first one after it.
holes=$(psql -X -A -t "host=$root/data/run port=5432 dbname=vigie user=vigie" -c "
  SELECT string_agg(to_char(hole, 'FM990.00'), ' ' ORDER BY camera_id) FROM (
    SELECT camera_id,
           extract(epoch FROM min(start_time) FILTER (WHERE start_time > to_timestamp($killed / 1000.0))
                            - max(end_time) FILTER (WHERE start_time <= to_timestamp($killed / 1000.0))) AS hole
    FROM recording_segments GROUP BY camera_id) per_camera")
echo "# N=$n cameras recording, kill -9 of the node, start again"
echo "# node ready again: $((ready - killed)) ms after the kill; every camera streaming again: $((all - killed)) ms"
echo "# video missing around the kill, per camera (s, from the segments' times): $holes"
echo "ok 1 - kill -9 measured"
echo "1..1"
