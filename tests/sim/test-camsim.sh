#!/bin/sh
# Smoke test of vigie-camsim with ffprobe/ffmpeg and curl (TAP).
# Usage: test-camsim.sh VIGIE_CAMSIM CLIPS_DIR
# shellcheck disable=SC2317  # functions are called through ok()
set -u

camsim=$1
clips=$2
tmp=$(mktemp -d)
pid=""
n=0
failed=0

cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT

ok() {  # ok DESCRIPTION COMMAND...
  n=$((n + 1))
  desc=$1
  shift
  if "$@" >"$tmp/out" 2>&1; then
    echo "ok $n - $desc"
  else
    echo "not ok $n - $desc"
    sed 's/^/# /' "$tmp/out"
    failed=1
  fi
}

start() {  # start ARGS...: sets pid, rtsp, http
  "$camsim" --clips "$clips" --rtsp-port 0 --http-port 0 "$@" >"$tmp/ready" 2>"$tmp/stderr" &
  pid=$!
  for _ in $(seq 100); do
    grep -q '^vigie-camsim ready: ' "$tmp/ready" && break
    sleep 0.1
  done
  rtsp=$(sed -n 's/.* rtsp=\([^ ]*\) .*/\1/p' "$tmp/ready")
  http=$(sed -n 's/.* http=\([^ ]*\) .*/\1/p' "$tmp/ready")
  [ -n "$rtsp" ] && [ -n "$http" ]
}

stop() {  # quits on SIGTERM with status 0 (sanitizers report leaks at exit)
  kill "$pid" && wait "$pid"
  status=$?
  pid=""
  [ "$status" -eq 0 ] || { echo "exit status $status"; cat "$tmp/stderr"; }
  return "$status"
}

probe() {  # probe URL EXPECTED (ffprobe's csv of codec,width,height,r_frame_rate,sample_rate)
  got=$(timeout 20 ffprobe -v error -rtsp_transport tcp \
          -show_entries stream=codec_name,width,height,r_frame_rate,sample_rate -of csv=p=0 "$1" |
        tr '\n' ' ')
  [ "$got" = "$2" ] || { echo "got '$got', expected '$2'"; return 1; }
}

decode() {  # decode TRANSPORT URL: 50 frames without a decoding error
  if ! errors=$(timeout 30 ffmpeg -nostdin -v error -rtsp_transport "$1" -i "$2" \
                   -frames:v 50 -f null - 2>&1) || [ -n "$errors" ]; then
    echo "$errors"
    return 1
  fi
}

field() {  # field CAMERA STREAM KEY: from the control API
  curl -sf "$http/cameras/$1" |
    python3 -c "import json, sys; print(json.load(sys.stdin)['streams']['$2']['$3'])"
}

status() {  # status EXPECTED METHOD URL
  got=$(curl -s -o /dev/null -w '%{http_code}' -X "$2" --max-time 5 "$3")
  [ "$got" = "$1" ] || { echo "got $got, expected $1"; return 1; }
}

frames_grow() {  # frames_grow CAMERA STREAM: frames_sent grows within 1 s
  a=$(field "$1" "$2" frames_sent)
  sleep 1
  b=$(field "$1" "$2" frames_sent)
  [ "$b" -gt "$a" ] || { echo "frames_sent $a then $b"; return 1; }
}

frames_still() {  # frames_still CAMERA STREAM: frames_sent does not move for 1 s
  sleep 0.3
  a=$(field "$1" "$2" frames_sent)
  sleep 1
  b=$(field "$1" "$2" frames_sent)
  [ "$b" -eq "$a" ] || { echo "frames_sent $a then $b"; return 1; }
}

ok "starts and prints its ports" start --cameras 4
ok "cam1/main is H.264 1080p25" probe "$rtsp/cam1/main" "h264,1920,1080,25/1 "
ok "cam2/main has AAC" probe "$rtsp/cam2/main" "h264,1920,1080,25/1 aac,16000,0/0 "
ok "cam3/main has PCMA" probe "$rtsp/cam3/main" "h264,1920,1080,25/1 pcm_alaw,8000,0/0 "
ok "cam1/sub is H.264 360p25" probe "$rtsp/cam1/sub" "h264,640,360,25/1 "
ok "cam1/h265 is H.265 1080p25" probe "$rtsp/cam1/h265" "hevc,1920,1080,25/1 "
ok "cam4/mjpeg is MJPEG 360p" probe "$http/cam4/mjpeg" "mjpeg,640,360,25/1 "
ok "cam2/main decodes over TCP" decode tcp "$rtsp/cam2/main"
ok "cam3/main decodes over UDP" decode udp "$rtsp/cam3/main"
ok "cam1/h265 decodes over UDP multicast" decode udp_multicast "$rtsp/cam1/h265"
ok "unknown stream: 404" status 404 GET "$http/cam9/mjpeg"
ok "unknown camera: 404" status 404 GET "$http/cameras/9"

# a viewer for the fault controls
timeout 60 ffmpeg -nostdin -v quiet -rtsp_transport tcp -i "$rtsp/cam1/main" -f null - &
viewer=$!
sleep 2
ok "frames flow to a viewer" frames_grow 1 main
ok "viewer counted" test "$(field 1 main viewers)" = 1
ok "stall" status 200 POST "$http/cameras/1/stall"
ok "stalled: nothing sent" frames_still 1 main
ok "stalled: viewer still connected" kill -0 $viewer
ok "start" status 200 POST "$http/cameras/1/start"
ok "started: frames flow again" frames_grow 1 main
ok "garbage" status 200 POST "$http/cameras/1/garbage?seconds=1"
ok "garbage counted" sh -c "sleep 0.5; test \"\$(curl -sf $http/cameras/1 | python3 -c \"import json,sys; print(json.load(sys.stdin)['streams']['main']['garbage_sent'])\")\" -gt 0"
ok "stop" status 200 POST "$http/cameras/1/stop"
ok "stopped: viewer disconnected" sh -c "sleep 1; ! kill -0 $viewer 2>/dev/null"
ok "stopped: RTSP 404" sh -c "timeout 10 ffprobe -v error -rtsp_transport tcp $rtsp/cam1/main 2>&1 | grep -q 404"
ok "stopped: MJPEG 404" status 404 GET "$http/cam1/mjpeg"
ok "start again" status 200 POST "$http/cameras/1/start"
ok "restarted: decodes" decode tcp "$rtsp/cam1/main"
wait $viewer 2>/dev/null
ok "quits cleanly" stop
ok "no warning on stderr" sh -c "! grep -E 'WARNING|CRITICAL|ERROR' $tmp/stderr"

ok "starts with Digest authentication" start --cameras 1 --user u --password p --digest
auth_rtsp=$(echo "$rtsp" | sed 's#rtsp://#rtsp://u:p@#')
bad_rtsp=$(echo "$rtsp" | sed 's#rtsp://#rtsp://u:bad@#')
ok "RTSP with the password" probe "$auth_rtsp/cam1/sub" "h264,640,360,25/1 "
ok "RTSP with a wrong password: 401" sh -c "timeout 10 ffprobe -v error $bad_rtsp/cam1/sub 2>&1 | grep -q 401"
ok "MJPEG without a password: 401" status 401 GET "$http/cam1/mjpeg"
ok "MJPEG with the password" sh -c "curl -s --digest -u u:p --max-time 1 -o $tmp/mjpeg $http/cam1/mjpeg; head -c 12 $tmp/mjpeg | grep -q -- --vigieframe"
ok "control API needs no password" status 200 GET "$http/cameras/1"
ok "quits cleanly" stop

echo "1..$n"
exit $failed
