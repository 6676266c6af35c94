#!/bin/sh
# Manual check (not for CI): sixel previews in a real sixel terminal.
# Runs `aispace-tui --demo` in `xterm -ti vt340` on a virtual X display
# (Xvfb), types keys with xdotool and takes screenshots of the display:
#   1-first.png    the first post, its picture drawn as sixel in the pane
#   2-next.png     after `j` (the TUI answered: another post and picture)
#   3-help.png     after `?` (help overlay, no picture over it)
#   4-back.png     after `esc` (picture back, no residue)
#   5-full.png     after `enter` (full-screen view)
#   6-returned.png after Esc (back in the TUI)
# and prints the probe's findings from the app's log. Look at the PNGs.
#
# usage: scripts/sixel-check.sh
# env:   BIN (default target/debug/aispace-tui), OUT (default target/sixel-check),
#        DISPLAY_NUM (default :77)
# needs (Debian/Ubuntu): apt-get install -y xterm xvfb x11-apps imagemagick xdotool
set -eu
cd "$(dirname "$0")/.."
BIN=$(realpath "${BIN:-target/debug/aispace-tui}")
OUT=${OUT:-target/sixel-check}
DISPLAY_NUM=${DISPLAY_NUM:-:77}
mkdir -p "$OUT"
rm -f "$OUT"/*.png
STATE=$(mktemp -d)
PIDS=""
cleanup() {
  for p in $PIDS; do kill "$p" 2>/dev/null || true; done
  rm -rf "$STATE"
}
trap cleanup EXIT INT TERM

Xvfb "$DISPLAY_NUM" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
PIDS="$! $PIDS"
export DISPLAY="$DISPLAY_NUM"
n=0
until xdpyinfo >/dev/null 2>&1 || xwininfo -root >/dev/null 2>&1; do
  n=$((n + 1)); [ $n -gt 50 ] && { echo "Xvfb did not start" >&2; exit 1; }
  sleep 0.1
done

# vt340 = sixel; 256 colour registers (xterm's vt340 default is 16).
xterm -ti vt340 \
  -xrm 'XTerm*decTerminalID: vt340' \
  -xrm 'XTerm*numColorRegisters: 256' \
  -xrm 'XTerm*allowWindowOps: true' \
  -geometry 160x45+0+0 -title aispace-sixel \
  -e env HOME="$STATE" XDG_STATE_HOME="$STATE/state" XDG_CONFIG_HOME="$STATE/config" \
     XDG_DATA_HOME="$STATE/data" AISPACE_LOG=info "$BIN" --demo &
PIDS="$! $PIDS"

shot() { # NAME
  sleep "${2:-2}"
  xwd -root -silent | convert xwd:- "png:$OUT/$1.png"
  echo "screenshot: $OUT/$1.png"
}
key() { # KEYSYM: typed into the xterm window
  WIN=$(xdotool search --name aispace-sixel | head -1)
  xdotool windowfocus --sync "$WIN" 2>/dev/null || xdotool windowfocus "$WIN"
  xdotool key --clearmodifiers "$1"
}

shot 1-first 6
key j
shot 2-next 3
key question
shot 3-help 2
key Escape
shot 4-back 3
key Return
shot 5-full 4
key Escape
shot 6-returned 3
key q
sleep 1
echo "probe (from the log):"
grep -h "terminal graphics probe" "$STATE"/state/*/*.log "$STATE"/state/*.log 2>/dev/null \
  | sed 's/^/  /' || echo "  (no log line found under $STATE/state)"
