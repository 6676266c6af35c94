#!/usr/bin/env bash
# Load figures of the sandbox (README, "Sandbox load figures"): requests per
# second for GET /api/agent/me, a 50-item feed page and a multipart upload,
# and the p99 latency of /me alone and while 1,000 idle half-open
# connections and a loop of maximal-tag requests run. All traffic goes to
# 127.0.0.1. Not part of CI (the figures depend on the machine).
#
# Needs: wrk (installed with apt-get when missing and running as root),
# python3, a release build (built here unless BIN points at a binary).
# Environment:
#   BIN       the aispace-tui binary (default: build target/release/aispace-tui)
#   DURATION  length of each wrk run (default 10s)
#   PORT      sandbox port on 127.0.0.1 (default 18899)
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION="${DURATION:-10s}"
PORT="${PORT:-18899}"
API="http://127.0.0.1:$PORT"

if ! command -v wrk >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq && apt-get install -y -qq wrk >/dev/null
  else
    echo "sandbox-load: needs wrk (e.g. apt-get install wrk)" >&2
    exit 1
  fi
fi

if [ -z "${BIN:-}" ]; then
  cargo build --release --locked
  BIN=target/release/aispace-tui
fi

ulimit -n 8192 2>/dev/null || true
WORK="$(mktemp -d)"
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

"$BIN" sandbox --addr "127.0.0.1:$PORT" --still >"$WORK/sandbox.out" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 100); do
  grep -q '^Serving' "$WORK/sandbox.out" 2>/dev/null && break
  sleep 0.1
done
KEY="$(sed -n 's/^export AISPACE_AGENT_KEY=//p' "$WORK/sandbox.out")"
[ -n "$KEY" ] || { cat "$WORK/sandbox.out" >&2; exit 1; }
# Every active agent's key (the daily post quota is 50 per agent).
KEYS="$( (echo "$KEY"; awk '$2 == "active" {print $3}' "$WORK/sandbox.out") | paste -sd, -)"

# wrk's summary: requests/s and the 99th percentile.
rps() { awk '/^Requests\/sec:/ {print $2}' "$1"; }
p99() { awk '$1 == "99%" {print $2}' "$1"; }

echo "== GET /api/agent/me"
wrk -t2 -c32 -d"$DURATION" --latency -H "Authorization: Bearer $KEY" \
  "$API/api/agent/me" | tee "$WORK/me.txt"

echo "== GET /api/agent/feed?limit=50"
wrk -t2 -c32 -d"$DURATION" --latency -H "Authorization: Bearer $KEY" \
  "$API/api/agent/feed?limit=50" | tee "$WORK/feed.txt"

echo "== POST /api/agent/post (multipart, horse.png, 16 KB)"
cat >"$WORK/upload.lua" <<EOF
local f = assert(io.open("assets/images/horse.png", "rb"))
local img = f:read("*a")
f:close()
local b = "----sandboxload"
wrk.method = "POST"
wrk.body = "--" .. b .. "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"horse.png\"\r\nContent-Type: image/png\r\n\r\n"
  .. img .. "\r\n--" .. b .. "\r\nContent-Disposition: form-data; name=\"caption\"\r\n\r\nload test\r\n--"
  .. b .. "\r\nContent-Disposition: form-data; name=\"tags\"\r\n\r\nload,test\r\n--" .. b .. "--\r\n"
wrk.headers["Content-Type"] = "multipart/form-data; boundary=" .. b
local keys = {}
for k in string.gmatch("$KEYS", "[^,]+") do keys[#keys + 1] = k end
local limit = #keys * 50
local sent = 0
answered = 0
ok = 0
t0 = 0
t1 = 0
local function now_ns()
  local p = io.popen("date +%s%N")
  local t = p:read("*n")
  p:close()
  return t
end
local threads = {}
function setup(thread) threads[#threads + 1] = thread end
function request()
  if sent == 0 then t0 = now_ns() end
  sent = sent + 1
  local h = {}
  for k, v in pairs(wrk.headers) do h[k] = v end
  h["Authorization"] = "Bearer " .. keys[(sent % #keys) + 1]
  return wrk.format(nil, nil, h)
end
function response(status)
  answered = answered + 1
  if status == 200 then ok = ok + 1 end
  if answered == limit then
    t1 = now_ns()
    wrk.thread:stop()
  end
end
function done()
  for _, t in ipairs(threads) do
    local secs = (t:get("t1") - t:get("t0")) / 1e9
    io.write(string.format("UPLOADS %d of %d stored in %.3f s: %.1f uploads/s\n",
      t:get("ok"), t:get("answered"), secs, t:get("ok") / secs))
  end
end
EOF
# One thread, so its counters see every request; it stops once every
# agent's daily post quota is used (all answered 200 until then) and
# reports the rate over that time (wrk's own figure counts the whole run).
wrk -t1 -c8 -d"$DURATION" --latency -s "$WORK/upload.lua" "$API/api/agent/post" | tee "$WORK/upload.txt"
UPLOAD_RATE="$(awk '/^UPLOADS/ {print $(NF-1)}' "$WORK/upload.txt")"
UPLOADS="$(awk '/^UPLOADS/ {print $2}' "$WORK/upload.txt")"

echo "== /me while 1,000 idle half-open connections and maximal-tag requests run"
# 1,000 connections that never finish a request (half send nothing, half an
# unfinished head); reopened as the header timeout closes them.
cat >"$WORK/idle.py" <<'PY'
import selectors, socket, sys
port, n = int(sys.argv[1]), int(sys.argv[2])
sel = selectors.DefaultSelector()
def open_one(i):
    s = socket.create_connection(("127.0.0.1", port))
    if i % 2:
        s.sendall(b"GET /api/agent/me HTTP/1.1\r\nHost: sandbox\r\n")
    s.setblocking(False)
    sel.register(s, selectors.EVENT_READ, i)
for i in range(n):
    open_one(i)
print("idle connections open", flush=True)
# Sleeps until the server closes some (header timeout), then reopens them.
while True:
    for key, _ in sel.select():
        sel.unregister(key.fileobj)
        key.fileobj.close()
        open_one(key.data)
PY
python3 "$WORK/idle.py" "$PORT" 1000 >"$WORK/idle.out" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 100); do
  grep -q 'open' "$WORK/idle.out" 2>/dev/null && break
  sleep 0.1
done
# The largest tag list a JSON body may carry: 64 KiB of one-letter tags
# (about 16,000), refused with 400 INVALID_BODY at the 31st.
python3 - "$WORK/tags.json" <<'PY'
import json, sys
head = {"imageUrl": "https://example.com/a.png", "tags": []}
room = 64 * 1024 - len(json.dumps(head, separators=(",", ":")))
body = json.dumps({"imageUrl": "https://example.com/a.png", "tags": ["a"] * (room // 4)}, separators=(",", ":"))
open(sys.argv[1], "w").write(body + " " * (64 * 1024 - len(body)))
PY
cat >"$WORK/tags.lua" <<EOF
local f = assert(io.open("$WORK/tags.json", "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $KEY"
EOF
echo "-- /me with the idle connections only"
wrk -t2 -c32 -d"$DURATION" --latency -H "Authorization: Bearer $KEY" \
  "$API/api/agent/me" | tee "$WORK/me-idle.txt"
echo "-- /me with the idle connections and maximal-tag requests"
wrk -t1 -c2 -d"$DURATION" --latency -s "$WORK/tags.lua" "$API/api/agent/posts" >"$WORK/tags.txt" &
TAGS_PID=$!
sleep 0.5
wrk -t2 -c32 -d"$DURATION" --latency -H "Authorization: Bearer $KEY" \
  "$API/api/agent/me" | tee "$WORK/me-under.txt"
wait "$TAGS_PID"
echo "-- the maximal-tag requests meanwhile:"
cat "$WORK/tags.txt"
OPEN="$(ls /proc/"${PIDS[1]}"/fd 2>/dev/null | wc -l)"

echo
echo "| what | requests/s | p99 |"
echo "|---|---|---|"
echo "| GET /api/agent/me | $(rps "$WORK/me.txt") | $(p99 "$WORK/me.txt") |"
echo "| GET /api/agent/feed?limit=50 | $(rps "$WORK/feed.txt") | $(p99 "$WORK/feed.txt") |"
echo "| POST /api/agent/post, multipart 16 KB png ($UPLOADS uploads stored) | $UPLOAD_RATE | $(p99 "$WORK/upload.txt") |"
echo "| GET /api/agent/me with 1,000 idle half-open connections | $(rps "$WORK/me-idle.txt") | $(p99 "$WORK/me-idle.txt") |"
echo "| GET /api/agent/me with 1,000 idle connections and maximal-tag requests | $(rps "$WORK/me-under.txt") | $(p99 "$WORK/me-under.txt") |"
echo "| maximal-tag request (64 KiB, ~16,000 tags, 400) alongside | $(rps "$WORK/tags.txt") | $(p99 "$WORK/tags.txt") |"
echo "(idle holder had $OPEN file descriptors open at the end)"
