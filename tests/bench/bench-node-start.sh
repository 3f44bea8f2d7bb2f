#!/bin/sh
# bench-node-start.sh: time from launching vigie-node to its "ready" line, with a new
# data directory (initdb of the private cluster included) and with an existing one.
# Production settings (fsync on) unless VIGIE_BENCH_FSYNC=false. TAP output with the
# figures as comments; it asserts nothing about time.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -u
node_bin="${VIGIE_BUILD_DIR:?}/server/vigie-node"
runs=${VIGIE_BENCH_RUNS:-5}
fsync=${VIGIE_BENCH_FSYNC:-true}
root=$(mktemp -d "${TMPDIR:-/tmp}/vigie-bench-XXXXXX")
chmod 711 "$root"
trap 'rm -rf "$root"' EXIT
printf '[database]\nfsync=%s\n' "$fsync" > "$root/node.conf"

now_ms() { date +%s%3N; }

# start DIR: prints the milliseconds to "ready", then stops the node.
start() {
  t0=$(now_ms)
  VIGIE_ADMIN_PASSWORD=bench-password "$node_bin" --data-dir "$1" --config "$root/node.conf" \
    --api-port 0 --rtsp-port 0 --rtsps-port 0 > "$root/out" 2> "$root/log" &
  pid=$!
  while ! grep -q '^vigie-node ready' "$root/out"; do
    kill -0 $pid 2>/dev/null || { echo "Bail out! node died"; cat "$root/log"; exit 1; }
    sleep 0.005
  done
  t1=$(now_ms)
  kill -TERM $pid; wait $pid
  echo $((t1 - t0))
}

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

new=""; existing=""
for i in $(seq 1 "$runs"); do
  new="$new $(start "$root/new$i")"
  existing="$existing $(start "$root/new$i")"
done
new_median=$(echo $new | tr ' ' '\n' | median)
existing_median=$(echo $existing | tr ' ' '\n' | median)
echo "# fsync=$fsync runs=$runs"
echo "# new data dir (initdb + start + migrations): median ${new_median} ms; all: $new"
echo "# existing data dir: median ${existing_median} ms; all: $existing"
echo "ok 1 - node start measured"
echo "1..1"
