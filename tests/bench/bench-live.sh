#!/bin/sh
# bench-live.sh: the live relay's measures (LIVE-2, docs/benchmarks.md): first clean
# picture for new viewers joining at random instants of a 2 s GOP, with GStreamer and
# with ffmpeg, directly from the simulated camera and through the node's relay in the
# same run; the relay's added delay on the same picture; the node's CPU with 0, 1, 10
# and 50 viewers of one camera. TAP; asserts no timing.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -u
build=${VIGIE_BUILD_DIR:?}
joins=${VIGIE_BENCH_JOINS:-10}
seconds=${VIGIE_BENCH_SECONDS:-20}
root=$(mktemp -d "${TMPDIR:-/tmp}/vigie-bench-live-XXXXXX")
chmod 711 "$root"
hz=$(getconf CLK_TCK)
pids=""
viewers=""
cleanup() {
  for p in $viewers $pids; do kill -TERM "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
  rm -rf "$root"
}
trap cleanup EXIT

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
ms_now() { date +%s%3N; }

"$build/tests/sim/make-clips.sh" "$root/clips" >/dev/null 2>&1 || sh "$(dirname "$0")/../sim/make-clips.sh" "$root/clips" >/dev/null
"$build/tests/sim/vigie-camsim" --clips "$root/clips" --cameras 1 --rtsp-port 0 --http-port 0 \
  > "$root/sim.out" 2> "$root/sim.log" &
pids="$pids $!"
while ! grep -q ready "$root/sim.out" 2>/dev/null; do sleep 0.1; done
rtsp=$(sed -n 's/.*rtsp=rtsp:\/\/127.0.0.1:\([0-9]*\).*/\1/p' "$root/sim.out")
direct="rtsp://127.0.0.1:$rtsp/cam1/main"

printf '[database]\nfsync=false\n' > "$root/node.conf"
VIGIE_ADMIN_PASSWORD=bench-password "$build/server/vigie-node" --data-dir "$root/node" --config "$root/node.conf" \
  --api-port 0 --rtsp-port 0 --rtsps-port 0 > "$root/node.out" 2> "$root/node.log" &
node=$!; pids="$pids $node"
while ! grep -q '^vigie-node ready' "$root/node.out"; do sleep 0.1; done
api=$(sed -n 's/^vigie-node ready: api=\([^ ]*\).*$/\1/p' "$root/node.out")/api/v1
relay_port=$(sed -n 's/^vigie-node ready: .* rtsp=rtsp:\/\/127.0.0.1:\([0-9]*\).*$/\1/p' "$root/node.out")
relay="rtsp://admin:bench-password@127.0.0.1:$relay_port/cameras/1/main"
curl -sk -u admin:bench-password -H 'Content-Type: application/json' -o /dev/null \
  -d "{\"name\":\"Live\",\"streams\":[{\"name\":\"main\",\"url\":\"$direct\",\"roles\":[\"record\",\"live\"]}]}" \
  "$api/cameras"
sleep 5   # connected and recording, as a camera of a running node is

echo "# one simulated camera, 1080p25 H.264 4 Mbit/s, GOP 50 (2 s); $joins joins at random instants"
"$build/tests/bench/bench-live" "$direct" "$relay" "$joins" 2>/dev/null | sed 's/^/# /'
echo "ok 1 - GStreamer first picture and added latency measured"

# ffmpeg from process start to its first decoded picture.
ffmpeg_first() {
  t0=$(ms_now)
  ffmpeg -nostdin -v quiet -rtsp_transport tcp -i "$1" -frames:v 1 -f null - || return
  echo $(( $(ms_now) - t0 ))
}
for what in direct relay; do
  url=$direct; [ $what = relay ] && url=$relay
  values=""
  for i in $(seq 1 "$joins"); do
    sleep "0.$(shuf -i 0-999 -n 1)"; sleep "$(shuf -i 0-1 -n 1)"
    values="$values $(ffmpeg_first "$url")"
  done
  echo "$values" | tr ' ' '\n' | grep . | sort -n | awk -v w="$what" '
    { v[NR] = $1 } END { printf "# first picture, ffmpeg -frames:v 1 from process start, %s: median %d ms, min %d, max %d (n=%d)\n", w, v[int((NR + 1) / 2)], v[1], v[NR], NR }'
done
echo "ok 2 - ffmpeg first picture measured"

# The node's CPU for N viewers of the camera (ffmpeg -c copy, no decoding).
n_test=2
for n in 0 1 10 50; do
  for i in $(seq 1 $n); do
    ffmpeg -nostdin -v quiet -rtsp_transport tcp -i "$relay" -c copy -f null - &
    viewers="$viewers $!"
  done
  sleep 5
  t0=$(cpu_ticks $node); sleep "$seconds"; t1=$(cpu_ticks $node)
  pct=$(echo "$t0 $t1 $hz $seconds" | awk '{ printf "%.2f", ($2 - $1) / $3 / $4 * 100 }')
  echo "# node CPU with $n viewers (recording the camera too): $pct % of one core"
  for p in $viewers; do kill -TERM "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
  viewers=""
  n_test=$((n_test + 1))
  echo "ok $n_test - CPU with $n viewers measured"
done
echo "1..$n_test"
