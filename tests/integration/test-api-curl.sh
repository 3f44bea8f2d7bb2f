#!/bin/sh
# test-api-curl.sh: bad input against a real vigie-node, driven with curl.
# Each request must get a clear JSON error with the right status; afterwards the
# node is still up and the data are intact. TAP output.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -u

node_bin="${VIGIE_BUILD_DIR:?}/server/vigie-node"
dir=$(mktemp -d "${TMPDIR:-/tmp}/vigie-curl-XXXXXX")
chmod 711 "$dir"
password='curl-admin-pw'
n=0
failed=0

cleanup() {
  [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  [ -n "${VIGIE_TEST_KEEP:-}" ] || rm -rf "$dir"
}
trap cleanup EXIT

printf '[database]\nfsync=false\n' > "$dir/node.conf"
VIGIE_ADMIN_PASSWORD="$password" "$node_bin" --data-dir "$dir/data" --config "$dir/node.conf" \
  --api-port 0 --rtsp-port 0 --rtsps-port 0 > "$dir/out" 2> "$dir/log" &
pid=$!

port=
for _ in $(seq 1 600); do
  port=$(sed -n 's/^vigie-node ready: api=https:\/\/127.0.0.1:\([0-9]*\).*$/\1/p' "$dir/out")
  [ -n "$port" ] && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.2
done
if [ -z "$port" ]; then
  echo "Bail out! vigie-node did not start"
  cat "$dir/out" "$dir/log" | sed 's/^/# /'
  exit 1
fi
base="https://127.0.0.1:$port"

# check NAME STATUS CODE CURL-ARGS…: the answer has STATUS and, when CODE is not
# "-", a JSON body {"error":{"code":CODE,…}}.
check() {
  name=$1 want_status=$2 want_code=$3
  shift 3
  n=$((n + 1))
  status=$(curl -sk -o "$dir/body" -w '%{http_code}' "$@")
  ok=yes
  [ "$status" = "$want_status" ] || ok=no
  if [ "$want_code" != "-" ]; then
    grep -q "^{\"error\":{\"code\":\"$want_code\",\"message\":\"[^\"]" "$dir/body" || ok=no
  fi
  if [ $ok = yes ]; then
    echo "ok $n - $name"
  else
    echo "not ok $n - $name: got $status $(head -c 300 "$dir/body")"
    failed=$((failed + 1))
  fi
}

json='Content-Type: application/json'
admin="admin:$password"
camera='{"name":"Gate","streams":[{"name":"main","url":"rtsp://127.0.0.1:9/stream1","roles":["record","live"]}]}'

check "create a camera" 201 - -u "$admin" -H "$json" -d "$camera" "$base/api/v1/cameras"
cp "$dir/body" "$dir/camera"
curl -sk -u "$admin" "$base/api/v1/cameras" > "$dir/before"

# Malformed and mistyped bodies
check "malformed JSON" 400 bad_request -u "$admin" -H "$json" -d '{"name": ' "$base/api/v1/cameras"
check "JSON with trailing garbage" 400 bad_request -u "$admin" -H "$json" -d '{"name":"a"} x' "$base/api/v1/cameras"
check "empty body" 400 bad_request -u "$admin" -H "$json" -X POST "$base/api/v1/cameras"
check "invalid UTF-8" 400 bad_request -u "$admin" -H "$json" --data-binary "$(printf '{"name":"\377"}')" "$base/api/v1/cameras"
check "malformed mosaic" 400 bad_request -u "$admin" -H "$json" -d '{"name":"m","layout":' "$base/api/v1/mosaics"
check "mosaic of the wrong media type" 415 unsupported_media_type -u "$admin" -H 'Content-Type: text/plain' -d '{}' "$base/api/v1/mosaics"
check "not an object" 422 invalid -u "$admin" -H "$json" -d '[1,2,3]' "$base/api/v1/cameras"
check "name of the wrong type" 422 invalid -u "$admin" -H "$json" -d '{"name":5,"streams":[]}' "$base/api/v1/cameras"
check "streams of the wrong type" 422 invalid -u "$admin" -H "$json" -d '{"name":"a","streams":"rtsp://x"}' "$base/api/v1/cameras"
check "retention as a string" 422 invalid -u "$admin" -H "$json" -d '{"name":"a","streams":[{"name":"m","url":"rtsp://h/s"}],"recording":{"retention_days":"30"}}' "$base/api/v1/cameras"
check "retention out of range" 422 invalid -u "$admin" -H "$json" -d '{"name":"a","streams":[{"name":"m","url":"rtsp://h/s"}],"recording":{"retention_days":99999999999999999999}}' "$base/api/v1/cameras"
check "missing fields" 422 invalid -u "$admin" -H "$json" -d '{}' "$base/api/v1/cameras"
check "unknown field" 422 invalid -u "$admin" -H "$json" -d '{"name":"a","streams":[{"name":"m","url":"rtsp://h/s"}],"colour":"red"}' "$base/api/v1/cameras"
check "unknown data disk" 422 invalid -u "$admin" -H "$json" -d '{"name":"a","streams":[{"name":"m","url":"rtsp://127.0.0.1:9/s"}],"recording":{"disk":99}}' "$base/api/v1/cameras"
check "data disk of the wrong type" 422 invalid -u "$admin" -H "$json" -d '{"name":"a","streams":[{"name":"m","url":"rtsp://127.0.0.1:9/s"}],"recording":{"disk":"one"}}' "$base/api/v1/cameras"
check "file URL as a stream" 422 invalid -u "$admin" -H "$json" -d '{"name":"a","streams":[{"name":"m","url":"file:///etc/passwd"}]}' "$base/api/v1/cameras"
check "stream name with a slash" 422 invalid -u "$admin" -H "$json" -d '{"name":"a","streams":[{"name":"../m","url":"rtsp://h/s"}]}' "$base/api/v1/cameras"
check "wrong content type" 415 unsupported_media_type -u "$admin" -H 'Content-Type: text/plain' -d "$camera" "$base/api/v1/cameras"
check "no content type" 415 unsupported_media_type -u "$admin" -H 'Content-Type:' --data-binary "$camera" "$base/api/v1/cameras"
python3 -c "print('[' * 100000)" > "$dir/deep" 2>/dev/null || awk 'BEGIN { for (i = 0; i < 100000; i++) printf "["; print "" }' > "$dir/deep"
check "JSON nested 100000 deep" 400 bad_request -u "$admin" -H "$json" --data-binary "@$dir/deep" "$base/api/v1/cameras"
head -c 10485760 /dev/zero | tr '\0' 'a' > "$dir/big"
check "10 MB body" 413 too_large -u "$admin" -H "$json" --data-binary "@$dir/big" "$base/api/v1/cameras"
check "10 MB login body" 413 too_large -H "$json" --data-binary "@$dir/big" "$base/api/v1/session"

# Routes, methods and ids
check "unknown route" 404 not_found -u "$admin" "$base/api/v1/nothing"
check "unknown route outside the API" 404 not_found -u "$admin" "$base/etc/passwd"
check "method not allowed" 405 method_not_allowed -u "$admin" -X PUT "$base/api/v1/cameras"
check "path traversal with dots (resolved as RFC 3986 says)" 404 not_found -u "$admin" --path-as-is "$base/api/v1/cameras/../../../../etc/passwd"
check "path traversal encoded" 400 bad_request -u "$admin" "$base/api/v1/cameras/..%2f..%2fetc%2fpasswd"
check "encoded NUL in an id" 400 bad_request -u "$admin" "$base/api/v1/cameras/1%00"
check "negative id" 404 not_found -u "$admin" "$base/api/v1/cameras/-1"
check "id too large" 404 not_found -u "$admin" "$base/api/v1/cameras/99999999999999999999"
check "SQL in an id" 404 not_found -u "$admin" "$base/api/v1/cameras/1%20OR%201=1"
check "unknown camera" 404 not_found -u "$admin" "$base/api/v1/cameras/424242"
check "PATCH unknown camera" 404 not_found -u "$admin" -H "$json" -X PATCH -d '{"name":"b"}' "$base/api/v1/cameras/424242"
check "PATCH malformed" 400 bad_request -u "$admin" -H "$json" -X PATCH -d '{' "$base/api/v1/cameras/1"
check "PATCH invalid leaves the camera" 422 invalid -u "$admin" -H "$json" -X PATCH -d '{"name":"changed","retention_days":3}' "$base/api/v1/cameras/1"

# Credentials
check "no credentials" 401 unauthorized "$base/api/v1/cameras"
check "garbage Authorization" 401 unauthorized -H 'Authorization: Garbage xyz' "$base/api/v1/cameras"
check "malformed Basic" 401 unauthorized -H 'Authorization: Basic !!!not-base64' "$base/api/v1/cameras"
check "empty Bearer" 401 unauthorized -H 'Authorization: Bearer ' "$base/api/v1/cameras"
check "SQL in the user name" 401 unauthorized -H "$json" -d "{\"user\":\"admin' OR '1'='1\",\"password\":\"x\"}" "$base/api/v1/session"
check "login malformed" 400 bad_request -H "$json" -d '{"user":' "$base/api/v1/session"
check "login wrong types" 422 invalid -H "$json" -d '{"user":1,"password":true}' "$base/api/v1/session"
check "login unknown field" 422 invalid -H "$json" -d '{"user":"admin","password":"x","admin":true}' "$base/api/v1/session"
check "login missing password" 422 invalid -H "$json" -d '{"user":"admin"}' "$base/api/v1/session"
check "events without WebSocket handshake" 400 bad_request -u "$admin" "$base/api/v1/events"
check "users: short password" 422 invalid -u "$admin" -H "$json" -d '{"name":"eve","password":"short"}' "$base/api/v1/users"
check "users: bad role" 422 invalid -u "$admin" -H "$json" -d '{"name":"eve","password":"long-enough","role":"root"}' "$base/api/v1/users"

# SQL-looking strings are stored as they are.
sql_name="x'); DROP TABLE cameras; --"
check "SQL-looking camera name accepted" 201 - -u "$admin" -H "$json" \
  -d "{\"name\":\"$sql_name\",\"streams\":[{\"name\":\"main\",\"url\":\"rtsp://h/s\"}]}" "$base/api/v1/cameras"
sql_id=$(sed -n 's/^{"id":\([0-9]*\),.*/\1/p' "$dir/body")
check "SQL-looking name read back" 200 - -u "$admin" "$base/api/v1/cameras/$sql_id"
n=$((n + 1))
if grep -qF "\"name\":\"x'); DROP TABLE cameras; --\"" "$dir/body"; then echo "ok $n - SQL-looking name intact"
else echo "not ok $n - SQL-looking name intact: $(cat "$dir/body")"; failed=$((failed + 1)); fi
check "delete it" 204 - -u "$admin" -X DELETE "$base/api/v1/cameras/$sql_id"

# The node is up and the data are what they were.
check "health after all that" 200 - "$base/api/v1/health"
n=$((n + 1))
curl -sk -u "$admin" "$base/api/v1/cameras" > "$dir/after"
if cmp -s "$dir/before" "$dir/after"; then echo "ok $n - cameras unchanged"
else echo "not ok $n - cameras unchanged: $(cat "$dir/after")"; failed=$((failed + 1)); fi
n=$((n + 1))
if kill -0 "$pid" 2>/dev/null; then echo "ok $n - node still running"
else echo "not ok $n - node still running"; failed=$((failed + 1)); fi

n=$((n + 1))
kill -TERM "$pid"; wait "$pid"; code=$?; pid=
# 23: a sanitized node's leak report, which may hold only GLib's own quark block.
if [ $code -eq 23 ] && sh "$(dirname "$0")/only-known-leaks.sh" "$dir/log"; then code=0; fi
if [ $code -eq 0 ]; then echo "ok $n - node stops cleanly"
else echo "not ok $n - node stops cleanly: exit status $code"; sed 's/^/# /' "$dir/log" | tail -40; failed=$((failed + 1)); fi

echo "1..$n"
[ $failed -eq 0 ]
