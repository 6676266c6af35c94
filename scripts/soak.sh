#!/usr/bin/env bash
# Soak check of the live dashboard: the TUI (release build) left idle in a
# tmux pane against `aispace-tui sandbox` with simulated activity, for N
# minutes. Every 30 s it samples the TUI's resident memory (VmRSS from
# /proc/PID/status) and CPU time (utime + stime from /proc/PID/stat) and
# prints a table; at the end a summary (RSS first/last/max, average CPU %)
# and the TUI's header line.
#
# Usage: scripts/soak.sh [MINUTES] [PORT]      (defaults: 10, 0 = any free port)
# Env:   AISPACE_BIN   binary to test (default target/release/aispace-tui,
#                      built with `cargo build --release` when missing)
#        SOAK_INTERVAL seconds between samples (default 30)
#        SOAK_REFRESH  --refresh of the TUI in seconds (default 20)
# Needs: Linux (/proc), tmux.
set -euo pipefail

minutes="${1:-10}"
port="${2:-0}"
interval="${SOAK_INTERVAL:-30}"
refresh="${SOAK_REFRESH:-20}"
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="${AISPACE_BIN:-$root/target/release/aispace-tui}"
session="aispace-soak-$$"

for tool in tmux; do
    command -v "$tool" >/dev/null || { echo "soak.sh: $tool is required" >&2; exit 2; }
done
if [ ! -x "$bin" ]; then
    echo "building $bin (cargo build --release)…" >&2
    (cd "$root" && cargo build --release --quiet)
fi

work="$(mktemp -d)"
sandbox_pid=""
cleanup() {
    tmux kill-session -t "$session" 2>/dev/null || true
    if [ -n "$sandbox_pid" ]; then kill "$sandbox_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

# The sandbox (activity on by default), its export lines in a file.
"$bin" sandbox --addr "127.0.0.1:$port" >"$work/sandbox.out" 2>"$work/sandbox.err" &
sandbox_pid=$!
for _ in $(seq 50); do
    grep -q '^export AISPACE_AGENT_KEY=' "$work/sandbox.out" 2>/dev/null && break
    sleep 0.2
done
if ! grep -q '^export AISPACE_AGENT_KEY=' "$work/sandbox.out"; then
    echo "soak.sh: the sandbox did not start:" >&2
    cat "$work/sandbox.err" >&2
    exit 1
fi
# shellcheck disable=SC1090
source <(grep '^export ' "$work/sandbox.out")

# The TUI in a detached 160x45 tmux pane; its config, drafts and log in a
# scratch directory. `exec` makes the pane's process the TUI itself.
mkdir -p "$work/config" "$work/state" "$work/data"
tmux new-session -d -s "$session" -x 160 -y 45 \
    "exec env XDG_CONFIG_HOME='$work/config' XDG_STATE_HOME='$work/state' XDG_DATA_HOME='$work/data' \
     AISPACE_API_URL='$AISPACE_API_URL' AISPACE_AGENT_KEY='$AISPACE_AGENT_KEY' \
     '$bin' --refresh '$refresh'"
pid="$(tmux display-message -p -t "$session" '#{pane_pid}')"
sleep 3
if ! kill -0 "$pid" 2>/dev/null; then
    echo "soak.sh: the TUI did not start" >&2
    exit 1
fi

tck="$(getconf CLK_TCK)"
rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$pid/status"; }
cpu_ticks() { sed 's/^.*) //' "/proc/$pid/stat" | awk '{print $12 + $13}'; }

echo "TUI pid $pid against $AISPACE_API_URL, idle for $minutes min, sample every $interval s"
printf '%8s  %10s  %12s  %8s\n' "time_s" "rss_kib" "cpu_total_s" "cpu_%"
start_ticks="$(cpu_ticks)"
first_rss="$(rss_kib)"
max_rss="$first_rss"
prev_ticks="$start_ticks"
printf '%8d  %10d  %12.2f  %8s\n' 0 "$first_rss" 0 "-"
samples=$(( minutes * 60 / interval ))
rss="$first_rss"
for i in $(seq 1 "$samples"); do
    sleep "$interval"
    if ! kill -0 "$pid" 2>/dev/null; then
        echo "soak.sh: the TUI exited during the soak" >&2
        exit 1
    fi
    rss="$(rss_kib)"
    ticks="$(cpu_ticks)"
    [ "$rss" -gt "$max_rss" ] && max_rss="$rss"
    pct="$(awk -v d=$(( ticks - prev_ticks )) -v t="$tck" -v s="$interval" 'BEGIN {printf "%.2f", 100 * d / t / s}')"
    total="$(awk -v d=$(( ticks - start_ticks )) -v t="$tck" 'BEGIN {printf "%.2f", d / t}')"
    printf '%8d  %10d  %12s  %8s\n' $(( i * interval )) "$rss" "$total" "$pct"
    prev_ticks="$ticks"
done
elapsed=$(( samples * interval ))
avg="$(awk -v d=$(( prev_ticks - start_ticks )) -v t="$tck" -v s="$elapsed" 'BEGIN {printf "%.3f", 100 * d / t / s}')"
echo
echo "RSS first $first_rss KiB, last $rss KiB, max $max_rss KiB; average CPU $avg % over $elapsed s"
echo "header: $(tmux capture-pane -p -t "$session" | head -1 | sed 's/ *$//')"
echo "feed:   $(tmux capture-pane -p -t "$session" | sed -n 3p | sed 's/ *$//')"
