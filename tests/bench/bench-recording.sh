#!/bin/sh
# bench-recording.sh [N...]: record N simulated 1080p25 4 Mbit/s H.264 cameras for
# VIGIE_BENCH_SECONDS (60) with vigie-node, then with a plain GStreamer recorder
# (rtspsrc ! rtph264depay ! h264parse ! splitmuxsink muxer-factory=matroskamux, every
# camera in one gst-launch process) on the same simulated cameras; prints CPU (% of one
# core per camera), RSS, bytes written and frames recorded, and compares, camera by
# camera, the frames the simulator sent to the node (its control API's frames_sent)
# with the video frames found in the node's segments. TAP; asserts no timing.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -u
build=${VIGIE_BUILD_DIR:?}
seconds=${VIGIE_BENCH_SECONDS:-60}
counts=${*:-16}
root=$(mktemp -d "${TMPDIR:-/tmp}/vigie-bench-rec-XXXXXX")
chmod 711 "$root"
hz=$(getconf CLK_TCK)
pids=""
cleanup() { for p in $pids; do kill -TERM "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; rm -rf "$root"; }
trap cleanup EXIT

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
# video frames in the Matroska files under a directory
frames_in() {
  total=0
  for f in $(find "$1" -name '*.mkv' 2>/dev/null); do
    c=$(ffprobe -v error -count_packets -select_streams v:0 -show_entries stream=nb_read_packets -of csv=p=0 "$f" 2>/dev/null)
    total=$((total + ${c:-0}))
  done
  echo "$total"
}
rss_kb() { awk '/^VmRSS/ { print $2 }' "/proc/$1/status"; }

"$build/tests/sim/make-clips.sh" "$root/clips" >/dev/null 2>&1 || sh "$(dirname "$0")/../sim/make-clips.sh" "$root/clips" >/dev/null
n_test=0
for n in $counts; do
  "$build/tests/sim/vigie-camsim" --clips "$root/clips" --cameras "$n" --rtsp-port 0 --http-port 0 \
    > "$root/sim.out" 2> "$root/sim.log" &
  sim=$!; pids="$pids $sim"
  while ! grep -q ready "$root/sim.out" 2>/dev/null; do sleep 0.1; done
  rtsp=$(sed -n 's/.*rtsp=rtsp:\/\/127.0.0.1:\([0-9]*\).*/\1/p' "$root/sim.out")
  control=$(sed -n 's/.*http=\(http:\/\/127.0.0.1:[0-9]*\).*/\1/p' "$root/sim.out")

  # vigie-node
  data="$root/node$n"
  printf '[database]\nfsync=false\n[storage]\nretention-interval=3600\n' > "$root/node.conf"
  VIGIE_ADMIN_PASSWORD=bench-password "$build/server/vigie-node" --data-dir "$data" --config "$root/node.conf" \
    --api-port 0 --rtsp-port 0 --rtsps-port 0 > "$root/node.out" 2> "$root/node.log" &
  node=$!; pids="$pids $node"
  while ! grep -q '^vigie-node ready' "$root/node.out"; do sleep 0.1; done
  api=$(sed -n 's/^vigie-node ready: api=\([^ ]*\).*$/\1/p' "$root/node.out")/api/v1
  ids=""
  for i in $(seq 1 "$n"); do
    id=$(curl -sk -u admin:bench-password -H 'Content-Type: application/json' \
      -d "{\"name\":\"Bench $i\",\"streams\":[{\"name\":\"main\",\"url\":\"rtsp://127.0.0.1:$rtsp/cam$i/main\",\"roles\":[\"record\"]}]}" \
      "$api/cameras" | jq -r .id)
    ids="$ids $id"
  done
  sleep 10   # connections made, first segments opened
  t0=$(cpu_ticks $node); sleep "$seconds"; t1=$(cpu_ticks $node)
  node_rss=$(rss_kb $node)
  # Frame for frame: the simulated cameras stall first (connections stay open, nothing
  # more is sent, their counters freeze; the node was the only viewer of each main
  # stream), the node gets a second to write what was on its way, then stops; what is
  # missing from its segments was lost.
  for i in $(seq 1 "$n"); do curl -s -X POST -o /dev/null "$control/cameras/$i/stall"; done
  sleep 1
  sent_list=""
  for i in $(seq 1 "$n"); do
    sent_list="$sent_list $(curl -s "$control/cameras/$i" | jq -r .streams.main.frames_sent)"
  done
  kill -TERM $node; wait $node
  for i in $(seq 1 "$n"); do curl -s -X POST -o /dev/null "$control/cameras/$i/start"; done
  node_bytes=$(du -sb "$data/recordings" | cut -f1)
  node_frames=0; sent_frames=0; differing=""; i=0
  for id in $ids; do
    i=$((i + 1))
    sent=$(echo $sent_list | cut -d' ' -f$i)
    recorded=$(frames_in "$data/recordings/$id/main")
    node_frames=$((node_frames + recorded)); sent_frames=$((sent_frames + sent))
    [ "$sent" != "$recorded" ] && differing="$differing cam$i:$recorded/$sent"
  done
  frames_line="# frames: $node_frames recorded of $sent_frames sent ($((sent_frames - node_frames)) missing); cameras differing (recorded/sent):${differing:- none}"
  node_pct=$(echo "$t0 $t1 $hz $seconds $n" | awk '{ printf "%.3f", ($2 - $1) / $3 / $4 * 100 / $5 }')

  # plain GStreamer, same cameras (VIGIE_BENCH_BASELINE=0 skips it: at 128 cameras the
  # simulator and the baseline together need more than two cores)
  if [ "${VIGIE_BENCH_BASELINE:-1}" = 0 ]; then
    kill -TERM $sim; wait $sim
    node_pct_line="# vigie-node: ${node_pct} % of one core per camera, RSS $((node_rss / 1024)) MB ($((node_rss / n)) KB per camera), $node_bytes bytes, $node_frames video frames in segments (recorded about $((seconds + 10)) s)"
    echo "# N=$n cameras, ${seconds} s measured after 10 s of warm-up (no baseline)"
    echo "$node_pct_line"
    echo "$frames_line"
    n_test=$((n_test + 1))
    echo "ok $n_test - recording of $n cameras measured"
    rm -rf "$data"
    continue
  fi
  pipeline=""
  mkdir -p "$root/gst$n"
  for i in $(seq 1 "$n"); do
    pipeline="$pipeline rtspsrc location=rtsp://127.0.0.1:$rtsp/cam$i/main protocols=tcp ! rtph264depay ! h264parse ! splitmuxsink muxer-factory=matroskamux max-size-time=60000000000 location=$root/gst$n/cam$i-%05d.mkv"
  done
  # shellcheck disable=SC2086
  gst-launch-1.0 -q $pipeline > "$root/gst.log" 2>&1 &
  gst=$!; pids="$pids $gst"
  sleep 10
  g0=$(cpu_ticks $gst); sleep "$seconds"; g1=$(cpu_ticks $gst)
  gst_rss=$(rss_kb $gst)
  kill -INT $gst; wait $gst
  gst_bytes=$(du -sb "$root/gst$n" | cut -f1)
  gst_pct=$(echo "$g0 $g1 $hz $seconds $n" | awk '{ printf "%.3f", ($2 - $1) / $3 / $4 * 100 / $5 }')
  kill -TERM $sim; wait $sim

  echo "# N=$n cameras, ${seconds} s measured after 10 s of warm-up"
  echo "# vigie-node: ${node_pct} % of one core per camera, RSS $((node_rss / 1024)) MB ($((node_rss / n)) KB per camera), $node_bytes bytes, $node_frames video frames in segments (recorded about $((seconds + 10)) s)"
  echo "$frames_line"
  echo "# gst-launch rtspsrc…splitmuxsink: ${gst_pct} % of one core per camera, RSS $((gst_rss / 1024)) MB, $gst_bytes bytes"
  n_test=$((n_test + 1))
  echo "ok $n_test - recording of $n cameras measured"
  rm -rf "$data" "$root/gst$n"
done
echo "1..$n_test"
